/*
 * The .mki lexer: turns one source file into an array of tokens.
 *
 * Words are identifiers. A few words are reserved because they can appear
 * inside an expression (the built-in capabilities, the capability
 * functions, the restrictions and the size units); all the others
 * (process, caps, size, ...) are keywords only where the grammar expects
 * them, so they stay usable as names. Comments are // to the end of the
 * line and non-nesting block comments. Every lexical error stops the run
 * with the position of the offending byte or of the start of the
 * unterminated token.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mki.h"

/* Reserved words: RESERVED(ID, "spelling") */
#define MKI_RESERVED_WORDS(X)                                                \
    X(LOG, "log") X(DISCRIM, "discrim") X(IRQ_CONTROL, "irq_control")        \
    X(NULL_CAP, "null") X(RAM, "ram") X(SELF, "self")                        \
    X(ENTRY, "entry") X(SIGNAL, "signal") X(SCHEDULE, "schedule")           \
    X(GUARD, "guard")                                                        \
    X(READ_ONLY, "read_only") X(WEAK, "weak") X(NO_EXECUTE, "no_execute")    \
    X(OPAQUE, "opaque") X(NO_CALL, "no_call")                                \
    X(KIB, "KiB") X(MIB, "MiB") X(GIB, "GiB")

typedef enum {
    KW_NONE = 0,
#define X(id, s) KW_##id,
    MKI_RESERVED_WORDS(X)
#undef X
    KW_COUNT
} keyword_t;

typedef enum {
    TOK_EOF,
    TOK_IDENT,       /* a word; kw says whether it is reserved */
    TOK_INT,
    TOK_STRING,
    TOK_LBRACE, TOK_RBRACE, TOK_LPAREN, TOK_RPAREN,
    TOK_SEMI, TOK_COMMA, TOK_ASSIGN, TOK_DOT, TOK_ARROW,
    TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT,
    TOK_SHL, TOK_SHR, TOK_AMP, TOK_PIPE, TOK_CARET, TOK_TILDE,
} tok_kind_t;

typedef struct {
    tok_kind_t kind;
    keyword_t kw;          /* TOK_IDENT only */
    loc_t loc;             /* first byte */
    loc_t end;             /* just past the last byte */
    const char *text;      /* IDENT: the word; STRING: the decoded value */
    uint64_t num;          /* INT */
} token_t;

#define MKI_NAME_MAX     63      /* longest identifier */
#define MKI_STRING_MAX   1024    /* longest string literal */
#define MKI_SOURCE_MAX   (4u << 20)  /* largest description file */

/*
 * Tokenise `len` bytes of `text` (file name `file` for positions).
 * Always ends with a TOK_EOF token. Fails the run on the first error.
 */
token_t *lex_file(mki_t *m, const char *file, const char *text, size_t len,
                  size_t *count);

/* Spelling of a token kind or reserved word, for messages. */
const char *tok_kind_name(tok_kind_t k);
const char *keyword_name(keyword_t kw);
