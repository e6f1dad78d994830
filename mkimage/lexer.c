/*
 * The .mki lexer. A single pass over the bytes with a line/column
 * counter. It never reads past `len`, whatever the bytes are, and it
 * rejects anything that is not printable ASCII outside strings and
 * comments (a description is plain text; a NUL or a control byte almost
 * always means a binary file was passed by mistake).
 */
#include "lexer.h"

#include <string.h>

typedef struct {
    mki_t *m;
    const char *file;
    const char *p, *end;
    uint32_t line, col;
    VEC(token_t) toks;
} lexer_t;

static const char *const reserved_spelling[KW_COUNT] = {
    [KW_NONE] = "",
#define X(id, s) [KW_##id] = s,
    MKI_RESERVED_WORDS(X)
#undef X
};

const char *keyword_name(keyword_t kw)
{
    return kw < KW_COUNT ? reserved_spelling[kw] : "?";
}

const char *tok_kind_name(tok_kind_t k)
{
    static const char *const names[] = {
        [TOK_EOF] = "end of file", [TOK_IDENT] = "name",
        [TOK_INT] = "number", [TOK_STRING] = "string",
        [TOK_LBRACE] = "'{'", [TOK_RBRACE] = "'}'", [TOK_LPAREN] = "'('",
        [TOK_RPAREN] = "')'", [TOK_SEMI] = "';'", [TOK_COMMA] = "','",
        [TOK_ASSIGN] = "'='", [TOK_DOT] = "'.'", [TOK_ARROW] = "'->'",
        [TOK_PLUS] = "'+'", [TOK_MINUS] = "'-'", [TOK_STAR] = "'*'",
        [TOK_SLASH] = "'/'", [TOK_PERCENT] = "'%'", [TOK_SHL] = "'<<'",
        [TOK_SHR] = "'>>'", [TOK_AMP] = "'&'", [TOK_PIPE] = "'|'",
        [TOK_CARET] = "'^'", [TOK_TILDE] = "'~'",
    };
    return k < sizeof names / sizeof names[0] && names[k] ? names[k] : "?";
}

static loc_t here(const lexer_t *lx)
{
    return (loc_t){ lx->file, lx->line, lx->col };
}

