/*
 * The `boot` suite: what every port must get right before anything else.
 * Each test checks real behaviour of the booted machine; the fault tests
 * each run in a boot of their own and pass only if the trap path reports
 * the expected fault kind.
 */
#include <stdint.h>
#include "lib/kstring.h"

#include "arch.h"
#include "boot/boot.h"
#include "kprintf.h"
#include "ktest.h"
#include "timer.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "tests.def"
#undef KTEST
#undef KTEST_FAULT

/* The cleaned map keeps every invariant memmap.h promises. */
const char *ktest_boot_memory_map(void)
{
    const memmap_t *m = boot_memmap();
    KTEST_CHECK(m->count > 0, "memory map is empty");
    for (uint32_t i = 0; i < m->count; i++) {
        const mem_region_t *r = &m->regions[i];
        KTEST_CHECK(r->size > 0, "region %u is empty", i);
        if (r->kind == MEM_USABLE)
            KTEST_CHECK(r->base % 4096 == 0 && r->size % 4096 == 0,
                        "usable region %u not page aligned", i);
        if (i > 0) {
            const mem_region_t *p = &m->regions[i - 1];
            KTEST_CHECK(p->base + p->size <= r->base,
                        "regions %u and %u overlap or are unsorted", i - 1, i);
        }
    }
    KTEST_CHECK(memmap_usable_bytes(m) >= (16u << 20),
                "only %llu KiB usable; QEMU was given more",
                (unsigned long long)(memmap_usable_bytes(m) >> 10));
    return NULL;
}

static uint64_t probe_value = 0x5ca1ab1e0ddba11ULL;

/* The image lies inside a kernel region, and the physical map aliases it. */
const char *ktest_boot_kernel_image(void)
{
    const boot_info_t *bi = boot_info();
    const memmap_t *m = boot_memmap();
    KTEST_CHECK(bi->kernel_end > bi->kernel_base, "empty kernel extent");
    uint64_t pa = arch_virt_to_phys(&probe_value);
    KTEST_CHECK(pa >= bi->kernel_base && pa < bi->kernel_end,
                "kernel data at pa %llx outside the image [%llx, %llx)",
                (unsigned long long)pa, (unsigned long long)bi->kernel_base,
                (unsigned long long)bi->kernel_end);
    bool inside = false;
    for (uint32_t i = 0; i < m->count; i++)
        if (m->regions[i].kind == MEM_KERNEL && m->regions[i].base <= pa &&
            pa < m->regions[i].base + m->regions[i].size)
            inside = true;
    KTEST_CHECK(inside, "kernel image not marked as a kernel region");
    volatile uint64_t *alias = arch_phys_to_virt(pa);
    KTEST_CHECK((void *)alias != (void *)&probe_value,
                "physical map alias equals the image address");
    KTEST_CHECK(*alias == probe_value, "physical map alias reads %llx",
                (unsigned long long)*alias);
    probe_value++;
    KTEST_CHECK(*alias == probe_value, "alias does not see a write");
    return NULL;
}

/* The console formatter: widths, signs, hex, truncation. */
const char *ktest_boot_console_format(void)
{
    char buf[64];
    int n = ksnprintf(buf, sizeof buf, "[%5d|%-4x|%08X|%s|%c]", -42, 0xabu,
                      0xBEEFu, "ok", 'z');
    KTEST_CHECK(n == 26 && strcmp(buf, "[  -42|ab  |0000BEEF|ok|z]") == 0,
                "formatted \"%s\" (%d)", buf, n);
    n = ksnprintf(buf, 8, "%llu", 18446744073709551615ULL);
    KTEST_CHECK(n == 20 && strcmp(buf, "1844674") == 0,
                "truncation gave \"%s\" (%d)", buf, n);
    n = ksnprintf(buf, sizeof buf, "%p", (void *)0x1234);
    KTEST_CHECK(strcmp(buf, "0x0000000000001234") == 0, "%%p gave \"%s\"", buf);
    return NULL;
}

/* Periodic timer interrupts arrive and advance the tick count. */
const char *ktest_boot_timer_ticks(void)
{
    uint64_t start = timer_ticks();
    arch_irq_enable();
    for (int i = 0; i < 1000 && timer_ticks() < start + 5; i++)
        arch_wait_for_interrupt();
    arch_irq_disable();
    uint64_t end = timer_ticks();
    KTEST_CHECK(end >= start + 5, "ticks went from %llu to %llu",
                (unsigned long long)start, (unsigned long long)end);
    return NULL;
}

/* The cycle counter is monotonic and moves. */
const char *ktest_boot_cycles_advance(void)
{
    uint64_t a = arch_cycles();
    volatile uint64_t sink = 0;
    for (int i = 0; i < 100000; i++)
        sink += i;
    uint64_t b = arch_cycles();
    KTEST_CHECK(b > a, "cycles went from %llu to %llu",
                (unsigned long long)a, (unsigned long long)b);
    return NULL;
}

/* ---- Fault tests: each ends the boot through the trap path. ---- */

const char *ktest_boot_fault_trap(void)
{
    __builtin_trap();
}

const char *ktest_boot_fault_null_read(void)
{
    volatile uintptr_t where = 0x1000;   /* volatile: no folding to a trap */
    volatile uint64_t v = *(volatile uint64_t *)where;
    (void)v;
    return NULL;
}

static const uint64_t read_only_value = 7;

const char *ktest_boot_fault_write_rodata(void)
{
    volatile uintptr_t where = (uintptr_t)&read_only_value;
    *(volatile uint64_t *)where = 8;
    return NULL;
}

static uint8_t data_code[16] __attribute__((aligned(16)));

const char *ktest_boot_fault_exec_data(void)
{
    volatile uintptr_t where = (uintptr_t)data_code;
    ((void (*)(void))where)();
    return NULL;
}
