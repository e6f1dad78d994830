/*
 * User contexts: how a process's saved registers sit in its
 * CAIRN_ARCH_REG_WORDS words (layout.h, CTX_*), and what values ring 3
 * may be given. context.c implements the arch seam's context and
 * invocation-register hooks on top of this.
 *
 * Word i for i < CTX_WORDS is user-visible register i (the table in
 * README.md): rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip rflags. CS and
 * SS are implied (ring 3, 64-bit), never stored. The FS and GS bases are
 * not part of the context: ring 3 cannot change them (CR4.FSGSBASE is
 * off and every user-loadable descriptor has base 0), so they are 0
 * whenever ring 3 runs.
 */
#pragma once

#include "layout.h"

#ifdef __ASSEMBLY__

/*
 * Save / load every general register but rax, rdi and rsp to / from the
 * context at \base (which must not be one of those it moves). The entry
 * and exit paths each handle those three around their own base register.
 */
.macro CTX_SAVE_MOST base
    movq %rbx, CTX_RBX(\base)
    movq %rcx, CTX_RCX(\base)
    movq %rdx, CTX_RDX(\base)
    movq %rsi, CTX_RSI(\base)
    movq %rbp, CTX_RBP(\base)
    movq %r8, CTX_R8(\base)
    movq %r9, CTX_R9(\base)
    movq %r10, CTX_R10(\base)
    movq %r11, CTX_R11(\base)
    movq %r12, CTX_R12(\base)
    movq %r13, CTX_R13(\base)
    movq %r14, CTX_R14(\base)
    movq %r15, CTX_R15(\base)
.endm

.macro CTX_LOAD_MOST base
    movq CTX_RBX(\base), %rbx
    movq CTX_RCX(\base), %rcx
    movq CTX_RDX(\base), %rdx
    movq CTX_RSI(\base), %rsi
    movq CTX_RBP(\base), %rbp
    movq CTX_R8(\base), %r8
    movq CTX_R9(\base), %r9
    movq CTX_R10(\base), %r10
    movq CTX_R11(\base), %r11
    movq CTX_R12(\base), %r12
    movq CTX_R13(\base), %r13
    movq CTX_R14(\base), %r14
    movq CTX_R15(\base), %r15
.endm

#else

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

enum {
    CTX_W_RAX = CTX_RAX / 8,
    CTX_W_RBX = CTX_RBX / 8,
    CTX_W_RCX = CTX_RCX / 8,
    CTX_W_RDX = CTX_RDX / 8,
    CTX_W_RSI = CTX_RSI / 8,
    CTX_W_RDI = CTX_RDI / 8,
    CTX_W_RBP = CTX_RBP / 8,
    CTX_W_RSP = CTX_RSP / 8,
    CTX_W_R8 = CTX_R8 / 8,
    CTX_W_R9 = CTX_R9 / 8,
    CTX_W_R10 = CTX_R10 / 8,
    CTX_W_R11 = CTX_R11 / 8,
    CTX_W_R12 = CTX_R12 / 8,
    CTX_W_R13 = CTX_R13 / 8,
    CTX_W_R14 = CTX_R14 / 8,
    CTX_W_R15 = CTX_R15 / 8,
    CTX_W_RIP = CTX_RIP / 8,
    CTX_W_RFLAGS = CTX_RFLAGS / 8,
};

/*
 * The flags arch_context_set accepts: CF PF AF ZF SF TF DF OF AC ID,
 * the ones ring 3 can set for itself with popfq. IF and bit 1 are
 * always set; IOPL, NT, RF, VM, VIF, VIP and reserved bits are refused.
 */
#define RFLAGS_USER_SETTABLE                                             \
    (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF |         \
     RFLAGS_TF | RFLAGS_DF | RFLAGS_OF | RFLAGS_AC | RFLAGS_ID)
#define RFLAGS_USER_FORCED (RFLAGS_IF | RFLAGS_FIXED)

/* A lower-half (user) address: canonical and below USER_VA_LIMIT. */
static inline bool context_user_address(uint64_t va)
{
    return va < USER_VA_LIMIT;
}

/* Canonical: bits 63..47 all equal. */
static inline bool context_canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1ffff;
}

/*
 * The rflags a context runs with, whatever it holds: IF and bit 1 set,
 * IOPL, VM, VIF, VIP and the reserved bits clear. NT and RF survive when
 * ring 3 set them itself (a trap saves them), since neither gives
 * privilege; arch_context_set refuses them all the same.
 */
static inline uint64_t context_run_flags(uint64_t rflags)
{
    return (rflags & (RFLAGS_USER_SETTABLE | RFLAGS_NT | RFLAGS_RF)) |
           RFLAGS_USER_FORCED;
}

/*
 * Can `sysretq` restore ctx exactly? It loads rip from rcx and rflags
 * from r11 (dropping RF), and must not be given a rip outside the lower
 * half (on Intel it faults in ring 0). With TF set it raises the
 * single-step #DB straight after itself, before any user instruction
 * runs, so a stepped context would never move. So: rip in the user
 * half, rcx == rip, r11 == rflags, RF and TF clear. Otherwise the exit
 * uses iretq, which restores every register. Pre: rflags already went
 * through context_run_flags.
 */
/*
 * The usual case of both at once, tested before anything is written: a
 * context as a system call left it (or as the kernel wrote its results:
 * no result register is rcx, r11, rip or rflags). rip in the user half,
 * rcx == rip, r11 == rflags, and rflags already what context_run_flags
 * would make of it, with neither TF nor RF: no bit outside the
 * user-settable ones (less TF) and NT, and IF and bit 1 set.
 */
#define RFLAGS_SYSRET_PLAIN ((RFLAGS_USER_SETTABLE & ~RFLAGS_TF) | RFLAGS_NT)

static inline bool context_fresh_from_syscall(const uint64_t *ctx)
{
    uint64_t rip = ctx[CTX_W_RIP], rflags = ctx[CTX_W_RFLAGS];
    return context_user_address(rip) && ctx[CTX_W_RCX] == rip &&
           ctx[CTX_W_R11] == rflags &&
           ((rflags ^ RFLAGS_USER_FORCED) & ~(uint64_t)RFLAGS_SYSRET_PLAIN) == 0;
}

static inline bool context_sysret_exact(const uint64_t *ctx)
{
    uint64_t rip = ctx[CTX_W_RIP], rflags = ctx[CTX_W_RFLAGS];
    return context_user_address(rip) && ctx[CTX_W_RCX] == rip &&
           ctx[CTX_W_R11] == rflags && !(rflags & (RFLAGS_RF | RFLAGS_TF));
}

#endif
