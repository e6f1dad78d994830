/*
 * The kernel's stacks. All are static, in .bss; each sits directly above a
 * guard page that vm.c leaves unmapped, so running off the bottom of any
 * stack faults instead of silently corrupting its neighbour.
 *
 *   STACK_BOOT     boot.S and kernel_main run here until the kernel has a
 *                  process to run.
 *   STACK_KERNEL   the per-CPU kernel stack: TSS.RSP0 and the syscall
 *                  entry start on its top for every entry from user mode.
 *   STACK_DOUBLE_FAULT, STACK_NMI, STACK_MACHINE_CHECK
 *                  IST stacks, so those three work even when the current
 *                  stack is what broke.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"

typedef enum {
    STACK_BOOT,
    STACK_KERNEL,
    STACK_DOUBLE_FAULT,
    STACK_NMI,
    STACK_MACHINE_CHECK,
    STACK_COUNT
} stack_id_t;

typedef struct {
    uint8_t guard[STACK_GUARD];
    uint8_t bytes[STACK_BYTES];
} __attribute__((aligned(4096))) x86_stack_t;

/* Named in boot.S, which starts on the top of x86_stacks[STACK_BOOT]. */
extern x86_stack_t x86_stacks[STACK_COUNT];

/* One past the highest byte: the initial stack pointer. */
static inline uint64_t stack_top(stack_id_t id)
{
    return (uint64_t)(uintptr_t)(x86_stacks[id].bytes + STACK_BYTES);
}

/* Is `sp` inside stack `id` (not its guard page)? */
static inline bool stack_contains(stack_id_t id, uint64_t sp)
{
    uint64_t low = (uint64_t)(uintptr_t)x86_stacks[id].bytes;
    return sp >= low && sp <= low + STACK_BYTES;
}
