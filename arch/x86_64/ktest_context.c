/*
 * x86_64 tests of user contexts and the ring-3 boundary (arch_ktests.def;
 * only in kernel-test.elf): the register file's rules, the invocation
 * registers both ways, restart, exact restore through iretq, interrupts
 * and exceptions from ring 3, and contexts that must never be entered.
 * Each runs real ring-3 code through the harness in ktest_ring3.h.
 */
#include "arch.h"
#include "context.h"
#include "ktest/ktest.h"
#include "ktest_ring3.h"
#include "ktest_user.h"
#include "timer.h"
#include "user.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT


/* A distinct value for general register word w. */
static uint64_t reg_value(unsigned w)
{
    return 0x1111000000000000ull + 0x0101010101ull * (w + 1);
}

/* Set every general register but rsp to reg_value. */
static const char *set_all_registers(uint64_t *ctx)
{
    for (unsigned w = CTX_W_RAX; w <= CTX_W_R15; w++)
        if (w != CTX_W_RSP)
            KTEST_CHECK(arch_context_set(ctx, w, reg_value(w)),
                        "arch_context_set refused register %u", w);
    return NULL;
}

/* The invocation binding as documented (README.md), not as context.c has it. */
static const unsigned binding[ARCH_SYS_REGS] = {
    CTX_W_RAX, CTX_W_RDI, CTX_W_RSI, CTX_W_RDX, CTX_W_R10, CTX_W_R8, CTX_W_R9,
};

static bool is_binding_word(unsigned w)
{
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++)
        if (binding[i] == w)
            return true;
    return false;
}

/* Every register not in the binding (nor rcx, r11, rsp) has reg_value. */
static const char *check_other_registers(const uint64_t *ctx)
{
    for (unsigned w = CTX_W_RAX; w <= CTX_W_R15; w++) {
        if (is_binding_word(w) || w == CTX_W_RCX || w == CTX_W_R11 ||
            w == CTX_W_RSP)
            continue;
        KTEST_CHECK(ctx[w] == reg_value(w), "register %u arrived as %llx, "
                    "not %llx", w, ULL(ctx[w]), ULL(reg_value(w)));
    }
    KTEST_CHECK(ctx[CTX_W_RSP] == R3_STACK_TOP, "rsp arrived as %llx",
                ULL(ctx[CTX_W_RSP]));
    return NULL;
}

/* ---- The register file ------------------------------------------------- */

static const char *check_refused(uint64_t *ctx, unsigned i, uint64_t value)
{
    uint64_t before[CAIRN_ARCH_REG_WORDS];
    for (unsigned w = 0; w < CAIRN_ARCH_REG_WORDS; w++)
        before[w] = ctx[w];
    KTEST_CHECK(!arch_context_set(ctx, i, value),
                "arch_context_set accepted %llx for register %u", ULL(value), i);
    for (unsigned w = 0; w < CAIRN_ARCH_REG_WORDS; w++)
        KTEST_CHECK(ctx[w] == before[w], "a refused set changed word %u", w);
    return NULL;
}

static const char *check_init(const uint64_t *ctx)
{
    KTEST_CHECK(arch_context_regs == 18, "%u registers, expected 18",
                arch_context_regs);
    for (unsigned w = 0; w < CAIRN_ARCH_REG_WORDS; w++) {
        uint64_t want = w == CTX_W_RIP ? R3_CODE_VA : w == CTX_W_RSP ? R3_STACK_TOP
                      : w == CTX_W_RFLAGS ? RFLAGS_IF | RFLAGS_FIXED : 0;
        KTEST_CHECK(ctx[w] == want, "after init word %u is %llx", w, ULL(ctx[w]));
    }
    KTEST_CHECK(arch_context_pc(ctx) == R3_CODE_VA, "arch_context_pc");
    KTEST_CHECK(arch_context_get(ctx, CTX_W_RIP) == R3_CODE_VA &&
                arch_context_get(ctx, 18) == 0, "arch_context_get");
    return NULL;
}

