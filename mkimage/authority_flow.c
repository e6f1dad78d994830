/*
 * The authority analysis, part two: the flow graph between processes,
 * the search for a path, the explanation of how each capability on a
 * path was obtained, and the assertion check.
 *
 * Information moves from process to process through channels, one flow
 * node per channel, so the graph grows with the facts, not with the
 * square of the processes:
 *   entry(E)    from every process that may send through an entry to E,
 *               to every process that may receive on E;
 *   reply(E)    from every receiver on E to every process that may call
 *               through an entry to E without no_call;
 *   page(X), cappage(X), gpt(X), signal(N), untyped(U), device(D)
 *               from every holder that may change the object (no
 *               read_only) to every holder;
 *   process(P)  from P to every holder of its process capability, and
 *               from every holder without read_only to P;
 *   irq(I)      between all holders of the line, and on to the holders
 *               of the notification it signals.
 * The capabilities are those each process may ever hold (authority.c).
 */
#include "authority_int.h"

#include <string.h>

static bool is_process_node(const authority_t *a, int32_t n)
{
    return (size_t)n < a->md->objs.n;
}

static int32_t channel(const authority_t *a, int32_t obj, int k)
{
    return (int32_t)a->md->objs.n + 2 * obj + k;
}

static void add_edge(authority_t *a, int32_t from, int32_t to, int32_t holder,
                     const fact_t *f)
{
    uint64_t key = ((uint64_t)(uint32_t)from << 32) | (uint32_t)to;
    if (!map_put(a, &a->flow_edges, key, 0))
        return;
    edge_t e = { to, { -1, -1 } };
    if (f)
        e.enable = (fref_t){ holder,
                             (int32_t)(f - a->holders[holder].facts.v) };
    VEC_PUSH(&a->m->arena, &a->flow[from].out, e);
}

static void label_channels(authority_t *a)
{
    for (size_t i = 0; i < a->md->objs.n; i++) {
        const mobj_t *o = a->md->objs.v[i];
        const char *kind = o->kind == OBJ_KIND_NOTIFICATION ? "signal"
                         : o->kind == OBJ_KIND_ENDPOINT ? "entry"
                         : obj_kind_name(o->kind);
        a->flow[channel(a, (int32_t)i, 0)].label =
            arena_printf(&a->m->arena, "%s(%s)", kind, o->name);
        a->flow[channel(a, (int32_t)i, 1)].label =
            arena_printf(&a->m->arena, "%s(%s)",
                         o->kind == OBJ_KIND_ENDPOINT ? "reply" : kind, o->name);
        if (o->kind == OBJ_KIND_PROCESS) {
            add_edge(a, (int32_t)i, channel(a, (int32_t)i, 0), -1, NULL);
            add_edge(a, channel(a, (int32_t)i, 1), (int32_t)i, -1, NULL);
        }
        if (o->kind == OBJ_KIND_IRQ && o->has_signals)
            add_edge(a, channel(a, (int32_t)i, 0),
                     channel(a, (int32_t)o->signals.obj->id, 0), -1, NULL);
    }
}

/* The flow edges one fact of process p gives. */
static void fact_edges(authority_t *a, int32_t p, const fact_t *f)
{
    if (f->obj < 0)
        return;
    int32_t c0 = channel(a, f->obj, 0), c1 = channel(a, f->obj, 1);
    bool writable = !(f->restr & RESTR_READ_ONLY);
    switch (f->type) {
    case CAP_ENTRY:
        add_edge(a, p, c0, p, f);
        if (!(f->restr & RESTR_NO_CALL))
            add_edge(a, c1, p, p, f);
        return;
    case CAP_ENDPOINT:
        add_edge(a, c0, p, p, f);
        add_edge(a, p, c1, p, f);
        return;
    case CAP_PROCESS:
        add_edge(a, c0, p, p, f);
        if (writable)
            add_edge(a, p, c1, p, f);
        return;
    case CAP_IRQ_HANDLER:
        add_edge(a, p, c0, p, f);
        add_edge(a, c0, p, p, f);
        return;
    default:                  /* memory, notifications, untyped, devices */
        if (writable)
            add_edge(a, p, c0, p, f);
        add_edge(a, c0, p, p, f);
        return;
    }
}

static bool derived(const authority_t *a, const edge_t *e)
{
    return e->enable.holder >= 0 &&
           a->holders[e->enable.holder].facts.v[e->enable.index].why !=
               WHY_GIVEN;
}

