/*
 * x86_64 in-kernel tests of the CPU state the port sets up
 * (arch_ktests.def; only in kernel-test.elf): control registers and
 * MSRs, W^X over every kernel mapping, and the stack guard. The ring-3
 * tests are in ktest_context.c and ktest_pt.c.
 */
#include "arch.h"
#include "ktest/ktest.h"

#include "cpu.h"
#include "layout.h"
#include "stacks.h"
#include "vm.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

#define ULL(x) ((unsigned long long)(x))

/* Some writable data to find in the kernel's tables. */
static uint8_t some_bss[PAGE_SIZE] __attribute__((aligned(4096)));

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
    KTEST_CHECK((cr0 & (CR0_EM | CR0_TS)) == CR0_EM &&
                !(cr4 & (CR4_OSFXSR | CR4_OSXSAVE | CR4_FSGSBASE)),
                "ring 3 could reach FPU/SIMD state or the segment bases "
                "(cr0 %llx, cr4 %llx)", ULL(cr0), ULL(cr4));
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
        { "bss", (uintptr_t)some_bss, true, false, 1 },
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

/* ---- Stacks ------------------------------------------------------------ */

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
