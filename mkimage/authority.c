/*
 * The authority analysis (rules in docs/mkimage.md, "Authority
 * analysis"), part one: the closure of what every holder (a process, a
 * cappage or a gpt) could ever hold.
 *
 * It is an inclusion-constraint solver in the style of Andersen's
 * points-to analysis. A link src -> dst says "dst may obtain everything
 * src holds" (through a message, a reply, a shared cappage, a process
 * capability); links are created as facts reveal them, and each fact is
 * pushed along each link of its holder exactly once, from a FIFO
 * worklist. So the work is proportional to facts times links, not to
 * rounds times pairs, and facts are found in breadth-first order, which
 * keeps the explanations of failures short. Each derived fact remembers
 * the fact it was copied from.
 *
 * Termination: facts and links are only added, each (holder, type,
 * object, restrictions) and each link at most once, and both are capped
 * so a pathological system fails with a message instead of exhausting
 * memory.
 */
#include "authority_int.h"

#define MAX_FACTS (1u << 22)
#define MAX_LINKS (1u << 22)

enum { ROLE_SENDER, ROLE_CALLER, ROLE_RECEIVER };

static _Noreturn void too_large(authority_t *a, const char *what)
{
    mki_fail(a->m, a->md->asserts.n ? a->md->asserts.v[0].loc : (loc_t){ 0 },
             "the system is too large for the authority analysis (more than "
             "%u %s)\nsplit it, or share fewer capabilities and objects "
             "between processes", MAX_FACTS, what);
}

/* ---- Facts ----------------------------------------------------------------- */

static uint64_t fact_key(int32_t holder, const fact_t *f, unsigned restr)
{
    return ((uint64_t)(uint32_t)holder << 32) |
           ((uint64_t)(uint32_t)(f->obj + 1) << 10) |
           ((uint64_t)f->type << 5) | restr;
}

static uint64_t object_key(int32_t holder, int32_t obj)
{
    return ((uint64_t)(uint32_t)holder << 32) | (uint32_t)(obj + 1);
}

/*
 * Add a fact unless the holder already has the same capability with the
 * same or fewer restrictions (which gives at least as much authority).
 */
static void fact_add(authority_t *a, int32_t holder, fact_t f)
{
    unsigned s = f.restr;
    for (;;) {
        if (map_get(&a->facts, fact_key(holder, &f, s), NULL))
            return;
        if (s == 0)
            break;
        s = (s - 1) & f.restr;
    }
    if (a->facts.n >= MAX_FACTS)
        too_large(a, "derived capabilities");
    holder_t *h = &a->holders[holder];
    int32_t index = (int32_t)h->facts.n;
    VEC_PUSH(&a->m->arena, &h->facts, f);
    map_put(a, &a->facts, fact_key(holder, &f, f.restr), (uint32_t)index);
    uint32_t head;
    chain_t node = { index, -1 };
    if (map_get(&a->by_object, object_key(holder, f.obj), &head))
        node.next = (int32_t)head;
    VEC_PUSH(&a->m->arena, &a->chain, node);
    map_set(a, &a->by_object, object_key(holder, f.obj),
            (uint32_t)a->chain.n - 1);
    fref_t w = { holder, index };
    VEC_PUSH(&a->m->arena, &a->work, w);
}

const fact_t *fact_find(const authority_t *a, int32_t p, int32_t obj,
                        int type, bool writable, bool callable)
{
    uint32_t node;
    if (!map_get(&a->by_object, object_key(p, obj), &node))
        return NULL;
    for (int32_t n = (int32_t)node; n >= 0; n = a->chain.v[n].next) {
        const fact_t *f = &a->holders[p].facts.v[a->chain.v[n].fact];
        if ((type >= 0 && f->type != type) ||
            (writable && (f->restr & RESTR_READ_ONLY)) ||
            (callable && (f->restr & RESTR_NO_CALL)))
            continue;
        return f;
    }
    return NULL;
}

static bool is_memory(uint8_t type)
{
    return type == CAP_PAGE || type == CAP_CAPPAGE || type == CAP_GPT;
}

/*
 * What a capability becomes when read through a weak path
 * (docs/spec/capabilities.md, cap_weaken): a page gains read_only, a gpt
 * or cappage read_only and weak, null and discrim are unchanged, and any
 * other capability becomes Null. False: it becomes Null (nothing held).
 */
static bool weaken(fact_t *f)
{
    if (f->type == CAP_PAGE)
        f->restr |= RESTR_READ_ONLY;
    else if (is_memory(f->type))
        f->restr |= RESTR_READ_ONLY | RESTR_WEAK;
    else
        return f->type == CAP_NULL || f->type == CAP_DISCRIM;
    return true;
}

/* ---- Links -------------------------------------------------------------- */

static void propagate(authority_t *a, int32_t src, int32_t index,
                      const link_t *l)
{
    fact_t f = a->holders[src].facts.v[index];
    if (l->weak && !weaken(&f))
        return;
    f.why = l->why;
    f.via = l->via;
    f.parent_holder = src;
    f.parent_index = index;
    f.depth++;
    fact_add(a, l->dst, f);
}

/* From now on, dst obtains everything src holds (and holds already). */
static void link_add(authority_t *a, int32_t src, int32_t dst, why_t why,
                     int32_t via, bool weak)
{
    if (src == dst)
        return;
    uint64_t key = ((uint64_t)(uint32_t)src << 33) |
                   ((uint64_t)(uint32_t)dst << 1) | weak;
    if (!map_put(a, &a->links, key, 0))
        return;
    if (++a->total_links > MAX_LINKS)
        too_large(a, "transfers between holders");
    link_t l = { dst, why, via, weak };
    VEC_PUSH(&a->m->arena, &a->holders[src].links, l);
    for (size_t i = 0; i < a->holders[src].facts.n; i++)
        propagate(a, src, (int32_t)i, &l);
}

