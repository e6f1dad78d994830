/*
 * x86_boot_main: from boot.S (64-bit, higher half, boot page tables,
 * interrupts off, on the boot stack) to kernel_main.
 *
 * The order matters: the console first, so everything after can explain
 * itself; trap handling next, so a mistake in the rest is reported rather
 * than triple-faulting; then the loader's data, read while the boot
 * tables still map it; then the kernel's own page tables, which drop
 * that mapping; last the syscall MSRs and the ring-3 CPU state.
 */
#include "arch.h"
#include "console.h"
#include "gdt.h"
#include "idt.h"
#include "layout.h"
#include "loader.h"
#include "pic.h"
#include "syscall.h"
#include "user.h"
#include "vm.h"

extern char _kernel_start[], _kernel_end[];

void x86_boot_main(uint32_t loader, uint32_t magic, uint32_t info_pa);

/* Written here only; kernel_main keeps a pointer for the kernel's life. */
static boot_info_t boot;

static void boot_read_loader(uint32_t loader, uint32_t magic, uint32_t info_pa)
{
    boot.kernel_base = vm_image_phys(_kernel_start);
    boot.kernel_end = vm_image_phys(_kernel_end);
    if (loader == LOADER_PVH)
        loader_read_pvh(info_pa, &boot);
    else if (loader == LOADER_MB2)
        loader_read_mb2(magic, info_pa, &boot);
    else
        boot_fail("entered by an unknown loader (%u)", loader);
    con_printf("x86_64: booted by %s: %u memory-map entries, %u module%s, "
               "kernel at %lx-%lx\n", boot.loader, boot.region_count,
               boot.module_count, boot.module_count == 1 ? "" : "s",
               boot.kernel_base, boot.kernel_end);
}

void x86_boot_main(uint32_t loader, uint32_t magic, uint32_t info_pa)
{
    console_init();
    gdt_init();
    idt_init();
    pic_init();
    boot_read_loader(loader, magic, info_pa);
    vm_init(&boot);
    loader_use_physmap();
    syscall_init();
    user_init();
    kernel_main(&boot);
}
