/*
 * The ring-3 boundary: the syscall/sysret entry path, the per-CPU area it
 * needs, and the first entry to ring 3 through iretq.
 *
 * Entry: syscall lands in x86_syscall_entry (syscall_entry.S), which swaps GS to
 * reach this CPU's x86_percpu_t, saves the user rsp there, switches to the
 * CPU's kernel stack, builds an x86_frame_t and calls x86_syscall. Return
 * is by sysretq, or by iretq when the return rip is not a canonical
 * lower-half address (sysretq would fault in ring 0 on the user's stack).
 *
 * GS convention: in the kernel GS_BASE is the per-CPU area and
 * KERNEL_GS_BASE holds the user's value; every ring-3 entry and exit
 * swaps them, and nothing else does.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "layout.h"

typedef struct x86_percpu {
    struct x86_percpu *self;   /* written once at boot */
    uint64_t kernel_rsp;       /* stack top for ring-3 entries; boot only */
    uint64_t user_rsp;         /* scratch for the syscall stub */
} x86_percpu_t;

_Static_assert(offsetof(x86_percpu_t, self) == PERCPU_SELF, "percpu layout");
_Static_assert(offsetof(x86_percpu_t, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu layout");
_Static_assert(offsetof(x86_percpu_t, user_rsp) == PERCPU_USER_RSP, "percpu layout");

/* Program EFER.SCE, STAR, LSTAR, SFMASK and the GS bases. Boot, once. */
void syscall_init(void);

/* This CPU's area (what GS_BASE holds while in the kernel). */
x86_percpu_t *percpu_this(void);

/* Called by the entry stub with the frame; may change it before return. */
void x86_syscall(x86_frame_t *f);

/*
 * Until processes exist, a test may take over system calls. NULL gives
 * the default, which answers every call with -1.
 */
void syscall_set_hook(void (*hook)(x86_frame_t *f));

/* What x86_user_run saves so that x86_user_resume can return from it. */
typedef struct {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags;
} x86_resume_t;

/*
 * Enter ring 3 at rip with stack rsp (interrupts on, all other registers
 * zero) by iretq. Returns only when some kernel entry calls
 * x86_user_resume(resume, value), and then returns value. Pre: the
 * address space maps rip and rsp for ring 3; interrupts are off.
 */
uint64_t x86_user_run(x86_resume_t *resume, uint64_t rip, uint64_t rsp);

/* Abandon the current kernel entry and return `value` from x86_user_run. */
__attribute__((noreturn)) void x86_user_resume(const x86_resume_t *resume,
                                               uint64_t value);
