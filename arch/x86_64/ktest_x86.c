/*
 * x86_64 in-kernel tests (arch_ktests.def; only in kernel-test.elf).
 *
 * The ring-3 tests each build a temporary address space (the kernel half
 * shared, one code page and one stack page for ring 3), enter ring 3
 * through x86_user_run, catch the next kernel entry with a hook, record
 * what arrived, and leave through x86_user_resume. Afterwards the kernel's
 * own tables are active again and their user half is still empty.
 */
#include "arch.h"
#include "ktest/ktest.h"

#include "cpu.h"
#include "idt.h"
#include "ktest_user.h"
#include "layout.h"
#include "stacks.h"
#include "syscall.h"
#include "trap.h"
#include "vm.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

#define ULL(x) ((unsigned long long)(x))

#define USER_CODE_VA  0x400000ull
#define USER_STACK_VA 0x402000ull   /* 0x401000 stays unmapped */
#define USER_TABLES   4             /* PML4, PDPT, PD, PT */

static uint8_t user_stack[PAGE_SIZE] __attribute__((aligned(4096)));
static page_table_t user_tables[USER_TABLES] __attribute__((aligned(4096)));

/* One kernel entry from ring 3, as a hook saw it. */
typedef struct {
    uint64_t vector, rip, cs, rflags, user_rsp, rdi, rsi, rdx, handler_sp;
} entry_seen_t;

/* Written by the hooks, read by the tests; interrupts are off throughout. */
static entry_seen_t seen[2];
static unsigned entries;
static x86_resume_t resume;

static uint64_t user_va(const char *entry)
{
    return USER_CODE_VA + (uint64_t)(entry - ktest_user_page);
}

static bool in_user_code(uint64_t rip, const char *from, const char *to)
{
    return rip >= user_va(from) && rip < user_va(to);
}

static void record(const x86_frame_t *f)
{
    if (entries < 2)
        seen[entries] = (entry_seen_t){
            f->vector, f->rip, f->cs, f->rflags, f->rsp, f->rdi, f->rsi, f->rdx,
            (uint64_t)(uintptr_t)__builtin_frame_address(0),
        };
    entries++;
}

static void wipe_user_tables(void)
{
    for (unsigned t = 0; t < USER_TABLES; t++)
        for (unsigned i = 0; i < 512; i++)
            user_tables[t][i] = 0;
}

static const char *user_space_enter(void)
{
    wipe_user_tables();
    pt_pool_t pool = { user_tables, USER_TABLES, 0 };
    page_table_t *root = vm_new_space(&pool);
    bool ok = root &&
        vm_map_page(root, USER_CODE_VA, vm_image_phys(ktest_user_page),
                    PTE_USER, &pool) &&
        vm_map_page(root, USER_STACK_VA, vm_image_phys(user_stack),
                    PTE_USER | PTE_WRITE | PTE_NX, &pool);
    if (!ok)
        return "could not build the temporary user address space";
    entries = 0;
    write_cr3(vm_image_phys(root));
    return NULL;
}

/* Back on the kernel's tables, hooks off, GS the kernel's, user half empty. */
static const char *user_space_leave(void)
{
    syscall_set_hook(NULL);
    trap_set_user_hook(NULL);
    write_cr3(vm_image_phys(vm_kernel_root()));
    wipe_user_tables();
    page_table_t *root = vm_kernel_root();
    for (unsigned i = 0; i < 256; i++)
        KTEST_CHECK((*root)[i] == 0, "kernel user half has entry %u", i);
    KTEST_CHECK(rdmsr(MSR_GS_BASE) == (uint64_t)(uintptr_t)percpu_this() &&
                rdmsr(MSR_KERNEL_GS_BASE) == 0,
                "GS bases unbalanced after ring 3: gs %llx kernel_gs %llx",
                ULL(rdmsr(MSR_GS_BASE)), ULL(rdmsr(MSR_KERNEL_GS_BASE)));
    return NULL;
}

