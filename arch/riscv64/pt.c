/*
 * User page tables: the hardware's cache of the portable kernel's GPT
 * translations. The portable kernel decides what is mapped and when it
 * is dropped; this file only edits tables (the arch_pt_* hooks, arch.h).
 *
 * Shape: a root (level 2) whose entries 0..255 cover the user addresses
 * [0, USER_VA_LIMIT) in 1 GiB steps, each pointing to a level-1 table,
 * whose entries point to level-0 tables of 4 KiB leaves. User leaves are
 * only ever 4 KiB, so every user entry above level 0 points to a table.
 * Root entries 256..511 are copies of the kernel root's
 * (mmu_share_kernel_half): the kernel is mapped the same in every root.
 *
 * Table frames come from the caller's pool through `alloc` and go back
 * through `release` only in arch_pt_clear; unmapping leaves the tables
 * for a later map to reuse. If alloc runs dry after a level-1 table was
 * added, that table stays linked, empty: no translation changed and
 * arch_pt_clear gives it back like any other. Tables are reached through
 * the physical map; user memory never is.
 *
 * TLB policy (one CPU, no ASIDs; correctness first): every root runs
 * with ASID 0 and every satp write is followed by sfence.vma of
 * everything. Hence the invariant: the TLB holds translations of the
 * live root (and the kernel's global ones) only. An edit of a root that
 * is not live needs no flush; an edit of the live root flushes what it
 * changed: the pages whose leaves changed, or everything once a table
 * was added (the ISA asks for a full fence after a non-leaf change) or
 * more than FLUSH_PAGES_MAX pages changed. The price is a full flush on
 * each address-space switch; ASIDs would remove it and can come when
 * measurements ask. More than one CPU would also need shootdowns.
 *
 * Instruction fetch: RISC-V fetches need not see earlier stores until a
 * fence.i on the same hart, so an executable mapping is made after one.
 * That covers code the kernel wrote before mapping it; code the kernel
 * writes into a frame already mapped executable is not covered.
 */
#include "arch.h"

#include "csr.h"
#include "layout.h"
#include "mmu.h"
#include "panic.h"
#include "pt.h"

#define PAGE_MASK        ((uint64_t)PAGE_SIZE - 1)
#define PA_LIMIT         (1ull << 56)     /* 44-bit PPN */
#define FLUSH_PAGES_MAX  32

_Static_assert(USER_VA_LIMIT >> (PAGE_SHIFT + 9 * 2) == PT_KERNEL_FIRST,
               "the user half is exactly the lower half of the root");

const uint64_t arch_user_va_limit = USER_VA_LIMIT;

static pte_t *table(uint64_t pa)
{
    return arch_phys_to_virt(pa);
}

static bool is_live(uint64_t root)
{
    return mmu_current_root() == root;
}

/* The first address past the span one entry at `level` covers around va. */
static uint64_t span_end(uint64_t va, int level)
{
    return (va | ((1ull << (PAGE_SHIFT + 9 * level)) - 1)) + 1;
}

void pt_activate(uint64_t root)
{
    ASSERT((root & PAGE_MASK) == 0 && root < PA_LIMIT);
    uint64_t satp = SATP_MODE_SV39 | root >> PAGE_SHIFT;
    if (csr_read(satp) == satp)        /* ASID 0 always: see the TLB policy */
        return;
    csr_write(satp, satp);
    sfence_vma_all();
}

/* Flush [va, end) of root, if root is live (see the TLB policy). */
static void flush_range(uint64_t root, uint64_t va, uint64_t end)
{
    if (!is_live(root) || va >= end)
        return;
    if (end - va > FLUSH_PAGES_MAX * (uint64_t)PAGE_SIZE) {
        sfence_vma_all();
        return;
    }
    for (; va < end; va += PAGE_SIZE)
        sfence_vma_addr(va);
}

void arch_pt_root_init(uint64_t root)
{
    REQUIRE((root & PAGE_MASK) == 0 && root < PA_LIMIT);
    pte_t *t = table(root);
    for (unsigned i = 0; i < PT_KERNEL_FIRST; i++)
        t[i] = 0;
    mmu_share_kernel_half(t);
}

/*
 * The table the user entry *e points to, first linking in a frame from
 * alloc if *e is empty (and setting *grew). NULL if alloc ran dry.
 */
