/*
 * kernel_main: the portable start of Cairn. The port has set up the CPU,
 * the console, the kernel page tables and trap handling before it calls
 * here; see kernel/arch.h.
 */
#include "arch.h"
#include "boot/boot.h"
#include "kprintf.h"
#include "ktest/ktest.h"
#include "panic.h"
#include "timer.h"

#define CAIRN_VERSION "0.1"

static void banner(void)
{
    kprintf("\nCairn %s (%s) - a capability microkernel\n", CAIRN_VERSION,
            arch_name);
}

static void report_modules(const boot_info_t *info)
{
    if (info->module_count == 0) {
        kprintf("boot image: none loaded (no boot module); "
                "nothing to start\n");
        return;
    }
    for (uint32_t i = 0; i < info->module_count; i++)
        kprintf("boot module %u: %llu bytes at %016llx\n", i,
                (unsigned long long)info->modules[i].size,
                (unsigned long long)info->modules[i].base);
}

void kernel_main(const boot_info_t *info)
{
    banner();
    kprintf("command line: \"%s\"\n", info->cmdline);
    boot_init(info);
    report_modules(info);
    if (!arch_timer_start(TIMER_HZ))
        panic("the timer cannot run at %u Hz", TIMER_HZ);
#ifdef CAIRN_KTEST
    ktest_main(info->cmdline);
#else
    kprintf("no initial processes yet; idling (timer at %u Hz)\n", TIMER_HZ);
    arch_irq_enable();
    for (;;)
        arch_wait_for_interrupt();
#endif
}