static uint64_t run_user(const char *entry)
{
    return x86_user_run(&resume, user_va(entry), USER_STACK_VA + PAGE_SIZE);
}

/* The entry came from ring 3 and the kernel handled it on its own stack. */
static const char *check_entry(const entry_seen_t *e)
{
    KTEST_CHECK((e->cs & 3) == RPL_USER, "entry from CS %llx, not ring 3",
                ULL(e->cs));
    KTEST_CHECK(stack_contains(STACK_KERNEL, e->handler_sp),
                "handler ran on %llx, not the kernel stack", ULL(e->handler_sp));
    KTEST_CHECK(e->user_rsp > USER_STACK_VA && e->user_rsp <= USER_STACK_VA + PAGE_SIZE,
                "saved user rsp %llx is not on the user stack", ULL(e->user_rsp));
    KTEST_CHECK(e->rflags & RFLAGS_IF, "ring 3 ran with interrupts off "
                "(rflags %llx)", ULL(e->rflags));
    return NULL;
}

/* ---- CPU state --------------------------------------------------------- */

const char *ktest_x86_64_protections(void)
{
    uint64_t efer = rdmsr(MSR_EFER), cr0 = read_cr0(), cr4 = read_cr4();
    KTEST_CHECK((efer & (EFER_LME | EFER_NXE | EFER_SCE)) ==
                (EFER_LME | EFER_NXE | EFER_SCE), "EFER is %llx", ULL(efer));
    KTEST_CHECK(cr0 & CR0_WP, "CR0.WP is off (cr0 %llx)", ULL(cr0));
    KTEST_CHECK(cr4 & CR4_PGE, "global pages are off (cr4 %llx)", ULL(cr4));
    uint32_t f7 = cpuid(0, 0).eax >= 7 ? cpuid(7, 0).ebx : 0;
    KTEST_CHECK(!(f7 & (1u << 7)) == !(cr4 & CR4_SMEP), "SMEP: cpu %u, cr4 %llx",
                (f7 >> 7) & 1, ULL(cr4));
    KTEST_CHECK(!(f7 & (1u << 20)) == !(cr4 & CR4_SMAP), "SMAP: cpu %u, cr4 %llx",
                (f7 >> 20) & 1, ULL(cr4));
    KTEST_CHECK((read_cr3() & PTE_ADDR) == vm_image_phys(vm_kernel_root()),
                "CR3 %llx is not the kernel's tables", ULL(read_cr3()));
    KTEST_CHECK(rdmsr(MSR_LSTAR) != 0 && (rdmsr(MSR_SFMASK) & RFLAGS_IF),
                "syscall MSRs not programmed");
    return NULL;
}

/* Leaves under table t that are writable and executable, rights combined
 * over every level; *first gets the first such address. */
static unsigned wx_scan(page_table_t *t, int level, uint64_t va, bool w, bool nx,
                        uint64_t *first)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < 512; i++) {
        pte_t e = (*t)[i];
        if (!(e & PTE_PRESENT))
            continue;
        uint64_t eva = va | (uint64_t)i << (12 + 9 * (level - 1));
        if (level == 4 && i >= 256)
            eva |= 0xffff000000000000ull;
        bool ew = w && (e & PTE_WRITE), enx = nx || (e & PTE_NX);
        if (level > 1 && !(level < 4 && (e & PTE_LARGE))) {
            bad += wx_scan(vm_table_of(e), level - 1, eva, ew, enx, first);
        } else if (ew && !enx) {
            if (bad++ == 0 && *first == 0)
                *first = eva;
        }
    }
    return bad;
}

static const uint64_t some_rodata = 42;

/* The rights of the leaf that maps va; false if nothing maps it. */
static bool leaf_rights(uint64_t va, bool *w, bool *x, int *level)
{
    pte_t *e = vm_lookup(vm_kernel_root(), va, level);
    if (!e)
        return false;
    *w = *e & PTE_WRITE;
    *x = !(*e & PTE_NX);
    return true;
}

