/*
 * riscv64 tests of user contexts, the way into and out of user mode, and
 * the user page tables (listed in arch_ktests.def; test kernel only):
 *
 *   context_registers  arch_context_* and arch_syscall_* against the
 *                      documented layout and binding
 *   pt_edits           arch_pt_* on a root that never runs: leaf bits,
 *                      replacement, alloc failure, ranged unmaps, clear
 *                      giving every table back, the frozen kernel half
 *   user_syscall       U-mode through arch_user_resume: every register
 *                      in and out, answers through arch_syscall_set,
 *                      arch_syscall_restart, timer interrupts in U-mode
 *   user_faults        each user fault kind with its access and address,
 *                      and a page unmapped while the root is live
 *
 * The portable process layer is not part of these tests: the port's
 * test hooks (trap_set_user_test_hooks) stand in for kernel_syscall,
 * kernel_user_fault and kernel_user_interrupt. A hook checks what
 * arrived, then resumes the context or ends the run with ktest_longjmp.
 *
 * State: everything below is written by the running test and its hooks
 * only (one CPU; hooks run with interrupts off).
 */
#include "arch.h"
#include "cpu.h"
#include "csr.h"
#include "ktest/ktest.h"
#include "layout.h"
#include "mmu.h"
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

#define PAGE_ALIGNED __attribute__((aligned(PAGE_SIZE)))
#define SCOUNTEREN_TM 2
#define PTE_PERMS (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D)

static uint64_t va_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static uint64_t x_index(unsigned n)     /* xn's arch_context_get index */
{
    return n - 1;
}

/* ---- A small pool of table frames ---------------------------------------- */

#define POOL_FRAMES 8

static uint8_t pool_frames[POOL_FRAMES][PAGE_SIZE] PAGE_ALIGNED;

typedef struct {
    bool used[POOL_FRAMES];
    unsigned budget;           /* allocations still allowed */
    unsigned bad_releases;     /* frames released twice or not ours */
} frame_pool_t;

static frame_pool_t pool;

static uint64_t pool_alloc(void *cookie)
{
    frame_pool_t *p = cookie;
    for (unsigned i = 0; i < POOL_FRAMES && p->budget > 0; i++) {
        if (p->used[i])
            continue;
        p->used[i] = true;
        p->budget--;
        for (unsigned b = 0; b < PAGE_SIZE; b++)
            pool_frames[i][b] = 0;
        return mmu_kernel_pa(pool_frames[i]);
    }
    return 0;
}

static void pool_release(uint64_t pa, void *cookie)
{
    frame_pool_t *p = cookie;
    uint64_t first = mmu_kernel_pa(pool_frames[0]);
    uint64_t i = (pa - first) / PAGE_SIZE;
    if (pa < first || (pa - first) % PAGE_SIZE || i >= POOL_FRAMES ||
        !p->used[i]) {
        p->bad_releases++;
        return;
    }
    p->used[i] = false;
}

static unsigned pool_in_use(const frame_pool_t *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < POOL_FRAMES; i++)
        n += p->used[i];
    return n;
}

static void pool_reset(void)
{
    pool = (frame_pool_t){ .budget = POOL_FRAMES };
}

/* ---- An address space and its pages --------------------------------------- */

#define CODE_VA      0x10000ull
#define RO_VA        0x20000ull
#define UNMAPPED_VA  0x30000ull
#define DATA_VA      0x40000000ull          /* the second GiB */
#define STACK_VA     (USER_VA_LIMIT - PAGE_SIZE)   /* the last user page */
#define RO_MARKER    0x5eed5eed5eed5eedull

static uint64_t root_frame[PT_ENTRIES] PAGE_ALIGNED;
static uint8_t code_page[PAGE_SIZE] PAGE_ALIGNED;
static uint8_t stack_page[PAGE_SIZE] PAGE_ALIGNED;
static uint64_t ro_page[PAGE_SIZE / 8] PAGE_ALIGNED;
static uint8_t data_page[PAGE_SIZE] PAGE_ALIGNED;
static const uint64_t kernel_secret = 42;

