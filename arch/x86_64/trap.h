/*
 * What happens after trap_entry.S has saved the state.
 *
 * In the kernel: IRQs are acknowledged and dispatched, and every
 * exception is reported in full and handed to kernel_fatal_trap with its
 * portable fault kind. NMI, #DF and #MC are fatal from ring 3 too.
 *
 * From ring 3: the device part of an interrupt is done here, then the
 * event goes to the portable kernel through user.c (user_interrupt,
 * user_fault) with its portable classification.
 */
#pragma once

#include <stdint.h>

#include "abi/faults.h"
#include "frame.h"

/* Called by trap_entry.S with interrupts off. Returns to the interrupted code. */
void x86_trap(x86_frame_t *f);

/*
 * Called by trap_entry.S for an interrupt or exception from ring 3, on a
 * fresh kernel stack with interrupts off, the user registers already in
 * ctx. A #PF reports CR2 and its access (write if the W bit, execute if
 * the I/D bit, else read); any other exception reports its rip and no
 * access.
 */
__attribute__((noreturn)) void x86_user_trap(uint64_t *ctx, uint64_t vector,
                                             uint64_t error);

/*
 * The portable kind of exception `vector` with error code `error`:
 * #PF splits into PAGE (not present), NO_EXECUTE (present, instruction
 * fetch) and PROTECTION (present, any other access).
 */
fault_kind_t trap_classify(uint64_t vector, uint64_t error);
