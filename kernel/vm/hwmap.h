/*
 * The hardware-map cache: hardware page tables derived from GPT spaces.
 *
 * Hardware page tables are only a cache of GPT translation. They are
 * built on demand when a user access faults, and every entry can be
 * dropped at any time and rebuilt at the next fault. All frames for them
 * come from one fixed pool the kernel takes at boot (the boot image sets
 * its size); when the pool or the bookkeeping records run out, a whole
 * cached space is evicted. Nothing here allocates.
 *
 * Each process that has run gets a cached space: a root table plus the
 * records that say what the tables were derived from:
 *
 *   dependency  (GPT, slot) -> a region of the space's addresses that was
 *               translated through that slot. A change to the slot (or
 *               the GPT's l2v or flags, or its destruction) unmaps
 *               exactly those regions.
 *   reverse map (Page frame) -> an address it is mapped at. Destroying
 *               the Page unmaps exactly those addresses.
 *
 * Invariant: every user PTE in a cached space is covered by a dependency
 * record for each GPT slot its walk went through and by a reverse-map
 * record for its frame, so no change to a GPT or Page can leave a stale
 * translation behind. (A record may outlive its PTE; dropping a record's
 * region again is harmless.)
 *
 * Single CPU, under the big kernel lock; TLB shootdown comes with SMP.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "obj/gpt.h"
#include "obj/process.h"

struct process;

/* The smallest pool the cache works with (a root per space slot it may
 * keep live, plus tables for one walk). */
#define HWMAP_MIN_POOL_FRAMES 32u

/*
 * Give the cache its pool: `frames` page-table frames at physical
 * address `base` (contiguous, reserved for the cache, never retyped).
 * Installs the GPT, Page and Process hooks. Pre: called once at boot.
 */
void hwmap_init(uint64_t base, uint32_t frames);

/*
 * The cached spaces. hwmap.c alone writes them; they are here so that
 * hwmap_root, on every switch to user mode, is inline.
 */
#define HWMAP_SPACES 64u

typedef struct hw_space {
    union {
        struct {
            obj_ref_t proc;      /* owner; OBJ_REF_NONE when the slot is free */
            uint32_t  proc_gen;  /* owner's creation generation (self_gen),
                                    to spot reuse */
        };
        uint64_t  key;           /* both: the owner's self_key */
    };
    uint64_t  root;       /* physical address of the root table */
    uint32_t  recs;       /* head of its record list */
    uint64_t  last_use;   /* for eviction: least recently used goes */
} hw_space_t;

extern hw_space_t hwmap_spaces[HWMAP_SPACES];
extern uint64_t hwmap_use_clock;   /* stamps last_use */

/* Does p->hwmap_hint name p's space? (It is only a hint: the slot may
 * have been evicted or given to another process since.) */
static inline __attribute__((always_inline)) bool
hwmap_hint_valid(const struct process *p)
{
    uint32_t s = p->hwmap_hint;
    return s < HWMAP_SPACES && hwmap_spaces[s].key == p->self_key;
}

/* hwmap_root when the hint misses: find or make the space. */
uint64_t hwmap_root_lookup(struct process *p);

/*
 * Invariant: p->hwmap_root is 0 or the root of p's live cached space
 * (set when the space is found or made, cleared when it is evicted), so
 * a non-zero value can be used without a lookup; its slot is not marked
 * used then (the LRU order sees only lookups).
 *
 * The root table to run process p on. Creates the cached space if p has
 * none (evicting another space if the pool is full). Never fails: the
 * pool always holds at least one root per space slot. O(1) when p's
 * hint holds, as it does unless its space was evicted.
 */
static inline uint64_t hwmap_root(struct process *p)
{
    if (!hwmap_hint_valid(p))
        return hwmap_root_lookup(p);
    hw_space_t *s = &hwmap_spaces[p->hwmap_hint];
    s->last_use = ++hwmap_use_clock;
    return s->root;
}

/*
 * Resolve a user fault at va for `access` (ARCH_ACCESS_* bits): walk p's
 * GPT space, and if it yields a Page the access may use, install the
 * mapping. Returns ERR_OK when the access can be retried, else the walk's
 * error, with *w filled in for fault delivery (keeper, address).
 */
cairn_error_t hwmap_fault(struct process *p, uint64_t va, unsigned access,
                          gpt_walk_t *w);

/* Drop p's cached space (its address space changed or it is dying). */
void hwmap_forget(struct process *p);

/* Counters for tests and the boot report. */
typedef struct hwmap_stats {
    uint32_t pool_frames, pool_free;
    uint32_t spaces_live, evictions;
    uint32_t records_live;
    uint64_t faults_resolved, unmaps;
} hwmap_stats_t;

void hwmap_get_stats(hwmap_stats_t *s);
