/*
 * Test-only assembly for the user-mode round trip (ktest_riscv64.c).
 *
 * ktest_user_code is copied to a user page and run in U-mode. It makes
 * two ecalls, the kernel answering each, then loads from a kernel
 * address, which must fault. Between the ecalls it spins on rdtime until
 * the deadline the kernel gave in a3, so that timer interrupts arrive
 * while it runs and must return to it intact. ktest_user_run saves the kernel's callee-
 * saved registers, makes the user's traps land just below them, and
 * enters user mode; ktest_user_return, called from the trap handler,
 * unwinds back to ktest_user_run's caller with a result.
 */
#include "layout.h"

    .section .text
    .balign 4
    .globl ktest_user_code, ktest_user_code_end
ktest_user_code:
    li      t0, 0x1234
    add     a0, a0, t0
    mv      a1, sp
    ecall                       /* kernel: a0 == start + 0x1234, answers 200 */
2:  rdtime  t2
    bltu    t2, a3, 2b
    addi    a0, a0, 1
    ecall                       /* kernel: a0 == 201 */
    ld      t1, 0(a2)           /* a2 is a kernel address: must fault */
1:  j       1b
ktest_user_code_end:

/* uint64_t ktest_user_run(const trap_frame_t *f) */
    .globl ktest_user_run
ktest_user_run:
    addi    sp, sp, -112
    sd      ra, 0(sp)
    sd      s0, 8(sp)
    sd      s1, 16(sp)
    sd      s2, 24(sp)
    sd      s3, 32(sp)
    sd      s4, 40(sp)
    sd      s5, 48(sp)
    sd      s6, 56(sp)
    sd      s7, 64(sp)
    sd      s8, 72(sp)
    sd      s9, 80(sp)
    sd      s10, 88(sp)
    sd      s11, 96(sp)
    lla     t0, ktest_user_resume_sp
    sd      sp, 0(t0)
    lla     t0, cpu_boot
    sd      sp, CPU_KSTACK_TOP(t0)
    j       trap_enter_user

/* void ktest_user_return(uint64_t result): never returns to its caller */
    .globl ktest_user_return
ktest_user_return:
    lla     t0, ktest_user_resume_sp
    ld      sp, 0(t0)
    ld      ra, 0(sp)
    ld      s0, 8(sp)
    ld      s1, 16(sp)
    ld      s2, 24(sp)
    ld      s3, 32(sp)
    ld      s4, 40(sp)
    ld      s5, 48(sp)
    ld      s6, 56(sp)
    ld      s7, 64(sp)
    ld      s8, 72(sp)
    ld      s9, 80(sp)
    ld      s10, 88(sp)
    ld      s11, 96(sp)
    addi    sp, sp, 112
    ret

    .section .bss
    .balign 8
ktest_user_resume_sp:
    .dword  0
