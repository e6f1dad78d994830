/*
 * The kernel's generated ABI table (build/<arch>/abi/abi.txt): object
 * sizes and the constants mkimage checks descriptions against. It is a
 * text file of `key value` lines; '#' starts a comment. mkimage never
 * carries these numbers itself: without the table, checks that need one
 * are left to the kernel's validator, and output that needs object sizes
 * (--stats) is refused with a message naming the file to pass.
 *
 * Keys are matched ignoring case and treating '.', '-' and '_' alike.
 * The keys read (docs/spec/boot-image.md lists them):
 *   object_size.<type>   bytes of kernel memory for one object, for each
 *                        type of kernel/abi/objtypes.def (also accepted:
 *                        <type>_size, sizeof_<type>, obj_size_<type>)
 *   cap_registers        capability registers per process
 *   cappage_slots        capabilities per CapPage (or cap_size, from
 *                        which it is derived)
 *   max_priority         highest priority (or priorities: their count)
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
    bool has_cap_registers, has_cappage_slots, has_max_priority;
    uint64_t cap_registers, cappage_slots, max_priority;
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
