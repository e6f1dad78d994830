/*
 * A small reader for the flattened device tree (FDT, devicetree spec
 * v0.4 chapter 5) that the firmware hands the kernel in a1.
 *
 * Nothing in the blob is trusted. fdt_open() checks the header and walks
 * the whole structure block once, so that every token, name, property
 * and string offset lies inside the blob, nesting balances, and the
 * block ends with FDT_END. The accessors still bound every read, so a
 * blob that changes under the reader cannot make it read out of bounds.
 * All multi-byte values are big-endian and read a byte at a time, so
 * the blob may sit at any alignment.
 *
 * The reader is pure: no globals, no console, no allocation.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_HEADER_SIZE 40u
#define FDT_MAX_SIZE   (1u << 20)   /* larger blobs are refused */
#define FDT_MAX_DEPTH  16           /* deeper nesting is refused */

/* A checked blob. Written by fdt_open; read-only afterwards. */
typedef struct {
    const uint8_t *blob;
    uint32_t size;                      /* totalsize from the header */
    uint32_t struct_off, struct_end;    /* structure block [off, end) */
    uint32_t strings_off, strings_end;  /* strings block [off, end) */
    uint32_t rsvmap_off;                /* memory reservation block */
} fdt_t;

/*
 * A node found by a walk, with the offsets of its ancestors so that
 * #address-cells and ranges can be read from them.
 * node[0] is the root, node[depth] the node itself.
 */
typedef struct {
    uint32_t depth;
    uint32_t node[FDT_MAX_DEPTH];   /* offset of each FDT_BEGIN_NODE token */
    uint32_t next;                  /* where the walk resumes */
} fdt_node_t;

typedef struct {
    const uint8_t *data;
    uint32_t len;
} fdt_prop_t;

/*
 * Check the blob at `blob`, of which at most `avail` bytes may be read.
 * Returns NULL and fills f if the blob is sound, else a reason for the
 * console ("bad magic 0x...", "string offset out of bounds", ...).
 */
const char *fdt_open(fdt_t *f, const void *blob, uint32_t avail);

/* The root node. False only for a blob fdt_open did not accept. */
bool fdt_root(const fdt_t *f, fdt_node_t *n);

/*
 * Advance n to the next node in document order (depth first). Returns
 * false after the last node.
 */
bool fdt_next_node(const fdt_t *f, fdt_node_t *n);

/*
 * The next node after n whose parent is n's node at depth `parent_depth`;
 * false when the parent's children are exhausted. Start from the parent
 * itself to get its first child.
 */
bool fdt_next_child(const fdt_t *f, fdt_node_t *n, uint32_t parent_depth);

/*
 * Find a node by absolute path ("/chosen", "/soc/serial@10000000"). A
 * path component without '@' also matches a name with a unit address
 * ("memory" matches "memory@80000000").
 */
bool fdt_find_path(const fdt_t *f, const char *path, fdt_node_t *n);

/* The node's name ("" for the root). Never NULL. */
const char *fdt_node_name(const fdt_t *f, const fdt_node_t *n);

/* Property `name` of the node whose FDT_BEGIN_NODE is at `node`. */
bool fdt_get_prop(const fdt_t *f, uint32_t node, const char *name,
                  fdt_prop_t *p);

/* A 1- or 2-cell property as a number (both sizes occur in the wild). */
bool fdt_prop_uint(const fdt_prop_t *p, uint64_t *out);

/* Is `s` one of the strings in a string-list property (compatible)? */
bool fdt_prop_has_string(const fdt_prop_t *p, const char *s);

/* Is the property a NUL-terminated string? Then p->data may be used as one. */
bool fdt_prop_is_string(const fdt_prop_t *p);

/*
 * The node's #address-cells / #size-cells as its children use them,
 * with the spec's defaults (2 and 1) when absent.
 */
uint32_t fdt_address_cells(const fdt_t *f, uint32_t node);
uint32_t fdt_size_cells(const fdt_t *f, uint32_t node);

/*
 * Entry `index` of the node's reg, translated through the ranges of every
 * ancestor bus into a CPU physical address. False if the entry is absent,
 * uses more than 64-bit cells, or cannot be translated.
 */
bool fdt_reg(const fdt_t *f, const fdt_node_t *n, uint32_t index,
             uint64_t *base, uint64_t *size);

/* Entry `index` of the node's reg as written, in its parent's address space. */
bool fdt_reg_raw(const fdt_t *f, const fdt_node_t *n, uint32_t index,
                 uint64_t *base, uint64_t *size);

/*
 * Entry `index` of the header's memory reservation block. False at the
 * terminating entry, past the end of the blob, or after 64 entries.
 */
bool fdt_rsv_entry(const fdt_t *f, uint32_t index, uint64_t *base,
                   uint64_t *size);
