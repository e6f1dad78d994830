/*
 * Interrupt and exception entry stubs, and the one common path they share.
 *
 * Each stub makes the stack look the same whatever the vector: it pushes
 * a zero where the CPU pushed no error code, then the vector number.
 * trap_common then saves every general register (frame.h), swaps GS if
 * the entry came from ring 3 (so %gs always means this CPU's per-CPU area
 * in the kernel), and calls x86_trap with the frame.
 *
 * Vectors 0-31 are the exceptions, 32-47 the remapped 8259 PIC lines, and
 * x86_trap_spurious serves the local APIC's spurious vector.
 */
#include "frame.h"

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                      (v) == 21 || (v) == 29 || (v) == 30)

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
    jmp trap_common
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
    /* The stack holds: vector, error, rip, cs, rflags, rsp, ss. */
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  PUSH_GPRS
    cld
    movq %rsp, %rdi
    call x86_trap
    POP_GPRS
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp
    iretq
