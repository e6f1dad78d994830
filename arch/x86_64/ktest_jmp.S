/*
 * setjmp/longjmp for the x86_64 tests (ktest_ring3.h): a hook that runs
 * on the fresh kernel stack after a ring-3 entry leaves through
 * ktest_longjmp and lands back in the test, on the test's own stack.
 * Only the callee-saved registers, rsp and the return address are kept;
 * rflags is the caller's business (the tests keep interrupts off across).
 */
    .text

/* uint64_t ktest_setjmp(ktest_jmp_t *j): 0 now, the value given later. */
    .globl ktest_setjmp
ktest_setjmp:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rax
    movq %rax, 48(%rdi)                    /* rsp as after our ret */
    movq (%rsp), %rax
    movq %rax, 56(%rdi)                    /* where our ret would go */
    xorl %eax, %eax
    ret

/* noreturn void ktest_longjmp(const ktest_jmp_t *j, uint64_t value) */
    .globl ktest_longjmp
ktest_longjmp:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    movq %rsi, %rax
    jmpq *56(%rdi)