static uint64_t root_pa(void)
{
    return mmu_kernel_pa(root_frame);
}

static pte_t lookup(uint64_t va)
{
    return mmu_lookup_in(root_pa(), va);
}

/* Does the leaf for va map pa with exactly the PTE bits `want`? */
static bool leaf_is(uint64_t va, uint64_t pa, uint64_t want)
{
    pte_t e = lookup(va);
    return e && pte_pa(e) == pa && (e & PTE_PERMS) == want;
}

static bool map(uint64_t va, const void *page, unsigned perms)
{
    return arch_pt_map(root_pa(), va, mmu_kernel_pa(page), perms, pool_alloc,
                       &pool);
}

/* A fresh root with the program at CODE_VA and the four data pages. */
static const char *space_build(const char *prog, const char *prog_end)
{
    pool_reset();
    arch_pt_root_init(root_pa());
    for (long i = 0; i < prog_end - prog && i < PAGE_SIZE; i++)
        code_page[i] = (uint8_t)prog[i];
    fence_i();
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        ro_page[i] = RO_MARKER;
    KTEST_CHECK(map(CODE_VA, code_page, ARCH_MAP_EXEC) &&
                map(STACK_VA, stack_page, ARCH_MAP_WRITE) &&
                map(RO_VA, ro_page, 0) &&
                map(DATA_VA, data_page, ARCH_MAP_WRITE),
                "could not map the user pages (%u tables in use)",
                pool_in_use(&pool));
    return NULL;
}

/* Give back the whole space; every table frame must come home. */
static const char *space_clear(uint64_t kernel_root)
{
    arch_pt_clear(root_pa(), pool_release, &pool);
    KTEST_CHECK(pool_in_use(&pool) == 0 && pool.bad_releases == 0,
                "arch_pt_clear: %u tables not returned, %u bad releases",
                pool_in_use(&pool), pool.bad_releases);
    KTEST_CHECK(mmu_current_root() == kernel_root,
                "arch_pt_clear did not leave the live root");
    for (unsigned i = 0; i < PT_KERNEL_FIRST; i++)
        KTEST_CHECK(root_frame[i] == 0, "root entry %u survived the clear", i);
    return NULL;
}

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
    arch_user_resume(ctx, root_pa());
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
    if (mmu_current_root() != root_pa())
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
        csr_set(scounteren, SCOUNTEREN_TM);    /* the programs read rdtime */
        run_resume(run.ctx);
    }
    csr_clear(scounteren, SCOUNTEREN_TM);
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

/* ---- context_registers ------------------------------------------------------ */

const char *ktest_riscv64_context_registers(void)
{
    static uint64_t ctx[CAIRN_ARCH_REG_WORDS], copy[CAIRN_ARCH_REG_WORDS];
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        ctx[i] = 0xaaaaaaaaaaaaaaaaull;
    arch_context_init(ctx, 0x1000, 0x2000);
    KTEST_CHECK(arch_context_regs == 32, "%u user-visible registers",
                arch_context_regs);
    for (unsigned i = 0; i < arch_context_regs; i++) {
        uint64_t want = i == x_index(2) ? 0x2000 : i == 31 ? 0x1000 : 0;
        KTEST_CHECK(arch_context_get(ctx, i) == want,
                    "register %u after init: %llx", i,
                    (unsigned long long)arch_context_get(ctx, i));
    }
    KTEST_CHECK(arch_context_pc(ctx) == 0x1000, "pc after init");
    KTEST_CHECK(ctx[CTX_STATUS / 8] == SSTATUS_SPIE, "status word after init");
    for (unsigned i = CTX_WORDS; i < CAIRN_ARCH_REG_WORDS; i++)
        KTEST_CHECK(ctx[i] == 0, "unused word %u not zeroed", i);
    for (unsigned i = 0; i < arch_context_regs; i++)
        KTEST_CHECK(arch_context_set(ctx, i, 0x1000u + i), "set %u refused", i);
    KTEST_CHECK(arch_context_pc(ctx) == 0x1000u + 31, "index 31 is not pc");
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        copy[i] = ctx[i];
    KTEST_CHECK(!arch_context_set(ctx, arch_context_regs, 0) &&
                arch_context_get(ctx, arch_context_regs) == 0,
                "the status word is visible");
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        KTEST_CHECK(ctx[i] == copy[i], "a refused set changed word %u", i);
    for (unsigned i = 0; i < ARCH_SYS_REGS; i++) {
        arch_syscall_set(ctx, i, 0x7700u + i);
        KTEST_CHECK(arch_context_get(ctx, x_index(10 + i)) == 0x7700u + i &&
                    arch_syscall_get(ctx, i) == 0x7700u + i,
                    "invocation register %u is not a%u", i, i);
    }
    arch_context_set_pc(ctx, 0x5004);
    arch_syscall_restart(ctx);
    KTEST_CHECK(arch_context_pc(ctx) == 0x5000, "restart did not step back 4");
    return NULL;
}

