/*
 * Per-CPU state the trap entry needs, and CPU control helpers.
 *
 * The sscratch convention: while a CPU runs in the kernel, sscratch is 0;
 * while it runs user code, sscratch holds its cpu_local_t. The trap entry
 * swaps sp with sscratch and so tells at once where it came from, and on
 * a trap from user mode finds in the block the context to save into and
 * the kernel stack to run on. The layout
 * is fixed by CPU_* in layout.h, which the assembly uses.
 */
#pragma once

#include <stdint.h>

#include "layout.h"

typedef struct {
    uint64_t kstack_top;   /* set at boot; a test may move it down */
    uint64_t scratch;      /* trap entry only */
    uint64_t hart_id;      /* set at boot, then read-only */
    uint64_t *user_ctx;    /* arch_user_resume, with interrupts off; the
                              save area of the context running in U-mode */
} cpu_local_t;

_Static_assert(__builtin_offsetof(cpu_local_t, kstack_top) == CPU_KSTACK_TOP,
               "CPU_KSTACK_TOP");
_Static_assert(__builtin_offsetof(cpu_local_t, scratch) == CPU_SCRATCH,
               "CPU_SCRATCH");
_Static_assert(__builtin_offsetof(cpu_local_t, hart_id) == CPU_HART_ID,
               "CPU_HART_ID");
_Static_assert(__builtin_offsetof(cpu_local_t, user_ctx) == CPU_USER_CTX,
               "CPU_USER_CTX");
_Static_assert(sizeof(cpu_local_t) == CPU_LOCAL_SIZE, "CPU_LOCAL_SIZE");

/* The boot CPU's block (the only CPU for now). */
extern cpu_local_t cpu_boot;
