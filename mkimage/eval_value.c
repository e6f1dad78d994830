/*
 * The evaluator, part two: names, expressions and capabilities.
 *
 * Numbers are unsigned 64-bit; every operation that would overflow,
 * divide by zero or shift too far is an error rather than a silent wrap,
 * because a wrapped address or size would build a wrong image.
 */
#include "eval_int.h"

#include <string.h>

/* ---- Names ---------------------------------------------------------------- */

static const char *ent_word(ent_kind_t k)
{
    static const char *const words[] = {
        [ENT_CONST] = "constant", [ENT_PARAM] = "parameter",
        [ENT_DEF] = "definition", [ENT_INSTANCE] = "instance",
        [ENT_MODULE] = "module", [ENT_OBJECT] = "object",
    };
    return words[k];
}

static _Noreturn void unknown_name(eval_t *e, scope_t *s, const char *name,
                                   loc_t loc, bool members)
{
    VEC(const char *) cands = { 0 };
    for (scope_t *sc = s; sc; sc = members ? NULL : sc->parent)
        for (size_t i = 0; i < sc->ents.n; i++)
            VEC_PUSH(&e->m->arena, &cands, sc->ents.v[i]->name);
    if (!members)
        for (int k = 1; k < KW_COUNT; k++)
            VEC_PUSH(&e->m->arena, &cands, keyword_name((keyword_t)k));
    const char *near = suggest_nearest(name, cands.v, cands.n);
    if (near)
        mki_fail(e->m, loc, "unknown name '%s'\ndid you mean '%s'?", name,
                 near);
    mki_fail(e->m, loc, "unknown name '%s'\ndeclare it (for example "
             "'endpoint %s;' or 'const %s = 1;'), or import the module that "
             "declares it", name, name, name);
}

entity_t *eval_resolve(eval_t *e, scope_t *s, const path_t *p)
{
    entity_t *ent = NULL;
    for (scope_t *sc = s; sc && !ent; sc = sc->parent)
        ent = scope_find(sc, p->parts[0]);
    if (!ent)
        unknown_name(e, s, p->parts[0], p->locs[0], false);
    for (size_t i = 1; i < p->n; i++) {
        if (ent->kind != ENT_INSTANCE && ent->kind != ENT_MODULE)
            mki_fail(e->m, p->locs[i], "'%s' is a %s and has no members\n"
                     "only instances and imported modules have members; "
                     "write '%s' alone", p->parts[i - 1], ent_word(ent->kind),
                     p->parts[i - 1]);
        if (!ent->members)
            mki_fail(e->m, p->locs[i - 1], "instance '%s' is used before it "
                     "is made\ndefinitions are named directly, not through "
                     "instances", p->parts[i - 1]);
        entity_t *m = scope_find(ent->members, p->parts[i]);
        if (!m) {
            const char *prefix = path_str(&e->m->arena, &(path_t){ p->parts,
                                          p->locs, i });
            VEC(const char *) cands = { 0 };
            for (size_t j = 0; j < ent->members->ents.n; j++)
                VEC_PUSH(&e->m->arena, &cands, ent->members->ents.v[j]->name);
            const char *near = suggest_nearest(p->parts[i], cands.v, cands.n);
            mki_fail(e->m, p->locs[i], "%s '%s' has no member '%s'\n%s%s%s",
                     ent_word(ent->kind), prefix, p->parts[i],
                     near ? "did you mean '" : "check the name declared in ",
                     near ? near : prefix, near ? "'?" : "");
        }
        ent = m;
    }
    return ent;
}

static const char *lazy_chain(eval_t *e, const entity_t *again)
{
    buf_t b;
    buf_init(&b, &e->m->arena);
    size_t i = 0;
    while (i < e->forcing.n && e->forcing.v[i] != again)
        i++;
    for (; i < e->forcing.n; i++)
        buf_printf(&b, "%s -> ", e->forcing.v[i]->name);
    buf_printf(&b, "%s", again->name);
    return buf_cstr(&b);
}

