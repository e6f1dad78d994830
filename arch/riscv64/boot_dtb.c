/*
 * Reading boot_info_t and the platform facts out of a checked device
 * tree. Pure: it writes only the structures it is given.
 *
 * Reserved ranges are gathered before RAM so that, if boot_info_t runs
 * out of room, it is RAM that goes missing (harmless: the kernel uses
 * less) and never a reservation (fatal: the kernel would hand out
 * firmware memory).
 */
#include "boot_dtb.h"

#include "layout.h"

#define PATH_MAX_LEN 128

static bool region_add(boot_info_t *bi, uint64_t base, uint64_t size,
                       mem_kind_t kind)
{
    if (size == 0)
        return true;
    if (bi->region_count >= BOOT_MAX_REGIONS)
        return false;
    bi->regions[bi->region_count++] = (mem_region_t){ base, size, kind };
    return true;
}

/*
 * Every reg entry of node n as `kind`; false if one did not fit. The
 * entries are taken as CPU addresses: /memory sits under the root, and
 * /reserved-memory must map 1:1 (its "ranges" is required to be empty),
 * so a tree that forgets the ranges still keeps its reservations.
 */
static bool region_add_reg(const fdt_t *f, const fdt_node_t *n,
                           boot_info_t *bi, mem_kind_t kind, uint32_t *dropped)
{
    uint64_t base, size;
    for (uint32_t i = 0; fdt_reg_raw(f, n, i, &base, &size); i++) {
        if (region_add(bi, base, size, kind))
            continue;
        if (!dropped)
            return false;
        (*dropped)++;
    }
    return true;
}

static const char *read_reserved(const fdt_t *f, uint64_t dtb_phys,
                                 boot_info_t *bi)
{
    uint64_t base, size;
    const char *full = "more reserved ranges than boot_info_t holds";
    if (!region_add(bi, dtb_phys, f->size, MEM_RESERVED))
        return full;
    for (uint32_t i = 0; fdt_rsv_entry(f, i, &base, &size); i++)
        if (!region_add(bi, base, size, MEM_RESERVED))
            return full;
    fdt_node_t n;
    if (!fdt_find_path(f, "/reserved-memory", &n))
        return NULL;
    uint32_t parent = n.depth;
    while (fdt_next_child(f, &n, parent))
        if (!region_add_reg(f, &n, bi, MEM_RESERVED, NULL))
            return full;
    return NULL;
}

static bool is_memory_node(const fdt_t *f, const fdt_node_t *n)
{
    fdt_prop_t p;
    if (fdt_get_prop(f, n->node[n->depth], "device_type", &p))
        return fdt_prop_has_string(&p, "memory");
    const char *name = fdt_node_name(f, n);
    const char *want = "memory";
    while (*want && *name == *want)
        name++, want++;
    return *want == '\0' && (*name == '\0' || *name == '@');
}

static const char *read_memory(const fdt_t *f, boot_info_t *bi,
                               platform_t *plat)
{
    fdt_node_t n;
    uint32_t before = bi->region_count;
    if (!fdt_root(f, &n))
        return "no root node";
    while (fdt_next_child(f, &n, 0))
        if (is_memory_node(f, &n))
            region_add_reg(f, &n, bi, MEM_USABLE, &plat->memory_dropped);
    if (bi->region_count == before)
        return "no usable /memory ranges";
    return NULL;
}

/* Copy a string property into dst (size bytes), always NUL-terminated. */
static void copy_string(char *dst, uint32_t size, const fdt_prop_t *p)
{
    uint32_t i = 0;
    for (; i + 1 < size && i < p->len && p->data[i]; i++)
        dst[i] = (char)p->data[i];
    dst[i] = '\0';
}

