/*
 * Interrupt and exception entry stubs, and the paths they share.
 *
 * Each stub makes the stack look the same whatever the vector: it pushes
 * a zero where the CPU pushed no error code, then the vector number.
 * Then, by where the CPU was:
 *
 *   kernel (trap_common): save every general register in an x86_frame_t
 *     (frame.h) on the current stack, call x86_trap, and return to the
 *     interrupted code with iretq.
 *
 *   ring 3 (trap_from_user): swapgs, save every user register into the
 *     current context (PERCPU_USER_CTX), start the kernel stack afresh at
 *     its top (the CPU's frame there is dead once copied), clear AC and
 *     DF (an interrupt gate keeps ring 3's AC, which would switch SMAP
 *     off), and call x86_user_trap, which never returns.
 *
 *   NMI, #DF, #MC (trap_common_ist): they run on IST stacks and are fatal
 *     wherever they come from, so they take the kernel path, swapping GS
 *     when the saved CS says ring 3.
 *
 * Vectors 0-31 are the exceptions, 32-47 the remapped 8259 PIC lines, and
 * x86_trap_spurious serves the local APIC's spurious vector.
 */
#include "context.h"
#include "frame.h"

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                      (v) == 21 || (v) == 29 || (v) == 30)
/* Vectors with an IST stack (idt.c): NMI, #DF, #MC. */
#define ON_IST(v) ((v) == 2 || (v) == 8 || (v) == 18)

/* Where the stub's two words and the CPU's frame sit on entry. */
#define STUB_VECTOR 0
#define STUB_ERROR  8
#define STUB_RIP    16
#define STUB_CS     24
#define STUB_RFLAGS 32
#define STUB_RSP    40

    .text
    .globl x86_trap_stubs
    .section .rodata
    .balign 8
x86_trap_stubs:                  /* const uint64_t x86_trap_stubs[48] */
    .text

.set vec, 0
.rept 48
    .balign 16
1:
    .if !HAS_ERROR(vec)
    pushq $0
    .endif
    pushq $vec
    .if ON_IST(vec)
    jmp trap_common_ist
    .else
    jmp trap_common
    .endif
    .pushsection .rodata
    .quad 1b
    .popsection
    .set vec, vec + 1
.endr

    .balign 16
    .globl x86_trap_spurious
x86_trap_spurious:
    pushq $0
    pushq $0xff
    jmp trap_common

    .balign 16
trap_common:
    testb $3, STUB_CS(%rsp)
    jnz trap_from_user
    PUSH_GPRS
    cld
    movq %rsp, %rdi
    call x86_trap
    POP_GPRS
    addq $16, %rsp
    iretq

trap_from_user:
    swapgs
    pushq %rax
    movq %gs:PERCPU_USER_CTX, %rax
    CTX_SAVE_MOST %rax
    movq %rdi, CTX_RDI(%rax)
    popq CTX_RAX(%rax)
    movq STUB_RIP(%rsp), %rbx
    movq %rbx, CTX_RIP(%rax)
    movq STUB_RFLAGS(%rsp), %rbx
    movq %rbx, CTX_RFLAGS(%rax)
    movq STUB_RSP(%rsp), %rbx
    movq %rbx, CTX_RSP(%rax)
    movq %rax, %rdi                        /* ctx */
    movq STUB_VECTOR(%rsp), %rsi
    movq STUB_ERROR(%rsp), %rdx
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    pushq $2                               /* rflags: only the fixed bit */
    popfq
    call x86_user_trap
    ud2

    .balign 16
trap_common_ist:
    testb $3, STUB_CS(%rsp)
    jz 1f
    swapgs
1:  PUSH_GPRS
    cld
    movq %rsp, %rdi
    call x86_trap
    POP_GPRS
    testb $3, STUB_CS(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp
    iretq
