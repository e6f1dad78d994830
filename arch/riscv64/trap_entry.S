/*
 * Trap entry and exit (see trap.h and cpu.h for the conventions).
 *
 * On entry nothing may be clobbered before it is saved, so the three
 * paths borrow exactly one register through sscratch or the per-CPU
 * scratch slot:
 *   - from the kernel (sscratch == 0): the frame goes on the current
 *     stack, if sp lies inside the kernel stack;
 *   - from the kernel with sp outside it (a stack overflow into the
 *     guard page): the frame goes on the emergency stack, so the fault
 *     can still be reported instead of faulting forever;
 *   - from user mode (sscratch == &cpu_boot): the frame goes at the top
 *     of the kernel stack, and sscratch becomes 0 while in the kernel.
 * trap_return restores a frame and, when it returns to user mode, puts
 * the per-CPU pointer back in sscratch.
 */
#include "layout.h"

/* Store/load every register but sp (x2) and, optionally, t0 (x5). */
.macro SAVE_REGS skip_t0
    .irp n, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd      x\n, (8 * \n)(sp)
    .endr
    .if \skip_t0 == 0
    sd      x5, (8 * 5)(sp)
    .endif
.endm

.macro RESTORE_REGS
    .irp n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      x\n, (8 * \n)(sp)
    .endr
.endm

    .section .text
    .balign 4
    .globl trap_entry
trap_entry:
    csrrw   sp, sscratch, sp
    bnez    sp, from_user

    /* From the kernel: undo the swap (sp = kernel sp, sscratch = 0). */
    csrrw   sp, sscratch, sp
    csrw    sscratch, t0
    lla     t0, kernel_stack_bottom + TF_SIZE
    bltu    sp, t0, bad_stack
    lla     t0, kernel_stack_top
    bgtu    sp, t0, bad_stack
    csrrw   t0, sscratch, zero
    addi    sp, sp, -TF_SIZE
    SAVE_REGS 0
    addi    t0, sp, TF_SIZE
    sd      t0, TF_REG(2)(sp)
    j       trap_common

bad_stack:
    csrrw   t0, sscratch, sp            /* t0 restored; sscratch = bad sp */
    lla     sp, trap_emergency_stack_top
    addi    sp, sp, -TF_SIZE
    SAVE_REGS 0
    csrrw   t0, sscratch, zero
    sd      t0, TF_REG(2)(sp)
    j       trap_common

from_user:                              /* sp = &cpu_boot, sscratch = user sp */
    sd      t0, CPU_SCRATCH(sp)
    mv      t0, sp
    ld      sp, CPU_KSTACK_TOP(t0)
    addi    sp, sp, -TF_SIZE
    SAVE_REGS 1
    ld      t1, CPU_SCRATCH(t0)
    sd      t1, TF_REG(5)(sp)
    csrrw   t1, sscratch, zero
    sd      t1, TF_REG(2)(sp)

trap_common:
    csrr    t0, sepc
    sd      t0, TF_SEPC(sp)
    csrr    t0, sstatus
    sd      t0, TF_SSTATUS(sp)
    csrr    t0, scause
    sd      t0, TF_SCAUSE(sp)
    csrr    t0, stval
    sd      t0, TF_STVAL(sp)
    mv      a0, sp
    call    trap_dispatch

/* Resume the frame at sp. Interrupts stay off until sret. */
trap_return:
    ld      t0, TF_SSTATUS(sp)
    csrw    sstatus, t0
    csrci   sstatus, SSTATUS_SIE
    andi    t0, t0, SSTATUS_SPP
    bnez    t0, 1f
    lla     t0, cpu_boot
    csrw    sscratch, t0
1:  ld      t0, TF_SEPC(sp)
    csrw    sepc, t0
    RESTORE_REGS
    ld      sp, TF_REG(2)(sp)
    sret

/* void trap_enter_user(const trap_frame_t *f) */
    .globl trap_enter_user
trap_enter_user:
    csrci   sstatus, SSTATUS_SIE
    lla     t0, cpu_boot
    ld      sp, CPU_KSTACK_TOP(t0)
    addi    sp, sp, -TF_SIZE
    li      t1, 0
    li      t2, TF_SIZE
2:  add     t3, a0, t1
    ld      t4, 0(t3)
    add     t3, sp, t1
    sd      t4, 0(t3)
    addi    t1, t1, 8
    bltu    t1, t2, 2b
    j       trap_return

    .section .bss
    .balign 16
trap_emergency_stack:
    .space  8192
trap_emergency_stack_top:
