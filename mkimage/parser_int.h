/*
 * Internal to the parser: the parser state and the helpers shared by its
 * two halves (parser_expr.c: tokens, names, expressions; parser.c:
 * files, statements and object bodies).
 */
#pragma once

#include "parser.h"

typedef struct {
    mki_t *m;
    token_t *t;        /* ends with TOK_EOF */
    size_t n, i;       /* token count, position */
    unsigned depth;    /* current expression nesting */
    bool in_def;       /* inside a definition body */
} parser_t;

token_t *parser_peek(parser_t *p);
token_t *parser_peek2(parser_t *p);       /* one token further */
token_t *parser_next(parser_t *p);        /* consume; stays on EOF */
bool parser_at(parser_t *p, tok_kind_t k);
bool parser_at_word(parser_t *p, const char *w);   /* unreserved word */
const char *parser_describe(parser_t *p, const token_t *t);
loc_t parser_missing_loc(parser_t *p);
/* Consume a token of kind k or fail saying it is needed `context`. */
token_t *parser_expect(parser_t *p, tok_kind_t k, const char *context);
void parser_expect_word(parser_t *p, const char *w, const char *context);
/* A declared name (not a reserved word); `what` names what it names. */
const char *parser_name(parser_t *p, loc_t *loc, const char *what);
path_t parser_path(parser_t *p, const char *what);
expr_t *parser_expr(parser_t *p);
