/*
 * The saved-register frame that an interrupt or exception taken in the
 * kernel (or an NMI, #DF or #MC from anywhere) builds on its stack, so
 * one report and one return path serve them all. Entries from ring 3
 * save into the user context instead (context.h).
 *
 * The tail (rip .. ss) is exactly what the CPU pushes for an interrupt,
 * which is what lets an iretq return from any frame.
 *
 * In assembly this header gives the PUSH_GPRS / POP_GPRS macros, which
 * must match the field order below.
 */
#pragma once

#include "layout.h"

#ifdef __ASSEMBLY__

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

#else

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;   /* pushed by the stub */
    uint64_t error;    /* by the CPU, or 0 from the stub */
    uint64_t rip, cs, rflags, rsp, ss;
} x86_frame_t;

_Static_assert(offsetof(x86_frame_t, vector) == FRAME_VECTOR, "frame layout");
_Static_assert(offsetof(x86_frame_t, rip) == FRAME_RIP, "frame layout");
_Static_assert(offsetof(x86_frame_t, cs) == FRAME_CS, "frame layout");
_Static_assert(offsetof(x86_frame_t, rflags) == FRAME_RFLAGS, "frame layout");
_Static_assert(offsetof(x86_frame_t, rsp) == FRAME_RSP, "frame layout");
_Static_assert(sizeof(x86_frame_t) == FRAME_SIZE, "frame layout");

/* Did this entry come from ring 3? */
static inline int frame_from_user(const x86_frame_t *f)
{
    return (f->cs & 3) == RPL_USER;
}

#endif