static bool role_add(authority_t *a, int32_t p, int32_t e, int role)
{
    uint64_t key = ((uint64_t)(uint32_t)p << 34) |
                   ((uint64_t)(uint32_t)e << 2) | (uint64_t)role;
    return map_put(a, &a->roles, key, 0);
}

/* p receives on e: every sender's capabilities reach p, and p can reply
 * to every caller. */
static void become_receiver(authority_t *a, int32_t p, int32_t e)
{
    endpoint_state_t *st = &a->endpoints[e];
    if (!role_add(a, p, e, ROLE_RECEIVER))
        return;
    VEC_PUSH(&a->m->arena, &st->receivers, p);
    for (size_t i = 0; i < st->senders.n; i++)
        link_add(a, st->senders.v[i], p, WHY_SENT, e, false);
    for (size_t i = 0; i < st->callers.n; i++)
        link_add(a, p, st->callers.v[i], WHY_REPLIED, e, false);
}

static void become_sender(authority_t *a, int32_t p, int32_t e, bool callable)
{
    endpoint_state_t *st = &a->endpoints[e];
    if (role_add(a, p, e, ROLE_SENDER)) {
        VEC_PUSH(&a->m->arena, &st->senders, p);
        for (size_t i = 0; i < st->receivers.n; i++)
            link_add(a, p, st->receivers.v[i], WHY_SENT, e, false);
    }
    if (callable && role_add(a, p, e, ROLE_CALLER)) {
        VEC_PUSH(&a->m->arena, &st->callers, p);
        for (size_t i = 0; i < st->receivers.n; i++)
            link_add(a, st->receivers.v[i], p, WHY_REPLIED, e, false);
    }
}

/* ---- Rules --------------------------------------------------------------- */

static fact_t made(uint8_t type, int32_t obj, why_t why, int32_t via)
{
    return (fact_t){ .type = type, .obj = obj, .why = why, .via = via,
                     .parent_holder = -1, .parent_index = -1,
                     .depth = why == WHY_GIVEN ? 0 : 1 };
}

/* What one fact of process p makes possible. */
static void apply_fact(authority_t *a, int32_t p, fact_t f)
{
    int32_t x = f.obj;
    bool ro = f.restr & (RESTR_READ_ONLY | RESTR_WEAK);
    switch (f.type) {
    case CAP_CAPPAGE:
    case CAP_GPT:
        if (f.type == CAP_GPT && (f.restr & RESTR_OPAQUE))
            return;
        link_add(a, x, p, WHY_READ, x, f.restr & RESTR_WEAK);
        if (!ro)
            link_add(a, p, x, WHY_STORED, x, false);
        return;
    case CAP_ENDPOINT:
        if (!ro)                                 /* read_only: no make_entry */
            fact_add(a, p, made(CAP_ENTRY, x, WHY_MINTED, x));
        become_receiver(a, p, x);
        return;
    case CAP_ENTRY:
        become_sender(a, p, x, !(f.restr & RESTR_NO_CALL));
        return;
    case CAP_PROCESS:
        if (ro)                                  /* read_only: state only */
            return;
        link_add(a, x, p, WHY_CONTROL, x, false);
        link_add(a, p, x, WHY_CONTROL, x, false);
        return;
    case CAP_IRQ_CONTROL:
        for (size_t i = 0; i < a->md->objs.n; i++)
            if (a->md->objs.v[i]->kind == OBJ_KIND_IRQ)
                fact_add(a, p, made(CAP_IRQ_HANDLER, (int32_t)i, WHY_IRQCTL, -1));
        return;
    default:
        return;
    }
}

static fact_t fact_from_cap(const mcap_t *c, loc_t loc)
{
    fact_t f = made(c->type, c->obj ? (int32_t)c->obj->id : -1, WHY_GIVEN, -1);
    f.restr = c->restr;
    f.loc = loc;
    return f;
}

static void add_given(authority_t *a)
{
    const model_t *md = a->md;
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        for (size_t j = 0; j < o->slots.n; j++)
            fact_add(a, (int32_t)i, fact_from_cap(&o->slots.v[j].cap,
                                                  o->slots.v[j].loc));
        if (o->kind == OBJ_KIND_PROCESS && o->has_keeper)
            fact_add(a, (int32_t)i, fact_from_cap(&o->keeper, o->keeper.loc));
        for (size_t j = 0; j < o->maps.n; j++)
            fact_add(a, (int32_t)i, fact_from_cap(&o->maps.v[j].cap,
                                                  o->maps.v[j].loc));
    }
}

authority_t *authority_analyse(mki_t *m, const model_t *md)
{
    authority_t *a = arena_alloc(&m->arena, sizeof *a);
    size_t n = md->objs.n + 1;
    a->m = m;
    a->md = md;
    a->holders = arena_alloc(&m->arena, n * sizeof *a->holders);
    a->endpoints = arena_alloc(&m->arena, n * sizeof *a->endpoints);
    add_given(a);
    while (a->work_head < a->work.n) {
        fref_t w = a->work.v[a->work_head++];
        if (md->objs.v[w.holder]->kind == OBJ_KIND_PROCESS)
            apply_fact(a, w.holder, a->holders[w.holder].facts.v[w.index]);
        for (size_t k = 0; k < a->holders[w.holder].links.n; k++) {
            link_t l = a->holders[w.holder].links.v[k];
            propagate(a, w.holder, w.index, &l);
        }
    }
    flow_build(a);
    return a;
}
