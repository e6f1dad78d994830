/*
 * The x86_64 part of the seam's inline hooks (kernel/arch.h): where in a
 * saved context (layout.h) each invocation register lives, as a constant
 * the IPC fast path can fold.
 *
 *   INFO rax (0)  TARGET rdi (5)  OPCODE rsi (4)  W0 rdx (3)
 *   W1 r10 (10)   W2 r8 (8)       W3 r9 (9)
 *
 * One nibble per index; context.c checks it against layout.h.
 */
#pragma once

#define ARCH_SYS_WORD_TABLE 0x98a3450u
#define ARCH_SYS_WORD(i)    ((ARCH_SYS_WORD_TABLE >> (4u * (i))) & 0xfu)

/* The physical map's base (layout.h PHYSMAP_BASE, checked in vm.c). */
#define ARCH_PHYSMAP_BASE     0xffff800000000000ull
#define ARCH_PHYSMAP_VIRT(pa) ((void *)(uintptr_t)(ARCH_PHYSMAP_BASE + (pa)))
