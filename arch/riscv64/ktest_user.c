/*
 * riscv64 tests that run U-mode code (arch_ktests.def; test kernel
 * only), in the address space of ktest_space.h:
 *
 *   user_syscall  through arch_user_resume and back: every register in
 *                 and out, answers through arch_syscall_set,
 *                 arch_syscall_restart, timer interrupts in U-mode
 *   user_faults   each user fault kind with its access and address, and
 *                 a page unmapped while its root is live
 *
 * The portable process layer is not part of these tests: the port's
 * test hooks (trap_set_user_test_hooks) stand in for kernel_syscall,
 * kernel_user_fault and kernel_user_interrupt. A hook checks what
 * arrived, then resumes the context or ends the run with ktest_longjmp,
 * back in run_user.
 *
 * State: `run` and the saved CPU state, written by the running test and
 * its hooks only (one CPU; hooks run with interrupts off).
 */
#include "ktest_space.h"

#include "cpu.h"
#include "csr.h"
#include "ktest/ktest.h"
#include "tick.h"
#include "trap.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

typedef struct {
    uint64_t ra, sp, s[12];
} ktest_jmp_buf_t;

__attribute__((returns_twice)) int ktest_setjmp(ktest_jmp_buf_t *b);
__attribute__((noreturn)) void ktest_longjmp(const ktest_jmp_buf_t *b, int v);

extern char ktest_prog_syscall[], ktest_prog_syscall_s1[];
extern char ktest_prog_syscall_spin[], ktest_prog_syscall_spin_end[];
extern char ktest_prog_syscall_end[];
extern char ktest_prog_faults[], ktest_prog_faults_end[];


static const uint64_t kernel_secret = 42;

/* ---- Running user code -------------------------------------------------- */

typedef struct {
    uint64_t ctx[CAIRN_ARCH_REG_WORDS];   /* a Process's register area */
    unsigned step;             /* events handled so far */
    unsigned spin_interrupts;  /* interrupts taken in the spin loop */
    uint64_t ticks_before;     /* tick_count() when the spin began */
    const char *failure;
} user_run_t;

static user_run_t run;
static ktest_jmp_buf_t run_exit;
static uint64_t run_saved_top, run_saved_sie;