const char *ktest_x86_64_context_rules(void)
{
    static uint64_t ctx[CAIRN_ARCH_REG_WORDS];
    arch_context_init(ctx, R3_CODE_VA, R3_STACK_TOP);
    const char *why = check_init(ctx);
    const struct { unsigned reg; uint64_t value; } refused[] = {
        { CTX_W_RIP, 0xffffffff80100000ull },      /* kernel half */
        { CTX_W_RIP, 0x0000800000000000ull },      /* non-canonical */
        { CTX_W_RSP, 0xffff800000001000ull },
        { CTX_W_RSP, 0x8000000000000000ull },
        { CTX_W_RFLAGS, RFLAGS_IOPL },
        { CTX_W_RFLAGS, 1ull << 12 },              /* IOPL 1 */
        { CTX_W_RFLAGS, RFLAGS_NT }, { CTX_W_RFLAGS, RFLAGS_RF },
        { CTX_W_RFLAGS, RFLAGS_VM }, { CTX_W_RFLAGS, RFLAGS_VIF },
        { CTX_W_RFLAGS, RFLAGS_VIP }, { CTX_W_RFLAGS, 1ull << 3 },
        { CTX_W_RFLAGS, 1ull << 22 }, { 18, 0 }, { 39, 0 },
    };
    for (unsigned i = 0; !why && i < sizeof refused / sizeof refused[0]; i++)
        why = check_refused(ctx, refused[i].reg, refused[i].value);
    if (why)
        return why;
    KTEST_CHECK(arch_context_set(ctx, CTX_W_RIP, USER_VA_LIMIT - 1) &&
                arch_context_set(ctx, CTX_W_RSP, 0) &&
                arch_context_set(ctx, CTX_W_RAX, ~0ull), "plain values refused");
    uint64_t flags = RFLAGS_CF | RFLAGS_DF | RFLAGS_AC | RFLAGS_ID | RFLAGS_TF;
    KTEST_CHECK(arch_context_set(ctx, CTX_W_RFLAGS, flags) &&
                ctx[CTX_W_RFLAGS] == (flags | RFLAGS_IF | RFLAGS_FIXED),
                "user flags %llx stored as %llx", ULL(flags),
                ULL(ctx[CTX_W_RFLAGS]));
    return NULL;
}

/* ---- System calls ------------------------------------------------------- */

static const char *syscall_registers_body(r3_space_t *s)
{
    const char *why = set_all_registers(s->ctx);
    if (why)
        return why;
    arch_context_set(s->ctx, CTX_W_RFLAGS, RFLAGS_CF | RFLAGS_ZF);
    const r3_entry_t *e = r3_call(s, ktest_user_syscall2);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    uint64_t *ctx = s->ctx, after = r3_va(ktest_user_syscall1);
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++)
        KTEST_CHECK(arch_syscall_get(ctx, i) == reg_value(binding[i]),
                    "arch_syscall_get(%u) is %llx, not register %u's %llx", i,
                    ULL(arch_syscall_get(ctx, i)), binding[i],
                    ULL(reg_value(binding[i])));
    if ((why = check_other_registers(ctx)) != NULL)
        return why;
    KTEST_CHECK(ctx[CTX_W_RIP] == after && ctx[CTX_W_RCX] == after,
                "rip %llx rcx %llx, expected both %llx", ULL(ctx[CTX_W_RIP]),
                ULL(ctx[CTX_W_RCX]), ULL(after));
    uint64_t flags = ctx[CTX_W_RFLAGS];
    KTEST_CHECK(ctx[CTX_W_R11] == flags && (flags & (RFLAGS_IF | RFLAGS_CF |
                RFLAGS_ZF)) == (RFLAGS_IF | RFLAGS_CF | RFLAGS_ZF),
                "rflags %llx, r11 %llx", ULL(flags), ULL(ctx[CTX_W_R11]));
    KTEST_CHECK(context_sysret_exact(ctx), "a context fresh from syscall "
                "would not return through sysretq");

    for (unsigned i = 0; i < ARCH_SYS_REGS; i++)
        arch_syscall_set(ctx, i, 0xa5a5000000000000ull + i);
    e = r3_run(s, false);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    KTEST_CHECK(ctx[CTX_W_RIP] == after + 2, "second syscall returns to %llx",
                ULL(ctx[CTX_W_RIP]));
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++)
        KTEST_CHECK(ctx[binding[i]] == 0xa5a5000000000000ull + i,
                    "result %u reached ring 3 as %llx", i, ULL(ctx[binding[i]]));
    return check_other_registers(ctx);
}

