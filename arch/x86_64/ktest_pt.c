/*
 * x86_64 tests of the hardware page tables (arch_pt_*; arch_ktests.def,
 * only in kernel-test.elf): the bits a leaf gets, the faults ring 3
 * takes on each kind of missing right, that edits of the live root are
 * flushed (QEMU's TLB is as stale as hardware's without invlpg or a CR3
 * load), ranges that skip absent tables, every table frame coming back
 * from arch_pt_clear, and a map that runs out of frames.
 */
#include "arch.h"
#include "context.h"
#include "ktest/ktest.h"
#include "ktest_ring3.h"
#include "ktest_user.h"
#include "pt.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

#define SPARE_VA    0x406000ull            /* free in the harness space */
#define MANY_VA     0x10000000ull          /* another PT, same PD */
#define MANY_PAGES  40u                    /* more than FLUSH_PAGES_MAX */
#define TOP_VA      (USER_VA_LIMIT - PAGE_SIZE)   /* last PML4 user slot */
#define SLOT1_VA    0x8000000000ull        /* PML4 slot 1 */


static bool map(r3_space_t *s, uint64_t va, uint64_t pa, unsigned perms)
{
    return arch_pt_map(s->root, va, pa, perms, r3_pool_alloc, NULL);
}

/* Run `label` with rdi = va (and rdx = value) up to its next entry. */
static const r3_entry_t *run_at(r3_space_t *s, const char *label, uint64_t va,
                                uint64_t value)
{
    arch_context_set(s->ctx, CTX_W_RDI, va);
    arch_context_set(s->ctx, CTX_W_RDX, value);
    return r3_call(s, label);
}

/* Ring 3 reads va and must see `want`. */
static const char *expect_load(r3_space_t *s, uint64_t va, uint64_t want)
{
    const r3_entry_t *e = run_at(s, ktest_user_load, va, 0);
    const char *why = r3_check_entry(s, e, R3_SYSCALL);
    if (why)
        return why;
    KTEST_CHECK(s->ctx[CTX_W_RDX] == want, "ring 3 read %llx at %llx, not %llx",
                ULL(s->ctx[CTX_W_RDX]), ULL(va), ULL(want));
    return NULL;
}

/* Ring 3 reads va and must take a PAGE fault there. */
static const char *expect_absent(r3_space_t *s, uint64_t va)
{
    const r3_entry_t *e = run_at(s, ktest_user_load, va, 0);
    return r3_check_fault(s, e, FAULT_PAGE, va, ARCH_ACCESS_READ);
}

/* ---- Leaves --------------------------------------------------------------- */

static const char *check_leaf(const r3_space_t *s, uint64_t va, pte_t want)
{
    pte_t e = pt_lookup(s->root, va);
    pte_t bits = PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_GLOBAL | PTE_NX;
    KTEST_CHECK((e & bits) == want, "leaf at %llx is %llx; wanted bits %llx",
                ULL(va), ULL(e), ULL(want));
    return NULL;
}

/* Every entry on the way to va's leaf is present, writable, user, not NX. */
static const char *check_links(const r3_space_t *s, uint64_t va)
{
    const pte_t *t = arch_phys_to_virt(s->root);
    for (int level = 4; level > 1; level--) {
        pte_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        KTEST_CHECK((e & (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX |
                          PTE_LARGE | PTE_GLOBAL)) ==
                    (PTE_PRESENT | PTE_WRITE | PTE_USER),
                    "level %d entry for %llx is %llx", level, ULL(va), ULL(e));
        t = arch_phys_to_virt(e & PTE_ADDR);
    }
    return NULL;
}

static const char *leaf_bits_body(r3_space_t *s)
{
    const pte_t U = PTE_PRESENT | PTE_USER;
    const struct { uint64_t va; pte_t want; } leaves[] = {
        { R3_CODE_VA, U }, { R3_STACK_VA, U | PTE_WRITE | PTE_NX },
        { R3_RO_VA, U | PTE_NX }, { R3_DATA_VA, U | PTE_WRITE | PTE_NX },
        { R3_HOLE_VA, 0 }, { TOP_VA, 0 },
    };
    const char *why = check_links(s, R3_CODE_VA);
    for (unsigned i = 0; !why && i < sizeof leaves / sizeof leaves[0]; i++)
        why = check_leaf(s, leaves[i].va, leaves[i].want);
    if (why)
        return why;
    KTEST_CHECK((pt_lookup(s->root, R3_RO_VA) & PTE_ADDR) == r3_frame_pa(0),
                "the read-only page maps the wrong frame");
    const pte_t *root = arch_phys_to_virt(s->root), *kernel = *vm_kernel_root();
    for (unsigned i = 256; i < 512; i++)
        KTEST_CHECK(root[i] == kernel[i], "kernel entry %u not copied", i);
    KTEST_CHECK(map(s, SPARE_VA, r3_frame_pa(2), ARCH_MAP_WRITE | ARCH_MAP_EXEC),
                "map failed");
    return check_leaf(s, SPARE_VA, U | PTE_WRITE);
}

