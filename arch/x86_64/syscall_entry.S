/*
 * The system-call entry and the exit to ring 3 (user.h, context.h).
 *
 * Entry: `syscall` leaves the return rip in rcx and rflags in r11, and
 * SFMASK has cleared IF, DF, AC, TF and NT. The stub saves every user
 * register straight into the current context (PERCPU_USER_CTX), using
 * rsp as its base: between the swapgs and the switch to the kernel stack
 * nothing may push, and with IF clear only NMI and #MC can arrive, which
 * run on IST stacks. rcx and r11 are saved as they are (the return rip
 * and rflags). Then it starts the kernel stack afresh at its top and
 * calls user_syscall, which never returns.
 *
 * Exit: x86_user_sysret and x86_user_iret restore the whole context.
 * sysretq is used only when it restores exactly what the context says
 * (context_sysret_exact: rcx == rip, r11 == rflags, rip in the user
 * half); otherwise iretq.
 */
#include "context.h"

    .text
    .globl x86_syscall_entry
x86_syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_USER_CTX, %rsp
    CTX_SAVE_MOST %rsp
    movq %rax, CTX_RAX(%rsp)
    movq %rdi, CTX_RDI(%rsp)
    movq %rcx, CTX_RIP(%rsp)
    movq %r11, CTX_RFLAGS(%rsp)
    movq %gs:PERCPU_USER_RSP, %rax
    movq %rax, CTX_RSP(%rsp)
    movq %rsp, %rdi
    movq %gs:PERCPU_KERNEL_RSP, %rsp
#ifdef CAIRN_KTEST
    call user_syscall                      /* the port's tests may hook it */
#else
    call kernel_syscall                    /* what user_syscall would call */
#endif
    ud2

/*
 * noreturn void x86_user_sysret(const uint64_t *ctx)
 * noreturn void x86_user_iret(const uint64_t *ctx)
 * Pre: interrupts off, GS the kernel's, CR3 the context's root, rflags
 * in ctx already forced to a ring-3 value (context_run_flags); for
 * sysret, context_sysret_exact(ctx). Loading the user rsp before sysretq
 * is safe for the same reason as on entry: only IST events can interrupt
 * here.
 */
    .globl x86_user_sysret
x86_user_sysret:
    CTX_LOAD_MOST %rdi                     /* rcx = rip, r11 = rflags */
    movq CTX_RAX(%rdi), %rax
    movq CTX_RSP(%rdi), %rsp
    movq CTX_RDI(%rdi), %rdi
    swapgs
    sysretq

    .globl x86_user_iret
x86_user_iret:
    pushq $(SEL_USER_DATA | RPL_USER)      /* ss */
    pushq CTX_RSP(%rdi)
    pushq CTX_RFLAGS(%rdi)
    pushq $(SEL_USER_CODE | RPL_USER)      /* cs */
    pushq CTX_RIP(%rdi)
    CTX_LOAD_MOST %rdi
    movq CTX_RAX(%rdi), %rax
    movq CTX_RDI(%rdi), %rdi
    swapgs
    iretq

/*
 * noreturn void x86_user_trap_fresh(uint64_t *ctx, uint64_t vector,
 *                                   uint64_t error)
 * Hand ctx to x86_user_trap as if ring 3 had raised `vector` at its rip,
 * on a fresh kernel stack like a real entry. For a context that must not
 * be entered (user.c).
 */
    .globl x86_user_trap_fresh
x86_user_trap_fresh:
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    call x86_user_trap
    ud2