static void read_chosen(const fdt_t *f, boot_info_t *bi)
{
    fdt_node_t n;
    fdt_prop_t p, q;
    uint64_t start, end;
    bi->cmdline[0] = '\0';
    if (!fdt_find_path(f, "/chosen", &n))
        return;
    uint32_t node = n.node[n.depth];
    if (fdt_get_prop(f, node, "bootargs", &p))
        copy_string(bi->cmdline, BOOT_CMDLINE_MAX, &p);
    if (fdt_get_prop(f, node, "linux,initrd-start", &p) &&
        fdt_get_prop(f, node, "linux,initrd-end", &q) &&
        fdt_prop_uint(&p, &start) && fdt_prop_uint(&q, &end) && end > start) {
        bi->modules[0] = (boot_module_t){ start, end - start };
        bi->module_count = 1;
    }
}

static bool is_16550(const fdt_t *f, const fdt_node_t *n)
{
    fdt_prop_t p;
    return fdt_get_prop(f, n->node[n->depth], "compatible", &p) &&
           (fdt_prop_has_string(&p, "ns16550a") ||
            fdt_prop_has_string(&p, "ns16550"));
}

/*
 * The node /chosen/stdout-path names, if any. The value is a path or an
 * alias, optionally followed by ":options".
 */
static bool find_stdout(const fdt_t *f, fdt_node_t *n)
{
    fdt_prop_t p;
    char path[PATH_MAX_LEN];
    if (!fdt_find_path(f, "/chosen", n) ||
        !fdt_get_prop(f, n->node[n->depth], "stdout-path", &p))
        return false;
    copy_string(path, sizeof path, &p);
    for (char *c = path; *c; c++)
        if (*c == ':')
            *c = '\0';
    if (path[0] != '/') {
        /* An alias: its value under /aliases is the path. */
        if (!fdt_find_path(f, "/aliases", n) ||
            !fdt_get_prop(f, n->node[n->depth], path, &p))
            return false;
        copy_string(path, sizeof path, &p);
    }
    return fdt_find_path(f, path, n);
}

static bool find_uart(const fdt_t *f, fdt_node_t *n)
{
    if (find_stdout(f, n) && is_16550(f, n))
        return true;
    if (!fdt_root(f, n))
        return false;
    while (fdt_next_node(f, n))
        if (is_16550(f, n))
            return true;
    return false;
}

static void read_uart(const fdt_t *f, platform_t *plat)
{
    fdt_node_t n;
    fdt_prop_t p;
    uint64_t base, size, v;
    plat->uart_phys = UART_DEFAULT_PHYS;
    plat->uart_shift = 0;
    plat->uart_clock_hz = 0;
    if (!find_uart(f, &n) || !fdt_reg(f, &n, 0, &base, &size))
        return;
    plat->uart_phys = base;
    uint32_t node = n.node[n.depth];
    if (fdt_get_prop(f, node, "reg-shift", &p) && fdt_prop_uint(&p, &v) &&
        v < 4)
        plat->uart_shift = (uint32_t)v;
    if (fdt_get_prop(f, node, "clock-frequency", &p) &&
        fdt_prop_uint(&p, &v) && v <= UINT32_MAX)
        plat->uart_clock_hz = (uint32_t)v;
}

/* /cpus/timebase-frequency, or the first CPU's own if /cpus lacks it. */
static void read_timebase(const fdt_t *f, platform_t *plat)
{
    fdt_node_t n;
    fdt_prop_t p;
    plat->timebase_hz = 0;
    if (!fdt_find_path(f, "/cpus", &n))
        return;
    if (fdt_get_prop(f, n.node[n.depth], "timebase-frequency", &p) &&
        fdt_prop_uint(&p, &plat->timebase_hz))
        return;
    uint32_t parent = n.depth;
    while (fdt_next_child(f, &n, parent))
        if (fdt_get_prop(f, n.node[n.depth], "timebase-frequency", &p) &&
            fdt_prop_uint(&p, &plat->timebase_hz))
            return;
}

const char *boot_dtb_read(const fdt_t *f, uint64_t dtb_phys, boot_info_t *bi,
                          platform_t *plat)
{
    bi->region_count = 0;
    bi->module_count = 0;
    plat->memory_dropped = 0;
    const char *why = read_reserved(f, dtb_phys, bi);
    if (!why)
        why = read_memory(f, bi, plat);
    if (why)
        return why;
    read_chosen(f, bi);
    read_uart(f, plat);
    read_timebase(f, plat);
    return NULL;
}