static uint64_t current_sp(void)
{
    uint64_t sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

static __attribute__((noreturn)) void run_end(const char *failure)
{
    run.failure = failure;
    ktest_longjmp(&run_exit, 1);
}

static __attribute__((noreturn)) void run_resume(uint64_t *ctx)
{
    arch_user_resume(ctx, uspace_root());
}

/* What must hold on every entry from user mode, whatever the event. */
static void entry_checks(uint64_t *ctx)
{
    uint64_t sp = current_sp();
    if (ctx != run.ctx)
        run_end("the entry did not save into the resumed context");
    if (sp > cpu_boot.kstack_top || cpu_boot.kstack_top - sp > 1024)
        run_end("the entry is not at the top of the kernel stack");
    if (csr_read(sscratch) != 0 || (csr_read(sstatus) & SSTATUS_SIE))
        run_end("sscratch not 0, or interrupts on, in the kernel");
    if (mmu_current_root() != uspace_root())
        run_end("satp is not the resumed root");
}

/*
 * Enter U-mode in run.ctx and come back when a hook calls run_end. The
 * kernel stack for the hooks starts just below this frame, so the frames
 * of the test survive the run.
 */
static const char *run_user(const trap_user_test_hooks_t *hooks)
{
    run_saved_top = cpu_boot.kstack_top;
    run_saved_sie = csr_read(sstatus) & SSTATUS_SIE;
    if (ktest_setjmp(&run_exit) == 0) {
        csr_clear(sstatus, SSTATUS_SIE);
        cpu_boot.kstack_top = (current_sp() - 16) & ~15ull;
        trap_set_user_test_hooks(hooks);
        /* The programs read rdtime: the boot opened it to U-mode. */
        run_resume(run.ctx);
    }
    trap_set_user_test_hooks(NULL);
    cpu_boot.kstack_top = run_saved_top;
    csr_set(sstatus, run_saved_sie);
    return run.failure;
}

static void run_reset(void)
{
    run = (user_run_t){ 0 };
    arch_context_init(run.ctx, CODE_VA, STACK_VA + PAGE_SIZE);
}

static __attribute__((noreturn)) void unexpected_fault(uint64_t *ctx,
                                                       fault_kind_t kind,
                                                       uint64_t addr,
                                                       unsigned access)
{
    entry_checks(ctx);
    run_end(ktest_fail("unexpected %s at pc %llx, address %llx, access %u",
                       fault_kind_name(kind),
                       (unsigned long long)arch_context_pc(ctx),
                       (unsigned long long)addr, access));
}

/* Timer interrupts may come at any point: count them and go on. */
static __attribute__((noreturn)) void count_interrupt(uint64_t *ctx)
{
    entry_checks(ctx);
    uint64_t pc = arch_context_pc(ctx);
    uint64_t spin = CODE_VA + (uint64_t)(ktest_prog_syscall_spin -
                                         ktest_prog_syscall);
    uint64_t spin_end = CODE_VA + (uint64_t)(ktest_prog_syscall_spin_end -
                                             ktest_prog_syscall);
    if (pc >= spin && pc < spin_end)
        run.spin_interrupts++;
    run_resume(ctx);
}

/* ---- user_syscall ------------------------------------------------------- */

#define SPIN_TICKS 3

static uint64_t preset(unsigned n)
{
    return n == 2 ? STACK_VA + PAGE_SIZE : 0x5ca1ab1e00000000ull | n << 8 | n;
}

static uint64_t answer(unsigned i)
{
    return 0x7e5000000000ull + 0x111u * i;
}

static uint64_t prog_va(const char *label, const char *prog)
{
    return CODE_VA + (uint64_t)(label - prog);
}

/* S0: every preset arrived, and the invocation registers are a0..a6. */
static const char *syscall_first(uint64_t *ctx)
{
    KTEST_CHECK(arch_context_pc(ctx) == CODE_VA + ECALL_SIZE,
                "S0: pc %llx", (unsigned long long)arch_context_pc(ctx));
    for (unsigned n = 1; n < 32; n++)
        KTEST_CHECK(arch_context_get(ctx, ctx_x(n)) == preset(n),
                    "S0: x%u = %llx", n,
                    (unsigned long long)arch_context_get(ctx, ctx_x(n)));
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++) {
        KTEST_CHECK(arch_syscall_get(ctx, i) == preset(10 + i),
                    "S0: invocation register %u", i);
        arch_syscall_set(ctx, i, answer(i));
    }
    return NULL;
}

/* S1: the answers reached the user registers; ask for the call again. */
static const char *syscall_answered(uint64_t *ctx)
{
    uint64_t s1 = prog_va(ktest_prog_syscall_s1, ktest_prog_syscall);
    KTEST_CHECK(arch_context_pc(ctx) == s1 + ECALL_SIZE, "S1: pc %llx",
                (unsigned long long)arch_context_pc(ctx));
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++)
        KTEST_CHECK(arch_syscall_get(ctx, i) == answer(i) + 1,
                    "S1: answer %u did not reach the user", i);
    KTEST_CHECK(((uint64_t *)uspace.stack)[PAGE_SIZE / 8 - 1] == answer(0),
                "S1: the user's store is not in the stack page");
    arch_syscall_restart(ctx);
    KTEST_CHECK(arch_context_pc(ctx) == s1, "S1: restart pc");
    return NULL;
}

