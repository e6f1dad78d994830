/*
 * The ring-3 boundary (user.h): entering a user context, and handing
 * each entry from ring 3 to the portable kernel.
 *
 * What arch_user_resume guarantees, whatever the context holds:
 *   - ring 3 runs with IF set and IOPL 0 (the flags go through
 *     context_run_flags, and CS/SS are the user selectors by
 *     construction);
 *   - a rip that is not canonical is never handed to sysretq or iretq
 *     (Intel raises that #GP in ring 0, on the user's stack for
 *     sysretq). The context is reported instead, as the CPU would on
 *     AMD: a PROTECTION fault at that rip, on a fresh stack;
 *   - no state of the previous context reaches this one: every general
 *     register comes from ctx, the data selectors that ring 3 may have
 *     loaded are reset to null, and there is no FPU state (user_init).
 *
 * State: the test hooks, set only by the port's tests with interrupts
 * off; everything else is per-CPU (syscall.h; user_ctx is written
 * through GS, which is the kernel's per-CPU area until the exit's
 * swapgs) or in the context.
 */
#include "user.h"

#include "arch.h"
#include "context.h"
#include "cpu.h"
#include "panic.h"
#include "pt.h"
#include "syscall.h"

#define VECTOR_GENERAL_PROTECTION 13

#ifdef CAIRN_KTEST
static const user_test_hooks_t *test_hooks;
static unsigned test_refused;

void user_set_test_hooks(const user_test_hooks_t *hooks)
{
    test_hooks = hooks;
}

unsigned user_test_refused(void)
{
    return test_refused;
}
#endif

void user_init(void)
{
    write_cr0((read_cr0() | CR0_EM) & ~(CR0_MP | CR0_TS));
    write_cr4(read_cr4() & ~(CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE |
                             CR4_FSGSBASE));
}

void user_syscall(uint64_t *ctx)
{
#ifdef CAIRN_KTEST
    if (test_hooks && test_hooks->syscall)
        test_hooks->syscall(ctx);
#endif
    kernel_syscall(ctx);
}

void user_fault(uint64_t *ctx, fault_kind_t kind, uint64_t addr,
                unsigned access)
{
#ifdef CAIRN_KTEST
    if (test_hooks && test_hooks->fault)
        test_hooks->fault(ctx, kind, addr, access);
#endif
    kernel_user_fault(ctx, kind, addr, access);
}

void user_interrupt(uint64_t *ctx)
{
#ifdef CAIRN_KTEST
    if (test_hooks && test_hooks->interrupt)
        test_hooks->interrupt(ctx);
#endif
    kernel_user_interrupt(ctx);
}

/*
 * Null the data selectors ring 3 may have loaded (it can load its own
 * data or code selector, or null), so one context cannot leave a value
 * for the next to see. Loading a selector also loads its segment base:
 * FS's is put back to 0, and GS's (GS_BASE is the kernel's per-CPU
 * pointer until the swapgs on the way out) to the per-CPU area.
 * Called only when one of them is not null (user_selectors).
 */
static __attribute__((noinline)) void user_reset_selectors(void)
{
    if (read_ds() != 0)
        load_ds(0);
    if (read_es() != 0)
        load_es(0);
    if (read_fs() != 0) {
        load_fs(0);
        wrmsr(MSR_FS_BASE, 0);
    }
    if (read_gs() != 0) {
        load_gs(0);
        wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)percpu_this());
    }
}

/* The four data selectors ORed: 0 when all are null, as they nearly
 * always are. */
static inline uint16_t user_selectors(void)
{
    return read_ds() | read_es() | read_fs() | read_gs();
}

/* Every return to ring 3, so it is short: the common case (a context
 * fresh out of a system call, null selectors) is a few tests and
 * sysretq. */
void arch_user_resume(uint64_t *ctx, uint64_t root)
{
    /* Every caller comes from an entry (interrupts off since) or from
     * sched_run, which turns them off; a NULL ctx would fault at once. */
    ASSERT(!(read_rflags() & RFLAGS_IF) && ctx != NULL);
    __asm__ volatile("movq %0, %%gs:%c1" :: "r"(ctx), "i"(PERCPU_USER_CTX) : "memory");
    pt_activate(root);
    if (user_selectors() != 0)
        user_reset_selectors();
    if (context_fresh_from_syscall(ctx))
        x86_user_sysret(ctx);
    ctx[CTX_W_RFLAGS] = context_run_flags(ctx[CTX_W_RFLAGS]);
    if (context_sysret_exact(ctx))
        x86_user_sysret(ctx);
    if (!context_canonical(ctx[CTX_W_RIP])) {
#ifdef CAIRN_KTEST
        test_refused++;
#endif
        x86_user_trap_fresh(ctx, VECTOR_GENERAL_PROTECTION, 0);
    }
    x86_user_iret(ctx);
}
