/*
 * Tests of the loader readers (loader_pvh.c, loader_mb2.c) on made-up
 * input: structures built here, in the kernel image, and handed to the
 * readers by physical address, as a loader would. Each case mixes valid
 * entries with hostile ones (sizes that lie, counts over the caps,
 * strings without an end) and checks that exactly the valid part arrives.
 * Protocol violations that stop the boot (wrong magic) are not tested
 * here, since they power off; they print and exit as checked by hand.
 */
#include "arch.h"
#include "ktest/ktest.h"

#include "loader.h"
#include "vm.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

#define ULL(x) ((unsigned long long)(x))

static uint8_t buf[16384] __attribute__((aligned(8)));
static uint32_t used;
static boot_info_t out;

static void put32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

static uint32_t phys32(const void *p)
{
    return (uint32_t)vm_image_phys(p);
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void reset(void)
{
    for (uint32_t i = 0; i < sizeof buf; i++)
        buf[i] = 0;
    out = (boot_info_t){ 0 };
    used = 0;
}

/* ---- multiboot2 -------------------------------------------------------- */

static uint8_t *mb2_tag(uint32_t type, uint32_t size)
{
    uint8_t *t = buf + used;
    put32(t, type);
    put32(t + 4, size);
    used += (size + 7) & ~7u;
    return t;
}

static void mb2_string_tag(uint32_t type, const char *s, bool terminate)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    uint8_t *t = mb2_tag(type, 8 + n + (terminate ? 1 : 0));
    for (uint32_t i = 0; i < n; i++)
        t[8 + i] = (uint8_t)s[i];
}

static void mb2_module_tag(uint32_t start, uint32_t end, uint32_t size)
{
    uint8_t *t = mb2_tag(3, size);
    put32(t + 8, start);
    put32(t + 12, end);
}

/* An mmap tag of n entries: every third reserved, the rest RAM. */
static void mb2_mmap_tag(uint32_t n, uint32_t entry_size)
{
    uint8_t *t = mb2_tag(6, 16 + n * entry_size);
    put32(t + 8, entry_size);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = t + 16 + i * entry_size;
        put64(e, (uint64_t)i << 24);
        put64(e + 8, 1u << 20);
        put32(e + 16, i % 3 == 2 ? 2 : 1);
    }
}

static uint32_t mb2_finish(void)
{
    mb2_tag(0, 8);
    put32(buf, used);
    return phys32(buf);
}

const char *ktest_x86_64_mb2_reader(void)
{
    reset();
    used = 8;
    mb2_string_tag(1, "console=ttyS0 ktest=synthetic", true);
    mb2_module_tag(0x200000, 0x201000, 16);
    mb2_module_tag(0x300000, 0x2ff000, 16);   /* ends before it starts */
    mb2_module_tag(0x400000, 0x401000, 12);   /* tag too short */
    mb2_mmap_tag(3, 20);                      /* entries too small */
    mb2_mmap_tag(3, 32);                      /* larger entries: fine */
    uint8_t *liar = mb2_tag(3, 16);
    put32(liar + 4, 0x10000);                 /* claims more than there is */
    mb2_module_tag(0x500000, 0x501000, 16);   /* after the liar: unread */
    loader_read_mb2(0x36d76289, mb2_finish(), &out);

    KTEST_CHECK(str_eq(out.loader, "multiboot2"), "loader \"%s\"", out.loader);
    KTEST_CHECK(str_eq(out.cmdline, "console=ttyS0 ktest=synthetic"),
                "cmdline \"%s\"", out.cmdline);
    KTEST_CHECK(out.module_count == 1 && out.modules[0].base == 0x200000 &&
                out.modules[0].size == 0x1000, "%u modules, first %llx+%llx",
                out.module_count, ULL(out.modules[0].base), ULL(out.modules[0].size));
    KTEST_CHECK(out.region_count == 3, "%u regions, wanted 3", out.region_count);
    KTEST_CHECK(out.regions[1].base == 1u << 24 && out.regions[1].size == 1u << 20 &&
                out.regions[1].kind == MEM_USABLE && out.regions[2].kind == MEM_RESERVED,
                "region 1 is %llx+%llx kind %u", ULL(out.regions[1].base),
                ULL(out.regions[1].size), out.regions[1].kind);
    return NULL;
}