/* S2: the same ecall again; then spin in U-mode across timer ticks. */
static const char *syscall_restarted(uint64_t *ctx)
{
    uint64_t s1 = prog_va(ktest_prog_syscall_s1, ktest_prog_syscall);
    KTEST_CHECK(arch_context_pc(ctx) == s1 + ECALL_SIZE,
                "S2: the restarted ecall did not run again");
    KTEST_CHECK(arch_syscall_get(ctx, ARCH_SYS_W3) == answer(6) + 1,
                "S2: registers changed across the restart");
    uint64_t deadline = arch_cycles() + SPIN_TICKS * tick_period();
    arch_context_set(ctx, ctx_x(31), deadline);      /* t6 */
    run.ticks_before = tick_count();
    return NULL;
}

static const char *syscall_spun(void)
{
    KTEST_CHECK(run.spin_interrupts > 0, "S3: no interrupt taken in U-mode");
    KTEST_CHECK(tick_count() - run.ticks_before >= SPIN_TICKS - 1,
                "S3: %llu ticks while spinning",
                (unsigned long long)(tick_count() - run.ticks_before));
    return NULL;
}

static __attribute__((noreturn)) void syscall_event(uint64_t *ctx)
{
    entry_checks(ctx);
    const char *why;
    switch (run.step++) {
    case 0:  why = syscall_first(ctx); break;
    case 1:  why = syscall_answered(ctx); break;
    case 2:  why = syscall_restarted(ctx); break;
    default: run_end(syscall_spun());
    }
    if (why)
        run_end(why);
    run_resume(ctx);
}

static const trap_user_test_hooks_t syscall_hooks = {
    .syscall = syscall_event,
    .fault = unexpected_fault,
    .interrupt = count_interrupt,
};

const char *ktest_riscv64_user_syscall(void)
{
    uint64_t kernel_root = mmu_current_root();
    KTEST_CHECK(tick_period() > 0, "the timer is not running");
    const char *why = uspace_build(ktest_prog_syscall, ktest_prog_syscall_end);
    if (!why) {
        run_reset();
        for (unsigned n = 1; n < 32; n++)
            arch_context_set(run.ctx, ctx_x(n), preset(n));
        why = run_user(&syscall_hooks);
    }
    if (!why && run.step != 4)
        why = ktest_fail("the run ended after %u ecalls", run.step);
    const char *clear = uspace_clear(kernel_root);
    return why ? why : clear;
}

/* ---- user_faults -------------------------------------------------------- */

typedef enum { GO_SKIP, GO_RETURN, GO_UNMAP, GO_END } fault_next_t;

typedef struct {
    uint64_t pc_offset;       /* where in ktest_prog_faults, or at addr */
    bool syscall;
    fault_kind_t kind;
    unsigned access;
    uint64_t addr;
    fault_next_t next;
} fault_event_t;

#define AT_ADDR UINT64_MAX

/* The events ktest_prog_faults must produce, in order. */
static fault_event_t fault_event(unsigned step)
{
    uint64_t secret = va_of(&kernel_secret);
    const fault_event_t events[] = {
        { 0, false, FAULT_PROTECTION, ARCH_ACCESS_WRITE, RO_VA, GO_SKIP },
        { AT_ADDR, false, FAULT_NO_EXECUTE, ARCH_ACCESS_EXEC, DATA_VA,
          GO_RETURN },
        { 8, false, FAULT_PAGE, ARCH_ACCESS_READ, UNMAPPED_VA, GO_SKIP },
        { 12, false, FAULT_PROTECTION, ARCH_ACCESS_READ, secret, GO_SKIP },
        { 20 + ECALL_SIZE, true, FAULT_NONE, 0, 0, GO_UNMAP },
        { 24, false, FAULT_PAGE, ARCH_ACCESS_READ, RO_VA, GO_SKIP },
        { 28, false, FAULT_INVALID_OPCODE, 0, 0, GO_SKIP },
        { 32, false, FAULT_BREAKPOINT, 0, 0, GO_END },
    };
    if (step < sizeof events / sizeof events[0])
        return events[step];
    return (fault_event_t){ 0, false, FAULT_NONE, 0, 0, GO_END };
}