typedef struct {
    const char *what;
    uint64_t va;
    bool w, x;
    int level;
} expected_rights_t;

const char *ktest_x86_64_kernel_wx(void)
{
    uint64_t first = 0;
    unsigned bad = wx_scan(vm_kernel_root(), 4, 0, true, false, &first);
    KTEST_CHECK(bad == 0, "%u mappings are writable and executable, first at %llx",
                bad, ULL(first));
    const expected_rights_t expect[] = {
        { "text", (uintptr_t)ktest_x86_64_kernel_wx, false, true, 1 },
        { "rodata", (uintptr_t)&some_rodata, false, false, 1 },
        { "bss", (uintptr_t)user_stack, true, false, 1 },
        { "physmap", PHYSMAP_BASE, true, false, 2 },
    };
    for (unsigned i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const expected_rights_t *e = &expect[i];
        bool w, x;
        int level;
        KTEST_CHECK(leaf_rights(e->va, &w, &x, &level), "%s at %llx is not mapped",
                    e->what, ULL(e->va));
        KTEST_CHECK(w == e->w && x == e->x && level == e->level,
                    "%s at %llx: write %d exec %d level %d", e->what, ULL(e->va),
                    w, x, level);
    }
    KTEST_CHECK(!vm_lookup(vm_kernel_root(), (uintptr_t)x86_stacks[STACK_KERNEL].guard, NULL),
                "the kernel stack's guard page is mapped");
    KTEST_CHECK(!vm_lookup(vm_kernel_root(), 0x1000, NULL),
                "low memory is still identity-mapped");
    return NULL;
}

/* ---- Ring 3 ------------------------------------------------------------ */

/* First call: answer through sysretq. Second: back to the test. */
static void hook_syscall_twice(x86_frame_t *f)
{
    record(f);
    if (entries == 1) {
        f->rax = KTEST_USER_REPLY;
        return;
    }
    x86_user_resume(&resume, entries);
}

const char *ktest_x86_64_syscall_roundtrip(void)
{
    const char *why = user_space_enter();
    if (why)
        return why;
    syscall_set_hook(hook_syscall_twice);
    uint64_t got = run_user(ktest_user_syscall_twice);
    if ((why = user_space_leave()) != NULL)
        return why;
    KTEST_CHECK(got == 2, "back from ring 3 with %llu after %u syscalls",
                ULL(got), entries);
    for (unsigned i = 0; i < 2; i++) {
        if ((why = check_entry(&seen[i])) != NULL)
            return why;
        KTEST_CHECK(seen[i].vector == VECTOR_SYSCALL, "entry %u was vector %llx",
                    i, ULL(seen[i].vector));
        KTEST_CHECK((seen[i].rsi & 3) == RPL_USER, "user code saw CS %llx",
                    ULL(seen[i].rsi));
        KTEST_CHECK(seen[i].user_rsp == seen[i].rdx, "user rsp %llx arrived as %llx",
                    ULL(seen[i].rdx), ULL(seen[i].user_rsp));
        KTEST_CHECK(in_user_code(seen[i].rip, ktest_user_syscall_twice, ktest_user_spin),
                    "syscall %u returns to %llx", i, ULL(seen[i].rip));
    }
    KTEST_CHECK(seen[0].rdi == KTEST_USER_FIRST, "first syscall carried %llx",
                ULL(seen[0].rdi));
    KTEST_CHECK(seen[1].rdi == KTEST_USER_REPLY + 1,
                "second syscall carried %llx: the sysretq return lost rax",
                ULL(seen[1].rdi));
    KTEST_CHECK(seen[1].rip > seen[0].rip, "sysretq did not resume after the syscall");
    return NULL;
}

/* Leave at the first exception from ring 3, or the first interrupt. */
static void hook_exception(x86_frame_t *f)
{
    if (f->vector < 32) {
        record(f);
        x86_user_resume(&resume, f->vector);
    }
}