/*
 * How indirect a step is: the derivation depth of the capability that
 * enables it, counted twice on the receiving side (a receiver's obtained
 * capability hides a transfer the path does not show). Among paths of
 * the fewest hops, the search reports the least indirect one.
 */
static uint32_t edge_cost(const authority_t *a, const edge_t *e)
{
    if (e->enable.holder < 0)
        return 0;
    uint32_t d = a->holders[e->enable.holder].facts.v[e->enable.index].depth;
    return is_process_node(a, e->to) ? 2 * d : d;
}

void flow_build(authority_t *a)
{
    const model_t *md = a->md;
    a->nflow = 3 * md->objs.n;
    a->flow = arena_alloc(&a->m->arena, (a->nflow + 1) * sizeof *a->flow);
    label_channels(a);
    for (size_t p = 0; p < md->objs.n; p++) {
        if (md->objs.v[p]->kind != OBJ_KIND_PROCESS)
            continue;
        for (size_t i = 0; i < a->holders[p].facts.n; i++)
            fact_edges(a, (int32_t)p, &a->holders[p].facts.v[i]);
    }
}

/* ---- Explanations ------------------------------------------------------- */

static const char *obj_name(const authority_t *a, int32_t id)
{
    return id >= 0 ? a->md->objs.v[id]->name : "?";
}

static void explain_step(authority_t *a, buf_t *b, int32_t holder,
                         const fact_t *f)
{
    const char *h = obj_name(a, holder), *from = obj_name(a, f->parent_holder);
    const char *via = obj_name(a, f->via);
    switch (f->why) {
    case WHY_GIVEN:
        buf_printf(b, "%s is given it (%s:%u:%u)", h, f->loc.file,
                   f->loc.line, f->loc.col);
        break;
    case WHY_READ:
        buf_printf(b, "%s loads it from %s", h, via);
        break;
    case WHY_STORED:
        buf_printf(b, "%s stores it into %s", from, h);
        break;
    case WHY_SENT:
        buf_printf(b, "%s sends it to %s through entry(%s)", from, h, via);
        break;
    case WHY_REPLIED:
        buf_printf(b, "%s replies with it to %s's call on entry(%s)", from, h,
                   via);
        break;
    case WHY_CONTROL:
        buf_printf(b, "it passes from %s to %s through process(%s)", from, h,
                   via);
        break;
    case WHY_MINTED:
        buf_printf(b, "%s makes it from its endpoint capability", h);
        break;
    case WHY_IRQCTL:
        buf_printf(b, "%s makes it with irq_control", h);
        break;
    }
}

/* "P obtains CAP: step; then step; ..." for a derived fact. */
static void explain_fact(authority_t *a, buf_t *b, int32_t holder,
                         int32_t index)
{
    VEC(int32_t) chain = { 0 };
    for (int32_t h = holder, i = index; h >= 0 && i >= 0;) {
        VEC_PUSH(&a->m->arena, &chain, h);
        VEC_PUSH(&a->m->arena, &chain, i);
        const fact_t *f = &a->holders[h].facts.v[i];
        h = f->parent_holder;
        i = f->parent_index;
    }
    const fact_t *f = &a->holders[holder].facts.v[index];
    mcap_t c = { .type = f->type, .restr = f->restr,
                 .obj = f->obj >= 0 ? a->md->objs.v[f->obj] : NULL };
    buf_printf(b, "%s obtains %s: ", obj_name(a, holder),
               model_cap_str(&a->m->arena, &c));
    for (size_t k = chain.n; k >= 2; k -= 2) {
        int32_t h = chain.v[k - 2], i = chain.v[k - 1];
        explain_step(a, b, h, &a->holders[h].facts.v[i]);
        buf_printf(b, "%s", k > 2 ? "; then " : "");
    }
}

/* ---- Search --------------------------------------------------------------- */

static void explain_edge(authority_t *a, const edge_t *e, buf_t *why)
{
    if (!derived(a, e))
        return;
    buf_printf(why, "%s", why->len ? "\n" : "");
    explain_fact(a, why, e->enable.holder, e->enable.index);
}

