/*
 * User contexts: the layout of a process's saved registers inside its
 * CAIRN_ARCH_REG_WORDS words, the hooks portable code reads and edits
 * them through, and the way back into user mode.
 *
 * Layout (word index; byte offsets CTX_* in layout.h for the assembly):
 *
 *   0..30   x1..x31 (x0 is always zero and has no slot)
 *   31      pc: sepc, the next instruction to run
 *   32      status: the sstatus bits restored on entry (SPIE only);
 *           kernel-only, not in the user-visible register file
 *   33..39  unused, kept zero
 *
 * The user-visible register file (arch_context_get/set) is words 0..31,
 * so index i is x(i+1) for i < 31 and pc for i = 31. Every value is
 * accepted: nothing a user register holds can run the kernel or let it
 * trust user state. The trap entry never reads a user register (sp, gp
 * and tp included), U-mode is forced on every entry (SPP cleared), and a
 * bad pc only makes the process fault. Bit 0 of pc is dropped by the
 * hardware (sepc is 2-byte aligned with the C extension).
 *
 * Floating point is off in user mode (sstatus.FS = Off), so there is no
 * FP state to save: an FP instruction is an illegal instruction fault.
 *
 * Invariant: a context enters U-mode only through arch_user_resume, which
 * records it in cpu_boot.user_ctx, so the next trap from user mode saves
 * into the same words.
 */
#include "arch.h"

#include "cpu.h"
#include "csr.h"
#include "layout.h"
#include "panic.h"
#include "pt.h"
#include "trap.h"

enum {
    CTX_W_PC = CTX_PC / 8,
    CTX_W_STATUS = CTX_STATUS / 8,
    CTX_VISIBLE = CTX_W_PC + 1,     /* x1..x31, pc */
    CTX_W_A0 = CTX_REG(10) / 8,
    CTX_W_SP = CTX_REG(2) / 8,
};

_Static_assert(CTX_WORDS <= CAIRN_ARCH_REG_WORDS,
              "the riscv64 context does not fit a Process's register area");
_Static_assert(CTX_W_PC == 31 && CTX_W_STATUS == 32 && CTX_W_A0 == 9,
              "layout.h CTX_* offsets");
_Static_assert(CTX_W_A0 + ARCH_SYS_REGS <= CTX_W_PC,
              "the invocation registers are a0..a6");

const unsigned arch_context_regs = CTX_VISIBLE;

void arch_context_init(uint64_t *ctx, uint64_t pc, uint64_t sp)
{
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        ctx[i] = 0;
    ctx[CTX_W_PC] = pc;
    ctx[CTX_W_SP] = sp;
    /* SPIE: sret sets SIE from it. U-mode takes S interrupts whatever SIE
     * says, but a trap then leaves SPIE as the state to come back to. */
    ctx[CTX_W_STATUS] = SSTATUS_SPIE;
}

uint64_t arch_context_pc(const uint64_t *ctx)
{
    return ctx[CTX_W_PC];
}

void arch_context_set_pc(uint64_t *ctx, uint64_t pc)
{
    ctx[CTX_W_PC] = pc;
}

uint64_t arch_context_get(const uint64_t *ctx, unsigned i)
{
    return i < CTX_VISIBLE ? ctx[i] : 0;
}

bool arch_context_set(uint64_t *ctx, unsigned i, uint64_t value)
{
    if (i >= CTX_VISIBLE)
        return false;
    ctx[i] = value;
    return true;
}

/* ARCH_SYS_INFO .. ARCH_SYS_W3 are a0 .. a6 (x10 .. x16), in order:
 * arch_inline.h. */
_Static_assert(ARCH_SYS_WORD(ARCH_SYS_INFO) == CTX_W_A0 &&
               ARCH_SYS_WORD(ARCH_SYS_W3) == CTX_W_A0 + 6,
               "arch_inline.h binds the invocation registers to a0..a6");

void arch_syscall_restart(uint64_t *ctx)
{
    ctx[CTX_W_PC] -= ECALL_SIZE;
}

/* Every return to U-mode, the IPC fast path's included: kept short. A
 * NULL ctx would fault at once (a debug kernel checks). */
void arch_user_resume(uint64_t *ctx, uint64_t root)
{
    ASSERT(ctx != NULL);
    /* Interrupts off, and SPP clear: sret can only reach U-mode, whatever
     * ctx holds. */
    csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPP | SSTATUS_SPIE);
    cpu_boot.user_ctx = ctx;
    pt_activate(root);
    csr_set(sstatus, ctx[CTX_W_STATUS] & SSTATUS_SPIE);
    trap_resume_user(ctx);
}