static void hook_interrupt(x86_frame_t *f)
{
    record(f);
    x86_user_resume(&resume, f->vector);
}

const char *ktest_x86_64_user_interrupt(void)
{
    const char *why = user_space_enter();
    if (why)
        return why;
    trap_set_user_hook(hook_interrupt);
    uint64_t vector = run_user(ktest_user_spin);
    if ((why = user_space_leave()) != NULL)
        return why;
    KTEST_CHECK(vector == VECTOR_PIC_BASE, "ring 3 left by vector %llu, not the "
                "timer's", ULL(vector));
    KTEST_CHECK(in_user_code(seen[0].rip, ktest_user_spin, ktest_user_undefined),
                "interrupted at %llx, not in the spin loop", ULL(seen[0].rip));
    return check_entry(&seen[0]);
}

const char *ktest_x86_64_user_exception(void)
{
    const char *why = user_space_enter();
    if (why)
        return why;
    trap_set_user_hook(hook_exception);
    uint64_t vector = run_user(ktest_user_undefined);
    if ((why = user_space_leave()) != NULL)
        return why;
    KTEST_CHECK(vector == 6, "ring 3 ud2 arrived as vector %llu", ULL(vector));
    KTEST_CHECK(trap_classify(vector, 0) == FAULT_INVALID_OPCODE,
                "ud2 classified as %s", fault_kind_name(trap_classify(vector, 0)));
    KTEST_CHECK(in_user_code(seen[0].rip, ktest_user_undefined, ktest_user_syscall_once),
                "fault reported at %llx", ULL(seen[0].rip));
    KTEST_CHECK((seen[0].rsi & 3) == RPL_USER, "user code saw CS %llx",
                ULL(seen[0].rsi));
    return check_entry(&seen[0]);
}

/*
 * A return rip outside the canonical lower half must not reach sysretq
 * (on Intel it faults in ring 0 with the user's rsp loaded). The stub
 * uses iretq instead. Hardware raises the #GP in ring 0 at the iretq;
 * QEMU's TCG lets iretq through and raises it in ring 3 at the bad rip.
 * Either way the boot must end in a reported protection fault, and in the
 * ring-3 case rcx must still hold the user's value: sysretq would have
 * overwritten it with the rip.
 */
#define NONCANONICAL_RIP 0x0000800000000000ull

static void hook_noncanonical(x86_frame_t *f)
{
    f->rip = NONCANONICAL_RIP;
}

static void hook_check_iretq_path(x86_frame_t *f)
{
    if (f->vector < 32 && f->rcx != NONCANONICAL_RIP)
        kernel_fatal_trap(trap_classify(f->vector, f->error), f->rip, 0);
    x86_user_resume(&resume, f->vector);
}

const char *ktest_x86_64_sysret_noncanonical(void)
{
    const char *why = user_space_enter();
    if (why)
        return why;
    syscall_set_hook(hook_noncanonical);
    trap_set_user_hook(hook_check_iretq_path);
    uint64_t vector = run_user(ktest_user_syscall_once);
    user_space_leave();
    return ktest_fail("ring 3 left by vector %llu with rcx = rip: the return "
                      "went through sysretq", ULL(vector));
}

/*
 * Running off the bottom of the stack hits its unmapped guard page. The
 * CPU cannot push the #PF frame onto that same stack, so it raises #DF,
 * which has its own IST stack and is reported: the boot must end in a
 * double fault, not a silent triple-fault reset.
 */
static volatile unsigned recursion_limit = ~0u;

static unsigned recurse(unsigned depth)
{
    volatile uint8_t frame[512];
    frame[0] = (uint8_t)depth;
    if (depth >= recursion_limit)
        return frame[0];
    return recurse(depth + 1) + frame[0];
}

const char *ktest_x86_64_stack_guard(void)
{
    unsigned sum = recurse(0);
    return ktest_fail("recursed without a fault (sum %u)", sum);
}
