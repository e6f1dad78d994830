/*
 * The x86_64 port's fixed numbers, shared by assembly and C: the virtual
 * memory layout, the GDT selectors and the per-CPU area's field offsets.
 *
 * Virtual layout (48-bit, 4-level paging):
 *   0x0000000000000000 - 0x00007fffffffffff  user half (empty in the kernel's
 *                                             own tables)
 *   0xffff800000000000 - +PHYSMAP_MAX        physical map: phys p at
 *                                             PHYSMAP_BASE + p, RW, NX
 *   0xffffffff80000000 + phys                 the kernel image, linked at
 *                                             KERNEL_VMA + KERNEL_PHYS
 *
 * The selector order is fixed by SYSRET: user data must sit 8 bytes after
 * STAR[63:48] and user 64-bit code 16 bytes after it.
 */
#pragma once

#define KERNEL_VMA    0xffffffff80000000
#define KERNEL_PHYS   0x100000           /* loaded at 1 MiB */
#define PHYSMAP_BASE  0xffff800000000000
#define PHYSMAP_MAX   (64ull << 30)      /* RAM above this is not used */

#define SEL_NULL        0x00
#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_SYSRET_BASE 0x18             /* a null slot: no 32-bit user code */
#define SEL_USER_DATA   0x20
#define SEL_USER_CODE   0x28
#define SEL_TSS         0x30             /* two slots */
#define RPL_USER        3

/* x86_percpu_t field offsets (checked by static_assert in syscall.h). */
#define PERCPU_SELF        0
#define PERCPU_KERNEL_RSP  8
#define PERCPU_USER_RSP    16
#define PERCPU_USER_CTX    24

/*
 * A user context (a Process's arch_regs; context.h): byte offsets of the
 * saved registers. Words 0-17 are also the user-visible register file,
 * in GDB's amd64 order; words 18-39 are unused and stay zero.
 */
#define CTX_RAX     (0 * 8)
#define CTX_RBX     (1 * 8)
#define CTX_RCX     (2 * 8)
#define CTX_RDX     (3 * 8)
#define CTX_RSI     (4 * 8)
#define CTX_RDI     (5 * 8)
#define CTX_RBP     (6 * 8)
#define CTX_RSP     (7 * 8)
#define CTX_R8      (8 * 8)
#define CTX_R9      (9 * 8)
#define CTX_R10     (10 * 8)
#define CTX_R11     (11 * 8)
#define CTX_R12     (12 * 8)
#define CTX_R13     (13 * 8)
#define CTX_R14     (14 * 8)
#define CTX_R15     (15 * 8)
#define CTX_RIP     (16 * 8)
#define CTX_RFLAGS  (17 * 8)
#define CTX_WORDS   18

/* x86_frame_t layout, in bytes from its start (checked in trap.h). */
#define FRAME_VECTOR  (15 * 8)
#define FRAME_RIP     (17 * 8)
#define FRAME_CS      (18 * 8)
#define FRAME_RFLAGS  (19 * 8)
#define FRAME_RSP     (20 * 8)
#define FRAME_SIZE    (22 * 8)

/* Every kernel stack: STACK_BYTES above an unmapped STACK_GUARD page. */
#define STACK_GUARD   4096
#define STACK_BYTES   (16 * 1024)

/* Which loader entered the kernel: boot.S passes this to x86_boot_main. */
#define LOADER_PVH    1
#define LOADER_MB2    2

/* User addresses: [0, USER_VA_LIMIT), the lower canonical half. */
#define USER_VA_LIMIT 0x0000800000000000

/* The `syscall` instruction's length: arch_syscall_restart steps back by it. */
#define SYSCALL_INSN_SIZE 2
