/*
 * The riscv64 part of the seam's inline hooks (kernel/arch.h): the
 * invocation registers are a0..a6 (x10..x16), which a saved context
 * (layout.h: word n - 1 holds xn) keeps in words 9..15.
 */
#pragma once

#define ARCH_SYS_WORD(i) (9u + (i))

/* The physical map's base (layout.h PHYSMAP_BASE, checked in mmu.c). */
#define ARCH_PHYSMAP_BASE     0xffffffc000000000ull
#define ARCH_PHYSMAP_VIRT(pa) ((void *)(uintptr_t)(ARCH_PHYSMAP_BASE + (pa)))