static void advance(lexer_t *lx)
{
    if (*lx->p == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->p++;
}

static int peek_at(const lexer_t *lx, size_t ahead)
{
    return (size_t)(lx->end - lx->p) > ahead ? (unsigned char)lx->p[ahead]
                                             : -1;
}

static void emit(lexer_t *lx, tok_kind_t kind, loc_t loc)
{
    token_t t = { .kind = kind, .loc = loc };
    VEC_PUSH(&lx->m->arena, &lx->toks, t);
}

/* Skip a // or block comment; the lexer is at its first '/'. */
static void skip_comment(lexer_t *lx)
{
    loc_t start = here(lx);
    if (peek_at(lx, 1) == '/') {
        while (lx->p < lx->end && *lx->p != '\n')
            advance(lx);
        return;
    }
    advance(lx);
    advance(lx);
    while (lx->p < lx->end) {
        if (*lx->p == '*' && peek_at(lx, 1) == '/') {
            advance(lx);
            advance(lx);
            return;
        }
        advance(lx);
    }
    mki_fail(lx->m, start, "unterminated comment\n"
             "close the comment with '*/' (block comments do not nest)");
}

static int is_word_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_word_char(int c)
{
    return is_word_start(c) || (c >= '0' && c <= '9');
}

static void lex_word(lexer_t *lx)
{
    loc_t start = here(lx);
    const char *s = lx->p;
    while (lx->p < lx->end && is_word_char((unsigned char)*lx->p))
        advance(lx);
    size_t n = (size_t)(lx->p - s);
    if (n > MKI_NAME_MAX)
        mki_fail(lx->m, start, "name is %zu characters long; the limit is %d\n"
                 "use a shorter name", n, MKI_NAME_MAX);
    token_t t = { .kind = TOK_IDENT, .loc = start,
                  .text = arena_strndup(&lx->m->arena, s, n) };
    for (int k = 1; k < KW_COUNT; k++)
        if (strcmp(t.text, reserved_spelling[k]) == 0)
            t.kw = (keyword_t)k;
    VEC_PUSH(&lx->m->arena, &lx->toks, t);
}

static int digit_value(int c, unsigned base)
{
    int v = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    return v < (int)base ? v : -1;
}

/* Decimal, 0x hex or 0b binary, with '_' separators allowed. */
static void lex_number(lexer_t *lx)
{
    loc_t start = here(lx);
    unsigned base = 10;
    if (*lx->p == '0' && (peek_at(lx, 1) == 'x' || peek_at(lx, 1) == 'X'))
        base = 16;
    else if (*lx->p == '0' && (peek_at(lx, 1) == 'b' || peek_at(lx, 1) == 'B'))
        base = 2;
    if (base != 10) {
        advance(lx);
        advance(lx);
    }
    uint64_t v = 0;
    unsigned digits = 0;
    while (lx->p < lx->end && is_word_char((unsigned char)*lx->p)) {
        int c = (unsigned char)*lx->p;
        if (c != '_') {
            int d = digit_value(c, base);
            if (d < 0)
                mki_fail(lx->m, here(lx), "'%c' is not a digit of a base-%u "
                         "number\nseparate the number from the next word "
                         "with a space, or fix the digit", c, base);
            if (v > (UINT64_MAX - (uint64_t)d) / base)
                mki_fail(lx->m, start, "number does not fit in 64 bits\n"
                         "the largest number is 0xffff_ffff_ffff_ffff");
            v = v * base + (uint64_t)d;
            digits++;
        }
        advance(lx);
    }
    if (digits == 0)
        mki_fail(lx->m, start, "number has no digits\n"
                 "write digits after the prefix, e.g. 0x10");
    token_t t = { .kind = TOK_INT, .loc = start, .num = v };
    VEC_PUSH(&lx->m->arena, &lx->toks, t);
}

static void lex_string(lexer_t *lx)
{
    loc_t start = here(lx);
    char out[MKI_STRING_MAX + 1];
    size_t n = 0;
    advance(lx);
    for (;;) {
        if (lx->p >= lx->end || *lx->p == '\n')
            mki_fail(lx->m, start, "unterminated string\n"
                     "close the string with '\"' on the same line");
        int c = (unsigned char)*lx->p;
        if (c == '"')
            break;
        if (c == '\\') {
            int e = peek_at(lx, 1);
            if (e != '"' && e != '\\')
                mki_fail(lx->m, here(lx), "unknown escape in string\n"
                         "only \\\" and \\\\ are escapes; write a '/' path "
                         "separator, not '\\'");
            advance(lx);
            c = e;
        } else if (c < 32 || c == 127) {
            mki_fail(lx->m, here(lx), "control byte 0x%02x in a string\n"
                     "strings hold printable text (file names)", c);
        }
        if (n == MKI_STRING_MAX)
            mki_fail(lx->m, start, "string is longer than %d bytes\n"
                     "use a shorter path", MKI_STRING_MAX);
        out[n++] = (char)c;
        advance(lx);
    }
    advance(lx);
    token_t t = { .kind = TOK_STRING, .loc = start,
                  .text = arena_strndup(&lx->m->arena, out, n) };
    VEC_PUSH(&lx->m->arena, &lx->toks, t);
}

/* One- and two-character punctuation; false if `c` starts none. */
static int lex_punct(lexer_t *lx, int c)
{
    static const struct { char a, b; tok_kind_t k; } two[] = {
        { '-', '>', TOK_ARROW }, { '<', '<', TOK_SHL }, { '>', '>', TOK_SHR },
    };
    static const char one_chars[] = "{}();,=.+-*/%&|^~";
    static const tok_kind_t one_kinds[] = {
        TOK_LBRACE, TOK_RBRACE, TOK_LPAREN, TOK_RPAREN, TOK_SEMI, TOK_COMMA,
        TOK_ASSIGN, TOK_DOT, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH,
        TOK_PERCENT, TOK_AMP, TOK_PIPE, TOK_CARET, TOK_TILDE,
    };
    loc_t start = here(lx);
    for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
        if (c == two[i].a && peek_at(lx, 1) == two[i].b) {
            advance(lx);
            advance(lx);
            emit(lx, two[i].k, start);
            return 1;
        }
    const char *hit = c ? strchr(one_chars, c) : NULL;
    if (!hit)
        return 0;
    advance(lx);
    emit(lx, one_kinds[hit - one_chars], start);
    return 1;
}

static _Noreturn void bad_byte(lexer_t *lx, int c)
{
    if (c == 0)
        mki_fail(lx->m, here(lx), "NUL byte in the description\n"
                 "a .mki file is plain text; check that you passed the "
                 "description and not a binary");
    if (c < 32 || c >= 127)
        mki_fail(lx->m, here(lx), "unexpected byte 0x%02x\n"
                 "a .mki file is plain ASCII text outside strings and "
                 "comments", c);
    if (c == ':')
        mki_fail(lx->m, here(lx), "unexpected ':'\n"
                 "capability registers are written 'NUMBER NAME = CAP;', "
                 "e.g. '8 out = entry(pipe);'");
    mki_fail(lx->m, here(lx), "unexpected character '%c'\n"
             "remove it; see docs/mkimage.md for the grammar", c);
}

token_t *lex_file(mki_t *m, const char *file, const char *text, size_t len,
                  size_t *count)
{
    lexer_t lx = { .m = m, .file = file, .p = text, .end = text + len,
                   .line = 1, .col = 1 };
    while (lx.p < lx.end) {
        int c = (unsigned char)*lx.p;
        size_t before = lx.toks.n;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            advance(&lx);
        else if (c == '/' && (peek_at(&lx, 1) == '/' || peek_at(&lx, 1) == '*'))
            skip_comment(&lx);
        else if (is_word_start(c))
            lex_word(&lx);
        else if (c >= '0' && c <= '9')
            lex_number(&lx);
        else if (c == '"')
            lex_string(&lx);
        else if (!lex_punct(&lx, c))
            bad_byte(&lx, c);
        if (lx.toks.n > before)
            lx.toks.v[lx.toks.n - 1].end = here(&lx);
    }
    emit(&lx, TOK_EOF, here(&lx));
    lx.toks.v[lx.toks.n - 1].end = here(&lx);
    *count = lx.toks.n;
    return lx.toks.v;
}