const char *ktest_x86_64_syscall_registers(void)
{
    return r3_with_space(syscall_registers_body);
}

/* Two bytes of user code, read through the kernel's own mapping. */
static unsigned code_bytes_at(uint64_t user_va)
{
    const uint8_t *p = (const uint8_t *)ktest_user_page + (user_va - R3_CODE_VA);
    return (unsigned)p[0] << 8 | p[1];
}

static const char *syscall_restart_body(r3_space_t *s)
{
    const r3_entry_t *e = r3_call(s, ktest_user_syscall2);
    const char *why = r3_check_entry(s, e, R3_SYSCALL);
    if (why)
        return why;
    uint64_t first = r3_va(ktest_user_syscall2);
    arch_syscall_set(s->ctx, ARCH_SYS_INFO, 0x1234);
    arch_syscall_restart(s->ctx);
    KTEST_CHECK(arch_context_pc(s->ctx) == first, "restart left rip at %llx, "
                "not %llx", ULL(arch_context_pc(s->ctx)), ULL(first));
    KTEST_CHECK(code_bytes_at(first) == 0x0f05, "rip %llx is not on a syscall "
                "(%04x)", ULL(first), code_bytes_at(first));
    KTEST_CHECK(context_sysret_exact(s->ctx), "a restarted call would not "
                "return through sysretq");
    e = r3_run(s, false);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    KTEST_CHECK(arch_context_pc(s->ctx) == first + 2, "after the restart the "
                "entry came from %llx: the first syscall did not run again",
                ULL(arch_context_pc(s->ctx)));
    KTEST_CHECK(arch_syscall_get(s->ctx, ARCH_SYS_INFO) == 0x1234,
                "rax did not survive the restart");
    return NULL;
}

const char *ktest_x86_64_syscall_restart(void)
{
    return r3_with_space(syscall_restart_body);
}

/* ---- Exact restore ------------------------------------------------------- */

/* What ktest_user_probe reported about the state ring 3 was given. */
static const char *check_probe(const r3_space_t *s, uint64_t rcx, uint64_t r11,
                               uint64_t rflags)
{
    const uint64_t *ctx = s->ctx;
    KTEST_CHECK(ctx[CTX_W_RDI] == rcx && ctx[CTX_W_RSI] == r11,
                "ring 3 saw rcx %llx r11 %llx; the context had %llx %llx",
                ULL(ctx[CTX_W_RDI]), ULL(ctx[CTX_W_RSI]), ULL(rcx), ULL(r11));
    KTEST_CHECK(ctx[CTX_W_RDX] == rflags, "ring 3 saw rflags %llx, not %llx",
                ULL(ctx[CTX_W_RDX]), ULL(rflags));
    KTEST_CHECK(ctx[CTX_W_R12] == (SEL_USER_CODE | RPL_USER) &&
                ctx[CTX_W_R13] == (SEL_USER_DATA | RPL_USER),
                "ring 3 ran with cs %llx ss %llx", ULL(ctx[CTX_W_R12]),
                ULL(ctx[CTX_W_R13]));
    KTEST_CHECK(ctx[CTX_W_R14] == R3_STACK_TOP, "ring 3 saw rsp %llx",
                ULL(ctx[CTX_W_R14]));
    KTEST_CHECK((ctx[CTX_W_RAX] | ctx[CTX_W_R10] | ctx[CTX_W_R8] |
                 ctx[CTX_W_R9]) == 0,
                "selectors reached ring 3: es %llx ds %llx fs %llx gs %llx",
                ULL(ctx[CTX_W_RAX]), ULL(ctx[CTX_W_R10]), ULL(ctx[CTX_W_R8]),
                ULL(ctx[CTX_W_R9]));
    return NULL;
}

