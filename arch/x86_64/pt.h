/*
 * User address spaces in hardware: the arch_pt_* hooks (arch.h) and the
 * CR3 switch arch_user_resume makes. See pt.c for the table shape and
 * the TLB policy.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

/*
 * Make the root table at physical `root` (page aligned, set up by
 * arch_pt_root_init) the one this CPU translates with. Loading CR3
 * flushes every non-global translation, so afterwards the TLB holds
 * nothing of any other root. No-op if root is already live.
 * Pre: interrupts off.
 */
void pt_activate(uint64_t root);

/* Is `root` the table this CPU translates with now (CR3)? */
bool pt_is_live(uint64_t root);

/*
 * The leaf entry that maps user address va in root, or 0 if none does.
 * Walks the tables in memory, not the TLB. For tests and reports.
 */
pte_t pt_lookup(uint64_t root, uint64_t va);
