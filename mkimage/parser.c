/*
 * The .mki parser, part two: the file header, imports, statements and
 * the bodies of objects. One function per rule of the grammar in
 * docs/mkimage.md.
 */
#include "parser_int.h"

#include <string.h>

static const char *const statement_words[] = {
    "const", "def", "instance", "assert", "endpoint", "notification",
    "page", "cappage", "gpt", "untyped", "device", "irq", "process",
    "page_table_pool",
};
#define N_STATEMENT_WORDS (sizeof statement_words / sizeof statement_words[0])

static const char *const process_words[] = {
    "program", "priority", "stack", "keeper", "args", "map", "stopped",
    "caps",
};

static const char *const gpt_words[] = { "l2v", "background", "keeper" };

static stmt_t *parse_statement(parser_t *p, stmt_t *s);

static expr_t *parse_clause(parser_t *p, const char *word, const char *ctx)
{
    parser_expect_word(p, word, ctx);
    return parser_expr(p);
}

static void push_item(parser_t *p, void *vec, item_t it)
{
    VEC(item_t) *v = vec;
    VEC_PUSH(&p->m->arena, v, it);
}

/* ---- Objects --------------------------------------------------------- */

/* [NUMBER] NAME = EXPR ; */
static item_t parse_capreg(parser_t *p)
{
    item_t it = { .kind = IT_CAPREG, .loc = parser_peek(p)->loc };
    if (parser_at(p, TOK_INT)) {
        token_t *n = parser_next(p);
        it.has_index = true;
        it.index = n->num;
        it.index_loc = n->loc;
    }
    if (parser_at(p, TOK_ASSIGN))
        mki_fail(p->m, parser_peek(p)->loc, "capability register has no "
                 "name\nwrite 'NUMBER NAME = CAP;', e.g. '8 out = "
                 "entry(pipe);'");
    /* Register names are labels, not scope names: reserved words such as
     * 'log' are fine here ('log = log;'). */
    if (parser_peek(p)->kind == TOK_IDENT)
        it.str = parser_next(p)->text;
    else
        it.str = parser_name(p, NULL, "a capability register");
    parser_expect(p, TOK_ASSIGN, "after the register name");
    it.a = parser_expr(p);
    parser_expect(p, TOK_SEMI, "after the capability");
    return it;
}

static item_t parse_caps_block(parser_t *p, loc_t loc)
{
    item_t it = { .kind = IT_CAPS, .loc = loc };
    VEC(item_t) regs = { 0 };
    parser_expect(p, TOK_LBRACE, "after 'caps'");
    while (!parser_at(p, TOK_RBRACE) && !parser_at(p, TOK_EOF))
        push_item(p, &regs, parse_capreg(p));
    parser_expect(p, TOK_RBRACE, "to close 'caps {'");
    it.children = regs.v;
    it.nchildren = regs.n;
    return it;
}

static _Noreturn void unknown_item(parser_t *p, const char *what,
                                   const char *const *words, size_t n)
{
    token_t *t = parser_peek(p);
    const char *near = t->kind == TOK_IDENT
                           ? suggest_nearest(t->text, words, n) : NULL;
    buf_t list;
    buf_init(&list, &p->m->arena);
    for (size_t i = 0; i < n; i++)
        buf_printf(&list, "%s%s", i ? ", " : "", words[i]);
    if (near)
        mki_fail(p->m, t->loc, "unknown %s item '%s'\ndid you mean '%s'? "
                 "(a %s holds: %s)", what, t->text, near, what,
                 buf_cstr(&list));
    mki_fail(p->m, t->loc, "expected a %s item, found %s\na %s holds: %s",
             what, parser_describe(p, t), what, buf_cstr(&list));
}

