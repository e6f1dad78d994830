/*
 * GDT and TSS. Written once by gdt_init on the boot CPU; afterwards only
 * TSS.RSP0 changes (gdt_set_kernel_stack). The descriptors are flat: in
 * long mode only the code segment's L bit and the DPLs matter.
 */
#include "gdt.h"

#include "cpu.h"
#include "layout.h"
#include "stacks.h"

typedef struct {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
} __attribute__((packed)) tss_t;

_Static_assert(sizeof(tss_t) == 104, "the 64-bit TSS is 104 bytes");

#define GDT_ENTRIES (SEL_TSS / 8 + 2)

#define DESC_KERNEL_CODE 0x00af9a000000ffffull  /* long mode, DPL 0 */
#define DESC_KERNEL_DATA 0x00cf92000000ffffull
#define DESC_USER_DATA   0x00cff2000000ffffull  /* DPL 3 */
#define DESC_USER_CODE   0x00affa000000ffffull  /* long mode, DPL 3 */
#define TSS_TYPE_PRESENT 0x89ull                /* available 64-bit TSS, P */

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static tss_t tss __attribute__((aligned(16)));

/* A TSS descriptor takes two slots: base and limit split over 16 bytes. */
static void gdt_set_tss(unsigned slot, uint64_t base, uint32_t limit)
{
    gdt[slot] = (limit & 0xffffull) | (base & 0xffffffull) << 16 |
                TSS_TYPE_PRESENT << 40 | ((uint64_t)(limit >> 16) & 0xf) << 48 |
                ((base >> 24) & 0xff) << 56;
    gdt[slot + 1] = base >> 32;
}

/* CS can only be reloaded by a far transfer; lretq is the simple one. */
static void gdt_reload_segments(void)
{
    __asm__ volatile(
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w[data], %%ds\n\t"
        "movw %w[data], %%es\n\t"
        "movw %w[data], %%ss\n\t"
        "movw %w[null], %%fs\n\t"
        "movw %w[null], %%gs\n\t"
        : : [code] "i"(SEL_KERNEL_CODE), [data] "r"(SEL_KERNEL_DATA),
            [null] "r"(SEL_NULL)
        : "rax", "memory");
}

void gdt_init(void)
{
    gdt[SEL_KERNEL_CODE / 8] = DESC_KERNEL_CODE;
    gdt[SEL_KERNEL_DATA / 8] = DESC_KERNEL_DATA;
    gdt[SEL_USER_DATA / 8] = DESC_USER_DATA;
    gdt[SEL_USER_CODE / 8] = DESC_USER_CODE;

    tss.ist[IST_DOUBLE_FAULT - 1] = stack_top(STACK_DOUBLE_FAULT);
    tss.ist[IST_NMI - 1] = stack_top(STACK_NMI);
    tss.ist[IST_MACHINE_CHECK - 1] = stack_top(STACK_MACHINE_CHECK);
    tss.rsp[0] = stack_top(STACK_KERNEL);
    tss.iopb_offset = sizeof tss;   /* past the limit: no I/O bitmap */
    gdt_set_tss(SEL_TSS / 8, (uint64_t)(uintptr_t)&tss, sizeof tss - 1);

    table_pointer_t ptr = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile("lgdt %0" : : "m"(ptr) : "memory");
    gdt_reload_segments();
    __asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS) : "memory");
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}
