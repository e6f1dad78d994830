/*
 * Diagnostics: the first error of a run, warnings, the quoted source
 * line under a message, and nearest-name suggestions.
 */
#include "mki.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void split_message(diag_t *d, const char *text)
{
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    if (n >= sizeof d->message)
        n = sizeof d->message - 1;
    memcpy(d->message, text, n);
    d->message[n] = 0;
    d->hint[0] = 0;
    if (nl)
        snprintf(d->hint, sizeof d->hint, "%s", nl + 1);
}

_Noreturn void mki_fail(mki_t *m, loc_t loc, const char *fmt, ...)
{
    char text[2 * DIAG_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    m->diag.failed = true;
    m->diag.loc = loc;
    if (loc.file) {
        snprintf(m->diag.file, sizeof m->diag.file, "%s", loc.file);
        m->diag.loc.file = m->diag.file;
    }
    split_message(&m->diag, text);
    if (m->unwind)
        longjmp(*m->unwind, 1);
    /* No unwind point: a programming error in the caller. */
    fprintf(stderr, "mkimage: internal error: unhandled failure: %s\n",
            m->diag.message);
    abort();
}

void diag_copy(diag_t *dst, const diag_t *src)
{
    *dst = *src;
    if (src->loc.file)
        dst->loc.file = dst->file;
}

static const source_t *source_find(const mki_t *m, const char *name)
{
    for (size_t i = 0; i < m->sources.n; i++)
        if (m->sources.v[i].name == name ||
            strcmp(m->sources.v[i].name, name) == 0)
            return &m->sources.v[i];
    return NULL;
}

/* Print line `loc.line` of its source and a caret under column loc.col. */
static void print_quote(const mki_t *m, loc_t loc, FILE *out)
{
    const source_t *s = loc.file ? source_find(m, loc.file) : NULL;
    if (!s || loc.line == 0)
        return;
    const char *p = s->text, *end = s->text + s->len;
    for (uint32_t l = 1; l < loc.line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *e = p;
    while (e < end && *e != '\n' && e - p < 200)
        e++;
    fputs("    ", out);
    for (const char *q = p; q < e; q++)
        fputc((*q >= 32 && *q < 127) || *q == '\t' ? *q : '?', out);
    fputs("\n    ", out);
    for (uint32_t c = 1; c < loc.col && c < 200; c++)
        fputc(p + c - 1 < e && p[c - 1] == '\t' ? '\t' : ' ', out);
    fputs("^\n", out);
}

static void print_hint(const char *hint, FILE *out)
{
    const char *p = hint;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "  hint: %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

static void print_one(const mki_t *m, const char *kind, loc_t loc,
                      const char *message, const char *hint, FILE *out)
{
    if (loc.file)
        fprintf(out, "%s:%u:%u: %s: %s\n", loc.file, loc.line, loc.col,
                kind, message);
    else
        fprintf(out, "mkimage: %s: %s\n", kind, message);
    print_quote(m, loc, out);
    print_hint(hint, out);
}

void mki_print_error(mki_t *m)
{
    if (m->errout && m->diag.failed)
        print_one(m, "error", m->diag.loc, m->diag.message, m->diag.hint,
                  m->errout);
}

void mki_warn(mki_t *m, loc_t loc, const char *fmt, ...)
{
    char text[2 * DIAG_TEXT_MAX];
    diag_t d;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    split_message(&d, text);
    m->warnings++;
    if (m->errout)
        print_one(m, "warning", loc, d.message, d.hint, m->errout);
}

void mki_add_source(mki_t *m, const char *name, const char *text, size_t len)
{
    source_t s = { name, text, len };
    VEC_PUSH(&m->arena, &m->sources, s);
}

/*
 * Edit distance with adjacent transpositions (optimal string alignment),
 * so "piep" is one edit from "pipe". Names longer than 64 are never
 * suggested.
 */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *suggest_nearest(const char *name, const char *const *cands,
                            size_t n)
{
    size_t len = strlen(name);
    /* A plausible typo: one edit in a short name, two or a third of a
     * longer one. */
    size_t cap = len <= 3 ? 1 : len / 3 > 2 ? len / 3 : 2;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i] || strcmp(cands[i], name) == 0)
            continue;
        size_t d = edit_distance(name, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}
