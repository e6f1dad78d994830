/*
 * The x86_64 binding of the invocation registers (docs/spec/ipc.md):
 *
 *   info   rax      target/payload  rdi      opcode  rsi
 *   w0     rdx      w1              r10      w2      r8      w3  r9
 *
 * `syscall` itself clobbers rcx and r11; everything else is preserved.
 */
#pragma once

#include <stdint.h>

typedef struct cairn_regs {
    uint64_t info, target, opcode, w[4];
} cairn_regs_t;

static inline void cairn_syscall(cairn_regs_t *r)
{
    register uint64_t w1 __asm__("r10") = r->w[1];
    register uint64_t w2 __asm__("r8") = r->w[2];
    register uint64_t w3 __asm__("r9") = r->w[3];
    __asm__ volatile("syscall"
                     : "+a"(r->info), "+D"(r->target), "+S"(r->opcode),
                       "+d"(r->w[0]), "+r"(w1), "+r"(w2), "+r"(w3)
                     :
                     : "rcx", "r11", "memory");
    r->w[1] = w1;
    r->w[2] = w2;
    r->w[3] = w3;
}
