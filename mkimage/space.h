/*
 * Address-space construction: a minimal GPT tree over a set of mapped
 * items (pages, or whole cappages and gpts), as Cairn's GPT semantics
 * want it (docs/spec/boot-image.md, "Address spaces"):
 *   - a GPT has 16 slots of 2^l2v bytes each; the capability naming it
 *     carries a guard and l2g, so empty levels are skipped by guards
 *     instead of being built;
 *   - each node's l2v is the smallest that separates its items, so the
 *     tree has as few nodes as the layout allows.
 * The result is deterministic: it depends only on the items.
 */
#pragma once

#include "layout.h"

typedef struct {
    uint64_t addr;       /* aligned to 2^bits */
    unsigned bits;       /* log2 of the item's span: 12 for a page */
    icap_t cap;          /* what to place; l2g and guard are set here */
    loc_t loc;           /* where it was asked for, for overlap errors */
    const char *what;    /* "program page", "stack", "map buf", ... */
} space_item_t;

/*
 * Build the tree over `n` items (any order; they are sorted here) and
 * return the capability for the root, to go in the process's space slot.
 * New GPT objects are appended to `b`, named after `owner`. Overlapping
 * items are an error reported at the later item's position.
 */
icap_t space_build(ibuild_t *b, const char *owner, space_item_t *items,
                   size_t n);
