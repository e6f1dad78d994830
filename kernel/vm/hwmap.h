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
 * The root table to run process p on. Creates the cached space if p has
 * none (evicting another space if the pool is full). Never fails: the
 * pool always holds at least one root per space slot.
 */
uint64_t hwmap_root(struct process *p);

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