static const char *probe(r3_space_t *s, uint64_t rcx, uint64_t r11,
                         uint64_t rflags)
{
    arch_context_set_pc(s->ctx, r3_va(ktest_user_probe));
    arch_context_set(s->ctx, CTX_W_RSP, R3_STACK_TOP);
    arch_context_set(s->ctx, CTX_W_RCX, rcx);
    arch_context_set(s->ctx, CTX_W_R11, r11);
    KTEST_CHECK(!context_sysret_exact(s->ctx), "sysretq would do for rcx %llx",
                ULL(rcx));
    const r3_entry_t *e = r3_run(s, false);
    const char *why = r3_check_entry(s, e, R3_SYSCALL);
    return why ? why : check_probe(s, rcx, r11, rflags);
}

static const char *resume_exact_body(r3_space_t *s)
{
    uint64_t flags = RFLAGS_CF | RFLAGS_PF | RFLAGS_ZF | RFLAGS_DF | RFLAGS_AC |
                     RFLAGS_ID;
    KTEST_CHECK(arch_context_set(s->ctx, CTX_W_RFLAGS, flags), "flags refused");
    const char *why = probe(s, 0x0123456789abcdefull, 0xfedcba9876543210ull,
                            flags | RFLAGS_IF | RFLAGS_FIXED);
    if (why)
        return why;
    /* A context written behind the hooks' back still runs as ring 3 must. */
    s->ctx[CTX_W_RFLAGS] = RFLAGS_IOPL | RFLAGS_VM | RFLAGS_VIF | RFLAGS_VIP |
                           RFLAGS_CF;
    if ((why = probe(s, 1, 2, RFLAGS_CF | RFLAGS_IF | RFLAGS_FIXED)) != NULL)
        return why;
    /* Selectors one context loads do not reach the next. */
    const r3_entry_t *e = r3_call(s, ktest_user_load_selectors);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    return probe(s, 3, 4, RFLAGS_CF | RFLAGS_IF | RFLAGS_FIXED);
}

const char *ktest_x86_64_resume_exact(void)
{
    return r3_with_space(resume_exact_body);
}

/* ---- Interrupts and exceptions ----------------------------------------- */

static const char *user_interrupt_body(r3_space_t *s)
{
    uint64_t ticks = timer_ticks(), spin = r3_va(ktest_user_spin);
    arch_context_set_pc(s->ctx, r3_va(ktest_user_spin_flags));
    /* A tick may land before the loop; resuming from there is a test too. */
    const r3_entry_t *e;
    for (unsigned i = 0; i < 3; i++) {
        e = r3_run(s, true);
        if (e->what != R3_INTERRUPT || arch_context_pc(s->ctx) == spin)
            break;
    }
    const char *why = r3_check_entry(s, e, R3_INTERRUPT);
    if (why)
        return why;
    uint64_t rip = arch_context_pc(s->ctx);
    KTEST_CHECK(rip == spin, "interrupted at %llx, not in the loop at %llx",
                ULL(rip), ULL(spin));
    uint64_t want = RFLAGS_IF | KTEST_USER_SPIN_FLAGS;
    KTEST_CHECK((s->ctx[CTX_W_RFLAGS] & want) == want,
                "saved rflags %llx lack IF, AC or DF", ULL(s->ctx[CTX_W_RFLAGS]));
    KTEST_CHECK(timer_ticks() > ticks, "the device part did not run: no tick");
    return NULL;
}

const char *ktest_x86_64_user_interrupt(void)
{
    return r3_with_space(user_interrupt_body);
}

