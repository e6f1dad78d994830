/*
 * The mkimage run context and its diagnostics.
 *
 * mkimage stops at the first error. The error records a position, a
 * message saying what is wrong and a hint saying what to write instead;
 * then mki_fail() unwinds with longjmp to the run's entry point
 * (mkimage_run). Unwinding is safe because every allocation of a run
 * lives in the run's arena and no function holds another resource across
 * a call that can fail. This keeps the parser and the evaluator free of
 * error plumbing on every line.
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/* A position in a description: 1-based line and byte column. */
typedef struct {
    const char *file;     /* as shown to the user; NULL: no position */
    uint32_t line, col;
} loc_t;

#define DIAG_TEXT_MAX 2048

typedef struct {
    bool failed;
    loc_t loc;                     /* loc.file points at `file` below */
    char file[512];                /* a copy: the run's memory is freed */
    char message[DIAG_TEXT_MAX];   /* what is wrong, one line */
    char hint[DIAG_TEXT_MAX];      /* what to write instead; may be multi-line */
} diag_t;

/* A source file kept for quoting lines in messages. */
typedef struct {
    const char *name;
    const char *text;
    size_t len;
} source_t;

typedef struct mki {
    arena_t arena;
    diag_t diag;                 /* the first (and only) error */
    jmp_buf *unwind;             /* where mki_fail jumps; set by mkimage_run */
    VEC(source_t) sources;
    unsigned warnings;
    FILE *errout;                /* where messages go; NULL: nowhere */
} mki_t;

/*
 * Record an error and unwind. `fmt` yields the message; everything after
 * the first newline in the formatted text becomes the hint, so one call
 * says both what is wrong and what to write instead:
 *   mki_fail(m, loc, "unknown name '%s'\ndid you mean '%s'?", a, b);
 */
_Noreturn void mki_fail(mki_t *m, loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A warning: printed at once, with the same message/hint split. */
void mki_warn(mki_t *m, loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy a diagnostic, keeping its file name pointing into the copy. */
void diag_copy(diag_t *dst, const diag_t *src);

/* Print the recorded error (with the quoted source line) to m->errout. */
void mki_print_error(mki_t *m);

void mki_add_source(mki_t *m, const char *name, const char *text, size_t len);

/*
 * The candidate nearest to `name` by edit distance, or NULL if none is
 * close enough to be a plausible typo (distance at most a third of the
 * length, and at least 1).
 */
const char *suggest_nearest(const char *name, const char *const *cands,
                            size_t n);
