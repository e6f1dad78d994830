/*
 * User address spaces in hardware: the arch_pt_* hooks (arch.h) and the
 * satp switch arch_user_resume makes. See pt.c for the table shape and
 * the TLB policy.
 */
#pragma once

#include <stdint.h>

/*
 * Make the root table at physical `root` (page aligned, set up by
 * arch_pt_root_init) the one this CPU translates with. Writing satp is
 * followed by a flush of the whole TLB, so after a switch the TLB holds
 * nothing of any other root. No-op if root is already live.
 * Pre: interrupts off.
 */
void pt_activate(uint64_t root);
