/*
 * Ring-3 code for the x86_64 tests (only in kernel-test.elf). It runs at
 * whatever user address the test maps this page at, so it uses only
 * relative branches. Each entry point reports through registers:
 *   rdi = a value, rsi = the CS it saw (its CPL is the low two bits),
 *   rdx = its stack pointer.
 */
#include "ktest_user.h"

    .section .text.ktest_user, "ax"
    .balign 4096
    .globl ktest_user_page, ktest_user_syscall_twice, ktest_user_spin
    .globl ktest_user_undefined, ktest_user_syscall_once
ktest_user_page:

/* Two system calls: the second sends back the first's reply plus one. */
ktest_user_syscall_twice:
    movabsq $KTEST_USER_FIRST, %rdi
    movq %cs, %rsi
    pushq %rdi                  /* the user stack works */
    popq %rdi
    movq %rsp, %rdx
    syscall
    leaq 1(%rax), %rdi
    movq %cs, %rsi
    movq %rsp, %rdx
    syscall
    ud2

/* Wait in ring 3, interrupts on, for the timer. */
ktest_user_spin:
    movq %cs, %rsi
1:  jmp 1b

/* An exception in ring 3. */
ktest_user_undefined:
    movq %cs, %rsi
    ud2

/* One system call, for tests that change how it returns. */
ktest_user_syscall_once:
    movq %cs, %rsi
    syscall
    ud2

    .balign 4096, 0xcc
