/*
 * kernel_main: the portable start of Cairn. The port has set up the CPU,
 * the console, the kernel page tables and trap handling before it calls
 * here; see kernel/arch.h.
 *
 * The boot sequence: clean the memory map; validate the boot image (boot
 * module 0) and plan its memory; build the frame table, the page-table
 * pool and the root Untypeds; build the image's objects and processes;
 * then run them. The test kernel (kernel-test.elf) instead runs the
 * in-kernel suites when its command line says ktest=...
 */
#include "arch.h"
#include "boot/boot.h"
#include "boot/image.h"
#include "boot/memory.h"
#include "cap/irq.h"
#include "ipc/fastpath.h"
#include "kprintf.h"
#include "ktest/ktest.h"
#include "lib/kstring.h"
#include "obj/process.h"
#include "panic.h"
#include "sched/sched.h"
#include "timer.h"
#include "vm/hwmap.h"

#define CAIRN_VERSION "0.1"

static void banner(void)
{
    kprintf("\nCairn %s (%s) - a capability microkernel\n", CAIRN_VERSION,
            arch_name);
}

static void report_modules(const boot_info_t *info)
{
    for (uint32_t i = 0; i < info->module_count; i++)
        kprintf("boot module %u: %llu bytes at %016llx\n", i,
                (unsigned long long)info->modules[i].size,
                (unsigned long long)info->modules[i].base);
}

#ifdef CAIRN_USER_MODE
/* Validate the image, carve memory for it and build it. Never returns. */
__attribute__((noreturn)) static void start_system(const boot_info_t *info)
{
    static boot_image_plan_t plan;
    static boot_memory_t mem;
    const char *why = NULL;

    if (info->module_count == 0) {
        kprintf("boot image: none loaded (no boot module): nothing to run\n");
        arch_poweroff(false);
    }
    const boot_module_t *m = &info->modules[0];
    if (!boot_image_plan(arch_phys_to_virt(m->base), m->size, &plan, &why))
        panic("boot image rejected: %s", why);
    if (!boot_memory_setup(boot_memmap(), plan.devices, plan.ndevices,
                           plan.pool_frames, plan.carves, plan.ncarves, &mem,
                           &why))
        panic("boot memory: %s", why);
    kprintf("memory: frame table %llu KiB, page-table pool %u frames, "
            "%u root Untypeds, %llu KiB unusable\n",
            (unsigned long long)(mem.table_bytes >> 10), mem.pool_frames,
            mem.root_count, (unsigned long long)(mem.lost_bytes >> 10));
    hwmap_init(mem.pool_base, mem.pool_frames);
    sched_init();
    irq_init();
    ipc_fastpath_configure(info->cmdline);
    if (!ipc_fastpath_on())
        kprintf("ipc: fast path off (nofastpath)\n");
    process_set_context_ops(arch_context_regs, arch_context_get,
                            arch_context_set);
    if (!boot_image_build(&plan, &mem, &why))
        panic("boot image: %s", why);
    sched_run();
}
#else
/* A port still on the bring-up ladder: no processes yet. */
__attribute__((noreturn)) static void start_system(const boot_info_t *info)
{
    (void)info;
    kprintf("this port does not run user mode yet (see docs/porting.md): "
            "nothing to run\n");
    arch_poweroff(false);
}
#endif

void kernel_main(const boot_info_t *info)
{
    banner();
    kprintf("command line: \"%s\"\n", info->cmdline);
    boot_init(info);
    report_modules(info);
    if (!arch_timer_start(TIMER_HZ))
        panic("the timer cannot run at %u Hz", TIMER_HZ);
#ifdef CAIRN_KTEST
    if (strstr(info->cmdline, "ktest="))
        ktest_main(info->cmdline);
#endif
    start_system(info);
}
