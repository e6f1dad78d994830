/*
 * riscv64-only in-kernel tests of the boot path (listed in
 * arch_ktests.def; built only into kernel-test.elf; the user-mode tests
 * are in ktest_user.c):
 *
 *   dtb_synthetic           a tree built here, with the shapes QEMU does
 *                           not produce (32- and 64-bit initrd cells,
 *                           aliases, a translating bus, reg-shift), gives
 *                           the expected boot_info_t and platform facts
 *   dtb_rejects_corruption  fdt_open accepts a copy of the firmware's
 *                           blob and rejects each of a set of corruptions
 *   plic_probe              the firmware's tree has a PLIC with the boot
 *                           hart's S-mode context; plic_init gave the
 *                           seam its lines and turned on sie.SEIE
 *   page_permissions        W^X over the image, no identity map, the
 *                           stack guard page, the physical map, the UART
 *   stack_overflow          recursing into the guard page is reported
 *                           from the emergency stack as a PAGE fault
 */
#include "arch.h"
#include "boot_dtb.h"
#include "cpu.h"
#include "csr.h"
#include "fdt.h"
#include "ktest/ktest.h"
#include "layout.h"
#include "mmu.h"
#include "plic.h"
#include "start.h"
#include "tick.h"
#include "trap.h"

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "arch_ktests.def"
#undef KTEST
#undef KTEST_FAULT

/* ---- A small FDT writer for synthetic trees ------------------------------ */

#define TB_STRUCT_MAX 2048
#define TB_STRINGS_MAX 512
#define TB_BLOB_MAX 4096