/* Print the path found by the search, process to process. */
static void print_path(authority_t *a, const int32_t *prev,
                       const int32_t *prev_edge, int32_t from, int32_t to,
                       buf_t *path, buf_t *why)
{
    VEC(int32_t) nodes = { 0 };
    for (int32_t y = to; y != from; y = prev[y])
        VEC_PUSH(&a->m->arena, &nodes, y);
    buf_printf(path, "%s", obj_name(a, from));
    bool open = false;
    for (size_t k = nodes.n; k > 0; k--) {
        int32_t y = nodes.v[k - 1];
        explain_edge(a, &a->flow[prev[y]].out.v[prev_edge[y]], why);
        if (!is_process_node(a, y)) {
            buf_printf(path, "%s%s", open ? "/" : " --", a->flow[y].label);
            open = true;
        } else {
            buf_printf(path, "%s--> %s", open ? "" : " ", obj_name(a, y));
            open = false;
        }
    }
}

/* Breadth-first by hops; among equal hops, the cheapest (edge_cost). */
static bool search(authority_t *a, int32_t from, int32_t to, buf_t *path,
                   buf_t *why)
{
    size_t n = a->nflow;
    int32_t *prev = arena_alloc(&a->m->arena, n * sizeof *prev);
    int32_t *prev_edge = arena_alloc(&a->m->arena, n * sizeof *prev_edge);
    int32_t *queue = arena_alloc(&a->m->arena, n * sizeof *queue);
    uint32_t *hops = arena_alloc(&a->m->arena, n * sizeof *hops);
    uint64_t *cost = arena_alloc(&a->m->arena, n * sizeof *cost);
    for (size_t i = 0; i < n; i++)
        prev[i] = -2;
    size_t head = 0, tail = 0;
    queue[tail++] = from;
    prev[from] = -1;
    while (head < tail) {
        int32_t x = queue[head++];
        for (size_t k = 0; k < a->flow[x].out.n; k++) {
            const edge_t *e = &a->flow[x].out.v[k];
            int32_t y = e->to;
            uint64_t c = cost[x] + edge_cost(a, e);
            if (prev[y] == -2) {
                queue[tail++] = y;
                hops[y] = hops[x] + 1;
            } else if (hops[y] != hops[x] + 1 || c >= cost[y]) {
                continue;
            }
            prev[y] = x;
            prev_edge[y] = (int32_t)k;
            cost[y] = c;
        }
    }
    if (prev[to] == -2)
        return false;
    print_path(a, prev, prev_edge, from, to, path, why);
    return true;
}

bool authority_reaches(authority_t *a, const mobj_t *from, const mobj_t *to,
                       const char **path, const char **why)
{
    buf_t p, w;
    buf_init(&p, &a->m->arena);
    buf_init(&w, &a->m->arena);
    bool found;
    if (from == to) {
        found = true;            /* the empty path: "it is the same process" */
    } else if (to->kind == OBJ_KIND_PROCESS) {
        found = search(a, (int32_t)from->id, (int32_t)to->id, &p, &w);
    } else {
        const fact_t *f = fact_find(a, (int32_t)from->id, (int32_t)to->id, -1,
                                    false, false);
        found = f != NULL;
        if (f) {
            mcap_t c = { .type = f->type, .restr = f->restr, .obj = (mobj_t *)to };
            buf_printf(&p, "%s holds %s", from->name,
                       model_cap_str(&a->m->arena, &c));
            if (f->why != WHY_GIVEN)
                explain_fact(a, &w, (int32_t)from->id,
                             (int32_t)(f - a->holders[from->id].facts.v));
        }
    }
    if (path)
        *path = buf_cstr(&p);
    if (why)
        *why = buf_cstr(&w);
    return found;
}

void authority_check(mki_t *m, const model_t *md, authority_t *a)
{
    for (size_t i = 0; i < md->asserts.n; i++) {
        const massert_t *as = &md->asserts.v[i];
        const char *path, *why;
        bool reaches = authority_reaches(a, as->from, as->to, &path, &why);
        if (as->positive && !reaches)
            mki_fail(m, as->loc, "assertion failed: %s cannot reach %s\n"
                     "no chain of capabilities lets %s pass information or "
                     "authority to %s; give it an entry to an endpoint that "
                     "%s receives on, or remove the assertion",
                     as->from->name, as->to->name, as->from->name,
                     as->to->name, as->to->name);
        if (!as->positive && reaches)
            mki_fail(m, as->loc, "assertion failed: %s can reach %s: %s\n"
                     "%s%sto cut this path, remove a capability on it or "
                     "restrict it (an entry with no_call cannot be replied "
                     "to; a read_only page cannot be written)",
                     as->from->name, as->to->name,
                     *path ? path : "it is the same process",
                     why, *why ? "\n" : "");
    }
}
