/*
 * The arch seam's user-context hooks (arch.h): the register file a
 * Process shows through read_regs/write_regs, and the invocation
 * registers of a system call. Layout: context.h and layout.h.
 *
 * What must hold for every context, whoever wrote it: it can only ever
 * run in ring 3, with interrupts on and IOPL 0. arch_context_set is the
 * gate for values from outside the kernel and refuses (returning false,
 * changing nothing) anything that would not be a plain user state: a rip
 * or rsp outside the user half, or a privileged or reserved rflags bit.
 * Hooks that take the kernel's word for a value (arch_context_init,
 * arch_context_set_pc) are not checked here; arch_user_resume forces the
 * flags and never enters a context whose rip is not canonical (user.c).
 *
 * rcx and r11 are not preserved across a system call: `syscall` puts
 * the return rip and the rflags there, and the context saves them as
 * they are, so a context just out of a system call has rcx == rip and
 * r11 == rflags, which is what lets the exit use sysretq.
 */
#include "context.h"

#include "arch.h"
#include "panic.h"

_Static_assert(CTX_WORDS <= CAIRN_ARCH_REG_WORDS,
               "the x86_64 context does not fit a Process's register area");
_Static_assert(CTX_W_R15 == 15 && CTX_W_RIP == 16 && CTX_W_RFLAGS == 17,
               "layout.h CTX_* offsets: the GPRs, then rip and rflags");
_Static_assert((RFLAGS_USER_SETTABLE & (RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF |
                RFLAGS_VM | RFLAGS_VIF | RFLAGS_VIP | RFLAGS_IF)) == 0,
               "no privileged flag is user-settable");

const unsigned arch_context_regs = CTX_WORDS;

_Static_assert(ARCH_SYS_WORD(ARCH_SYS_INFO) == CTX_W_RAX &&
               ARCH_SYS_WORD(ARCH_SYS_TARGET) == CTX_W_RDI &&
               ARCH_SYS_WORD(ARCH_SYS_OPCODE) == CTX_W_RSI &&
               ARCH_SYS_WORD(ARCH_SYS_W0) == CTX_W_RDX &&
               ARCH_SYS_WORD(ARCH_SYS_W1) == CTX_W_R10 &&
               ARCH_SYS_WORD(ARCH_SYS_W2) == CTX_W_R8 &&
               ARCH_SYS_WORD(ARCH_SYS_W3) == CTX_W_R9,
               "arch_inline.h binds the invocation registers: rax rdi rsi rdx "
               "r10 r8 r9");

void arch_context_init(uint64_t *ctx, uint64_t pc, uint64_t sp)
{
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        ctx[i] = 0;
    ctx[CTX_W_RIP] = pc;
    ctx[CTX_W_RSP] = sp;
    ctx[CTX_W_RFLAGS] = RFLAGS_USER_FORCED;
}

uint64_t arch_context_pc(const uint64_t *ctx)
{
    return ctx[CTX_W_RIP];
}

void arch_context_set_pc(uint64_t *ctx, uint64_t pc)
{
    ctx[CTX_W_RIP] = pc;
}

uint64_t arch_context_get(const uint64_t *ctx, unsigned i)
{
    return i < CTX_WORDS ? ctx[i] : 0;
}

/* Would register i holding value still be a plain ring-3 state? */
static bool context_value_ok(unsigned i, uint64_t value)
{
    switch (i) {
    case CTX_W_RIP:
    case CTX_W_RSP:
        return context_user_address(value);
    case CTX_W_RFLAGS:
        return (value & ~(RFLAGS_USER_SETTABLE | RFLAGS_USER_FORCED)) == 0;
    default:
        return i < CTX_WORDS;
    }
}

/* IF and bit 1 are accepted clear and stored set, as popfq treats IF. */
bool arch_context_set(uint64_t *ctx, unsigned i, uint64_t value)
{
    if (!context_value_ok(i, value))
        return false;
    ctx[i] = i == CTX_W_RFLAGS ? value | RFLAGS_USER_FORCED : value;
    return true;
}

/*
 * Back onto the `syscall`. rcx follows rip: it is dead across the call
 * (the syscall run again overwrites it), and rcx == rip keeps the exit
 * on sysretq.
 */
void arch_syscall_restart(uint64_t *ctx)
{
    ctx[CTX_W_RIP] -= SYSCALL_INSN_SIZE;
    ctx[CTX_W_RCX] = ctx[CTX_W_RIP];
}
