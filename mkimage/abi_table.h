/*
 * The kernel's generated ABI table (build/<arch>/abi/abi.txt): object
 * sizes and the constants mkimage checks descriptions against. It is a
 * text file of `key value` lines; '#' starts a comment. mkimage never
 * carries these numbers itself: without the table, checks that need one
 * are left to the kernel's validator, and output that needs object sizes
 * (--stats) is refused with a message naming the file to pass.
 *
 * Keys are matched ignoring case and treating '.', '-' and '_' alike.
 * mkimage reads:
 *   obj_size_<type>   bytes of kernel memory for one object, for each type
 *                     of kernel/abi/objtypes.def (object_size.<type> is
 *                     accepted too);
 * and checks the constants it also has from kernel/abi/abi.h (cap_regs,
 * cappage_slots, cap_size, prio_max, page_size, page_bits, gpt_slots,
 * l2v_min, l2v_max) against it: a mismatch means a stale table or one
 * from another tree. Other keys are for libsys and are ignored.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "mki.h"

typedef struct {
    bool loaded;
    const char *path;
    bool has_obj_size[OBJ_TYPE_COUNT];
    uint64_t obj_size[OBJ_TYPE_COUNT];
} abi_table_t;

/* Read and parse `path`; fails the run with file:line:col on bad input. */
void abi_load(mki_t *m, const char *path, abi_table_t *out);

/* Parse a table already in memory (tests). */
void abi_parse(mki_t *m, const char *name, const char *text, size_t len,
               abi_table_t *out);

/* Size of one object of `type`; fails the run, saying why it is needed
 * (`why`) and what to pass, if the table or the key is missing. */
uint64_t abi_obj_size(mki_t *m, const abi_table_t *t, obj_type_t type,
                      const char *why);
