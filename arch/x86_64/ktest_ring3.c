/*
 * The x86_64 tests' ring-3 harness (ktest_ring3.h).
 *
 * State, all written with interrupts off by the test that runs: the
 * pool's frames and their out/in marks, the space being run, and the
 * last entry the hooks recorded.
 */
#include "ktest_ring3.h"

#include "arch.h"
#include "context.h"
#include "cpu.h"
#include "ktest/ktest.h"
#include "ktest_user.h"
#include "panic.h"
#include "pt.h"
#include "syscall.h"
#include "stacks.h"
#include "user.h"
#include "vm.h"

#define R3_POOL_FRAMES 16

typedef uint8_t frame_t[PAGE_SIZE];

static frame_t pool_frames[R3_POOL_FRAMES] __attribute__((aligned(4096)));
static bool pool_is_out[R3_POOL_FRAMES];
static unsigned pool_allowed = ~0u;
static const char *pool_misuse;

static frame_t data_frames[R3_DATA_FRAMES] __attribute__((aligned(4096)));
static frame_t stack_frame __attribute__((aligned(4096)));

/* ---- The frame pool ---------------------------------------------------- */

uint64_t r3_pool_alloc(void *cookie)
{
    (void)cookie;
    if (pool_allowed == 0)
        return 0;
    for (unsigned i = 0; i < R3_POOL_FRAMES; i++) {
        if (pool_is_out[i])
            continue;
        pool_is_out[i] = true;
        if (pool_allowed != ~0u)
            pool_allowed--;
        for (unsigned b = 0; b < PAGE_SIZE; b++)
            pool_frames[i][b] = 0;
        return vm_image_phys(pool_frames[i]);
    }
    return 0;
}

void r3_pool_release(uint64_t pa, void *cookie)
{
    (void)cookie;
    uint64_t first = vm_image_phys(pool_frames[0]);
    uint64_t i = (pa - first) / PAGE_SIZE;
    if (pa < first || i >= R3_POOL_FRAMES || pa % PAGE_SIZE != 0) {
        pool_misuse = "a frame the pool never gave out came back";
        return;
    }
    if (!pool_is_out[i]) {
        pool_misuse = "a frame came back twice";
        return;
    }
    pool_is_out[i] = false;
}

unsigned r3_pool_out(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < R3_POOL_FRAMES; i++)
        n += pool_is_out[i];
    return n;
}

const char *r3_pool_error(void)
{
    return pool_misuse;
}

void r3_pool_limit(unsigned n)
{
    pool_allowed = n;
}

uint64_t *r3_frame(unsigned i)
{
    return (uint64_t *)data_frames[i];
}

uint64_t r3_frame_pa(unsigned i)
{
    return vm_image_phys(data_frames[i]);
}

/* ---- Spaces --------------------------------------------------------------- */

uint64_t r3_va(const char *label)
{
    return R3_CODE_VA + (uint64_t)(label - ktest_user_page);
}

const char *r3_space_build(r3_space_t *s)
{
    pool_misuse = NULL;
    pool_allowed = ~0u;
    KTEST_CHECK(r3_pool_out() == 0, "%u pool frames still out", r3_pool_out());
    s->root = r3_pool_alloc(NULL);
    KTEST_CHECK(s->root != 0, "no root frame");
    arch_pt_root_init(s->root);
    r3_frame(0)[0] = R3_RO_WORD;
    r3_frame(1)[0] = R3_DATA_WORD;
    bool ok =
        arch_pt_map(s->root, R3_CODE_VA, vm_image_phys(ktest_user_page),
                    ARCH_MAP_EXEC, r3_pool_alloc, NULL) &&
        arch_pt_map(s->root, R3_STACK_VA, vm_image_phys(stack_frame),
                    ARCH_MAP_WRITE, r3_pool_alloc, NULL) &&
        arch_pt_map(s->root, R3_RO_VA, r3_frame_pa(0), 0, r3_pool_alloc, NULL) &&
        arch_pt_map(s->root, R3_DATA_VA, r3_frame_pa(1), ARCH_MAP_WRITE,
                    r3_pool_alloc, NULL);
    KTEST_CHECK(ok, "arch_pt_map failed building the test space");
    arch_context_init(s->ctx, 0, R3_STACK_TOP);
    return NULL;
}

const char *r3_space_destroy(r3_space_t *s)
{
    arch_pt_clear(s->root, r3_pool_release, NULL);
    KTEST_CHECK(!pt_is_live(s->root), "CR3 still on a cleared root");
    KTEST_CHECK((read_cr3() & PTE_ADDR) == vm_image_phys(vm_kernel_root()),
                "CR3 %llx is not the kernel's root", ULL(read_cr3()));
    KTEST_CHECK(r3_pool_out() == 1, "%u frames out after arch_pt_clear, "
                "expected only the root", r3_pool_out());
    r3_pool_release(s->root, NULL);
    KTEST_CHECK(r3_pool_error() == NULL, "pool: %s", r3_pool_error());
    const pte_t *kroot = *vm_kernel_root();
    for (unsigned i = 0; i < 256; i++)
        KTEST_CHECK(kroot[i] == 0, "kernel root has user entry %u", i);
    KTEST_CHECK(rdmsr(MSR_GS_BASE) == (uint64_t)(uintptr_t)percpu_this() &&
                rdmsr(MSR_KERNEL_GS_BASE) == 0,
                "GS bases unbalanced after ring 3: gs %llx kernel_gs %llx",
                ULL(rdmsr(MSR_GS_BASE)), ULL(rdmsr(MSR_KERNEL_GS_BASE)));
    return NULL;
}

