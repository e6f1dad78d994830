/*
 * The syscall entry stub and the ring-3 entry/resume pair (syscall.h).
 *
 * Must hold: between the entry swapgs and the switch to the kernel stack
 * nothing may use the stack (it is the user's); SFMASK has cleared IF, so
 * only an NMI or #MC can arrive there, and those run on IST stacks.
 */
#include "frame.h"

    .text
    .globl x86_syscall_entry
x86_syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    /* The same frame an interrupt from ring 3 would leave. */
    pushq $(SEL_USER_DATA | RPL_USER)      /* ss */
    pushq %gs:PERCPU_USER_RSP              /* rsp */
    pushq %r11                             /* rflags, saved by syscall */
    pushq $(SEL_USER_CODE | RPL_USER)      /* cs */
    pushq %rcx                             /* rip, saved by syscall */
    pushq $0                               /* error */
    pushq $VECTOR_SYSCALL                  /* vector */
    PUSH_GPRS
    movq %rsp, %rdi
    call x86_syscall

    /* sysretq only to a lower-half canonical rip; otherwise iretq. */
    movq FRAME_RIP(%rsp), %rcx
    shrq $47, %rcx
    jnz 1f
    POP_GPRS
    movq FRAME_RIP - FRAME_VECTOR(%rsp), %rcx
    movq FRAME_RFLAGS - FRAME_VECTOR(%rsp), %r11
    movq FRAME_RSP - FRAME_VECTOR(%rsp), %rsp
    swapgs
    sysretq
1:  POP_GPRS
    addq $16, %rsp
    swapgs
    iretq

/* uint64_t x86_user_run(x86_resume_t *resume, uint64_t rip, uint64_t rsp) */
    .globl x86_user_run
x86_user_run:
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
    pushfq
    popq 64(%rdi)
    cli
    pushq $(SEL_USER_DATA | RPL_USER)      /* ss */
    pushq %rdx                             /* rsp */
    pushq $0x202                           /* rflags: IF, and the fixed bit */
    pushq $(SEL_USER_CODE | RPL_USER)      /* cs */
    pushq %rsi                             /* rip */
    /* Ring 3 starts with no kernel values in its registers. */
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    xorl %r12d, %r12d
    xorl %r13d, %r13d
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    swapgs
    iretq

/* noreturn void x86_user_resume(const x86_resume_t *resume, uint64_t value) */
    .globl x86_user_resume
x86_user_resume:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    movq %rsi, %rax
    pushq 64(%rdi)
    popfq
    jmpq *56(%rdi)
