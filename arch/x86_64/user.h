/*
 * The ring-3 boundary: arch_user_resume (arch.h) and the C side of every
 * entry from ring 3.
 *
 * A context runs in ring 3 only after arch_user_resume(ctx, root), which
 * makes ctx this CPU's current context (x86_percpu_t.user_ctx). The next
 * entry from ring 3, whatever it is, saves every user register into that
 * ctx (syscall_entry.S, trap_entry.S), starts the kernel stack afresh,
 * and arrives at exactly one of:
 *   user_syscall    the `syscall` instruction (rip is just past it);
 *   user_fault      an exception, classified (trap.c);
 *   user_interrupt  an interrupt, its device part already done.
 * Each hands the event to the portable kernel (kernel_syscall,
 * kernel_user_fault, kernel_user_interrupt) and never returns.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/faults.h"

/*
 * Boot, once, before ring 3 first runs: ring 3 gets no x87/SSE/AVX
 * (CR0.EM set, CR4.OSFXSR and OSXSAVE clear), so there is no FPU state
 * to save and none leaks between processes. An x87 instruction raises
 * #NM and an SSE/AVX one #UD; both arrive as INVALID_OPCODE.
 */
void user_init(void);

/* The entries, as described above. Interrupts off, on a fresh stack. */
__attribute__((noreturn)) void user_syscall(uint64_t *ctx);
__attribute__((noreturn)) void user_fault(uint64_t *ctx, fault_kind_t kind,
                                          uint64_t addr, unsigned access);
__attribute__((noreturn)) void user_interrupt(uint64_t *ctx);

/* The assembly exits (syscall_entry.S); only arch_user_resume calls
 * them. sysret: pre context_sysret_exact(ctx). iret: any context whose
 * rip is canonical. */
__attribute__((noreturn)) void x86_user_sysret(const uint64_t *ctx);
__attribute__((noreturn)) void x86_user_iret(const uint64_t *ctx);

/* Enter x86_user_trap on a fresh kernel stack (syscall_entry.S). */
__attribute__((noreturn)) void x86_user_trap_fresh(uint64_t *ctx, uint64_t vector,
                                                   uint64_t error);

#ifdef CAIRN_KTEST
/*
 * Test-only stand-ins for the three kernel_* entries, so the port's
 * tests can run ring-3 code without the portable process layer. Each
 * hook that is set is called instead of its kernel_* function, with the
 * same arguments, and must not return (it resumes ring 3 or leaves for
 * the test, e.g. with ktest_longjmp).
 */
typedef struct {
    __attribute__((noreturn)) void (*syscall)(uint64_t *ctx);
    __attribute__((noreturn)) void (*fault)(uint64_t *ctx, fault_kind_t kind,
                                            uint64_t addr, unsigned access);
    __attribute__((noreturn)) void (*interrupt)(uint64_t *ctx);
} user_test_hooks_t;

/* Install hooks (kept by pointer; NULL: the kernel_* functions again). */
void user_set_test_hooks(const user_test_hooks_t *hooks);

/*
 * How many contexts arch_user_resume refused to enter (non-canonical
 * rip). TCG raises the same #GP from ring 3 that the refusal reports,
 * so only this count tells the tests the refusal happened.
 */
unsigned user_test_refused(void);
#endif