const char *ktest_x86_64_pt_leaf_bits(void)
{
    return r3_with_space(leaf_bits_body);
}

/* ---- Faults ---------------------------------------------------------------- */

static const char *pt_faults_body(r3_space_t *s)
{
    const char *why = expect_load(s, R3_RO_VA, R3_RO_WORD);
    if (why)
        return why;
    const r3_entry_t *e = run_at(s, ktest_user_store, R3_DATA_VA + 8, 0x77);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    KTEST_CHECK(r3_frame(1)[1] == 0x77, "a ring-3 store did not reach its frame");

    e = run_at(s, ktest_user_store, R3_RO_VA + 0x18, 1);
    if ((why = r3_check_fault(s, e, FAULT_PROTECTION, R3_RO_VA + 0x18,
                              ARCH_ACCESS_WRITE)) != NULL)
        return why;
    KTEST_CHECK(r3_frame(0)[3] == 0, "the refused store changed the page");
    e = run_at(s, ktest_user_jump, R3_DATA_VA, 0);
    if ((why = r3_check_fault(s, e, FAULT_NO_EXECUTE, R3_DATA_VA,
                              ARCH_ACCESS_EXEC)) != NULL)
        return why;
    if ((why = expect_absent(s, R3_HOLE_VA + 0x28)) != NULL)
        return why;
    e = run_at(s, ktest_user_store, R3_HOLE_VA, 1);
    return r3_check_fault(s, e, FAULT_PAGE, R3_HOLE_VA, ARCH_ACCESS_WRITE);
}

const char *ktest_x86_64_pt_faults(void)
{
    return r3_with_space(pt_faults_body);
}

/* ---- Edits of the live root --------------------------------------------------- */

static const char *remap_flush_body(r3_space_t *s)
{
    r3_frame(2)[0] = 0xaaaa;
    r3_frame(3)[0] = 0xbbbb;
    KTEST_CHECK(map(s, SPARE_VA, r3_frame_pa(2), 0), "map failed");
    const char *why = expect_load(s, SPARE_VA, 0xaaaa);
    if (why)
        return why;
    KTEST_CHECK(pt_is_live(s->root), "the test root is not live after ring 3");
    KTEST_CHECK(map(s, SPARE_VA, r3_frame_pa(3), ARCH_MAP_WRITE), "remap failed");
    if ((why = expect_load(s, SPARE_VA, 0xbbbb)) != NULL)
        return r3_fail_in("after a remap", why);
    const r3_entry_t *e = run_at(s, ktest_user_store, SPARE_VA, 0xcccc);
    if ((why = r3_check_entry(s, e, R3_SYSCALL)) != NULL)
        return why;
    KTEST_CHECK(r3_frame(3)[0] == 0xcccc, "the store went elsewhere");
    arch_pt_unmap(s->root, SPARE_VA, PAGE_SIZE);
    if ((why = expect_absent(s, SPARE_VA)) != NULL)
        return r3_fail_in("after an unmap", why);
    return expect_load(s, R3_RO_VA, R3_RO_WORD);   /* the neighbour stays */
}

const char *ktest_x86_64_pt_remap_flush(void)
{
    return r3_with_space(remap_flush_body);
}

/* Map MANY_PAGES pages at MANY_VA and one at TOP_VA; ring 3 reads them all. */
static const char *map_and_touch(r3_space_t *s)
{
    r3_frame(2)[0] = 0x2222;
    for (unsigned i = 0; i < MANY_PAGES; i++)
        KTEST_CHECK(map(s, MANY_VA + i * PAGE_SIZE, r3_frame_pa(2), 0),
                    "map %u failed", i);
    KTEST_CHECK(map(s, TOP_VA, r3_frame_pa(2), 0), "map at the top failed");
    arch_context_set(s->ctx, CTX_W_RSI, MANY_PAGES);
    const r3_entry_t *e = run_at(s, ktest_user_touch, MANY_VA, 0);
    const char *why = r3_check_entry(s, e, R3_SYSCALL);
    return why ? why : expect_load(s, TOP_VA, 0x2222);
}

