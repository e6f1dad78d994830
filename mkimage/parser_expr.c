/*
 * The .mki parser, part one: token helpers, names and expressions.
 * Errors point at the offending token, or just past the previous token
 * when something is missing there (a forgotten ';' is reported at the
 * end of the line it belongs to, not at the start of the next one).
 */
#include "parser_int.h"

#include <string.h>

static const char *const obj_words[OBJ_KIND_COUNT] = {
    [OBJ_KIND_ENDPOINT] = "endpoint", [OBJ_KIND_NOTIFICATION] = "notification",
    [OBJ_KIND_PAGE] = "page", [OBJ_KIND_CAPPAGE] = "cappage",
    [OBJ_KIND_GPT] = "gpt", [OBJ_KIND_UNTYPED] = "untyped",
    [OBJ_KIND_DEVICE] = "device", [OBJ_KIND_IRQ] = "irq",
    [OBJ_KIND_PROCESS] = "process",
};

const char *obj_kind_name(obj_kind_t k)
{
    return k < OBJ_KIND_COUNT ? obj_words[k] : "?";
}

const char *path_str(arena_t *a, const path_t *p)
{
    buf_t b;
    buf_init(&b, a);
    for (size_t i = 0; i < p->n; i++)
        buf_printf(&b, "%s%s", i ? "." : "", p->parts[i]);
    return buf_cstr(&b);
}

token_t *parser_peek(parser_t *p)
{
    return &p->t[p->i];
}

token_t *parser_peek2(parser_t *p)
{
    return &p->t[p->i + 1 < p->n ? p->i + 1 : p->i];
}

token_t *parser_next(parser_t *p)
{
    token_t *t = &p->t[p->i];
    if (t->kind != TOK_EOF)
        p->i++;
    return t;
}

bool parser_at(parser_t *p, tok_kind_t k)
{
    return parser_peek(p)->kind == k;
}

/* Is the next token the (unreserved) word `w`? */
bool parser_at_word(parser_t *p, const char *w)
{
    token_t *t = parser_peek(p);
    return t->kind == TOK_IDENT && t->kw == KW_NONE && strcmp(t->text, w) == 0;
}

const char *parser_describe(parser_t *p, const token_t *t)
{
    switch (t->kind) {
    case TOK_IDENT:  return arena_printf(&p->m->arena, "'%s'", t->text);
    case TOK_INT:    return arena_printf(&p->m->arena, "the number %llu",
                                         (unsigned long long)t->num);
    case TOK_STRING: return "a string";
    default:         return tok_kind_name(t->kind);
    }
}

/* Where a missing token belongs: just past the previous token. */
loc_t parser_missing_loc(parser_t *p)
{
    return p->i ? p->t[p->i - 1].end : parser_peek(p)->loc;
}

token_t *parser_expect(parser_t *p, tok_kind_t k, const char *context)
{
    token_t *t = parser_peek(p);
    if (t->kind == k)
        return parser_next(p);
    bool closing = k == TOK_SEMI || k == TOK_RPAREN || k == TOK_RBRACE;
    mki_fail(p->m, closing ? parser_missing_loc(p) : t->loc,
             "expected %s %s, found %s\nwrite %s here", tok_kind_name(k),
             context, parser_describe(p, t), tok_kind_name(k));
}

void parser_expect_word(parser_t *p, const char *w, const char *context)
{
    if (!parser_at_word(p, w))
        mki_fail(p->m, parser_peek(p)->loc, "expected '%s' %s, found %s\n"
                 "write '%s' here", w, context, parser_describe(p, parser_peek(p)), w);
    parser_next(p);
}

/* A name being declared. Reserved words are refused with a reason. */
const char *parser_name(parser_t *p, loc_t *loc, const char *what)
{
    token_t *t = parser_peek(p);
    if (t->kind == TOK_IDENT && t->kw != KW_NONE)
        mki_fail(p->m, t->loc, "'%s' is a reserved word and cannot name %s\n"
                 "choose another name, e.g. '%s_1'", t->text, what, t->text);
    if (t->kind != TOK_IDENT)
        mki_fail(p->m, t->kind == TOK_EOF ? parser_missing_loc(p) : t->loc,
                 "expected the name of %s, found %s\n"
                 "write a name: a letter or '_', then letters, digits, '_'",
                 what, parser_describe(p, t));
    if (loc)
        *loc = t->loc;
    return parser_next(p)->text;
}

path_t parser_path(parser_t *p, const char *what)
{
    VEC(const char *) parts = { 0 };
    VEC(loc_t) locs = { 0 };
    for (;;) {
        loc_t l;
        const char *s = parser_name(p, &l, what);
        VEC_PUSH(&p->m->arena, &parts, s);
        VEC_PUSH(&p->m->arena, &locs, l);
        if (!parser_at(p, TOK_DOT))
            break;
        parser_next(p);
    }
    return (path_t){ parts.v, locs.v, parts.n };
}

/* ---- Expressions ---------------------------------------------------- */

static expr_t *new_expr(parser_t *p, expr_kind_t k, loc_t loc)
{
    expr_t *e = arena_alloc(&p->m->arena, sizeof *e);
    e->kind = k;
    e->loc = loc;
    return e;
}

