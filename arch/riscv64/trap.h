/*
 * Trap handling: the frame trap.S builds, the C dispatcher, and the
 * classification of exceptions into the portable fault kinds.
 *
 * A trap from the kernel saves all 31 registers plus sepc, sstatus,
 * scause and stval in a trap_frame_t on the kernel stack (layout fixed by
 * TF_* in layout.h), unless sp is outside the kernel stack (an overflow
 * into the guard page), in which case a separate emergency stack keeps
 * the report readable; trap_dispatch handles it and the frame resumes.
 *
 * A trap from user mode saves the registers into the user context
 * (cpu_boot.user_ctx, layout CTX_* in layout.h), switches to
 * cpu_boot.kstack_top and calls trap_from_user, which hands the event to
 * the portable kernel and never returns.
 */
#pragma once

#include <stdint.h>

#include "arch.h"
#include "layout.h"

typedef struct {
    uint64_t regs[32];      /* regs[n] = xn; regs[0] unused */
    uint64_t sepc;
    uint64_t sstatus;
    uint64_t scause;
    uint64_t stval;
} trap_frame_t;

_Static_assert(__builtin_offsetof(trap_frame_t, sepc) == TF_SEPC, "TF_SEPC");
_Static_assert(__builtin_offsetof(trap_frame_t, sstatus) == TF_SSTATUS, "TF_SSTATUS");
_Static_assert(__builtin_offsetof(trap_frame_t, scause) == TF_SCAUSE, "TF_SCAUSE");
_Static_assert(__builtin_offsetof(trap_frame_t, stval) == TF_STVAL, "TF_STVAL");
_Static_assert(sizeof(trap_frame_t) == TF_SIZE, "TF_SIZE");

/* The frame's sp slot, which the kernel-fault report checks. */
enum { REG_SP = 2 };

/* Point stvec at trap_entry and mark this CPU as in the kernel. */
void trap_init(void);

/* Called by trap.S with the saved frame; returning resumes the frame. */
void trap_dispatch(trap_frame_t *f);

/*
 * The portable kind of the exception `scause` at `stval`, judged by
 * walking the current page tables (see trap.c for the rules).
 */
fault_kind_t trap_classify(uint64_t scause, uint64_t stval);

/*
 * Called by trap_entry.S for every trap from user mode, on a fresh
 * kernel stack with interrupts off, the registers already in ctx (pc is
 * the trapping instruction). Ends in kernel_syscall (pc moved past the
 * ecall), kernel_user_fault, or, after the device part of an interrupt,
 * kernel_user_interrupt.
 */
__attribute__((noreturn)) void trap_from_user(uint64_t *ctx, uint64_t scause,
                                              uint64_t stval);

/*
 * Enter user mode in ctx: restore every register and sret. Only
 * arch_user_resume calls it, having set what trap_entry.S lists.
 */
__attribute__((noreturn)) void trap_resume_user(const uint64_t *ctx);

#ifdef CAIRN_KTEST
/*
 * Test-only stand-ins for the three kernel_* entries from user mode, so
 * the port's tests can run U-mode code without the portable process
 * layer. Each hook that is set is called instead of its kernel_*
 * function, with the same arguments, and must not return.
 */
typedef struct {
    __attribute__((noreturn)) void (*syscall)(uint64_t *ctx);
    __attribute__((noreturn)) void (*fault)(uint64_t *ctx, fault_kind_t kind,
                                            uint64_t addr, unsigned access);
    __attribute__((noreturn)) void (*interrupt)(uint64_t *ctx);
} trap_user_test_hooks_t;

/* Install hooks (kept by pointer; NULL: the kernel_* functions again). */
void trap_set_user_test_hooks(const trap_user_test_hooks_t *hooks);
#endif
