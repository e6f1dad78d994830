/*
 * Helpers for the mkimage host tests (suite "mkimage"): run mkimage on a
 * description held in a string, check an error's position and words,
 * look for edges in DOT output, build ELF files, and patch images.
 *
 * Inline descriptions are run as if they were the file
 * tests/mkimage/good/inline.mki, so `import lib.common;` finds the test
 * module, and programs are searched in build/host/mkimage-progs (the
 * tiny programs the Makefile builds for both ports).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"
#include "harness.h"
#include "abi/image_validate.h"
#include "mkimage.h"

/* The data diode of servers/diode/: the real description, not a copy. */
#define MT_DIODE_MKI MKI_TEST_DIR "/../../servers/diode/diode.mki"

enum {
    MT_GRAPH = 1,       /* also produce the DOT text */
    MT_IMAGE = 2,       /* also produce the image */
};

/* Run mkimage on `text`; fills *r (free with mkimage_result_free). */
int mt_run(const char *text, unsigned flags, mki_result_t *r);

/* The same for bytes that may hold NULs. */
int mt_run_bytes(const void *data, size_t len, unsigned flags,
                 mki_result_t *r);

/* Run mkimage on a file of the test tree (relative to tests/mkimage). */
int mt_run_file(const char *rel, unsigned flags, mki_result_t *r);

/*
 * NULL if the run failed at line:col and every '|'-separated fragment of
 * `frags` occurs in its message or hint; otherwise a description of the
 * difference (static storage).
 */
const char *mt_error_mismatch(const mki_result_t *r, unsigned line,
                              unsigned col, const char *frags);

/* Does `dot` hold an edge "from" -> "to" whose label contains `label`? */
bool mt_dot_edge(const char *dot, const char *from, const char *to,
                 const char *label);
/* Number of edges in `dot`. */
int mt_dot_edges(const char *dot);

/* One segment of a synthetic ELF file. */
typedef struct {
    uint32_t type;          /* 1: PT_LOAD */
    uint32_t flags;         /* PF_X 1, PF_W 2, PF_R 4 */
    uint64_t vaddr, memsz;
    const void *data;       /* filesz bytes, or NULL for zeros */
    uint64_t filesz;
} mt_seg_t;

/* Build an ELF64 executable into out (at least 64 KiB); returns its size. */
size_t mt_elf(uint8_t *out, uint16_t machine, uint64_t entry,
              const mt_seg_t *segs, unsigned n);

/* A path in the test scratch directory, and writing a file there. */
const char *mt_tmp(const char *name);
bool mt_write(const char *path, const void *data, size_t len);

/* Limits like the kernel's, for the validator tests. */
image_limits_t mt_limits(uint16_t arch);
/* Recompute an image's checksum after a deliberate change. */
void mt_fix_crc(uint8_t *img, size_t len);
uint32_t mt_rd32(const uint8_t *p);
void mt_wr32(uint8_t *p, uint32_t v);
void mt_wr64(uint8_t *p, uint64_t v);
