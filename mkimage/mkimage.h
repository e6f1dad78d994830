/*
 * mkimage as a library: one call runs the whole pipeline
 *   description -> model -> assertions -> graph / image
 * with the options of the command line. main.c is a thin wrapper; the
 * host tests and the fuzzer call mkimage_run directly.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mki.h"

#define MKI_MAX_DIRS 32

typedef struct {
    const char *input;           /* the description file */
    const char *input_text;      /* or its text in memory (input names it) */
    size_t input_len;
    const char *output;          /* -o: image file; NULL: none */
    const char *graph;           /* --graph: DOT file; NULL: none */
    const char *arch;            /* --arch; NULL: from the programs */
    const char *abi;             /* --abi: the kernel's ABI table */
    const char *module_dirs[MKI_MAX_DIRS];    /* -I */
    size_t nmodule_dirs;
    const char *program_dirs[MKI_MAX_DIRS];   /* -L */
    size_t nprogram_dirs;
    bool stats;                  /* --stats: kernel memory the image needs */
    bool want_image;             /* build the image even without -o */
    bool want_graph;             /* build the DOT text even without --graph */
    bool no_imports;             /* refuse imports (fuzzing) */
    FILE *errout;                /* messages; NULL: silent */
    FILE *out;                   /* --stats output; NULL: stdout */
} mki_options_t;

typedef struct {
    int status;                  /* 0: success; 1: an error (see diag) */
    diag_t diag;                 /* the error, if status is 1 */
    unsigned warnings;
    uint8_t *image;              /* malloc'd image bytes if built; free() */
    size_t image_len;
    char *graph;                 /* malloc'd DOT text if built; free() */
} mki_result_t;

/* Run mkimage. `res` may be NULL. Returns res->status. */
int mkimage_run(const mki_options_t *opt, mki_result_t *res);

/* Free what a result holds. */
void mkimage_result_free(mki_result_t *res);

/* --dump: validate an image file and print its contents. Returns 0 if
 * the image is valid. */
int mkimage_dump(const char *path, FILE *out, FILE *err);