/* ---- pt_edits --------------------------------------------------------------- */

#define LEAF_R   (PTE_V | PTE_R | PTE_U | PTE_A | PTE_D)

static const char *check_root_init(uint64_t kernel_root)
{
    const pte_t *k = arch_phys_to_virt(kernel_root);
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        KTEST_CHECK(root_frame[i] == (i < PT_KERNEL_FIRST ? 0 : k[i]),
                    "root entry %u after arch_pt_root_init", i);
    return NULL;
}

/* Map, replace, and add: leaf bits exact, tables shared where they can be. */
static const char *check_map(void)
{
    uint64_t code = mmu_kernel_pa(code_page), data = mmu_kernel_pa(data_page);
    KTEST_CHECK(map(CODE_VA, code_page, 0) && leaf_is(CODE_VA, code, LEAF_R),
                "read-only leaf");
    KTEST_CHECK(pool_in_use(&pool) == 2, "%u tables for one page",
                pool_in_use(&pool));
    KTEST_CHECK(map(CODE_VA, data_page, ARCH_MAP_WRITE | ARCH_MAP_EXEC) &&
                leaf_is(CODE_VA, data, LEAF_R | PTE_W | PTE_X),
                "replaced leaf");
    KTEST_CHECK(map(CODE_VA + PAGE_SIZE, code_page, ARCH_MAP_WRITE) &&
                leaf_is(CODE_VA + PAGE_SIZE, code, LEAF_R | PTE_W),
                "second leaf");
    KTEST_CHECK(map(STACK_VA, stack_page, ARCH_MAP_EXEC) &&
                leaf_is(STACK_VA, mmu_kernel_pa(stack_page), LEAF_R | PTE_X),
                "leaf at the top of user space");
    KTEST_CHECK(pool_in_use(&pool) == 4, "%u tables for two regions",
                pool_in_use(&pool));
    return NULL;
}

/* With the pool dry, a map fails and no translation changes. */
static const char *check_alloc_failure(void)
{
    pool.budget = 1;            /* DATA_VA needs two new tables */
    KTEST_CHECK(!map(DATA_VA, data_page, 0), "map succeeded with one frame");
    KTEST_CHECK(lookup(DATA_VA) == 0 && lookup(CODE_VA) != 0,
                "a failed map changed translations");
    KTEST_CHECK(pool_in_use(&pool) == 5, "the empty level-1 table is not kept");
    pool.budget = 0;
    KTEST_CHECK(!map(2 * DATA_VA, data_page, 0) && pool_in_use(&pool) == 5,
                "map with an empty pool");
    pool.budget = 1;            /* the kept table needs only a leaf table */
    KTEST_CHECK(map(DATA_VA, data_page, 0) && pool_in_use(&pool) == 6,
                "map after the pool was refilled");
    pool.budget = POOL_FRAMES;
    return NULL;
}

