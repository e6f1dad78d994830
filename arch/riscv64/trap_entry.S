/*
 * Trap entry and exit (see trap.h and cpu.h for the conventions).
 *
 * On entry nothing may be clobbered before it is saved, so the three
 * paths borrow exactly one register through sscratch or the per-CPU
 * scratch slot:
 *   - from the kernel (sscratch == 0): a trap_frame_t goes on the
 *     current stack, if sp lies inside the kernel stack;
 *   - from the kernel with sp outside it (a stack overflow into the
 *     guard page): the frame goes on the emergency stack, so the fault
 *     can still be reported instead of faulting forever;
 *   - from user mode (sscratch == &cpu_boot): the registers go straight
 *     into the context arch_user_resume left in cpu_boot.user_ctx, sp
 *     becomes the top of the kernel stack, sscratch becomes 0, and
 *     trap_from_user never returns. No user register is trusted: user
 *     sp, gp and tp are only saved (the kernel uses neither gp nor tp).
 * trap_return resumes a kernel frame; trap_resume_user enters user mode.
 */
#include "layout.h"

/* Store/load every register but sp (x2) in the kernel frame at sp. */
.macro SAVE_REGS
    .irp n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd      x\n, (8 * \n)(sp)
    .endr
.endm

.macro RESTORE_REGS
    .irp n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      x\n, (8 * \n)(sp)
    .endr
.endm

/* Store every user register but sp (x2) and t0 (x5) into the context at t0. */
.macro SAVE_CTX
    .irp n, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd      x\n, CTX_REG(\n)(t0)
    .endr
.endm

/* Load every register but a0 (x10) from the context at a0. */
.macro RESTORE_CTX
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      x\n, CTX_REG(\n)(a0)
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
    SAVE_REGS
    addi    t0, sp, TF_SIZE
    sd      t0, TF_REG(2)(sp)
    j       trap_common

bad_stack:
    csrrw   t0, sscratch, sp            /* t0 restored; sscratch = bad sp */
    lla     sp, trap_emergency_stack_top
    addi    sp, sp, -TF_SIZE
    SAVE_REGS
    csrrw   t0, sscratch, zero
    sd      t0, TF_REG(2)(sp)
    j       trap_common

from_user:                              /* sp = &cpu_boot, sscratch = user sp */
    sd      t0, CPU_SCRATCH(sp)
    ld      t0, CPU_USER_CTX(sp)
    SAVE_CTX
    ld      t1, CPU_SCRATCH(sp)
    sd      t1, CTX_REG(5)(t0)
    csrrw   t1, sscratch, zero
    sd      t1, CTX_REG(2)(t0)
    csrr    t1, sepc
    sd      t1, CTX_PC(t0)
    ld      sp, CPU_KSTACK_TOP(sp)
    mv      a0, t0
    csrr    a1, scause
    csrr    a2, stval
    call    trap_from_user
1:  j       1b                          /* trap_from_user never returns */

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

/* Resume the kernel frame at sp. Interrupts stay off until sret. */
trap_return:
    ld      t0, TF_SSTATUS(sp)
    csrw    sstatus, t0
    csrci   sstatus, SSTATUS_SIE
    ld      t0, TF_SEPC(sp)
    csrw    sepc, t0
    RESTORE_REGS
    ld      sp, TF_REG(2)(sp)
    sret

/*
 * void trap_resume_user(const uint64_t *ctx)
 * Pre (arch_user_resume): interrupts off, satp, sstatus.SPP/SPIE and
 * cpu_boot.user_ctx set. From the sscratch write on, a trap counts as
 * one from user mode, so nothing between it and sret may fault.
 */
    .globl trap_resume_user
trap_resume_user:
    ld      t0, CTX_PC(a0)
    csrw    sepc, t0
    lla     t0, cpu_boot
    csrw    sscratch, t0
    RESTORE_CTX
    ld      a0, CTX_REG(10)(a0)
    sret

    .section .bss
    .balign 16
trap_emergency_stack:
    .space  8192
trap_emergency_stack_top:
