/*
 * The authority analysis (rules in docs/mkimage.md, "Authority
 * analysis").
 *
 * Part one computes, for every holder (a process, a cappage or a gpt),
 * every capability it could ever hold: a fixpoint over the transfer
 * rules, each derived fact remembering the fact it was copied from so a
 * failure can be explained. It runs in rounds, and a round's rules see
 * only the facts of earlier rounds, so every fact is found first by a
 * shortest derivation and the explanations are the most direct ones. Part two (authority_flow.c) turns the final
 * holdings into a flow graph between processes and searches it.
 *
 * Termination: facts are only added, each (holder, type, object,
 * restrictions) at most once, and there are finitely many of them; the
 * total is also capped so a pathological system fails with a message
 * rather than exhausting memory.
 */
#include "authority_int.h"

#include <string.h>

#define MAX_FACTS (1u << 22)

/* ---- The fact set ------------------------------------------------------ */

static uint64_t fact_key(int32_t holder, const fact_t *f, unsigned restr)
{
    return ((uint64_t)(uint32_t)holder << 32) |
           ((uint64_t)(uint32_t)(f->obj + 1) << 10) |
           ((uint64_t)f->type << 5) | restr;
}

static size_t set_slot(const authority_t *a, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    size_t i = (size_t)(h >> 20) & (a->set_cap - 1);
    while (a->set[i] && a->set[i] != key + 1)
        i = (i + 1) & (a->set_cap - 1);
    return i;
}

static bool set_has(const authority_t *a, uint64_t key)
{
    return a->set[set_slot(a, key)] != 0;
}

static void set_grow(authority_t *a)
{
    uint64_t *old = a->set;
    size_t old_cap = a->set_cap;
    a->set_cap = old_cap ? old_cap * 2 : 1024;
    a->set = arena_alloc(&a->m->arena, a->set_cap * sizeof *a->set);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            a->set[set_slot(a, old[i] - 1)] = old[i];
}

/*
 * Add a fact unless the holder already has the same capability with the
 * same or fewer restrictions (which gives at least as much authority).
 */
bool fact_add(authority_t *a, int32_t holder, fact_t f)
{
    unsigned s = f.restr;
    for (;;) {
        if (a->set_cap && set_has(a, fact_key(holder, &f, s)))
            return false;
        if (s == 0)
            break;
        s = (s - 1) & f.restr;
    }
    if (a->total >= MAX_FACTS)
        mki_fail(a->m, a->md->asserts.n ? a->md->asserts.v[0].loc
                                        : (loc_t){ 0 },
                 "the system is too large for the authority analysis (more "
                 "than %u derived capabilities)\nsplit it, or share fewer "
                 "capabilities between processes", MAX_FACTS);
    if (2 * (a->set_n + 1) > a->set_cap)
        set_grow(a);
    a->set[set_slot(a, fact_key(holder, &f, f.restr))] =
        fact_key(holder, &f, f.restr) + 1;
    a->set_n++;
    a->total++;
    VEC_PUSH(&a->m->arena, &a->holders[holder].facts, f);
    a->changed = true;
    return true;
}

static fact_t fact_from_cap(const mcap_t *c, loc_t loc)
{
    return (fact_t){ .type = c->type, .restr = c->restr,
                     .obj = c->obj ? (int32_t)c->obj->id : -1,
                     .why = WHY_GIVEN, .parent_holder = -1,
                     .parent_index = -1, .via = -1, .loc = loc };
}

size_t fact_count(const authority_t *a, int32_t h)
{
    return a->limit ? a->limit[h] : a->holders[h].facts.n;
}

/* ---- The transfer rules ------------------------------------------------ */

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

/* Copy every fact of `src` into `dst`, recording how. */
static void copy_all(authority_t *a, int32_t dst, int32_t src, why_t why,
                     int32_t via, bool weak)
{
    if (dst == src)
        return;
    for (size_t i = 0; i < fact_count(a, src); i++) {
        fact_t f = a->holders[src].facts.v[i];
        if (weak && !weaken(&f))
            continue;
        f.why = why;
        f.via = via;
        f.parent_holder = src;
        f.parent_index = (int32_t)i;
        fact_add(a, dst, f);
    }
}

