/*
 * What happens after trap_entry.S has saved a frame: IRQs are acknowledged and
 * dispatched, and every exception taken in the kernel is reported in full
 * and handed to kernel_fatal_trap with its portable fault kind.
 *
 * Ring 3 has no process model yet, so a ring-3 exception is fatal too,
 * unless a test has installed a user-trap hook (trap_set_user_hook).
 */
#pragma once

#include "abi/faults.h"
#include "frame.h"

/* Called by trap_entry.S with interrupts off. Returns to the interrupted code. */
void x86_trap(x86_frame_t *f);

/*
 * The portable kind of exception `vector` with error code `error`:
 * #PF splits into PAGE (not present), NO_EXECUTE (present, instruction
 * fetch) and PROTECTION (present, any other access).
 */
fault_kind_t trap_classify(uint64_t vector, uint64_t error);

/*
 * A function to call for every trap taken from ring 3 (after an IRQ has
 * been handled, instead of the fatal report for an exception). It may
 * modify the frame, or leave for good through x86_user_resume. NULL
 * removes it. For tests only, until processes exist.
 */
typedef void (*x86_user_hook_t)(x86_frame_t *f);
void trap_set_user_hook(x86_user_hook_t hook);
