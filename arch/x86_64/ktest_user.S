/*
 * Ring-3 code for the x86_64 tests (only in kernel-test.elf). It fills
 * one page of its own, which the tests map at a user address, so it
 * uses only relative branches. Each entry point is what a test sets rip
 * to; what it reports, it reports in registers, which the next entry
 * saves into the context for the test to read.
 */
#include "ktest_user.h"

    .section .text.ktest_user, "ax"
    .balign 4096
    .globl ktest_user_page
ktest_user_page:

/* Two system calls back to back. */
    .globl ktest_user_syscall2, ktest_user_syscall1
ktest_user_syscall2:
    syscall
ktest_user_syscall1:
    syscall
    ud2

/* How ring 3 sees the state it was given: rcx, r11, rflags, selectors, rsp. */
    .globl ktest_user_probe
ktest_user_probe:
    movq %rcx, %rdi
    movq %r11, %rsi
    pushfq
    popq %rdx
    movq %es, %rax
    movq %ds, %r10
    movq %fs, %r8
    movq %gs, %r9
    movq %cs, %r12
    movq %ss, %r13
    movq %rsp, %r14
    syscall
    ud2

/* Load the user data selector everywhere ring 3 can. */
    .globl ktest_user_load_selectors
ktest_user_load_selectors:
    movl $KTEST_USER_DATA_SELECTOR, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    syscall
    ud2

/* Write rdx to (rdi). */
    .globl ktest_user_store
ktest_user_store:
    movq %rdx, (%rdi)
    syscall
    ud2

/* Read (rdi) into rdx. */
    .globl ktest_user_load
ktest_user_load:
    movq (%rdi), %rdx
    syscall
    ud2

/* Jump to rdi. */
    .globl ktest_user_jump
ktest_user_jump:
    jmpq *%rdi

/* Read one word from each of rsi pages from rdi on. */
    .globl ktest_user_touch
ktest_user_touch:
1:  movq (%rdi), %rax
    addq $4096, %rdi
    decq %rsi
    jnz 1b
    syscall
    ud2

/* Set AC and DF (ring 3 may), then wait with interrupts on. */
    .globl ktest_user_spin_flags
ktest_user_spin_flags:
    pushfq
    orq $KTEST_USER_SPIN_FLAGS, (%rsp)
    popfq
    .globl ktest_user_spin
ktest_user_spin:
    jmp ktest_user_spin

/* Something to single-step through. */
    .globl ktest_user_nops
ktest_user_nops:
    nop
    nop
    ud2

/* Exceptions: ud2, int3, an x87 and an SSE instruction. */
    .globl ktest_user_ud2, ktest_user_int3, ktest_user_x87, ktest_user_sse
ktest_user_ud2:
    ud2
ktest_user_int3:
    int3
    ud2
ktest_user_x87:
    fld1
    ud2
ktest_user_sse:
    xorps %xmm0, %xmm0
    ud2

    .balign 4096, 0xcc