static const char *fault_check(uint64_t *ctx, const fault_event_t *want,
                               bool syscall, fault_kind_t kind,
                               uint64_t addr, unsigned access)
{
    uint64_t pc = arch_context_pc(ctx);
    uint64_t want_pc = want->pc_offset == AT_ADDR ? want->addr
                                                  : CODE_VA + want->pc_offset;
    KTEST_CHECK(syscall == want->syscall && kind == want->kind &&
                access == want->access && addr == want->addr && pc == want_pc,
                "event %u: %s %s, access %u, address %llx, pc %llx; expected "
                "%s, access %u, address %llx, pc %llx", run.step,
                syscall ? "ecall" : "fault", fault_kind_name(kind), access,
                (unsigned long long)addr, (unsigned long long)pc,
                fault_kind_name(want->kind), want->access,
                (unsigned long long)want->addr, (unsigned long long)want_pc);
    return NULL;
}

/* The ecall: the marker was read, a store did not change it; unmap it. */
static const char *fault_unmap(uint64_t *ctx)
{
    KTEST_CHECK(arch_context_get(ctx, ctx_x(6)) == RO_MARKER &&
                uspace.ro[0] == RO_MARKER,
                "the read-only page was not read, or was written");
    arch_pt_unmap(uspace_root(), RO_VA, PAGE_SIZE);
    KTEST_CHECK(uspace_lookup(RO_VA) == 0, "unmapped page still in the table");
    return NULL;
}

static __attribute__((noreturn)) void fault_step(uint64_t *ctx, bool syscall,
                                                 fault_kind_t kind,
                                                 uint64_t addr, unsigned access)
{
    entry_checks(ctx);
    fault_event_t want = fault_event(run.step);
    const char *why = fault_check(ctx, &want, syscall, kind, addr, access);
    run.step++;
    if (!why && want.next == GO_UNMAP)
        why = fault_unmap(ctx);
    if (why || want.next == GO_END)
        run_end(why);
    if (want.next == GO_SKIP)
        arch_context_set_pc(ctx, arch_context_pc(ctx) + 4);
    if (want.next == GO_RETURN)
        arch_context_set_pc(ctx, arch_context_get(ctx, ctx_x(1)));
    run_resume(ctx);
}

static __attribute__((noreturn)) void fault_as_fault(uint64_t *ctx,
                                                     fault_kind_t kind,
                                                     uint64_t addr,
                                                     unsigned access)
{
    fault_step(ctx, false, kind, addr, access);
}

static __attribute__((noreturn)) void fault_as_syscall(uint64_t *ctx)
{
    fault_step(ctx, true, FAULT_NONE, 0, 0);
}

static const trap_user_test_hooks_t fault_hooks = {
    .syscall = fault_as_syscall,
    .fault = fault_as_fault,
    .interrupt = count_interrupt,
};

const char *ktest_riscv64_user_faults(void)
{
    uint64_t kernel_root = mmu_current_root();
    KTEST_CHECK(ktest_prog_faults_end - ktest_prog_faults == 36,
                "ktest_prog_faults is not nine 4-byte instructions");
    const char *why = uspace_build(ktest_prog_faults, ktest_prog_faults_end);
    if (!why) {
        run_reset();
        arch_context_set(run.ctx, ctx_x(9), RO_VA);          /* s1 */
        arch_context_set(run.ctx, ctx_x(18), DATA_VA);       /* s2 */
        arch_context_set(run.ctx, ctx_x(19), UNMAPPED_VA);   /* s3 */
        arch_context_set(run.ctx, ctx_x(20), va_of(&kernel_secret));
        why = run_user(&fault_hooks);
    }
    if (!why && run.step != 8)
        why = ktest_fail("the run ended after %u events", run.step);
    const char *clear = uspace_clear(kernel_root);
    return why ? why : clear;
}

