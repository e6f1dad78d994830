/*
 * Trap handling: the frame trap.S builds, the C dispatcher, and the
 * classification of exceptions into the portable fault kinds.
 *
 * Every trap saves all 31 registers plus sepc, sstatus, scause and stval
 * in a trap_frame_t on the kernel stack (layout fixed by TF_* in
 * layout.h). A trap from the kernel uses the current stack, unless sp is
 * outside the kernel stack (an overflow into the guard page), in which
 * case a separate emergency stack keeps the report readable. A trap from
 * user mode switches to cpu_boot.kstack_top (see cpu.h).
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

/* ABI register numbers used by C code that edits a frame. */
enum { REG_RA = 1, REG_SP = 2, REG_A0 = 10, REG_A1 = 11, REG_A2 = 12, REG_A3 = 13 };

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
 * Who handles synchronous exceptions from user mode. The process layer
 * is not there yet; until it is, only tests install one. With none, a
 * user exception is reported and treated as fatal.
 */
typedef void (*trap_user_handler_t)(trap_frame_t *f);
void trap_set_user_handler(trap_user_handler_t h);

/*
 * Leave the kernel for the user context in *f: the frame is copied to
 * the top of the kernel stack (cpu_boot.kstack_top) and resumed with
 * sret. f->sstatus must have SPP clear. Never returns; the next trap
 * from user mode starts again at the top of that stack.
 */
__attribute__((noreturn)) void trap_enter_user(const trap_frame_t *f);
