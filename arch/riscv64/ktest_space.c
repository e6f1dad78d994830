/*
 * riscv64 tests of the user context layout and of the user page tables
 * on a root that never runs (arch_ktests.def; test kernel only), and the
 * frame pool and address space every user-mode test shares
 * (ktest_space.h):
 *
 *   context_registers  arch_context_* and arch_syscall_* against the
 *                      layout and binding documented in context.c
 *   pt_edits           leaf bits, replacement, alloc failure with no
 *                      visible change, ranged unmaps that skip absent
 *                      tables, arch_pt_clear giving every table back,
 *                      and the kernel half frozen once roots copy it
 */
#include "ktest_space.h"

#include "csr.h"
#include "ktest/ktest.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

#define PTE_PERMS \
    (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D)

frame_pool_t uspace_pool;
uspace_pages_t uspace;

static uint8_t pool_frames[POOL_FRAMES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE)));

/* ---- The frame pool ----------------------------------------------------- */

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

unsigned uspace_pool_in_use(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < POOL_FRAMES; i++)
        n += uspace_pool.used[i];
    return n;
}

void uspace_pool_reset(void)
{
    uspace_pool = (frame_pool_t){ .budget = POOL_FRAMES };
}

/* ---- The address space -------------------------------------------------- */

uint64_t uspace_root(void)
{
    return mmu_kernel_pa(uspace.root);
}

pte_t uspace_lookup(uint64_t va)
{
    return mmu_lookup_in(uspace_root(), va);
}

bool uspace_map(uint64_t va, const void *page, unsigned perms)
{
    return arch_pt_map(uspace_root(), va, mmu_kernel_pa(page), perms,
                       pool_alloc, &uspace_pool);
}

const char *uspace_build(const char *prog, const char *prog_end)
{
    uspace_pool_reset();
    arch_pt_root_init(uspace_root());
    for (long i = 0; i < prog_end - prog && i < PAGE_SIZE; i++)
        uspace.code[i] = (uint8_t)prog[i];
    fence_i();
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        uspace.ro[i] = RO_MARKER;
    KTEST_CHECK(uspace_map(CODE_VA, uspace.code, ARCH_MAP_EXEC) &&
                uspace_map(STACK_VA, uspace.stack, ARCH_MAP_WRITE) &&
                uspace_map(RO_VA, uspace.ro, 0) &&
                uspace_map(DATA_VA, uspace.data, ARCH_MAP_WRITE),
                "could not map the user pages (%u tables in use)",
                uspace_pool_in_use());
    return NULL;
}

const char *uspace_clear(uint64_t kernel_root)
{
    arch_pt_clear(uspace_root(), pool_release, &uspace_pool);
    KTEST_CHECK(uspace_pool_in_use() == 0 && uspace_pool.bad_releases == 0,
                "arch_pt_clear: %u tables not returned, %u bad releases",
                uspace_pool_in_use(), uspace_pool.bad_releases);
    KTEST_CHECK(mmu_current_root() == kernel_root,
                "arch_pt_clear did not leave the live root");
    for (unsigned i = 0; i < PT_KERNEL_FIRST; i++)
        KTEST_CHECK(uspace.root[i] == 0, "root entry %u survived the clear", i);
    return NULL;
}

/* Does the leaf for va map pa with exactly the PTE bits `want`? */
static bool leaf_is(uint64_t va, uint64_t pa, uint64_t want)
{
    pte_t e = uspace_lookup(va);
    return e && pte_pa(e) == pa && (e & PTE_PERMS) == want;
}

/* ---- context_registers -------------------------------------------------- */

const char *ktest_riscv64_context_registers(void)
{
    static uint64_t ctx[CAIRN_ARCH_REG_WORDS], copy[CAIRN_ARCH_REG_WORDS];
    for (unsigned i = 0; i < CAIRN_ARCH_REG_WORDS; i++)
        ctx[i] = 0xaaaaaaaaaaaaaaaaull;
    arch_context_init(ctx, 0x1000, 0x2000);
    KTEST_CHECK(arch_context_regs == 32, "%u user-visible registers",
                arch_context_regs);
    for (unsigned i = 0; i < arch_context_regs; i++) {
        uint64_t want = i == ctx_x(2) ? 0x2000 : i == 31 ? 0x1000 : 0;
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
        KTEST_CHECK(arch_context_get(ctx, ctx_x(10 + i)) == 0x7700u + i &&
                    arch_syscall_get(ctx, i) == 0x7700u + i,
                    "invocation register %u is not a%u", i, i);
    }
    arch_context_set_pc(ctx, 0x5004);
    arch_syscall_restart(ctx);
    KTEST_CHECK(arch_context_pc(ctx) == 0x5000, "restart did not step back 4");
    return NULL;
}

/* ---- pt_edits ----------------------------------------------------------- */

#define LEAF_R   (PTE_V | PTE_R | PTE_U | PTE_A | PTE_D)

