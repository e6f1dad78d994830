/*
 * The riscv64 port's fixed numbers: the Sv39 virtual memory layout, page
 * table entry bits, the CSR bits the port uses, and the layouts of the
 * trap frame and the per-CPU block, which the assembly reads by offset.
 * This header is included from both C and assembly, so it holds only
 * #defines outside the __ASSEMBLY__ guard.
 *
 * Virtual memory (Sv39, 39-bit addresses, the upper half is the kernel's):
 *
 *   0x0000000000000000-0x0000003fffffffff  user (256 GiB): each address
 *                                          space's own tables (pt.c)
 *   0xffffffc000000000-0xffffffdfffffffff  physical map: VA = base + PA,
 *                                          all RAM, RW, never executable
 *   0xffffffe000000000-0xffffffefffffffff  device window: VA = base + PA,
 *                                          only the MMIO pages mapped, RW
 *   0xffffffff80200000-...                 the kernel image (text RX,
 *                                          rodata R, data/bss RW), loaded
 *                                          at physical 0x80200000
 */
#pragma once

#ifdef __ASSEMBLY__
#define RV_U64(x) x
#else
#define RV_U64(x) x##ULL
#endif

/* ---- Memory layout -------------------------------------------------------- */

#define KERNEL_PHYS_BASE    RV_U64(0x80200000)
#define KERNEL_VIRT_BASE    RV_U64(0xffffffff80200000)
/* VA - PA for every byte of the kernel image. */
#define KERNEL_VIRT_OFFSET  RV_U64(0xffffffff00000000)

#define PHYSMAP_BASE        RV_U64(0xffffffc000000000)
#define PHYSMAP_SIZE        RV_U64(0x0000002000000000)   /* 128 GiB of PA */
#define DEVMAP_BASE         RV_U64(0xffffffe000000000)
#define DEVMAP_SIZE         RV_U64(0x0000001000000000)   /* 64 GiB of PA */

/* User addresses are [0, USER_VA_LIMIT): the lower 256 root entries. */
#define USER_VA_LIMIT       RV_U64(0x0000004000000000)

#define PAGE_SIZE           4096
#define PAGE_SHIFT          12
#define KERNEL_STACK_SIZE   16384

/* The fallback console when the device tree names none (QEMU virt). */
#define UART_DEFAULT_PHYS   RV_U64(0x10000000)

/* ---- Sv39 page table entries ------------------------------------------ */

#define PTE_V   (1 << 0)
#define PTE_R   (1 << 1)
#define PTE_W   (1 << 2)
#define PTE_X   (1 << 3)
#define PTE_U   (1 << 4)
#define PTE_G   (1 << 5)
#define PTE_A   (1 << 6)
#define PTE_D   (1 << 7)
#define PTE_PPN_SHIFT 10

#define SATP_MODE_SV39      RV_U64(0x8000000000000000)

/* ---- CSR bits -------------------------------------------------------------- */

#define SSTATUS_SIE   (1 << 1)
#define SSTATUS_SPIE  (1 << 5)
#define SSTATUS_SPP   (1 << 8)
#define SSTATUS_FS    (3 << 13)
#define SSTATUS_SUM   (1 << 18)
#define SSTATUS_MXR   (1 << 19)
#define SSTATUS_VS    (3 << 9)

#define SCOUNTEREN_CY (1 << 0)        /* U-mode may read cycle */
#define SCOUNTEREN_TM (1 << 1)        /* ... time */
#define SCOUNTEREN_IR (1 << 2)        /* ... instret */

#define SIE_SSIE      (1 << 1)
#define SIE_STIE      (1 << 5)
#define SIE_SEIE      (1 << 9)

#define SCAUSE_INTERRUPT RV_U64(0x8000000000000000)

/* ---- Trap frame (trap_frame_t in trap.h) -------------------------------- */

/* x1..x31 at 8*n; slot 0 (x0 is always zero) holds nothing. */
#define TF_REG(n)     (8 * (n))
#define TF_SEPC       256
#define TF_SSTATUS    264
#define TF_SCAUSE     272
#define TF_STVAL      280
#define TF_SIZE       288            /* a multiple of 16: keeps sp aligned */

/* ---- User context (a Process's arch_regs; context.c) -------------------- */

/* x1..x31 in words 0..30, so x0 needs no slot. */
#define CTX_REG(n)    (8 * ((n) - 1))
#define CTX_PC        248            /* word 31: sepc, the next instruction */
#define CTX_STATUS    256            /* word 32: kernel-only sstatus bits */
#define CTX_WORDS     33
#define ECALL_SIZE    4              /* ecall has no compressed form */

/* ---- Per-CPU block (cpu_local_t in cpu.h) ------------------------------- */

#define CPU_KSTACK_TOP   0    /* the fresh kernel sp on a trap from U-mode */
#define CPU_SCRATCH      8    /* one register's worth of room for trap entry */
#define CPU_HART_ID      16   /* the hart's id from the firmware */
#define CPU_USER_CTX     24   /* where a trap from user mode saves registers */
#define CPU_LOCAL_SIZE   32