static void enter(parser_t *p, loc_t loc)
{
    if (++p->depth > MKI_DEPTH_MAX)
        mki_fail(p->m, loc, "expression nests more than %d levels deep\n"
                 "split it into named constants", MKI_DEPTH_MAX);
}

static expr_t *parse_call(parser_t *p, token_t *fn)
{
    expr_t *e = new_expr(p, EX_CALL, fn->loc);
    e->kw = fn->kw;
    parser_expect(p, TOK_LPAREN, arena_printf(&p->m->arena, "after '%s'", fn->text));
    VEC(expr_t *) args = { 0 };
    if (!parser_at(p, TOK_RPAREN)) {
        for (;;) {
            VEC_PUSH(&p->m->arena, &args, parser_expr(p));
            if (!parser_at(p, TOK_COMMA))
                break;
            parser_next(p);
        }
    }
    parser_expect(p, TOK_RPAREN, arena_printf(&p->m->arena,
                                       "to close the arguments of '%s'",
                                       fn->text));
    e->args = args.v;
    e->nargs = args.n;
    return e;
}

static expr_t *parse_primary(parser_t *p)
{
    token_t *t = parser_peek(p);
    expr_t *e;
    switch (t->kind) {
    case TOK_INT:
        e = new_expr(p, EX_INT, parser_next(p)->loc);
        e->num = t->num;
        return e;
    case TOK_STRING:
        e = new_expr(p, EX_STRING, parser_next(p)->loc);
        e->str = t->text;
        return e;
    case TOK_LPAREN:
        parser_next(p);
        e = parser_expr(p);
        parser_expect(p, TOK_RPAREN, "to close '('");
        return e;
    case TOK_IDENT:
        break;
    case TOK_MINUS:
        mki_fail(p->m, t->loc, "negative numbers are not allowed\n"
                 "every value in a description is an unsigned number");
    default:
        mki_fail(p->m, t->kind == TOK_EOF ? parser_missing_loc(p) : t->loc,
                 "expected a value, found %s\nwrite a number, a name, or a "
                 "capability such as entry(NAME)", parser_describe(p, t));
    }
    switch (t->kw) {
    case KW_NONE:
        e = new_expr(p, EX_NAME, t->loc);
        e->path = parser_path(p, "an object");
        return e;
    case KW_LOG: case KW_DISCRIM: case KW_IRQ_CONTROL: case KW_NULL_CAP:
    case KW_RAM: case KW_SELF:
        e = new_expr(p, EX_BUILTIN, parser_next(p)->loc);
        e->kw = t->kw;
        return e;
    case KW_ENTRY: case KW_SIGNAL: case KW_SCHEDULE: case KW_GUARD:
        return parse_call(p, parser_next(p));
    default:
        mki_fail(p->m, t->loc, "'%s' must follow a value\nwrite it after "
                 "the value it applies to, e.g. 'buf %s'", t->text, t->text);
    }
}

/* primary { unit | restriction } */
static expr_t *parse_postfix(parser_t *p)
{
    expr_t *e = parse_primary(p);
    for (;;) {
        token_t *t = parser_peek(p);
        if (t->kind != TOK_IDENT)
            return e;
        expr_kind_t k;
        switch (t->kw) {
        case KW_KIB: case KW_MIB: case KW_GIB:
            k = EX_UNIT;
            break;
        case KW_READ_ONLY: case KW_WEAK: case KW_NO_EXECUTE: case KW_OPAQUE:
        case KW_NO_CALL:
            k = EX_RESTRICT;
            break;
        default:
            return e;
        }
        expr_t *w = new_expr(p, k, parser_next(p)->loc);
        w->kw = t->kw;
        w->lhs = e;
        e = w;
    }
}

static expr_t *parse_unary(parser_t *p)
{
    token_t *t = parser_peek(p);
    if (t->kind != TOK_TILDE)
        return parse_postfix(p);
    enter(p, t->loc);
    parser_next(p);
    expr_t *e = new_expr(p, EX_NOT, t->loc);
    e->lhs = parse_unary(p);
    p->depth--;
    return e;
}

/* Binary operator levels, loosest first. */
static const tok_kind_t levels[][4] = {
    { TOK_PIPE }, { TOK_CARET }, { TOK_AMP }, { TOK_SHL, TOK_SHR },
    { TOK_PLUS, TOK_MINUS }, { TOK_STAR, TOK_SLASH, TOK_PERCENT },
};
#define LEVELS (sizeof levels / sizeof levels[0])

static bool at_level(parser_t *p, size_t level)
{
    for (size_t i = 0; i < 4 && levels[level][i]; i++)
        if (parser_at(p, levels[level][i]))
            return true;
    return false;
}

static expr_t *parse_binary(parser_t *p, size_t level)
{
    if (level == LEVELS)
        return parse_unary(p);
    expr_t *e = parse_binary(p, level + 1);
    while (at_level(p, level)) {
        token_t *op = parser_next(p);
        expr_t *b = new_expr(p, EX_BINARY, op->loc);
        b->op = op->kind;
        b->lhs = e;
        b->rhs = parse_binary(p, level + 1);
        e = b;
    }
    return e;
}

expr_t *parser_expr(parser_t *p)
{
    enter(p, parser_peek(p)->loc);
    expr_t *e = parse_binary(p, 0);
    p->depth--;
    return e;
}
