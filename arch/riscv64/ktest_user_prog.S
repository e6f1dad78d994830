/*
 * Test-only assembly for the user-mode tests (ktest_user.c): two user
 * programs, which the tests copy to a user code page and run in U-mode,
 * and a minimal setjmp/longjmp, with which a test hook (running on the
 * fresh kernel stack of a trap from user mode) ends the run and returns
 * to the test that started it.
 *
 * The programs are assembled without compressed instructions: every
 * instruction is 4 bytes, so the tests know each one's offset and can
 * skip one by adding 4 to pc.
 */
#include "layout.h"

    .section .text
    .option push
    .option norvc

/*
 * ktest_prog_syscall: every register starts as the test preset it. The
 * test's comments name the ecalls S0..S3.
 */
    .balign 4
    .globl ktest_prog_syscall, ktest_prog_syscall_s1
    .globl ktest_prog_syscall_spin, ktest_prog_syscall_spin_end
    .globl ktest_prog_syscall_end
ktest_prog_syscall:
    ecall                       /* S0: the presets; answers come in a0..a6 */
    sd      a0, -8(sp)          /* the first answer, into the stack page */
    addi    a0, a0, 1
    addi    a1, a1, 1
    addi    a2, a2, 1
    addi    a3, a3, 1
    addi    a4, a4, 1
    addi    a5, a5, 1
    addi    a6, a6, 1
ktest_prog_syscall_s1:
    ecall                       /* S1: answers + 1, then restarted: S2 */
ktest_prog_syscall_spin:
    rdtime  t5                  /* until the deadline S2 put in t6 */
    bltu    t5, t6, ktest_prog_syscall_spin
ktest_prog_syscall_spin_end:
    ecall                       /* S3: timer interrupts came in between */
1:  j       1b
ktest_prog_syscall_end:

/*
 * ktest_prog_faults: s1 = a read-only page holding a marker, s2 = a
 * writable page without execute, s3 = an unmapped page, s4 = a kernel
 * address. ktest_user.c lists the expected events by offset.
 */
    .balign 4
    .globl ktest_prog_faults, ktest_prog_faults_end
ktest_prog_faults:
    sd      zero, 0(s1)         /*  0: PROTECTION, write, s1 */
    jalr    ra, 0(s2)           /*  4: NO_EXECUTE, exec, at s2; back to ra */
    ld      t0, 0(s3)           /*  8: PAGE, read, s3 */
    ld      t0, 0(s4)           /* 12: PROTECTION, read, s4 */
    ld      t1, 0(s1)           /* 16: the marker */
    ecall                       /* 20: t1 checked; s1's page unmapped */
    ld      t1, 0(s1)           /* 24: PAGE, read, s1 */
    csrr    t0, sstatus         /* 28: INVALID_OPCODE (a supervisor CSR) */
    ebreak                      /* 32: BREAKPOINT: the end */
ktest_prog_faults_end:

    .option pop

/* int ktest_setjmp(ktest_jmp_buf_t *b): 0, or later the value longjmp gives */
    .balign 4
    .globl ktest_setjmp
ktest_setjmp:
    sd      ra, 0(a0)
    sd      sp, 8(a0)
    sd      s0, 16(a0)
    sd      s1, 24(a0)
    sd      s2, 32(a0)
    sd      s3, 40(a0)
    sd      s4, 48(a0)
    sd      s5, 56(a0)
    sd      s6, 64(a0)
    sd      s7, 72(a0)
    sd      s8, 80(a0)
    sd      s9, 88(a0)
    sd      s10, 96(a0)
    sd      s11, 104(a0)
    li      a0, 0
    ret

/* void ktest_longjmp(const ktest_jmp_buf_t *b, int value): value != 0 */
    .globl ktest_longjmp
ktest_longjmp:
    ld      ra, 0(a0)
    ld      sp, 8(a0)
    ld      s0, 16(a0)
    ld      s1, 24(a0)
    ld      s2, 32(a0)
    ld      s3, 40(a0)
    ld      s4, 48(a0)
    ld      s5, 56(a0)
    ld      s6, 64(a0)
    ld      s7, 72(a0)
    ld      s8, 80(a0)
    ld      s9, 88(a0)
    ld      s10, 96(a0)
    ld      s11, 104(a0)
    mv      a0, a1
    ret