static const char *user_exceptions_body(r3_space_t *s)
{
    const struct {
        const char *name, *label;
        fault_kind_t kind;
        uint64_t after;                 /* rip past the instruction by */
    } cases[] = {
        { "ud2", ktest_user_ud2, FAULT_INVALID_OPCODE, 0 },
        { "int3", ktest_user_int3, FAULT_BREAKPOINT, 1 },   /* a trap */
        { "x87 (#NM)", ktest_user_x87, FAULT_INVALID_OPCODE, 0 },
        { "sse (#UD)", ktest_user_sse, FAULT_INVALID_OPCODE, 0 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t va = r3_va(cases[i].label);
        const r3_entry_t *e = r3_call(s, cases[i].label);
        const char *why = r3_check_fault(s, e, cases[i].kind, va + cases[i].after, 0);
        if (why)
            return r3_fail_in(cases[i].name, why);
    }
    return NULL;
}

const char *ktest_x86_64_user_exceptions(void)
{
    return r3_with_space(user_exceptions_body);
}

/*
 * Single-stepping makes progress: each resume runs one instruction, then
 * #DB. The context qualifies for sysretq in every other way (rcx == rip,
 * r11 == rflags); sysretq with TF would trap again before running any.
 */
static const char *single_step_body(r3_space_t *s)
{
    uint64_t va = r3_va(ktest_user_nops), flags = RFLAGS_TF | RFLAGS_USER_FORCED;
    KTEST_CHECK(arch_context_set(s->ctx, CTX_W_RFLAGS, RFLAGS_TF) &&
                arch_context_set(s->ctx, CTX_W_RIP, va) &&
                arch_context_set(s->ctx, CTX_W_RCX, va) &&
                arch_context_set(s->ctx, CTX_W_R11, flags), "set refused");
    KTEST_CHECK(!context_sysret_exact(s->ctx), "sysretq chosen with TF set");
    for (unsigned step = 1; step <= 2; step++) {
        const r3_entry_t *e = r3_run(s, false);
        const char *why = r3_check_fault(s, e, FAULT_DEBUG, va + step, 0);
        if (why)
            return r3_fail_in(step == 1 ? "step 1" : "step 2", why);
        s->ctx[CTX_W_RCX] = arch_context_pc(s->ctx);
        s->ctx[CTX_W_R11] = s->ctx[CTX_W_RFLAGS];
    }
    const r3_entry_t *e = r3_run(s, false);
    return r3_fail_in("the ud2", r3_check_fault(s, e, FAULT_INVALID_OPCODE,
                                                va + 2, 0));
}

const char *ktest_x86_64_single_step(void)
{
    return r3_with_space(single_step_body);
}

/*
 * A rip the kernel itself put there (arch_context_set_pc does not vet)
 * must still never reach sysretq/iretq when non-canonical: it arrives as
 * a PROTECTION fault at that rip. A kernel-half rip is entered and
 * faults in ring 3 on the supervisor page.
 */
static const char *unenterable_rip_body(r3_space_t *s)
{
    uint64_t bad = 0x0000800000000000ull;
    unsigned refused = user_test_refused();
    arch_context_set_pc(s->ctx, bad);
    const r3_entry_t *e = r3_run(s, false);
    const char *why = r3_check_fault(s, e, FAULT_PROTECTION, bad, 0);
    if (why)
        return why;
    KTEST_CHECK(user_test_refused() == refused + 1, "the non-canonical rip "
                "went to the CPU instead of being refused");
    uint64_t kernel = (uint64_t)(uintptr_t)ktest_user_page;
    arch_context_set_pc(s->ctx, kernel);
    e = r3_run(s, false);
    return r3_check_fault(s, e, FAULT_NO_EXECUTE, kernel, ARCH_ACCESS_EXEC);
}

const char *ktest_x86_64_unenterable_rip(void)
{
    return r3_with_space(unenterable_rip_body);
}
