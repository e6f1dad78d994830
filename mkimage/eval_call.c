/*
 * The evaluator, part three: the built-in capabilities (log, discrim,
 * irq_control, null, ram, self) and the capability functions entry(), signal(),
 * schedule() and guard().
 */
#include "eval_int.h"

static void check_arity(eval_t *e, const expr_t *x, size_t min, size_t max,
                        const char *usage)
{
    if (x->nargs < min || x->nargs > max)
        mki_fail(e->m, x->loc, "%s() takes %zu%s argument%s, %zu given\n"
                 "write %s", keyword_name(x->kw), min,
                 max > min ? " or more" : "", max == 1 ? "" : "s", x->nargs,
                 usage);
}

/* The object an argument names, which must be of kind `k`. */
static mobj_t *want_object(eval_t *e, scope_t *s, const expr_t *arg,
                           obj_kind_t k, const char *usage)
{
    value_t v = eval_expr(e, s, arg);
    if (v.kind == VAL_OBJECT && v.obj->kind == k)
        return v.obj;
    if (v.kind == VAL_CAP && v.cap.obj && v.cap.obj->kind == k &&
        v.cap.type == model_default_cap(k))
        return v.cap.obj;
    mki_fail(e->m, arg->loc, "expected %s %s, found %s\nwrite %s",
             k == OBJ_KIND_ENDPOINT ? "an" : "a", obj_kind_name(k),
             value_describe(e, &v), usage);
}

static uint32_t want_u32(eval_t *e, scope_t *s, const expr_t *arg,
                         const char *what)
{
    uint64_t v = eval_int(e, s, arg, what);
    if (v > UINT32_MAX)
        mki_fail(e->m, arg->loc, "%s is 0x%llx; it must fit in 32 bits\n"
                 "use a value up to 0xffff_ffff", what,
                 (unsigned long long)v);
    return (uint32_t)v;
}

static mcap_t ram_cap(eval_t *e, loc_t loc)
{
    model_t *md = e->model;
    if (!md->ram) {
        md->ram = eval_new_object(e, OBJ_KIND_CAPPAGE, "ram", loc);
        md->ram->ram = true;
    }
    return (mcap_t){ .type = CAP_CAPPAGE, .obj = md->ram,
                     .l2g = CAIRN_PAGE_BITS, .loc = loc };
}

static mcap_t call_guard(eval_t *e, scope_t *s, const expr_t *x)
{
    static const char usage[] = "guard(CAP, GUARD, L2G), e.g. guard(g, 0, 20)";
    check_arity(e, x, 3, 3, usage);
    mcap_t c = eval_cap(e, s, x->args[0], "the first argument of guard()");
    if (c.type != CAP_PAGE && c.type != CAP_CAPPAGE && c.type != CAP_GPT)
        mki_fail(e->m, x->args[0]->loc, "guard() applies to page, cappage "
                 "and gpt capabilities, not to %s\nremove the guard",
                 model_cap_str(&e->m->arena, &c));
    uint32_t guard = want_u32(e, s, x->args[1], "the guard");
    uint64_t l2g = eval_int(e, s, x->args[2], "l2g");
    if (l2g < CAIRN_PAGE_BITS || l2g > 64)
        mki_fail(e->m, x->args[2]->loc, "l2g is %llu; it must be between %u "
                 "and 64\nl2g is log2 of the span the capability covers",
                 (unsigned long long)l2g, CAIRN_PAGE_BITS);
    if (l2g > 32 && l2g < 64 && (uint64_t)guard >> (64 - l2g))
        mki_fail(e->m, x->args[1]->loc, "guard 0x%x has bits above address "
                 "bit 63 when shifted by l2g %llu\nuse a guard below 0x%llx",
                 guard, (unsigned long long)l2g,
                 (unsigned long long)(1ull << (64 - l2g)));
    if (l2g == 64 && guard)
        mki_fail(e->m, x->args[1]->loc, "a capability spanning the whole "
                 "address space (l2g 64) has no guard\nwrite guard 0");
    c.l2g = (uint8_t)l2g;
    c.payload = guard;
    return c;
}

static mcap_t call_function(eval_t *e, scope_t *s, const expr_t *x)
{
    mcap_t c = { .loc = x->loc };
    switch (x->kw) {
    case KW_ENTRY:
        check_arity(e, x, 1, 2, "entry(ENDPOINT) or entry(ENDPOINT, PAYLOAD)");
        c.type = CAP_ENTRY;
        c.obj = want_object(e, s, x->args[0], OBJ_KIND_ENDPOINT,
                            "the name of an endpoint, e.g. entry(pipe, 1)");
        if (x->nargs == 2)
            c.payload = want_u32(e, s, x->args[1], "the payload");
        return c;
    case KW_SIGNAL:
        check_arity(e, x, 1, 2, "signal(NOTIFICATION) or "
                    "signal(NOTIFICATION, BITS)");
        c.type = CAP_NOTIFICATION;
        c.obj = want_object(e, s, x->args[0], OBJ_KIND_NOTIFICATION,
                            "the name of a notification, e.g. signal(n, 1)");
        if (x->nargs == 2)
            c.payload = want_u32(e, s, x->args[1], "the signal bits");
        return c;
    case KW_SCHEDULE: {
        check_arity(e, x, 1, 1, "schedule(HIGHEST_PRIORITY)");
        c.type = CAP_SCHEDULE;
        c.payload = want_u32(e, s, x->args[0], "the priority bound");
        if (c.payload > CAIRN_PRIO_MAX)
            mki_fail(e->m, x->args[0]->loc, "priority %u is above the "
                     "kernel's highest, %u\nuse at most %u", c.payload,
                     CAIRN_PRIO_MAX, CAIRN_PRIO_MAX);
        return c;
    }
    default:
        return call_guard(e, s, x);
    }
}

mcap_t eval_call(eval_t *e, scope_t *s, const expr_t *x)
{
    if (x->kind == EX_CALL)
        return call_function(e, s, x);
    switch (x->kw) {
    case KW_LOG:         return (mcap_t){ .type = CAP_LOG };
    case KW_DISCRIM:     return (mcap_t){ .type = CAP_DISCRIM };
    case KW_IRQ_CONTROL: return (mcap_t){ .type = CAP_IRQ_CONTROL };
    case KW_RAM:         return ram_cap(e, x->loc);
    case KW_SELF:
        if (!e->current_process)
            mki_fail(e->m, x->loc, "'self' is only meaningful in a process\n"
                     "use it in a process's caps block: 'caps { me = self; }'");
        return (mcap_t){ .type = CAP_PROCESS, .obj = e->current_process };
    default:             return (mcap_t){ .type = CAP_NULL };
    }
}