const char *ktest_x86_64_mb2_reader_limits(void)
{
    reset();
    used = 8;
    char long_line[300];
    for (unsigned i = 0; i < sizeof long_line - 1; i++)
        long_line[i] = 'a' + i % 26;
    long_line[sizeof long_line - 1] = '\0';
    mb2_string_tag(1, long_line, true);
    mb2_string_tag(1, "unterminated", false);    /* the later tag wins */
    for (uint32_t i = 0; i < BOOT_MAX_MODULES + 3; i++)
        mb2_module_tag(0x200000 + i * 0x1000, 0x200800 + i * 0x1000, 16);
    mb2_mmap_tag(BOOT_MAX_REGIONS + 6, 24);
    loader_read_mb2(0x36d76289, mb2_finish(), &out);

    KTEST_CHECK(str_eq(out.cmdline, "unterminated"), "cmdline \"%s\"", out.cmdline);
    KTEST_CHECK(out.module_count == BOOT_MAX_MODULES, "%u modules", out.module_count);
    KTEST_CHECK(out.region_count == BOOT_MAX_REGIONS, "%u regions", out.region_count);

    reset();
    used = 8;
    mb2_string_tag(1, long_line, true);
    mb2_mmap_tag(1, 24);
    loader_read_mb2(0x36d76289, mb2_finish(), &out);
    unsigned n = 0;
    while (n < BOOT_CMDLINE_MAX && out.cmdline[n])
        n++;
    KTEST_CHECK(n == BOOT_CMDLINE_MAX - 1 && out.cmdline[0] == 'a' &&
                out.cmdline[25] == 'z', "long cmdline kept %u bytes", n);
    return NULL;
}

/* ---- PVH --------------------------------------------------------------- */

enum {   /* hvm_start_info offsets */
    PVH_MAGIC = 0, PVH_VERSION = 4, PVH_NR_MODULES = 12, PVH_MODLIST = 16,
    PVH_CMDLINE = 24, PVH_MEMMAP = 40, PVH_MEMMAP_ENTRIES = 48,
};

/* Start info at buf, module list at 1 KiB, memmap at 2 KiB, cmdline at 4 KiB. */
static uint32_t pvh_build(uint32_t nr_modules, uint32_t nr_regions,
                          uint32_t cmdline_len)
{
    uint8_t *si = buf, *mods = buf + 1024, *map = buf + 2048, *line = buf + 4096;
    put32(si + PVH_MAGIC, 0x336ec578);
    put32(si + PVH_VERSION, 1);
    put32(si + PVH_NR_MODULES, nr_modules);
    put64(si + PVH_MODLIST, phys32(mods));
    put64(si + PVH_CMDLINE, phys32(line));
    put64(si + PVH_MEMMAP, phys32(map));
    put32(si + PVH_MEMMAP_ENTRIES, nr_regions);
    for (uint32_t i = 0; i < nr_modules && i < 32; i++) {
        put64(mods + 32 * i, 0x800000 + i * 0x10000);
        put64(mods + 32 * i + 8, 0x100 + i);
    }
    for (uint32_t i = 0; i < nr_regions && i < 80; i++) {
        put64(map + 24 * i, (uint64_t)i << 24);
        put64(map + 24 * i + 8, 1u << 20);
        put32(map + 24 * i + 16, i == 0 ? 2 : 1);
    }
    for (uint32_t i = 0; i < cmdline_len; i++)
        line[i] = 'k';
    return phys32(si);
}

const char *ktest_x86_64_pvh_reader(void)
{
    reset();
    loader_read_pvh(pvh_build(1, 3, 12), &out);
    KTEST_CHECK(str_eq(out.loader, "pvh"), "loader \"%s\"", out.loader);
    KTEST_CHECK(str_eq(out.cmdline, "kkkkkkkkkkkk"), "cmdline \"%s\"", out.cmdline);
    KTEST_CHECK(out.module_count == 1 && out.modules[0].base == 0x800000 &&
                out.modules[0].size == 0x100, "%u modules", out.module_count);
    KTEST_CHECK(out.region_count == 3 && out.regions[0].kind == MEM_RESERVED &&
                out.regions[2].kind == MEM_USABLE && out.regions[2].base == 2u << 24,
                "%u regions", out.region_count);

    /* Over every cap, and a module list placed where it would wrap the window. */
    reset();
    loader_read_pvh(pvh_build(BOOT_MAX_MODULES + 2, BOOT_MAX_REGIONS + 9, 400), &out);
    unsigned n = 0;
    while (n < BOOT_CMDLINE_MAX && out.cmdline[n])
        n++;
    KTEST_CHECK(n == BOOT_CMDLINE_MAX - 1, "long cmdline kept %u bytes", n);
    KTEST_CHECK(out.module_count == BOOT_MAX_MODULES, "%u modules", out.module_count);
    KTEST_CHECK(out.region_count == BOOT_MAX_REGIONS, "%u regions", out.region_count);

    reset();
    uint32_t si = pvh_build(2, 2, 0);
    put64(buf + PVH_MODLIST, LOADER_WINDOW_END - 32);   /* second entry outside */
    put64(buf + PVH_CMDLINE, 0);                        /* absent */
    loader_read_pvh(si, &out);
    KTEST_CHECK(out.module_count == 0 && out.cmdline[0] == '\0' &&
                out.region_count == 2, "out-of-window list gave %u modules",
                out.module_count);
    return NULL;
}
