/*
 * The RISC-V binding of the invocation registers (docs/spec/ipc.md):
 *
 *   info   a0      target/payload  a1      opcode  a2
 *   w0     a3      w1              a4      w2      a5      w3  a6
 *
 * `ecall` preserves every other register.
 */
#pragma once

#include <stdint.h>

typedef struct cairn_regs {
    uint64_t info, target, opcode, w[4];
} cairn_regs_t;

static inline void cairn_syscall(cairn_regs_t *r)
{
    register uint64_t a0 __asm__("a0") = r->info;
    register uint64_t a1 __asm__("a1") = r->target;
    register uint64_t a2 __asm__("a2") = r->opcode;
    register uint64_t a3 __asm__("a3") = r->w[0];
    register uint64_t a4 __asm__("a4") = r->w[1];
    register uint64_t a5 __asm__("a5") = r->w[2];
    register uint64_t a6 __asm__("a6") = r->w[3];
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4),
                       "+r"(a5), "+r"(a6)
                     :
                     : "memory");
    r->info = a0;
    r->target = a1;
    r->opcode = a2;
    r->w[0] = a3;
    r->w[1] = a4;
    r->w[2] = a5;
    r->w[3] = a6;
}