static item_t parse_process_item(parser_t *p)
{
    token_t *t = parser_peek(p);
    item_t it = { .loc = t->loc };
    if (parser_at_word(p, "caps")) {
        parser_next(p);
        return parse_caps_block(p, t->loc);
    } else if (parser_at_word(p, "program")) {
        parser_next(p);
        token_t *s = parser_expect(p, TOK_STRING, "naming the program's ELF "
                                   "file, e.g. program \"hello.elf\";");
        it.kind = IT_PROGRAM;
        it.str = s->text;
    } else if (parser_at_word(p, "stopped")) {
        parser_next(p);
        it.kind = IT_STOPPED;
    } else if (parser_at_word(p, "args")) {
        VEC(expr_t *) list = { 0 };
        parser_next(p);
        do
            VEC_PUSH(&p->m->arena, &list, parser_expr(p));
        while (parser_at(p, TOK_COMMA) && parser_next(p));
        it.kind = IT_ARGS;
        it.list = list.v;
        it.nlist = list.n;
    } else if (parser_at_word(p, "map")) {
        parser_next(p);
        it.kind = IT_MAP;
        it.a = parser_expr(p);
        it.b = parse_clause(p, "at", "after the mapped object, e.g. "
                            "'map buf at 0x40000000;'");
    } else {
        static const item_kind_t kinds[] = { IT_PRIORITY, IT_STACK, IT_KEEPER };
        static const char *const words[] = { "priority", "stack", "keeper" };
        size_t i = 0;
        while (i < 3 && !parser_at_word(p, words[i]))
            i++;
        if (i == 3)
            unknown_item(p, "process", process_words,
                         sizeof process_words / sizeof process_words[0]);
        parser_next(p);
        it.kind = kinds[i];
        it.a = parser_expr(p);
    }
    parser_expect(p, TOK_SEMI, "to end the process item");
    return it;
}

/* EXPR = EXPR ; */
static item_t parse_slot(parser_t *p)
{
    item_t it = { .kind = IT_SLOT, .loc = parser_peek(p)->loc };
    it.a = parser_expr(p);
    parser_expect(p, TOK_ASSIGN, "after the slot number (write 'SLOT = CAP;')");
    it.b = parser_expr(p);
    parser_expect(p, TOK_SEMI, "after the slot's capability");
    return it;
}

static item_t parse_gpt_item(parser_t *p)
{
    token_t *t = parser_peek(p);
    item_t it = { .loc = t->loc };
    if (parser_at_word(p, "l2v")) {
        parser_next(p);
        it.kind = IT_L2V;
        it.a = parser_expr(p);
    } else if (parser_at_word(p, "keeper")) {
        parser_next(p);
        it.kind = IT_KEEPER;
        it.a = parser_expr(p);
    } else if (parser_at_word(p, "background")) {
        parser_next(p);
        it.kind = IT_BACKGROUND;
        it.a = parser_expr(p);
    } else if (t->kind == TOK_IDENT && t->kw == KW_NONE &&
               parser_peek2(p)->kind != TOK_ASSIGN &&
               suggest_nearest(t->text, gpt_words, 3)) {
        unknown_item(p, "gpt", gpt_words, 3);
    } else {
        return parse_slot(p);
    }
    parser_expect(p, TOK_SEMI, "to end the gpt item");
    return it;
}

static void parse_body(parser_t *p, stmt_t *s)
{
    VEC(item_t) items = { 0 };
    parser_expect(p, TOK_LBRACE, arena_printf(&p->m->arena,
                  "to open the body of %s '%s'", obj_kind_name(s->obj),
                  s->name));
    while (!parser_at(p, TOK_RBRACE) && !parser_at(p, TOK_EOF)) {
        item_t it = s->obj == OBJ_KIND_PROCESS ? parse_process_item(p)
                  : s->obj == OBJ_KIND_GPT     ? parse_gpt_item(p)
                                               : parse_slot(p);
        push_item(p, &items, it);
    }
    parser_expect(p, TOK_RBRACE, arena_printf(&p->m->arena,
                  "to close the body of %s '%s'", obj_kind_name(s->obj),
                  s->name));
    s->items = items.v;
    s->nitems = items.n;
}

/* Inline clauses: page [size E]; untyped size E; device at E size E;
 * irq line E [signals E]. */
static void parse_clauses(parser_t *p, stmt_t *s)
{
    VEC(item_t) items = { 0 };
    const char *ctx = "in this declaration";
    if (s->obj == OBJ_KIND_DEVICE)
        push_item(p, &items, (item_t){ .kind = IT_AT, .loc = parser_peek(p)->loc,
                  .a = parse_clause(p, "at", "and the physical address: "
                                    "'device NAME at ADDR size SIZE;'") });
    if (s->obj == OBJ_KIND_IRQ)
        push_item(p, &items, (item_t){ .kind = IT_LINE, .loc = parser_peek(p)->loc,
                  .a = parse_clause(p, "line", "and the interrupt line: "
                                    "'irq NAME line N;'") });
    if (s->obj == OBJ_KIND_IRQ && parser_at_word(p, "signals"))
        push_item(p, &items, (item_t){ .kind = IT_SIGNALS,
                  .loc = parser_peek(p)->loc,
                  .a = parse_clause(p, "signals", ctx) });
    if (s->obj == OBJ_KIND_UNTYPED || s->obj == OBJ_KIND_DEVICE ||
        (s->obj == OBJ_KIND_PAGE && parser_at_word(p, "size")))
        push_item(p, &items, (item_t){ .kind = IT_SIZE, .loc = parser_peek(p)->loc,
                  .a = parse_clause(p, "size", "and the size in bytes, e.g. "
                                    "'size 64 KiB'") });
    parser_expect(p, TOK_SEMI, arena_printf(&p->m->arena,
                  "to end the %s declaration", obj_kind_name(s->obj)));
    s->items = items.v;
    s->nitems = items.n;
}