value_t eval_entity(eval_t *e, entity_t *ent, loc_t use)
{
    switch (ent->kind) {
    case ENT_CONST:
    case ENT_PARAM:
        if (ent->state == LAZY_DONE)
            return ent->value;
        if (ent->state == LAZY_BUSY)
            mki_fail(e->m, use, "'%s' is defined in terms of itself (%s)\n"
                     "give one of these a value that does not refer back",
                     ent->name, lazy_chain(e, ent));
        if (e->forcing.n >= 4 * MKI_DEPTH_MAX)
            mki_fail(e->m, use, "constants refer to each other more than %d "
                     "deep\nshorten the chain", 4 * MKI_DEPTH_MAX);
        ent->state = LAZY_BUSY;
        VEC_PUSH(&e->m->arena, &e->forcing, ent);
        /* A constant means the same wherever it is used: 'self' inside
         * it belongs to no process. */
        mobj_t *saved = e->current_process;
        e->current_process = NULL;
        ent->value = eval_expr(e, ent->expr_scope, ent->expr);
        e->current_process = saved;
        e->forcing.n--;
        ent->state = LAZY_DONE;
        return ent->value;
    case ENT_OBJECT:
        return (value_t){ .kind = VAL_OBJECT, .obj = ent->obj };
    default:
        mki_fail(e->m, use, "'%s' is a %s, not a value\n%s", ent->name,
                 ent_word(ent->kind),
                 ent->kind == ENT_DEF ? "make an instance of it: 'instance "
                 "NAME = DEF(ARGS);' and use NAME.MEMBER"
                 : "name one of its members: NAME.MEMBER");
    }
}

/* ---- Values ----------------------------------------------------------------- */

const char *value_describe(eval_t *e, const value_t *v)
{
    switch (v->kind) {
    case VAL_INT:
        return arena_printf(&e->m->arena, "the number %llu",
                            (unsigned long long)v->num);
    case VAL_STRING:
        return arena_printf(&e->m->arena, "the string \"%s\"", v->str);
    case VAL_OBJECT:
        return arena_printf(&e->m->arena, "the %s '%s'",
                            obj_kind_name(v->obj->kind), v->obj->name);
    default:
        return arena_printf(&e->m->arena, "the capability %s",
                            model_cap_str(&e->m->arena, &v->cap));
    }
}

static uint64_t want_int(eval_t *e, value_t v, loc_t loc, const char *what)
{
    if (v.kind != VAL_INT)
        mki_fail(e->m, loc, "%s must be a number, found %s\nwrite a number "
                 "or the name of a constant", what, value_describe(e, &v));
    return v.num;
}

uint64_t eval_int(eval_t *e, scope_t *s, const expr_t *x, const char *what)
{
    return want_int(e, eval_expr(e, s, x), x->loc, what);
}

static uint64_t binary(eval_t *e, const expr_t *x, uint64_t a, uint64_t b)
{
    switch (x->op) {
    case TOK_PLUS:
        if (a + b < a)
            goto overflow;
        return a + b;
    case TOK_MINUS:
        if (b > a)
            mki_fail(e->m, x->loc, "subtraction goes below zero (%llu - "
                     "%llu)\nvalues are unsigned; reorder the operands",
                     (unsigned long long)a, (unsigned long long)b);
        return a - b;
    case TOK_STAR:
        if (a && b > UINT64_MAX / a)
            goto overflow;
        return a * b;
    case TOK_SLASH:
    case TOK_PERCENT:
        if (b == 0)
            mki_fail(e->m, x->loc, "division by zero\nthe right-hand side "
                     "must not be 0");
        return x->op == TOK_SLASH ? a / b : a % b;
    case TOK_SHL:
        if (b >= 64 || (a && (a >> (63 - b)) >> 1))
            goto overflow;
        return a << b;
    case TOK_SHR:
        return b >= 64 ? 0 : a >> b;
    case TOK_AMP:   return a & b;
    case TOK_PIPE:  return a | b;
    case TOK_CARET: return a ^ b;
    default:        break;
    }
    mki_fail(e->m, x->loc, "unknown operator\nuse + - * / %% << >> & | ^");
overflow:
    mki_fail(e->m, x->loc, "arithmetic overflows 64 bits\nuse smaller "
             "values; the largest is 0xffff_ffff_ffff_ffff");
}

static uint64_t unit_scale(eval_t *e, const expr_t *x, uint64_t v)
{
    unsigned shift = x->kw == KW_KIB ? 10 : x->kw == KW_MIB ? 20 : 30;
    if (v > (UINT64_MAX >> shift))
        mki_fail(e->m, x->loc, "size overflows 64 bits\nuse a smaller number "
                 "of %s", keyword_name(x->kw));
    return v << shift;
}

/* ---- Capabilities ---------------------------------------------------------- */

/* "an entry", "a page" */
static const char *with_article(eval_t *e, const char *noun)
{
    bool vowel = noun[0] && strchr("aeiou", noun[0]);
    return arena_printf(&e->m->arena, "%s %s", vowel ? "an" : "a", noun);
}

/*
 * The restrictions that mean something on each capability type
 * (docs/spec/capabilities.md, and for entries and notifications the two
 * meanings docs/mkimage.md asks of the IPC issue). Writing one that
 * means nothing is refused, so a reviewer never reads a restriction that
 * protects nothing.
 */