const char *r3_with_space(const char *(*body)(r3_space_t *s))
{
    static r3_space_t space;
    const char *why = r3_space_build(&space);
    if (why)
        return why;
    why = body(&space);
    const char *teardown = r3_space_destroy(&space);
    return why ? why : teardown;
}

/* ---- Running ---------------------------------------------------------------- */

static ktest_jmp_t back_to_test;
static r3_space_t *running;
static bool stop_at_interrupts;
static r3_entry_t last;

static void record(uint64_t *ctx, r3_what_t what)
{
    uint64_t sp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(sp));
    last.what = what;
    last.ctx = ctx;
    last.handler_sp = sp;
    last.handler_rflags = read_rflags();
}

static __attribute__((noreturn)) void hook_syscall(uint64_t *ctx)
{
    record(ctx, R3_SYSCALL);
    ktest_longjmp(&back_to_test, 1);
}

static __attribute__((noreturn)) void hook_fault(uint64_t *ctx, fault_kind_t kind,
                                                 uint64_t addr, unsigned access)
{
    record(ctx, R3_FAULT);
    last.kind = kind;
    last.addr = addr;
    last.access = access;
    ktest_longjmp(&back_to_test, 1);
}

static __attribute__((noreturn)) void hook_interrupt(uint64_t *ctx)
{
    last.interrupts++;
    if (!stop_at_interrupts)
        arch_user_resume(ctx, running->root);
    record(ctx, R3_INTERRUPT);
    ktest_longjmp(&back_to_test, 1);
}

static const user_test_hooks_t hooks = {
    hook_syscall, hook_fault, hook_interrupt,
};

const r3_entry_t *r3_run(r3_space_t *s, bool stop_at_interrupt)
{
    uint64_t sp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(sp));
    REQUIRE(!stack_contains(STACK_KERNEL, sp));   /* entries reset that stack */
    uint64_t flags = read_rflags();
    arch_irq_disable();
    running = s;
    stop_at_interrupts = stop_at_interrupt;
    last = (r3_entry_t){ 0 };
    user_set_test_hooks(&hooks);
    if (ktest_setjmp(&back_to_test) == 0)
        arch_user_resume(s->ctx, s->root);
    user_set_test_hooks(NULL);
    if (flags & RFLAGS_IF)
        arch_irq_enable();
    return &last;
}

const r3_entry_t *r3_call(r3_space_t *s, const char *label)
{
    arch_context_set_pc(s->ctx, r3_va(label));
    return r3_run(s, false);
}

static const char *entry_name(r3_what_t what)
{
    return what == R3_SYSCALL ? "syscall" : what == R3_FAULT ? "fault"
         : what == R3_INTERRUPT ? "interrupt" : "nothing";
}

const char *r3_check_entry(const r3_space_t *s, const r3_entry_t *e,
                           r3_what_t what)
{
    if (e->what != what && e->what == R3_FAULT)
        return ktest_fail("expected a %s, got a fault: %s at %llx (rip %llx)",
                          entry_name(what), fault_kind_name(e->kind),
                          ULL(e->addr), ULL(arch_context_pc(s->ctx)));
    KTEST_CHECK(e->what == what, "expected a %s, got a %s", entry_name(what),
                entry_name(e->what));
    KTEST_CHECK(e->ctx == s->ctx, "the entry saved into %p, not the context %p",
                (const void *)e->ctx, (const void *)s->ctx);
    uint64_t top = stack_top(STACK_KERNEL);
    KTEST_CHECK(e->handler_sp < top && e->handler_sp > top - 512,
                "the hook ran at sp %llx, not near the kernel stack top %llx",
                ULL(e->handler_sp), ULL(top));
    KTEST_CHECK(!(e->handler_rflags & (RFLAGS_AC | RFLAGS_DF | RFLAGS_IF)),
                "the kernel ran with rflags %llx", ULL(e->handler_rflags));
    return NULL;
}

const char *r3_fail_in(const char *where, const char *why)
{
    char copy[160];
    if (!why)
        return NULL;
    unsigned n = 0;
    for (; why[n] && n + 1 < sizeof copy; n++)
        copy[n] = why[n];
    copy[n] = '\0';
    return ktest_fail("%s: %s", where, copy);
}

const char *r3_check_fault(const r3_space_t *s, const r3_entry_t *e,
                           fault_kind_t kind, uint64_t addr, unsigned access)
{
    const char *why = r3_check_entry(s, e, R3_FAULT);
    if (why)
        return why;
    KTEST_CHECK(e->kind == kind && e->addr == addr && e->access == access,
                "fault %s at %llx access %u; expected %s at %llx access %u",
                fault_kind_name(e->kind), ULL(e->addr), e->access,
                fault_kind_name(kind), ULL(addr), access);
    return NULL;
}