static const char *check_unmap(void)
{
    KTEST_CHECK(map(CODE_VA + 2 * PAGE_SIZE, code_page, 0), "third page");
    arch_pt_unmap(root_pa(), CODE_VA + PAGE_SIZE, PAGE_SIZE);
    KTEST_CHECK(lookup(CODE_VA) && !lookup(CODE_VA + PAGE_SIZE) &&
                lookup(CODE_VA + 2 * PAGE_SIZE), "unmapping the middle page");
    arch_pt_unmap(root_pa(), 0, arch_user_va_limit);
    KTEST_CHECK(!lookup(CODE_VA) && !lookup(CODE_VA + 2 * PAGE_SIZE) &&
                !lookup(DATA_VA) && !lookup(STACK_VA),
                "unmapping the whole user half");
    KTEST_CHECK(pool_in_use(&pool) == 6, "unmap freed tables");
    KTEST_CHECK(map(STACK_VA, stack_page, 0), "remap");
    arch_pt_unmap(root_pa(), PAGE_SIZE, ~(uint64_t)(PAGE_SIZE - 1));
    KTEST_CHECK(!lookup(STACK_VA), "a range past the limit is not clamped");
    return NULL;
}

const char *ktest_riscv64_pt_edits(void)
{
    uint64_t kernel_root = mmu_current_root();
    pool_reset();
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        root_frame[i] = 0x5a5a5a5a;
    arch_pt_root_init(root_pa());
    const char *why = check_root_init(kernel_root);
    if (!why)
        why = check_map();
    if (!why)
        why = check_alloc_failure();
    if (!why)
        why = check_unmap();
    const char *clear = space_clear(kernel_root);
    if (why || clear)
        return why ? why : clear;
    /* 8 GiB into the device window needs a new kernel root entry. */
    KTEST_CHECK(mmu_map_device(8ull << 30, PAGE_SIZE) == 0,
                "a new kernel root entry after roots copied the kernel half");
    return NULL;
}

/* ---- user_syscall ------------------------------------------------------------- */

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
        KTEST_CHECK(arch_context_get(ctx, x_index(n)) == preset(n),
                    "S0: x%u = %llx", n,
                    (unsigned long long)arch_context_get(ctx, x_index(n)));
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
    KTEST_CHECK(((uint64_t *)stack_page)[PAGE_SIZE / 8 - 1] == answer(0),
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
    arch_context_set(ctx, x_index(31), arch_cycles() + SPIN_TICKS * tick_period());
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
    const char *why = space_build(ktest_prog_syscall, ktest_prog_syscall_end);
    if (!why) {
        run_reset();
        for (unsigned n = 1; n < 32; n++)
            arch_context_set(run.ctx, x_index(n), preset(n));
        why = run_user(&syscall_hooks);
    }
    if (!why && run.step != 4)
        why = ktest_fail("the run ended after %u ecalls", run.step);
    const char *clear = space_clear(kernel_root);
    return why ? why : clear;
}

/* ---- user_faults --------------------------------------------------------------- */

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
        { AT_ADDR, false, FAULT_NO_EXECUTE, ARCH_ACCESS_EXEC, DATA_VA, GO_RETURN },
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
    KTEST_CHECK(arch_context_get(ctx, x_index(6)) == RO_MARKER &&
                ro_page[0] == RO_MARKER,
                "the read-only page was not read, or was written");
    arch_pt_unmap(root_pa(), RO_VA, PAGE_SIZE);
    KTEST_CHECK(lookup(RO_VA) == 0, "unmapped page still in the table");
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
        arch_context_set_pc(ctx, arch_context_get(ctx, x_index(1)));
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
    const char *why = space_build(ktest_prog_faults, ktest_prog_faults_end);
    if (!why) {
        run_reset();
        arch_context_set(run.ctx, x_index(9), RO_VA);          /* s1 */
        arch_context_set(run.ctx, x_index(18), DATA_VA);       /* s2 */
        arch_context_set(run.ctx, x_index(19), UNMAPPED_VA);   /* s3 */
        arch_context_set(run.ctx, x_index(20), va_of(&kernel_secret));
        why = run_user(&fault_hooks);
    }
    if (!why && run.step != 8)
        why = ktest_fail("the run ended after %u events", run.step);
    const char *clear = space_clear(kernel_root);
    return why ? why : clear;
}