static unsigned allowed_restr(cap_type_t t)
{
    switch (t) {
    case CAP_UNTYPED:      return RESTR_READ_ONLY | RESTR_WEAK;
    case CAP_PAGE:         return RESTR_READ_ONLY | RESTR_WEAK | RESTR_NO_EXECUTE |
                                  RESTR_NO_CALL;
    case CAP_CAPPAGE:      return RESTR_READ_ONLY | RESTR_WEAK | RESTR_NO_CALL;
    case CAP_GPT:          return CAIRN_RESTR_ALL;
    case CAP_ENDPOINT:     return RESTR_READ_ONLY;
    case CAP_PROCESS:      return RESTR_READ_ONLY;
    case CAP_ENTRY:        return RESTR_NO_CALL;
    case CAP_NOTIFICATION: return RESTR_READ_ONLY;
    default:               return 0;
    }
}

static unsigned restr_bit(keyword_t kw)
{
    switch (kw) {
    case KW_READ_ONLY:  return RESTR_READ_ONLY;
    case KW_WEAK:       return RESTR_WEAK | RESTR_READ_ONLY;
    case KW_NO_EXECUTE: return RESTR_NO_EXECUTE;
    case KW_OPAQUE:     return RESTR_OPAQUE;
    default:            return RESTR_NO_CALL;
    }
}

static mcap_t restrict_cap(eval_t *e, mcap_t c, const expr_t *x)
{
    unsigned bit = restr_bit(x->kw), ok = allowed_restr((cap_type_t)c.type);
    if ((bit & ~ok) == 0) {
        c.restr |= (uint8_t)bit;
        return c;
    }
    const char *hint =
        c.type == CAP_ENDPOINT ? "an endpoint capability takes only "
            "read_only; to give send-only authority write "
            "'entry(NAME) no_call'"
        : ok ? arena_printf(&e->m->arena, "%s capability takes: %s",
                            with_article(e, cap_type_name((cap_type_t)c.type)),
                            restr_str(&e->m->arena, ok))
        : arena_printf(&e->m->arena, "%s capability takes no restriction; "
                       "remove '%s'",
                       with_article(e, cap_type_name((cap_type_t)c.type)),
                       keyword_name(x->kw));
    mki_fail(e->m, x->loc, "'%s' has no meaning on %s\n%s",
             keyword_name(x->kw), model_cap_str(&e->m->arena, &c), hint);
}

mcap_t value_to_cap(eval_t *e, value_t v, loc_t loc, const char *what)
{
    if (v.kind == VAL_CAP)
        return v.cap;
    if (v.kind != VAL_OBJECT)
        mki_fail(e->m, loc, "%s must be a capability, found %s\nwrite an "
                 "object's name, or a capability such as entry(NAME)", what,
                 value_describe(e, &v));
    mobj_t *o = v.obj;
    mcap_t c = { .type = (uint8_t)model_default_cap(o->kind), .obj = o,
                 .loc = loc };
    if (o->kind == OBJ_KIND_PAGE || o->kind == OBJ_KIND_CAPPAGE)
        c.l2g = CAIRN_PAGE_BITS;
    return c;
}

mcap_t eval_cap(eval_t *e, scope_t *s, const expr_t *x, const char *what)
{
    mcap_t c = value_to_cap(e, eval_expr(e, s, x), x->loc, what);
    c.loc = x->loc;
    return c;
}

value_t eval_expr(eval_t *e, scope_t *s, const expr_t *x)
{
    value_t v = { .kind = VAL_INT };
    switch (x->kind) {
    case EX_INT:
        v.num = x->num;
        return v;
    case EX_STRING:
        return (value_t){ .kind = VAL_STRING, .str = x->str };
    case EX_NAME: {
        entity_t *ent = eval_resolve(e, s, &x->path);
        return eval_entity(e, ent, x->loc);
    }
    case EX_BINARY: {
        uint64_t a = eval_int(e, s, x->lhs, "an operand");
        uint64_t b = eval_int(e, s, x->rhs, "an operand");
        v.num = binary(e, x, a, b);
        return v;
    }
    case EX_NOT:
        v.num = ~eval_int(e, s, x->lhs, "the operand of '~'");
        return v;
    case EX_UNIT:
        v.num = unit_scale(e, x, eval_int(e, s, x->lhs, "a size"));
        return v;
    case EX_RESTRICT:
        v.kind = VAL_CAP;
        v.cap = restrict_cap(e, eval_cap(e, s, x->lhs, "a restricted value"),
                             x);
        return v;
    case EX_BUILTIN:
    case EX_CALL:
        v.kind = VAL_CAP;
        v.cap = eval_call(e, s, x);
        v.cap.loc = x->loc;
        return v;
    }
    return v;
}