static pte_t *table_below(pte_t *e, arch_pt_alloc_t alloc, void *cookie,
                          bool *grew)
{
    if (!(*e & PTE_V)) {
        uint64_t pa = alloc(cookie);
        if (pa == 0)
            return NULL;
        REQUIRE((pa & PAGE_MASK) == 0 && pa < PA_LIMIT);
        *e = (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_V;
        *grew = true;
    }
    REQUIRE(!pte_is_leaf(*e));          /* no user superpages, ever */
    return table(pte_pa(*e));
}

/* Read always; W needs R in Sv39, which it always has. Never global. */
static pte_t user_leaf(uint64_t pa, unsigned perms)
{
    pte_t e = (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT |
              PTE_V | PTE_R | PTE_U | PTE_A | PTE_D;
    if (perms & ARCH_MAP_WRITE)
        e |= PTE_W;
    if (perms & ARCH_MAP_EXEC)
        e |= PTE_X;
    return e;
}

bool arch_pt_map(uint64_t root, uint64_t va, uint64_t pa, unsigned perms,
                 arch_pt_alloc_t alloc, void *cookie)
{
    REQUIRE(((root | va | pa) & PAGE_MASK) == 0);
    REQUIRE(va < USER_VA_LIMIT && pa < PA_LIMIT);
    bool grew = false;
    pte_t *l1 = table_below(&table(root)[pte_index(va, 2)], alloc, cookie,
                            &grew);
    pte_t *l0 = l1 ? table_below(&l1[pte_index(va, 1)], alloc, cookie, &grew)
                   : NULL;
    if (l0)
        l0[pte_index(va, 0)] = user_leaf(pa, perms);
    /* The kernel may have just written the frame's code (an image, a
     * zeroed page); fetches on this hart must see those stores. */
    if (l0 && (perms & ARCH_MAP_EXEC))
        fence_i();
    if (grew && is_live(root))
        sfence_vma_all();
    else if (l0)
        flush_range(root, va, va + PAGE_SIZE);
    return l0 != NULL;
}

/*
 * Clear the leaves from va up to end or the end of va's level-0 table,
 * whichever comes first; where a table is absent, skip the whole span it
 * would cover. Returns the address to go on from.
 */
static uint64_t unmap_step(const pte_t *root_table, uint64_t va, uint64_t end)
{
    pte_t e2 = root_table[pte_index(va, 2)];
    if (!(e2 & PTE_V))
        return span_end(va, 2);
    REQUIRE(!pte_is_leaf(e2));
    pte_t e1 = table(pte_pa(e2))[pte_index(va, 1)];
    if (!(e1 & PTE_V))
        return span_end(va, 1);
    REQUIRE(!pte_is_leaf(e1));
    pte_t *l0 = table(pte_pa(e1));
    uint64_t stop = span_end(va, 1) < end ? span_end(va, 1) : end;
    for (; va < stop; va += PAGE_SIZE)
        l0[pte_index(va, 0)] = 0;
    return stop;
}

void arch_pt_unmap(uint64_t root, uint64_t va, uint64_t size)
{
    REQUIRE(((root | va | size) & PAGE_MASK) == 0);
    uint64_t end = va + size;
    if (end < va || end > USER_VA_LIMIT)
        end = USER_VA_LIMIT;
    const pte_t *root_table = table(root);
    for (uint64_t at = va; at < end;)
        at = unmap_step(root_table, at, end);
    flush_range(root, va, end);
}

/* Give back the level-1 table root entry e points to and its tables. */
static void release_level1(pte_t e, arch_pt_release_t release, void *cookie)
{
    REQUIRE(!pte_is_leaf(e));
    const pte_t *l1 = table(pte_pa(e));
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (!(l1[i] & PTE_V))
            continue;
        REQUIRE(!pte_is_leaf(l1[i]));
        release(pte_pa(l1[i]), cookie);
    }
    release(pte_pa(e), cookie);
}

void arch_pt_clear(uint64_t root, arch_pt_release_t release, void *cookie)
{
    REQUIRE((root & PAGE_MASK) == 0);
    /* Leave a live root first (with a full flush): then nothing cached
     * or walked can reach a table once it is released, and the CPU does
     * not sit on a root its owner may free next. */
    if (is_live(root))
        mmu_activate();
    pte_t *root_table = table(root);
    for (unsigned i = 0; i < PT_KERNEL_FIRST; i++) {
        if (root_table[i] & PTE_V)
            release_level1(root_table[i], release, cookie);
        root_table[i] = 0;
    }
}
