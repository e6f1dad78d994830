/*
 * The authority analysis, part two: the flow graph between processes,
 * the search for a path, the explanation of how each capability on a
 * path was obtained, and the assertion check.
 *
 * An edge A -> B means A can pass information to B, using capabilities
 * A and B may hold at some point (the closure of authority.c):
 *   entry(E)     A may send through an entry to E and B may receive on E;
 *   reply(E)     B may call through an entry to E without no_call and A
 *                may receive on E, so A can answer B;
 *   page/cappage/gpt(X)
 *                A may write X (no read_only or weak) and B may read it;
 *   signal(N)    A may signal N (not read_only) and B may wait on it;
 *   process(P)   A holds P's process capability: both directions, or
 *                only P -> A if the capability is read_only (state only);
 *   untyped/device/irq(X)
 *                A and B share X: a holder without read_only can change
 *                its state, which every holder can see.
 */
#include "authority_int.h"

#include <string.h>

#define MAX_EDGES (1u << 22)

static fref_t ref(const authority_t *a, int32_t holder, const fact_t *f)
{
    if (!f)
        return (fref_t){ -1, -1 };
    return (fref_t){ holder, (int32_t)(f - a->holders[holder].facts.v) };
}

/* An edge from -> to, made possible by facts f1 of h1 and f2 of h2 (the
 * second may be NULL). */
static void add_edge(authority_t *a, int32_t from, int32_t to,
                     const char *label, int32_t h1, const fact_t *f1,
                     int32_t h2, const fact_t *f2)
{
    if (from == to)
        return;
    if (++a->edges > MAX_EDGES)
        mki_fail(a->m, (loc_t){ 0 }, "the system is too large for the "
                 "authority analysis (more than %u flows)\nshare fewer "
                 "objects between processes", MAX_EDGES);
    edge_t e = { to, label, { ref(a, h1, f1), ref(a, h2, f2) } };
    VEC_PUSH(&a->m->arena, &a->flow[from].out, e);
}

static bool is_process(const authority_t *a, size_t i)
{
    return a->md->objs.v[i]->kind == OBJ_KIND_PROCESS;
}

static void endpoint_edges(authority_t *a, int32_t e, const char *name)
{
    size_t n = a->md->objs.n;
    const char *send = arena_printf(&a->m->arena, "entry(%s)", name);
    const char *reply = arena_printf(&a->m->arena, "reply(%s)", name);
    for (size_t r = 0; r < n; r++) {
        const fact_t *rf;
        if (!is_process(a, r) ||
            !(rf = fact_find(a, (int32_t)r, e, CAP_ENDPOINT, false, false)))
            continue;
        for (size_t s = 0; s < n; s++) {
            const fact_t *f;
            if (!is_process(a, s) ||
                !(f = fact_find(a, (int32_t)s, e, CAP_ENTRY, false, false)))
                continue;
            add_edge(a, (int32_t)s, (int32_t)r, send, (int32_t)s, f,
                     (int32_t)r, rf);
            if ((f = fact_find(a, (int32_t)s, e, CAP_ENTRY, false, true)))
                add_edge(a, (int32_t)r, (int32_t)s, reply, (int32_t)s, f,
                         (int32_t)r, rf);
        }
    }
}

/* Writers of object `x` to every other holder of it. */
static void shared_edges(authority_t *a, int32_t x, const char *label,
                         bool any_writes)
{
    size_t n = a->md->objs.n;
    for (size_t w = 0; w < n; w++) {
        const fact_t *f;
        if (!is_process(a, w) ||
            !(f = fact_find(a, (int32_t)w, x, -1, !any_writes, false)))
            continue;
        for (size_t h = 0; h < n; h++) {
            const fact_t *hf;
            if (is_process(a, h) &&
                (hf = fact_find(a, (int32_t)h, x, -1, false, false)))
                add_edge(a, (int32_t)w, (int32_t)h, label, (int32_t)w, f,
                         (int32_t)h, hf);
        }
    }
}

static void process_edges(authority_t *a, int32_t x, const char *label)
{
    for (size_t p = 0; p < a->md->objs.n; p++) {
        const fact_t *f;
        if (!is_process(a, p) ||
            !(f = fact_find(a, (int32_t)p, x, CAP_PROCESS, false, false)))
            continue;
        add_edge(a, x, (int32_t)p, label, (int32_t)p, f, -1, NULL);
        if ((f = fact_find(a, (int32_t)p, x, CAP_PROCESS, true, false)))
            add_edge(a, (int32_t)p, x, label, (int32_t)p, f, -1, NULL);
    }
}