typedef struct {
    uint8_t structure[TB_STRUCT_MAX];
    uint32_t struct_len;
    char strings[TB_STRINGS_MAX];
    uint32_t strings_len;
    bool overflow;
} tree_builder_t;

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint32_t str_length(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

static bool str_same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Append bytes to the structure block, zero-padded to 4. */
static void tb_bytes(tree_builder_t *t, const void *data, uint32_t len)
{
    uint32_t padded = (len + 3) & ~3u;
    if (t->struct_len + padded > TB_STRUCT_MAX) {
        t->overflow = true;
        return;
    }
    for (uint32_t i = 0; i < padded; i++)
        t->structure[t->struct_len + i] = i < len ? ((const uint8_t *)data)[i] : 0;
    t->struct_len += padded;
}

static void tb_word(tree_builder_t *t, uint32_t v)
{
    uint8_t w[4];
    put_be32(w, v);
    tb_bytes(t, w, 4);
}

static void tb_begin(tree_builder_t *t, const char *name)
{
    tb_word(t, 1);
    tb_bytes(t, name, str_length(name) + 1);
}

static void tb_end(tree_builder_t *t)
{
    tb_word(t, 2);
}

static uint32_t tb_string(tree_builder_t *t, const char *s)
{
    uint32_t len = str_length(s) + 1, at = t->strings_len;
    if (at + len > TB_STRINGS_MAX) {
        t->overflow = true;
        return 0;
    }
    for (uint32_t i = 0; i < len; i++)
        t->strings[at + i] = s[i];
    t->strings_len += len;
    return at;
}

static void tb_prop(tree_builder_t *t, const char *name, const void *v,
                    uint32_t len)
{
    tb_word(t, 3);
    tb_word(t, len);
    tb_word(t, tb_string(t, name));
    tb_bytes(t, v, len);
}

/* A property of 32-bit cells. */
static void tb_cells(tree_builder_t *t, const char *name, const uint32_t *c,
                     uint32_t n)
{
    uint8_t buf[64];
    for (uint32_t i = 0; i < n && i < 16; i++)
        put_be32(buf + 4 * i, c[i]);
    tb_prop(t, name, buf, 4 * n);
}

static void tb_u32(tree_builder_t *t, const char *name, uint32_t v)
{
    tb_cells(t, name, &v, 1);
}

static void tb_str(tree_builder_t *t, const char *name, const char *s)
{
    tb_prop(t, name, s, str_length(s) + 1);
}

/* Lay out header, empty reservation map, structure and strings. */
static uint32_t tb_finish(tree_builder_t *t, uint8_t *out, uint32_t cap)
{
    tb_word(t, 9);
    uint32_t s_off = 40 + 16, t_off = s_off + t->struct_len;
    uint32_t total = t_off + t->strings_len;
    if (t->overflow || total > cap)
        return 0;
    const uint32_t hdr[10] = { FDT_MAGIC, total, s_off, t_off, 40, 17, 16, 0,
                               t->strings_len, t->struct_len };
    for (uint32_t i = 0; i < total; i++)
        out[i] = 0;
    for (uint32_t i = 0; i < 10; i++)
        put_be32(out + 4 * i, hdr[i]);
    for (uint32_t i = 0; i < t->struct_len; i++)
        out[s_off + i] = t->structure[i];
    for (uint32_t i = 0; i < t->strings_len; i++)
        out[t_off + i] = (uint8_t)t->strings[i];
    return total;
}

/* ---- dtb_synthetic ------------------------------------------------------- */

static tree_builder_t builder;
static uint8_t synthetic_blob[TB_BLOB_MAX];

static void build_synthetic(tree_builder_t *t)
{
    static const uint32_t two[] = { 2 }, mem_reg[] = { 0, 0x40000000, 0, 0x10000000 };
    static const uint32_t fw_reg[] = { 0, 0x40000000, 0, 0x80000 };
    static const uint32_t initrd_end[] = { 0, 0x41002000 };
    static const uint32_t bus_ranges[] = { 0x0, 0x0, 0x20000000, 0x10000 };
    static const uint32_t uart_reg[] = { 0x200, 0x100 };
    static const char compat[] = "acme,uart\0ns16550a";
    tb_begin(t, "");
    tb_cells(t, "#address-cells", two, 1);
    tb_cells(t, "#size-cells", two, 1);
    tb_begin(t, "memory@40000000");
    tb_str(t, "device_type", "memory");
    tb_cells(t, "reg", mem_reg, 4);
    tb_end(t);
    tb_begin(t, "chosen");
    tb_str(t, "bootargs", "ktest=x hello");
    tb_u32(t, "linux,initrd-start", 0x41000000);        /* one cell */
    tb_cells(t, "linux,initrd-end", initrd_end, 2);     /* two cells */
    tb_str(t, "stdout-path", "serial0:115200n8");
    tb_end(t);
    tb_begin(t, "aliases");
    tb_str(t, "serial0", "/bus@20000000/uart@200");
    tb_end(t);
    tb_begin(t, "reserved-memory");
    tb_cells(t, "#address-cells", two, 1);
    tb_cells(t, "#size-cells", two, 1);
    tb_prop(t, "ranges", 0, 0);
    tb_begin(t, "fw@40000000");
    tb_cells(t, "reg", fw_reg, 4);
    tb_end(t);
    tb_end(t);
    tb_begin(t, "cpus");
    tb_u32(t, "#address-cells", 1);
    tb_u32(t, "#size-cells", 0);
    tb_u32(t, "timebase-frequency", 1000000);
    tb_end(t);
    tb_begin(t, "bus@20000000");
    tb_u32(t, "#address-cells", 1);
    tb_u32(t, "#size-cells", 1);
    tb_cells(t, "ranges", bus_ranges, 4);
    tb_begin(t, "uart@200");
    tb_prop(t, "compatible", compat, sizeof compat);
    tb_cells(t, "reg", uart_reg, 2);
    tb_u32(t, "reg-shift", 2);
    tb_u32(t, "clock-frequency", 1843200);
    tb_end(t);
    tb_end(t);
    tb_end(t);
}

static bool has_region(const boot_info_t *bi, uint64_t base, uint64_t size,
                       mem_kind_t kind)
{
    for (uint32_t i = 0; i < bi->region_count; i++)
        if (bi->regions[i].base == base && bi->regions[i].size == size &&
            bi->regions[i].kind == kind)
            return true;
    return false;
}

static boot_info_t scratch_info;

const char *ktest_riscv64_dtb_synthetic(void)
{
    fdt_t f;
    platform_t plat;
    builder = (tree_builder_t){ 0 };
    build_synthetic(&builder);
    uint32_t size = tb_finish(&builder, synthetic_blob, sizeof synthetic_blob);
    KTEST_CHECK(size > 0, "test tree does not fit its buffers");
    const char *why = fdt_open(&f, synthetic_blob, size);
    KTEST_CHECK(!why, "synthetic tree rejected: %s", why);
    why = boot_dtb_read(&f, 0x4f000000, &scratch_info, &plat);
    KTEST_CHECK(!why, "boot_dtb_read: %s", why);
    const boot_info_t *bi = &scratch_info;
    KTEST_CHECK(has_region(bi, 0x40000000, 0x10000000, MEM_USABLE), "no RAM region");
    KTEST_CHECK(has_region(bi, 0x40000000, 0x80000, MEM_RESERVED), "no firmware region");
    KTEST_CHECK(has_region(bi, 0x4f000000, size, MEM_RESERVED), "blob not reserved");
    KTEST_CHECK(bi->region_count == 3, "%u regions, expected 3", bi->region_count);
    KTEST_CHECK(str_same(bi->cmdline, "ktest=x hello"), "cmdline \"%s\"", bi->cmdline);
    KTEST_CHECK(bi->module_count == 1 && bi->modules[0].base == 0x41000000 &&
                bi->modules[0].size == 0x2000, "initrd not read as module 0");
    KTEST_CHECK(plat.uart_phys == 0x20000200, "uart at %llx, expected 20000200",
                (unsigned long long)plat.uart_phys);
    KTEST_CHECK(plat.uart_shift == 2 && plat.uart_clock_hz == 1843200,
                "uart shift %u clock %u", plat.uart_shift, plat.uart_clock_hz);
    KTEST_CHECK(plat.timebase_hz == 1000000, "timebase %llu",
                (unsigned long long)plat.timebase_hz);
    return NULL;
}

/* ---- dtb_rejects_corruption ------------------------------------------------ */

#define COPY_MAX (64u * 1024)

static uint8_t pristine[COPY_MAX], mangled[COPY_MAX];

typedef enum {
    BREAK_MAGIC, BREAK_TOTALSIZE, BREAK_VERSION, BREAK_STRUCT_OFFSET,
    BREAK_STRINGS_SIZE, BREAK_PROP_NAME, BREAK_PROP_LEN, BREAK_END_TOKEN,
    BREAK_EXTRA_END_NODE, BREAK_TRUNCATE, BREAK_COUNT
} corruption_t;

static const char *const corruption_names[BREAK_COUNT] = {
    "magic", "totalsize", "version", "struct offset", "strings size",
    "property name offset", "property length", "end token",
    "unbalanced end node", "truncated structure",
};

/* Apply one corruption to `mangled` (a copy of the size-byte blob). */
static uint32_t corrupt(corruption_t c, uint32_t size)
{
    uint32_t s_off = get_be32(mangled + 8), s_len = get_be32(mangled + 36);
    uint32_t first_prop = s_off + 8;     /* after the root's empty name */
    switch (c) {
    case BREAK_MAGIC:          mangled[3] ^= 1; break;
    case BREAK_TOTALSIZE:      put_be32(mangled + 4, size + 1); break;
    case BREAK_VERSION:        put_be32(mangled + 20, 16); break;
    case BREAK_STRUCT_OFFSET:  put_be32(mangled + 8, size); break;
    case BREAK_STRINGS_SIZE:   put_be32(mangled + 32, size); break;
    case BREAK_PROP_NAME:      put_be32(mangled + first_prop + 8, 0x7ffffff0); break;
    case BREAK_PROP_LEN:       put_be32(mangled + first_prop + 4, 0xfffffff0); break;
    case BREAK_END_TOKEN:      put_be32(mangled + s_off + s_len - 4, 7); break;
    case BREAK_EXTRA_END_NODE: put_be32(mangled + s_off + s_len - 4, 2); break;
    case BREAK_TRUNCATE:       put_be32(mangled + 36, s_len / 2 & ~3u); break;
    default: break;
    }
    return size;
}

const char *ktest_riscv64_dtb_rejects_corruption(void)
{
    uint64_t phys;
    fdt_t f;
    const fdt_t *live = start_boot_fdt(&phys);
    KTEST_CHECK(live, "the boot device tree is not reachable");
    KTEST_CHECK(live->size <= COPY_MAX, "blob of %u bytes is too big to copy",
                live->size);
    for (uint32_t i = 0; i < live->size; i++)
        pristine[i] = live->blob[i];
    uint32_t size = live->size;
    const char *why = fdt_open(&f, pristine, size);
    KTEST_CHECK(!why, "unmodified copy rejected: %s", why);
    KTEST_CHECK(get_be32(pristine + get_be32(pristine + 8) + 8) == 3,
                "the root's first token is not a property");
    KTEST_CHECK(fdt_open(&f, pristine, size - 1) != NULL,
                "blob accepted although its end was not readable");
    for (int c = 0; c < BREAK_COUNT; c++) {
        for (uint32_t i = 0; i < size; i++)
            mangled[i] = pristine[i];
        corrupt((corruption_t)c, size);
        KTEST_CHECK(fdt_open(&f, mangled, size) != NULL,
                    "corrupted %s accepted", corruption_names[c]);
    }
    return NULL;
}

/* ---- plic_probe ---------------------------------------------------------------- */

const char *ktest_riscv64_plic_probe(void)
{
    uint64_t phys;
    plic_info_t p;
    const fdt_t *live = start_boot_fdt(&phys);
    KTEST_CHECK(live, "the boot device tree is not reachable");
    const char *why = plic_probe(live, cpu_boot.hart_id, &p);
    KTEST_CHECK(!why, "no PLIC: %s", why);
    KTEST_CHECK(p.sources >= 1 && p.sources <= PLIC_MAX_SOURCES, "%u sources",
                p.sources);
    KTEST_CHECK(arch_irq_line_count() == p.sources + 1, "%u lines for %u sources",
                arch_irq_line_count(), p.sources);
    KTEST_CHECK(arch_irq_line_reserved(0), "line 0 (no source) is not reserved");
    KTEST_CHECK(!arch_irq_line_reserved(1) && !arch_irq_line_reserved(p.sources),
                "a source's line is reserved");
    KTEST_CHECK(arch_irq_line_reserved(p.sources + 1), "a line past the sources");
    KTEST_CHECK(csr_read(sie) & SIE_SEIE, "sie.SEIE is off");
    KTEST_CHECK(plic_probe(live, cpu_boot.hart_id + 4096, &p) != NULL,
                "a hart that does not exist has a context");
    return NULL;
}

/* ---- page_permissions ------------------------------------------------------ */

extern char kernel_text_start[], kernel_text_end[], kernel_rodata_start[];
extern char kernel_data_start[], kernel_stack_bottom[], kernel_image_end[];

static uint64_t va_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static bool perms_are(pte_t e, uint64_t want)
{
    const uint64_t rwx = PTE_R | PTE_W | PTE_X | PTE_U;
    return (e & PTE_V) && (e & rwx) == want && (e & PTE_A) && (e & PTE_D);
}

/* The first and last page of every RAM range are in the physical map. */
static const char *check_physmap(void)
{
    const boot_info_t *bi = start_boot_info();
    for (uint32_t i = 0; i < bi->region_count; i++) {
        const mem_region_t *r = &bi->regions[i];
        if (r->kind != MEM_USABLE || r->size < PAGE_SIZE)
            continue;
        uint64_t ends[2] = { r->base, r->base + r->size - 1 };
        for (int j = 0; j < 2; j++)
            KTEST_CHECK(perms_are(mmu_lookup(va_of(arch_phys_to_virt(ends[j]))),
                                  PTE_R | PTE_W),
                        "RAM at %llx is not mapped R+W in the physical map",
                        (unsigned long long)ends[j]);
    }
    return NULL;
}

const char *ktest_riscv64_page_permissions(void)
{
    for (uint64_t va = va_of(kernel_text_start); va < va_of(kernel_image_end);
         va += PAGE_SIZE) {
        pte_t e = mmu_lookup(va);
        KTEST_CHECK(!((e & PTE_W) && (e & PTE_X)), "page %llx is W+X",
                    (unsigned long long)va);
    }
    KTEST_CHECK(perms_are(mmu_lookup(va_of(kernel_text_start)), PTE_R | PTE_X),
                "text is not R+X");
    KTEST_CHECK(perms_are(mmu_lookup(va_of(kernel_rodata_start)), PTE_R),
                "rodata is not R only");
    KTEST_CHECK(perms_are(mmu_lookup(va_of(kernel_data_start)), PTE_R | PTE_W),
                "data is not R+W");
    KTEST_CHECK(mmu_lookup(va_of(kernel_stack_bottom) - PAGE_SIZE) == 0,
                "the stack guard page is mapped");
    KTEST_CHECK(mmu_lookup(0x1000) == 0 && mmu_lookup(KERNEL_PHYS_BASE) == 0,
                "the boot identity map is still there");
    KTEST_CHECK(perms_are(mmu_lookup(va_of(arch_phys_to_virt(KERNEL_PHYS_BASE))),
                          PTE_R | PTE_W), "physical map is not R+W");
    KTEST_CHECK(perms_are(mmu_lookup(DEVMAP_BASE + UART_DEFAULT_PHYS),
                          PTE_R | PTE_W), "UART page is not R+W");
    KTEST_CHECK(arch_virt_to_phys(kernel_text_end) ==
                va_of(kernel_text_end) - KERNEL_VIRT_OFFSET, "virt_to_phys");
    return check_physmap();
}

/* ---- stack_overflow (own boot) ---------------------------------------------- */

static uint64_t recurse(uint64_t n)
{
    volatile uint8_t pad[256];
    pad[0] = (uint8_t)n;
    if (n == 0)
        return pad[0];
    return recurse(n - 1) + pad[0];
}

const char *ktest_riscv64_stack_overflow(void)
{
    volatile uint64_t depth = 1u << 20;
    recurse(depth);
    return NULL;
}