static void parse_object(parser_t *p, stmt_t *s, obj_kind_t k)
{
    s->kind = ST_OBJECT;
    s->obj = k;
    s->name = parser_name(p, &s->name_loc, arena_printf(&p->m->arena,
                          "the %s", obj_kind_name(k)));
    if (k == OBJ_KIND_PROCESS || k == OBJ_KIND_CAPPAGE || k == OBJ_KIND_GPT)
        parse_body(p, s);
    else
        parse_clauses(p, s);
}

/* ---- Other statements ------------------------------------------------ */

static void parse_const(parser_t *p, stmt_t *s)
{
    s->kind = ST_CONST;
    s->name = parser_name(p, &s->name_loc, "the constant");
    parser_expect(p, TOK_ASSIGN, "after the constant's name");
    s->value = parser_expr(p);
    parser_expect(p, TOK_SEMI, "to end the constant");
}

static void parse_def(parser_t *p, stmt_t *s)
{
    if (p->in_def)
        mki_fail(p->m, s->loc, "definitions cannot be nested\n"
                 "move this 'def' to the top level of the file");
    s->kind = ST_DEF;
    s->name = parser_name(p, &s->name_loc, "the definition");
    parser_expect(p, TOK_LPAREN, "after the definition's name (write "
                  "'def NAME(PARAMS) { ... }')");
    VEC(const char *) names = { 0 };
    VEC(loc_t) locs = { 0 };
    while (!parser_at(p, TOK_RPAREN)) {
        loc_t l;
        const char *n = parser_name(p, &l, "a parameter");
        VEC_PUSH(&p->m->arena, &names, n);
        VEC_PUSH(&p->m->arena, &locs, l);
        if (!parser_at(p, TOK_COMMA))
            break;
        parser_next(p);
    }
    parser_expect(p, TOK_RPAREN, "to close the parameter list");
    parser_expect(p, TOK_LBRACE, "to open the definition's body");
    VEC(stmt_t) body = { 0 };
    p->in_def = true;
    while (!parser_at(p, TOK_RBRACE) && !parser_at(p, TOK_EOF)) {
        stmt_t st = { 0 };
        parse_statement(p, &st);
        VEC_PUSH(&p->m->arena, &body, st);
    }
    p->in_def = false;
    parser_expect(p, TOK_RBRACE, "to close the definition's body");
    s->params = names.v;
    s->param_locs = locs.v;
    s->nparams = names.n;
    s->body = body.v;
    s->nbody = body.n;
}

static void parse_instance(parser_t *p, stmt_t *s)
{
    s->kind = ST_INSTANCE;
    s->name = parser_name(p, &s->name_loc, "the instance");
    parser_expect(p, TOK_ASSIGN, "after the instance's name (write "
                  "'instance NAME = DEF(ARGS);')");
    s->target = parser_path(p, "a definition");
    parser_expect(p, TOK_LPAREN, "after the definition's name");
    VEC(expr_t *) args = { 0 };
    while (!parser_at(p, TOK_RPAREN)) {
        VEC_PUSH(&p->m->arena, &args, parser_expr(p));
        if (!parser_at(p, TOK_COMMA))
            break;
        parser_next(p);
    }
    parser_expect(p, TOK_RPAREN, "to close the arguments");
    parser_expect(p, TOK_SEMI, "to end the instance");
    s->args = args.v;
    s->nargs = args.n;
}

/* assert no_path(A -> B); or assert path(A -> B); */
static void parse_assert(parser_t *p, stmt_t *s)
{
    s->kind = ST_ASSERT;
    if (parser_at_word(p, "path"))
        s->positive = true;
    else if (!parser_at_word(p, "no_path"))
        mki_fail(p->m, parser_peek(p)->loc, "expected 'no_path' or 'path' "
                 "after 'assert', found %s\nwrite 'assert no_path(A -> B);'",
                 parser_describe(p, parser_peek(p)));
    parser_next(p);
    parser_expect(p, TOK_LPAREN, "after the assertion's kind");
    s->target = parser_path(p, "a process");
    parser_expect(p, TOK_ARROW, "between the two names (write 'A -> B')");
    s->to = parser_path(p, "a process or object");
    parser_expect(p, TOK_RPAREN, "to close the assertion");
    parser_expect(p, TOK_SEMI, "to end the assertion");
}

