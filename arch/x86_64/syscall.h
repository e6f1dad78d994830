/*
 * The syscall/sysret MSRs and the per-CPU area the ring-3 boundary needs.
 *
 * GS convention: in the kernel GS_BASE is this CPU's x86_percpu_t and
 * KERNEL_GS_BASE holds the user's value (always 0; see context.h); every
 * ring-3 entry and exit swaps them, and nothing else does.
 *
 * The entry and exit paths themselves are in syscall_entry.S and
 * trap_entry.S, and their C side in user.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

typedef struct x86_percpu {
    struct x86_percpu *self;   /* written once at boot */
    uint64_t kernel_rsp;       /* stack top for ring-3 entries; boot only */
    uint64_t user_rsp;         /* scratch for the syscall stub */
    uint64_t *user_ctx;        /* the context ring 3 runs in: where the next
                                  entry saves it; arch_user_resume only,
                                  with interrupts off */
} x86_percpu_t;

_Static_assert(offsetof(x86_percpu_t, self) == PERCPU_SELF, "percpu layout");
_Static_assert(offsetof(x86_percpu_t, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu layout");
_Static_assert(offsetof(x86_percpu_t, user_rsp) == PERCPU_USER_RSP, "percpu layout");
_Static_assert(offsetof(x86_percpu_t, user_ctx) == PERCPU_USER_CTX, "percpu layout");

/* Program EFER.SCE, STAR, LSTAR, SFMASK and the GS bases. Boot, once. */
void syscall_init(void);

/* This CPU's area (what GS_BASE holds while in the kernel). */
x86_percpu_t *percpu_this(void);
