/*
 * The first instructions. OpenSBI enters here in S-mode at physical
 * 0x80200000 (the lowest loaded address, which kernel.ld makes this
 * code), with a0 = hart id, a1 = physical address of the device tree,
 * paging off and interrupts off.
 *
 * Until satp is written this code runs at its physical address while
 * linked high, so it may only use pc-relative addressing (lla), never an
 * absolute address. It:
 *   1. lets one hart through (the first to arrive) and parks any other;
 *   2. clears .bss;
 *   3. builds boot_root_table: the low 4 GiB identity-mapped (so this
 *      code, the device tree and the UART stay reachable) and the
 *      kernel's high gigabyte mapped to physical 0x80000000;
 *   4. turns on Sv39 and jumps to the high address;
 *   5. sets up the boot stack and calls riscv_boot_main(hart, dtb).
 * The C code replaces these tables before kernel_main, dropping the
 * identity map.
 */
#include "layout.h"

#define BOOT_LEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
/* Root-table index of the kernel's gigabyte, 0xffffffff80000000. */
#define KERNEL_GIGA_INDEX 510

    .section .text.boot, "ax"
    .globl _start
_start:
    csrw    sie, zero
    csrci   sstatus, SSTATUS_SIE
    /* Until trap_init, any trap parks the hart rather than jumping to 0. */
    lla     t0, park
    csrw    stvec, t0

    /* One hart boots; the others park (SMP comes later). */
    lla     t0, boot_lottery
    li      t1, 1
    amoswap.w.aq t1, t1, (t0)
    bnez    t1, park

    mv      s0, a0
    mv      s1, a1

    lla     t0, __bss_start
    lla     t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    /* Identity gigapages 0..3: PTE = (i GiB >> 12) << 10 = i << 28. */
    lla     t0, boot_root_table
    li      t1, 0
    li      t2, 4
3:  slli    t3, t1, 28
    ori     t3, t3, BOOT_LEAF
    slli    t4, t1, 3
    add     t4, t4, t0
    sd      t3, 0(t4)
    addi    t1, t1, 1
    bltu    t1, t2, 3b

    /* The kernel's gigabyte: VA 0xffffffff80000000 -> PA 0x80000000. */
    li      t3, ((0x80000000 >> 12) << 10) | BOOT_LEAF
    li      t4, KERNEL_GIGA_INDEX * 8
    add     t4, t4, t0
    sd      t3, 0(t4)

    srli    t0, t0, 12
    li      t1, SATP_MODE_SV39
    or      t0, t0, t1
    sfence.vma
    csrw    satp, t0
    sfence.vma

    /* The identity map keeps this pc valid; now go high. */
    ld      t0, high_entry_address
    jr      t0

high_entry:
    lla     sp, kernel_stack_top
    mv      a0, s0
    mv      a1, s1
    call    riscv_boot_main
    /* riscv_boot_main never returns; if it did, stop here. */
    .balign 4
park:
    csrw    sie, zero
4:  wfi
    j       4b

    .balign 8
high_entry_address:
    .dword  high_entry

    .section .data
    .balign 4
boot_lottery:
    .word   0

    .section .bss
    .balign PAGE_SIZE
    .globl boot_root_table
boot_root_table:
    .space  PAGE_SIZE
