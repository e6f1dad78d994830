/*
 * User address spaces in hardware: the arch_pt_* hooks (arch.h) and the
 * CR3 switch arch_user_resume makes. See pt.c for the table shape and
 * the TLB policy.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "panic.h"
#include "vm.h"

/*
 * Make the root table at physical `root` (page aligned, set up by
 * arch_pt_root_init) the one this CPU translates with. Loading CR3
 * flushes every non-global translation, so afterwards the TLB holds
 * nothing of any other root. No-op if root is already live.
 * Pre: interrupts off.
 */
static inline void pt_activate(uint64_t root);

/* Is `root` the table this CPU translates with now (CR3)? */
static inline bool pt_is_live(uint64_t root)
{
    return (read_cr3() & PTE_ADDR) == root;
}

/* Every exit to ring 3 comes through here, so it is inline. */
static inline void pt_activate(uint64_t root)
{
    ASSERT((root & PTE_ADDR) == root && root != 0);
    if (read_cr3() != root)          /* CR3 holds no flag bits: no PCID */
        write_cr3(root);
}

/*
 * The leaf entry that maps user address va in root, or 0 if none does.
 * Walks the tables in memory, not the TLB. For tests and reports.
 */
pte_t pt_lookup(uint64_t root, uint64_t va);