/* page_table_pool FRAMES; */
static void parse_pool(parser_t *p, stmt_t *s)
{
    s->kind = ST_POOL;
    s->value = parser_expr(p);
    parser_expect(p, TOK_SEMI, "to end 'page_table_pool'");
}

static _Noreturn void unknown_statement(parser_t *p, token_t *t)
{
    if (t->kind == TOK_IDENT && (strcmp(t->text, "import") == 0))
        mki_fail(p->m, t->loc, "imports must come before the declarations\n"
                 "move this import up, after the 'system' or 'module' line");
    if (t->kind == TOK_IDENT && (strcmp(t->text, "system") == 0 ||
                                 strcmp(t->text, "module") == 0))
        mki_fail(p->m, t->loc, "'%s' may only start a file\n"
                 "a file has exactly one 'system NAME;' or 'module NAME;' "
                 "line, at the top", t->text);
    const char *near = t->kind == TOK_IDENT
        ? suggest_nearest(t->text, statement_words, N_STATEMENT_WORDS) : NULL;
    if (near)
        mki_fail(p->m, t->loc, "unknown declaration '%s'\ndid you mean '%s'?",
                 t->text, near);
    mki_fail(p->m, t->loc, "expected a declaration, found %s\nstart it with "
             "one of: const, def, instance, assert, endpoint, notification, "
             "page, cappage, gpt, untyped, device, irq, process, "
             "page_table_pool",
             parser_describe(p, t));
}

static stmt_t *parse_statement(parser_t *p, stmt_t *s)
{
    token_t *t = parser_peek(p);
    s->loc = t->loc;
    if (t->kind != TOK_IDENT || t->kw != KW_NONE)
        unknown_statement(p, t);
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        if (strcmp(t->text, obj_kind_name((obj_kind_t)k)) == 0) {
            parser_next(p);
            parse_object(p, s, (obj_kind_t)k);
            return s;
        }
    if (strcmp(t->text, "const") == 0)
        parser_next(p), parse_const(p, s);
    else if (strcmp(t->text, "def") == 0)
        parser_next(p), parse_def(p, s);
    else if (strcmp(t->text, "instance") == 0)
        parser_next(p), parse_instance(p, s);
    else if (strcmp(t->text, "assert") == 0)
        parser_next(p), parse_assert(p, s);
    else if (strcmp(t->text, "page_table_pool") == 0)
        parser_next(p), parse_pool(p, s);
    else
        unknown_statement(p, t);
    return s;
}

/* ---- Files ------------------------------------------------------------ */

static void parse_header(parser_t *p, file_ast_t *f)
{
    token_t *t = parser_peek(p);
    f->loc = t->loc;
    if (parser_at_word(p, "system"))
        f->is_system = true;
    else if (!parser_at_word(p, "module"))
        mki_fail(p->m, t->loc, "a description starts with 'system NAME;' or "
                 "'module NAME;', found %s\nadd 'system NAME;' (a bootable "
                 "system) or 'module NAME;' (for import) as the first line",
                 parser_describe(p, t));
    parser_next(p);
    f->name = parser_path(p, f->is_system ? "the system" : "the module");
    parser_expect(p, TOK_SEMI, "after the name");
}

static void parse_imports(parser_t *p, file_ast_t *f)
{
    VEC(import_t) imports = { 0 };
    while (parser_at_word(p, "import")) {
        import_t im = { .loc = parser_next(p)->loc };
        im.name = parser_path(p, "a module");
        im.alias = im.name.parts[im.name.n - 1];
        if (parser_at_word(p, "as")) {
            parser_next(p);
            im.alias = parser_name(p, NULL, "the imported module");
        }
        parser_expect(p, TOK_SEMI, "to end the import");
        VEC_PUSH(&p->m->arena, &imports, im);
    }
    f->imports = imports.v;
    f->nimports = imports.n;
}

file_ast_t *parse_file(mki_t *m, const char *file, const char *text,
                       size_t len)
{
    parser_t p = { .m = m };
    p.t = lex_file(m, file, text, len, &p.n);
    file_ast_t *f = arena_alloc(&m->arena, sizeof *f);
    f->file = file;
    parse_header(&p, f);
    parse_imports(&p, f);
    VEC(stmt_t) stmts = { 0 };
    while (!parser_at(&p, TOK_EOF)) {
        stmt_t s = { 0 };
        parse_statement(&p, &s);
        VEC_PUSH(&m->arena, &stmts, s);
    }
    f->stmts = stmts.v;
    f->nstmts = stmts.n;
    return f;
}