static const char *check_root_init(uint64_t kernel_root)
{
    const pte_t *k = arch_phys_to_virt(kernel_root);
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        KTEST_CHECK(uspace.root[i] == (i < PT_KERNEL_FIRST ? 0 : k[i]),
                    "root entry %u after arch_pt_root_init", i);
    return NULL;
}

/* Map, replace, and add: leaf bits exact, tables shared where they can be. */
static const char *check_map(void)
{
    uint64_t code = mmu_kernel_pa(uspace.code);
    uint64_t data = mmu_kernel_pa(uspace.data);
    KTEST_CHECK(uspace_map(CODE_VA, uspace.code, 0) &&
                leaf_is(CODE_VA, code, LEAF_R), "read-only leaf");
    KTEST_CHECK(uspace_pool_in_use() == 2, "%u tables for one page",
                uspace_pool_in_use());
    KTEST_CHECK(uspace_map(CODE_VA, uspace.data,
                           ARCH_MAP_WRITE | ARCH_MAP_EXEC) &&
                leaf_is(CODE_VA, data, LEAF_R | PTE_W | PTE_X),
                "replaced leaf");
    KTEST_CHECK(uspace_map(CODE_VA + PAGE_SIZE, uspace.code, ARCH_MAP_WRITE) &&
                leaf_is(CODE_VA + PAGE_SIZE, code, LEAF_R | PTE_W),
                "second leaf");
    KTEST_CHECK(uspace_map(STACK_VA, uspace.stack, ARCH_MAP_EXEC) &&
                leaf_is(STACK_VA, mmu_kernel_pa(uspace.stack), LEAF_R | PTE_X),
                "leaf at the top of user space");
    KTEST_CHECK(uspace_pool_in_use() == 4, "%u tables for two regions",
                uspace_pool_in_use());
    return NULL;
}

/* With the pool dry, a map fails and no translation changes. */
static const char *check_alloc_failure(void)
{
    uspace_pool.budget = 1;      /* DATA_VA needs two new tables */
    KTEST_CHECK(!uspace_map(DATA_VA, uspace.data, 0),
                "map succeeded with one frame");
    KTEST_CHECK(uspace_lookup(DATA_VA) == 0 && uspace_lookup(CODE_VA) != 0,
                "a failed map changed translations");
    KTEST_CHECK(uspace_pool_in_use() == 5,
                "the empty level-1 table is not kept");
    uspace_pool.budget = 0;
    KTEST_CHECK(!uspace_map(2 * DATA_VA, uspace.data, 0) &&
                uspace_pool_in_use() == 5,
                "map with an empty pool");
    uspace_pool.budget = 1;      /* the kept table needs only a leaf table */
    KTEST_CHECK(uspace_map(DATA_VA, uspace.data, 0) &&
                uspace_pool_in_use() == 6,
                "map after the pool was refilled");
    uspace_pool.budget = POOL_FRAMES;
    return NULL;
}

static const char *check_unmap(void)
{
    KTEST_CHECK(uspace_map(CODE_VA + 2 * PAGE_SIZE, uspace.code, 0),
                "third page");
    arch_pt_unmap(uspace_root(), CODE_VA + PAGE_SIZE, PAGE_SIZE);
    KTEST_CHECK(uspace_lookup(CODE_VA) &&
                !uspace_lookup(CODE_VA + PAGE_SIZE) &&
                uspace_lookup(CODE_VA + 2 * PAGE_SIZE),
                "unmapping the middle page");
    arch_pt_unmap(uspace_root(), 0, arch_user_va_limit);
    KTEST_CHECK(!uspace_lookup(CODE_VA) &&
                !uspace_lookup(CODE_VA + 2 * PAGE_SIZE) &&
                !uspace_lookup(DATA_VA) && !uspace_lookup(STACK_VA),
                "unmapping the whole user half");
    KTEST_CHECK(uspace_pool_in_use() == 6, "unmap freed tables");
    KTEST_CHECK(uspace_map(STACK_VA, uspace.stack, 0), "remap");
    arch_pt_unmap(uspace_root(), PAGE_SIZE, ~(uint64_t)(PAGE_SIZE - 1));
    KTEST_CHECK(!uspace_lookup(STACK_VA),
                "a range past the limit is not clamped");
    return NULL;
}

const char *ktest_riscv64_pt_edits(void)
{
    uint64_t kernel_root = mmu_current_root();
    uspace_pool_reset();
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        uspace.root[i] = 0x5a5a5a5a;
    arch_pt_root_init(uspace_root());
    const char *why = check_root_init(kernel_root);
    if (!why)
        why = check_map();
    if (!why)
        why = check_alloc_failure();
    if (!why)
        why = check_unmap();
    const char *clear = uspace_clear(kernel_root);
    if (why || clear)
        return why ? why : clear;
    /* 8 GiB into the device window needs a new kernel root entry. */
    KTEST_CHECK(mmu_map_device(8ull << 30, PAGE_SIZE) == 0,
                "a new kernel root entry after roots copied the kernel half");
    return NULL;
}