/* Rules that one fact of process `p` triggers on its own. */
static void apply_fact(authority_t *a, int32_t p, const fact_t *f)
{
    int32_t x = f->obj;
    switch (f->type) {
    case CAP_CAPPAGE:
    case CAP_GPT:
        if (f->type == CAP_GPT && (f->restr & RESTR_OPAQUE))
            return;
        copy_all(a, p, x, WHY_READ, x, f->restr & RESTR_WEAK);
        if (!(f->restr & (RESTR_READ_ONLY | RESTR_WEAK)))
            copy_all(a, x, p, WHY_STORED, x, false);
        return;
    case CAP_ENDPOINT:
        if (f->restr & RESTR_READ_ONLY)      /* read_only: no make_entry */
            return;
        fact_add(a, p, (fact_t){ .type = CAP_ENTRY, .obj = x, .why = WHY_MINTED,
                                 .via = x, .parent_holder = -1,
                                 .parent_index = -1 });
        return;
    case CAP_PROCESS:
        if (f->restr & RESTR_READ_ONLY)      /* read_only: state only */
            return;
        copy_all(a, p, x, WHY_CONTROL, x, false);
        copy_all(a, x, p, WHY_CONTROL, x, false);
        return;
    case CAP_IRQ_CONTROL:
        for (size_t i = 0; i < a->md->objs.n; i++)
            if (a->md->objs.v[i]->kind == OBJ_KIND_IRQ)
                fact_add(a, p, (fact_t){ .type = CAP_IRQ_HANDLER,
                                         .obj = (int32_t)i, .why = WHY_IRQCTL,
                                         .via = -1, .parent_holder = -1,
                                         .parent_index = -1 });
        return;
    default:
        return;
    }
}

/* A fact of `p` naming endpoint `e` with type `type`, or NULL. With
 * callable, only an entry without no_call counts. */
const fact_t *fact_find(const authority_t *a, int32_t p, int32_t obj,
                        int type, bool writable, bool callable)
{
    const holder_t *h = &a->holders[p];
    for (size_t i = 0; i < fact_count(a, p); i++) {
        const fact_t *f = &h->facts.v[i];
        if (f->obj != obj || (type >= 0 && f->type != type))
            continue;
        if (writable && (f->restr & RESTR_READ_ONLY))
            continue;
        if (callable && (f->restr & RESTR_NO_CALL))
            continue;
        return f;
    }
    return NULL;
}

/* IPC through each endpoint: senders pass capabilities to receivers, and
 * receivers reply to callers. */
static void apply_endpoints(authority_t *a)
{
    const model_t *md = a->md;
    for (size_t e = 0; e < md->objs.n; e++) {
        if (md->objs.v[e]->kind != OBJ_KIND_ENDPOINT)
            continue;
        for (size_t r = 0; r < md->objs.n; r++) {
            if (md->objs.v[r]->kind != OBJ_KIND_PROCESS ||
                !fact_find(a, (int32_t)r, (int32_t)e, CAP_ENDPOINT, false, false))
                continue;
            for (size_t s = 0; s < md->objs.n; s++) {
                if (md->objs.v[s]->kind != OBJ_KIND_PROCESS || s == r ||
                    !fact_find(a, (int32_t)s, (int32_t)e, CAP_ENTRY, false, false))
                    continue;
                copy_all(a, (int32_t)r, (int32_t)s, WHY_SENT, (int32_t)e, false);
                if (fact_find(a, (int32_t)s, (int32_t)e, CAP_ENTRY, false, true))
                    copy_all(a, (int32_t)s, (int32_t)r, WHY_REPLIED,
                             (int32_t)e, false);
            }
        }
    }
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
    a->m = m;
    a->md = md;
    a->holders = arena_alloc(&m->arena, (md->objs.n + 1) * sizeof *a->holders);
    add_given(a);
    a->limit = arena_alloc(&m->arena, (md->objs.n + 1) * sizeof *a->limit);
    do {
        a->changed = false;
        for (size_t h = 0; h < md->objs.n; h++)
            a->limit[h] = a->holders[h].facts.n;
        for (size_t p = 0; p < md->objs.n; p++) {
            if (md->objs.v[p]->kind != OBJ_KIND_PROCESS)
                continue;
            for (size_t i = 0; i < a->limit[p]; i++) {
                fact_t f = a->holders[p].facts.v[i];
                apply_fact(a, (int32_t)p, &f);
            }
        }
        apply_endpoints(a);
    } while (a->changed);
    a->limit = NULL;
    flow_build(a);
    return a;
}
