/*
 * x86_64 instructions the port needs from C: port I/O, MSRs, control
 * registers, CPUID, TLB control. Header-only; every function is a single
 * instruction (or a fixed short sequence) with the memory clobbers that
 * keep the compiler from moving accesses across it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Model-specific registers the port programs. */
#define MSR_EFER           0xc0000080u
#define MSR_STAR           0xc0000081u
#define MSR_LSTAR          0xc0000082u
#define MSR_SFMASK         0xc0000084u
#define MSR_FS_BASE        0xc0000100u
#define MSR_GS_BASE        0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u

#define EFER_SCE (1ull << 0)    /* syscall/sysret */
#define EFER_LME (1ull << 8)    /* long mode */
#define EFER_NXE (1ull << 11)   /* the NX page bit */

#define CR0_MP   (1ull << 1)    /* wait/fwait honour TS */
#define CR0_EM   (1ull << 2)    /* no x87: x87 raises #NM, MMX/SSE #UD */
#define CR0_TS   (1ull << 3)    /* task switched: lazy FPU state */
#define CR0_WP   (1ull << 16)   /* ring 0 honours read-only pages */
#define CR4_PGE  (1ull << 7)    /* global pages survive CR3 loads */
#define CR4_OSFXSR     (1ull << 9)    /* SSE usable, fxsave/fxrstor */
#define CR4_OSXMMEXCPT (1ull << 10)   /* SIMD exceptions as #XM */
#define CR4_FSGSBASE   (1ull << 16)   /* rd/wr fs/gs base from any ring */
#define CR4_OSXSAVE    (1ull << 18)   /* xsave, xgetbv, AVX */
#define CR4_SMEP (1ull << 20)   /* ring 0 never executes user pages */
#define CR4_SMAP (1ull << 21)   /* ring 0 never touches user pages unless AC */

#define RFLAGS_CF    (1ull << 0)
#define RFLAGS_FIXED (1ull << 1)    /* always reads as 1 */
#define RFLAGS_PF    (1ull << 2)
#define RFLAGS_AF    (1ull << 4)
#define RFLAGS_ZF    (1ull << 6)
#define RFLAGS_SF    (1ull << 7)
#define RFLAGS_TF    (1ull << 8)
#define RFLAGS_IF    (1ull << 9)
#define RFLAGS_DF    (1ull << 10)
#define RFLAGS_OF    (1ull << 11)
#define RFLAGS_IOPL  (3ull << 12)
#define RFLAGS_NT    (1ull << 14)
#define RFLAGS_RF    (1ull << 16)
#define RFLAGS_VM    (1ull << 17)
#define RFLAGS_AC    (1ull << 18)
#define RFLAGS_VIF   (1ull << 19)
#define RFLAGS_VIP   (1ull << 20)
#define RFLAGS_ID    (1ull << 21)

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)) : "memory");
}

#define CPU_CR_ACCESSORS(n)                                              \
    static inline uint64_t read_cr##n(void)                              \
    {                                                                    \
        uint64_t v;                                                      \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
        return v;                                                        \
    }                                                                    \
    static inline void write_cr##n(uint64_t v)                           \
    {                                                                    \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");       \
    }
CPU_CR_ACCESSORS(0)
CPU_CR_ACCESSORS(2)
CPU_CR_ACCESSORS(3)
CPU_CR_ACCESSORS(4)
#undef CPU_CR_ACCESSORS

/* The operand of lgdt and lidt. */
typedef struct {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed)) table_pointer_t;

typedef struct {
    uint32_t eax, ebx, ecx, edx;
} cpuid_regs_t;

static inline cpuid_regs_t cpuid(uint32_t leaf, uint32_t subleaf)
{
    cpuid_regs_t r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx),
                     "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

static inline void invlpg(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The data segment selectors, which ring 3 can load for itself. */
#define CPU_SEGMENT_ACCESSORS(r)                                         \
    static inline uint16_t read_##r(void)                                \
    {                                                                    \
        uint16_t v;                                                      \
        __asm__ volatile("mov %%" #r ", %0" : "=r"(v));                  \
        return v;                                                        \
    }                                                                    \
    static inline void load_##r(uint16_t v)                              \
    {                                                                    \
        __asm__ volatile("mov %0, %%" #r : : "r"(v) : "memory");         \
    }
CPU_SEGMENT_ACCESSORS(ds)
CPU_SEGMENT_ACCESSORS(es)
CPU_SEGMENT_ACCESSORS(fs)
CPU_SEGMENT_ACCESSORS(gs)
#undef CPU_SEGMENT_ACCESSORS

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
