/*
 * The port's boot sequence, in the order its dependencies force:
 *
 *   trap_init        so any fault from here on is reported
 *   sbi_init         so power-off works if the device tree is bad
 *   fdt_open         the tree is read through the boot identity map
 *   boot_dtb_read    boot_info_t and the platform facts
 *   mmu_build_kernel and mmu_map_device, then mmu_activate: the identity
 *                    map is gone from here on
 *   console_use      the UART through the device window
 *   plic_init        the interrupt controller found by plic_probe (read
 *                    with the rest of the tree); without one the port
 *                    has no device interrupt lines, and says so
 *   kernel_main
 *
 * State: boot_info and the checked tree live here for the kernel's
 * lifetime (kernel_main keeps the pointer); written once, here.
 */
#include "start.h"

#include "arch.h"
#include "boot_dtb.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "layout.h"
#include "mmu.h"
#include "plic.h"
#include "sbi.h"
#include "tick.h"
#include "trap.h"

/* The boot identity map covers the low 4 GiB only. */
#define BOOT_IDENTITY_LIMIT (4ull << 30)

extern char kernel_image_end[], kernel_stack_top[];

static boot_info_t boot_info;
static platform_t platform;
static fdt_t boot_fdt;
static bool boot_fdt_mapped;
static uint64_t boot_fdt_phys;
static plic_info_t plic;
static const char *plic_missing;

static __attribute__((noreturn)) void boot_fail(const char *what,
                                                const char *why)
{
    console_puts("\nCairn riscv64 boot failed: ");
    console_puts(what);
    console_puts(": ");
    console_puts(why);
    console_puts("\n");
    arch_poweroff(true);
}

static void open_fdt(uint64_t dtb_phys)
{
    if (dtb_phys == 0 || dtb_phys >= BOOT_IDENTITY_LIMIT - FDT_HEADER_SIZE)
        boot_fail("device tree", "no blob below 4 GiB (a1 from the firmware)");
    uint64_t avail = BOOT_IDENTITY_LIMIT - dtb_phys;
    const char *why = fdt_open(&boot_fdt, (const void *)(uintptr_t)dtb_phys,
                               avail < FDT_MAX_SIZE ? (uint32_t)avail
                                                    : FDT_MAX_SIZE);
    if (why)
        boot_fail("device tree rejected", why);
    boot_fdt_phys = dtb_phys;
}

/* Does [base, base+size) lie in one USABLE range (so the physical map has it)? */
static bool in_ram(uint64_t base, uint64_t size)
{
    for (uint32_t i = 0; i < boot_info.region_count; i++) {
        const mem_region_t *r = &boot_info.regions[i];
        if (r->kind == MEM_USABLE && base >= r->base &&
            base + size <= r->base + r->size && base + size <= PHYSMAP_SIZE)
            return true;
    }
    return false;
}

static void read_boot_info(void)
{
    boot_info.loader = "sbi+dtb";
    boot_info.kernel_base = KERNEL_PHYS_BASE;
    boot_info.kernel_end = mmu_kernel_pa(kernel_image_end);
    const char *why = boot_dtb_read(&boot_fdt, boot_fdt_phys, &boot_info,
                                    &platform);
    if (why)
        boot_fail("device tree", why);
    plic_missing = plic_probe(&boot_fdt, cpu_boot.hart_id, &plic);
    if (platform.memory_dropped) {
        console_puts("riscv64: ");
        console_put_dec(platform.memory_dropped);
        console_puts(" /memory ranges ignored (boot_info_t is full)\n");
    }
}

static void switch_tables(void)
{
    const char *why = mmu_build_kernel(&boot_info);
    if (why)
        boot_fail("kernel page tables", why);
    uint64_t uart = mmu_map_device(platform.uart_phys, 8u << platform.uart_shift);
    if (!uart)
        boot_fail("console", "the UART lies outside the device window");
    mmu_activate();
    console_use(uart, platform.uart_shift, platform.uart_clock_hz);
    boot_fdt_mapped = in_ram(boot_fdt_phys, boot_fdt.size) &&
        fdt_open(&boot_fdt, arch_phys_to_virt(boot_fdt_phys), boot_fdt.size) == 0;
}

void riscv_boot_main(uint64_t hart, uint64_t dtb_phys)
{
    trap_init();
    /* The kernel touches user memory only on purpose, and never uses FP. */
    csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR | SSTATUS_FS | SSTATUS_VS);
    /* U-mode may read the cycle, time and instret counters (rdcycle,
     * rdtime, rdinstret), as x86_64's ring 3 may read the TSC: make
     * bench times IPC with them (README.md). */
    csr_write(scounteren, SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
    cpu_boot.hart_id = hart;
    cpu_boot.kstack_top = (uint64_t)(uintptr_t)kernel_stack_top;
    sbi_init();
    open_fdt(dtb_phys);
    read_boot_info();
    switch_tables();
    tick_set_timebase(platform.timebase_hz);
    if (!plic_missing)
        plic_missing = plic_init(&plic);
    if (plic_missing) {
        console_puts("riscv64: no device interrupts: ");
        console_puts(plic_missing);
        console_puts("\n");
    }
    kernel_main(&boot_info);
}

const boot_info_t *start_boot_info(void)
{
    return &boot_info;
}

const fdt_t *start_boot_fdt(uint64_t *phys)
{
    *phys = boot_fdt_phys;
    return boot_fdt_mapped ? &boot_fdt : 0;
}
