/*
 * GPT: a guarded page table node, the building block of address spaces
 * (Coyotos semantics; docs/spec/address-spaces.md).
 *
 * A GPT has 16 capability slots, each spanning 2^l2v bytes, and two flags:
 * BG (slot 14 holds a background space; only slots 0..7 are addressable)
 * and HA (slot 15 holds the memory keeper, an Entry capability). The guard
 * and l2g live in the capability that points at the GPT, not in the GPT.
 *
 * States: a fresh GPT has l2v = 12, no flags, 16 Null slots. Any holder
 * of a writable, non-opaque capability may change slots, l2v and flags;
 * each change calls the invalidation hook so the hardware-map cache can
 * drop what it derived from the old contents.
 * Invariant: CAIRN_L2V_MIN <= l2v <= CAIRN_L2V_MAX.
 * Lifecycle: made by retype; destroyed when its Untyped is revoked (the
 * invalidation hook runs for all slots).
 */
#pragma once

#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"
#include "obj/obj.h"

#define GPT_SIZE_BITS 9u
#define GPT_ALL_SLOTS 0xffffu

typedef struct gpt {
    obj_header_t hdr;
    uint8_t  l2v;          /* log2 of each slot's span; set_l2v */
    uint8_t  flags;        /* CAIRN_GPT_BG | CAIRN_GPT_HA; set_flags */
    uint8_t  pad[6];
    cap_t    slots[CAIRN_GPT_SLOTS];   /* set_slot */
    /* Reserved for the hardware-map cache: its per-GPT dependency records
     * (which page tables were derived through which slots). */
    uint64_t map_cache[30];
} gpt_t;

static_assert(sizeof(gpt_t) == 1u << GPT_SIZE_BITS, "a GPT is 512 bytes");

/*
 * Called whenever slots in `slot_mask` (bit i = slot i) of `gpt` change
 * meaning: a slot write (one bit), an l2v or flag change, or destruction
 * (GPT_ALL_SLOTS). The hardware-map cache installs one that drops every
 * entry derived through those slots and flushes the TLB. Must do bounded
 * work. Default: nothing is cached, nothing to do.
 */
typedef void gpt_invalidate_hook_t(gpt_t *gpt, uint32_t slot_mask);
void gpt_set_invalidate_hook(gpt_invalidate_hook_t *hook);

/* Set up a freshly zeroed GPT (l2v = 12). */
void gpt_init(gpt_t *gpt);

/* Destroy: run the invalidation hook for every slot. */
void gpt_teardown(gpt_t *gpt);

/* Write slot `slot` (< 16) and run the hook; the kernel's only writer. */
void gpt_set_slot(gpt_t *gpt, unsigned slot, cap_t c);

/* ---- Translation --------------------------------------------------------- */

/*
 * Walk bound: a translation visits at most GPT_WALK_MAX GPTs and windows;
 * one more step gives ERR_MALFORMED_SPACE. It bounds cycles (a GPT that
 * contains itself) and the walk record below.
 */
#define GPT_WALK_MAX 32u

/* What a walk is for; the final access check uses it. */
enum {
    WALK_READ  = 1,   /* data read */
    WALK_WRITE = 2,   /* data write: refused through READ_ONLY or WEAK */
    WALK_EXEC  = 4,   /* instruction fetch: refused through NO_EXECUTE */
    WALK_CAP   = 8,   /* capability access: must end in a CapPage */
};

typedef struct gpt_walk {
    cairn_error_t error;      /* ERR_OK or why translation failed */
    const char   *reason;     /* a short reason when error != ERR_OK */
    cap_t    leaf;            /* ERR_OK: the Page or CapPage reached */
    uint64_t offset;          /* ERR_OK: byte offset inside the leaf */
    uint8_t  restr;           /* restrictions accumulated (leaf included) */
    uint32_t steps;           /* entries in path[] */
    /* Every GPT slot the walk went through, root first (a window's jump
     * is recorded as the background GPT's slot 14). The hardware-map
     * cache records its dependencies from this. */
    struct { obj_ref_t gpt; uint8_t slot; } path[GPT_WALK_MAX];
    /* On failure: the innermost GPT with HA set above the first NO_CALL
     * (and, for ERR_ACCESS, above the first READ_ONLY or WEAK), and the
     * address relative to it; keeper_gpt is OBJ_REF_NONE if none. */
    obj_ref_t keeper_gpt;
    uint64_t  keeper_addr;
} gpt_walk_t;

/*
 * Translate `addr` through the space `root` for `access` (WALK_* bits).
 * Returns w->error: ERR_OK; ERR_INVALID_ADDRESS (guard mismatch, slot out
 * of range, Null or revoked capability, past the end of a page);
 * ERR_MALFORMED_SPACE (a non-memory capability in the tree, a window with
 * no background GPT, more than GPT_WALK_MAX steps); ERR_ACCESS (the final
 * access check); ERR_WRONG_TYPE (a capability access reaching a data Page
 * or a data access reaching a CapPage).
 */
cairn_error_t gpt_walk(const cap_t *root, uint64_t addr, unsigned access,
                       gpt_walk_t *w);

/* Methods on GPT capabilities (methods.def rows for GPT). */
cairn_error_t gpt_dispatch(invocation_t *inv);
