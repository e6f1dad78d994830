/*
 * The counter make bench reads in user mode.
 *
 * x86_64: rdtsc. Under QEMU with -icount shift=0,align=off the TSC
 * advances exactly once per guest instruction; under plain TCG it follows
 * the host's clock.
 *
 * riscv64: rdcycle. QEMU's cycle (and instret) counter is the
 * instruction count under -icount and the host's clock under plain TCG,
 * exactly like the TSC on x86_64. The kernel opens it to U-mode
 * (scounteren; arch/riscv64/README.md).
 */
#pragma once

#include <stdint.h>

/*
 * One invocation carrying at most one data word each way, as lean as a
 * stub can be: it loads the four registers the kernel reads (control
 * word, target, opcode, W0) and nothing else, so the figures measure the
 * kernel, not marshalling. Returns the result word; *w0 is sent and
 * replaced by word 0 of the answer. (libsys's cairn_syscall moves all
 * seven registers through memory.)
 */
#if defined(__x86_64__)
static inline uint64_t bench_invoke(uint64_t info, uint64_t target,
                                    uint64_t opcode, uint64_t *w0)
{
    register uint64_t a __asm__("rax") = info;
    register uint64_t t __asm__("rdi") = target;
    register uint64_t o __asm__("rsi") = opcode;
    register uint64_t w __asm__("rdx") = *w0;
    __asm__ volatile("syscall"
                     : "+r"(a), "+r"(t), "+r"(o), "+r"(w)
                     :
                     : "rcx", "r8", "r9", "r10", "r11", "memory");
    *w0 = w;
    return a;
}

static inline uint64_t bench_counter(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
#else
static inline uint64_t bench_invoke(uint64_t info, uint64_t target,
                                    uint64_t opcode, uint64_t *w0)
{
    register uint64_t a __asm__("a0") = info;
    register uint64_t t __asm__("a1") = target;
    register uint64_t o __asm__("a2") = opcode;
    register uint64_t w __asm__("a3") = *w0;
    __asm__ volatile("ecall"
                     : "+r"(a), "+r"(t), "+r"(o), "+r"(w)
                     :
                     : "a4", "a5", "a6", "memory");
    *w0 = w;
    return a;
}

static inline uint64_t bench_counter(void)
{
    uint64_t v;
    __asm__ volatile("rdcycle %0" : "=r"(v));
    return v;
}
#endif