/* An interrupt's holders influence whoever waits on what it signals. */
static void irq_signal_edges(authority_t *a, const mobj_t *irq,
                             const char *label)
{
    int32_t n = irq->signals.obj ? (int32_t)irq->signals.obj->id : -1;
    for (size_t h = 0; n >= 0 && h < a->md->objs.n; h++) {
        const fact_t *f;
        if (!is_process(a, h) ||
            !(f = fact_find(a, (int32_t)h, (int32_t)irq->id, -1, false, false)))
            continue;
        for (size_t w = 0; w < a->md->objs.n; w++) {
            const fact_t *wf;
            if (is_process(a, w) &&
                (wf = fact_find(a, (int32_t)w, n, -1, false, false)))
                add_edge(a, (int32_t)h, (int32_t)w, label, (int32_t)h, f,
                         (int32_t)w, wf);
        }
    }
}

static int derived_count(const authority_t *a, const edge_t *e)
{
    int n = 0;
    for (int k = 0; k < 2; k++)
        if (e->enable[k].holder >= 0 &&
            a->holders[e->enable[k].holder].facts.v[e->enable[k].index].why !=
                WHY_GIVEN)
            n++;
    return n;
}

/* Put each node's edges made of given capabilities first (stably), so
 * the search reports the most direct explanation of a path. */
static void prefer_given(authority_t *a, flow_node_t *node)
{
    size_t n = node->out.n, k = 0;
    edge_t *sorted = arena_alloc(&a->m->arena, (n + 1) * sizeof *sorted);
    for (int want = 0; want <= 2; want++)
        for (size_t i = 0; i < n; i++)
            if (derived_count(a, &node->out.v[i]) == want)
                sorted[k++] = node->out.v[i];
    for (size_t i = 0; i < n; i++)
        node->out.v[i] = sorted[i];
}

void flow_build(authority_t *a)
{
    const model_t *md = a->md;
    a->flow = arena_alloc(&a->m->arena, (md->objs.n + 1) * sizeof *a->flow);
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        const char *label = arena_printf(&a->m->arena, "%s(%s)",
            o->kind == OBJ_KIND_NOTIFICATION ? "signal" : obj_kind_name(o->kind),
            o->name);
        switch (o->kind) {
        case OBJ_KIND_ENDPOINT:
            endpoint_edges(a, (int32_t)i, o->name);
            break;
        case OBJ_KIND_PROCESS:
            process_edges(a, (int32_t)i, label);
            break;
        case OBJ_KIND_UNTYPED:
        case OBJ_KIND_DEVICE:
            shared_edges(a, (int32_t)i, label, false);
            break;
        case OBJ_KIND_IRQ:
            shared_edges(a, (int32_t)i, label, true);
            irq_signal_edges(a, o, label);
            break;
        default:
            shared_edges(a, (int32_t)i, label, false);
            break;
        }
    }
    for (size_t i = 0; i < md->objs.n; i++)
        prefer_given(a, &a->flow[i]);
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

static bool search(authority_t *a, int32_t from, int32_t to, buf_t *path,
                   buf_t *why)
{
    size_t n = a->md->objs.n;
    int32_t *prev = arena_alloc(&a->m->arena, n * sizeof *prev);
    int32_t *prev_edge = arena_alloc(&a->m->arena, n * sizeof *prev_edge);
    int32_t *queue = arena_alloc(&a->m->arena, n * sizeof *queue);
    for (size_t i = 0; i < n; i++)
        prev[i] = -2;
    size_t head = 0, tail = 0;
    queue[tail++] = from;
    prev[from] = -1;
    while (head < tail && prev[to] == -2) {
        int32_t x = queue[head++];
        for (size_t k = 0; k < a->flow[x].out.n; k++) {
            int32_t y = a->flow[x].out.v[k].to;
            if (prev[y] != -2)
                continue;
            prev[y] = x;
            prev_edge[y] = (int32_t)k;
            queue[tail++] = y;
        }
    }
    if (prev[to] == -2)
        return false;
    VEC(int32_t) hops = { 0 };
    for (int32_t y = to; y != from; y = prev[y])
        VEC_PUSH(&a->m->arena, &hops, y);
    buf_printf(path, "%s", obj_name(a, from));
    for (size_t k = hops.n; k > 0; k--) {
        int32_t y = hops.v[k - 1];
        const edge_t *e = &a->flow[prev[y]].out.v[prev_edge[y]];
        buf_printf(path, " --%s--> %s", e->label, obj_name(a, y));
        for (int k = 0; k < 2; k++) {
            fref_t r = e->enable[k];
            if (r.holder < 0 ||
                a->holders[r.holder].facts.v[r.index].why == WHY_GIVEN)
                continue;
            buf_printf(why, "%s", why->len ? "\n" : "");
            explain_fact(a, why, r.holder, r.index);
        }
    }
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