static const char *unmap_ranges_body(r3_space_t *s)
{
    const char *why = map_and_touch(s);
    if (why)
        return why;
    /* The middle only: the first and last pages stay. */
    arch_pt_unmap(s->root, MANY_VA + PAGE_SIZE, (MANY_PAGES - 2) * PAGE_SIZE);
    if ((why = expect_load(s, MANY_VA, 0x2222)) != NULL ||
        (why = expect_load(s, MANY_VA + (MANY_PAGES - 1) * PAGE_SIZE, 0x2222)) != NULL ||
        (why = expect_absent(s, MANY_VA + PAGE_SIZE)) != NULL ||
        (why = expect_absent(s, MANY_VA + (MANY_PAGES - 2) * PAGE_SIZE)) != NULL)
        return r3_fail_in("after a partial unmap", why);
    if ((why = map_and_touch(s)) != NULL)
        return why;
    /* The whole user half: 2^35 pages, nearly all under absent tables. */
    unsigned tables = r3_pool_out();
    arch_pt_unmap(s->root, 0, USER_VA_LIMIT);
    KTEST_CHECK(r3_pool_out() == tables, "unmap changed the tables in use");
    const r3_entry_t *e = run_at(s, ktest_user_load, MANY_VA, 0);
    uint64_t rip = r3_va(ktest_user_load);
    if ((why = r3_check_fault(s, e, FAULT_PAGE, rip, ARCH_ACCESS_EXEC)) != NULL)
        return r3_fail_in("code page after unmapping everything", why);
    KTEST_CHECK(map(s, R3_CODE_VA, vm_image_phys(ktest_user_page), ARCH_MAP_EXEC),
                "remapping the code failed");
    KTEST_CHECK(r3_pool_out() == tables, "remapping took new tables");
    if ((why = expect_absent(s, MANY_VA + (MANY_PAGES - 1) * PAGE_SIZE)) != NULL ||
        (why = expect_absent(s, TOP_VA)) != NULL)
        return r3_fail_in("after unmapping everything", why);
    return NULL;
}

const char *ktest_x86_64_pt_unmap_ranges(void)
{
    return r3_with_space(unmap_ranges_body);
}

/* ---- Frames ---------------------------------------------------------------- */

static const char *clear_frames_body(r3_space_t *s)
{
    KTEST_CHECK(map(s, TOP_VA, r3_frame_pa(2), 0) &&
                map(s, SLOT1_VA, r3_frame_pa(2), 0) &&
                map(s, MANY_VA, r3_frame_pa(2), 0), "maps failed");
    /* root; PDPT, PD, PT for the harness; a PT for MANY_VA; 3 + 3 more. */
    KTEST_CHECK(r3_pool_out() == 11, "%u frames out, expected 11", r3_pool_out());
    const char *why = expect_load(s, SLOT1_VA, r3_frame(2)[0]);
    if (why)
        return why;
    arch_pt_clear(s->root, r3_pool_release, NULL);
    KTEST_CHECK(r3_pool_error() == NULL, "pool: %s", r3_pool_error());
    KTEST_CHECK(r3_pool_out() == 1, "%u frames out after arch_pt_clear",
                r3_pool_out());
    KTEST_CHECK(!pt_is_live(s->root), "arch_pt_clear left CR3 on the root");
    const pte_t *root = arch_phys_to_virt(s->root), *kernel = *vm_kernel_root();
    for (unsigned i = 0; i < 512; i++)
        KTEST_CHECK(root[i] == (i < 256 ? 0 : kernel[i]),
                    "root entry %u is %llx after arch_pt_clear", i, ULL(root[i]));
    /* Still a valid, empty root: it can be filled and run again. */
    KTEST_CHECK(map(s, R3_CODE_VA, vm_image_phys(ktest_user_page), ARCH_MAP_EXEC),
                "map into the cleared root failed");
    const r3_entry_t *e = r3_call(s, ktest_user_syscall1);
    return r3_check_entry(s, e, R3_SYSCALL);
}

const char *ktest_x86_64_pt_clear_frames(void)
{
    return r3_with_space(clear_frames_body);
}

static const char *alloc_failure_body(r3_space_t *s)
{
    pte_t code = pt_lookup(s->root, R3_CODE_VA);
    unsigned out = r3_pool_out();
    r3_pool_limit(1);           /* SLOT1_VA needs a PDPT, a PD and a PT */
    bool mapped = map(s, SLOT1_VA, r3_frame_pa(2), ARCH_MAP_WRITE);
    r3_pool_limit(0);
    KTEST_CHECK(!mapped, "arch_pt_map succeeded with one frame for three tables");
    KTEST_CHECK(pt_lookup(s->root, SLOT1_VA) == 0, "a failed map left a leaf");
    KTEST_CHECK(pt_lookup(s->root, R3_CODE_VA) == code, "a failed map changed "
                "another mapping");
    KTEST_CHECK(r3_pool_out() == out + 1, "%u frames out, expected %u",
                r3_pool_out(), out + 1);
    KTEST_CHECK(map(s, R3_HOLE_VA, r3_frame_pa(2), 0),
                "a map that needs no new table failed with the pool empty");
    arch_pt_unmap(s->root, R3_HOLE_VA, PAGE_SIZE);
    const r3_entry_t *e = r3_call(s, ktest_user_syscall1);
    const char *why = r3_check_entry(s, e, R3_SYSCALL);
    if (why)
        return why;
    r3_pool_limit(~0u);
    KTEST_CHECK(map(s, SLOT1_VA, r3_frame_pa(2), ARCH_MAP_WRITE),
                "map failed with frames to spare");
    KTEST_CHECK(r3_pool_out() == out + 3, "the retry did not reuse the table "
                "the failed map linked (%u frames out)", r3_pool_out());
    return NULL;
}

const char *ktest_x86_64_pt_alloc_failure(void)
{
    return r3_with_space(alloc_failure_body);
}
