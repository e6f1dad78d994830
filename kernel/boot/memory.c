/*
 * Boot-time carving of RAM (see memory.h). A tiny bump allocator takes
 * the frame table and the hardware-map pool from the top of the largest
 * usable region; all the rest becomes root Untypeds.
 */
#include "memory.h"

#include "arch.h"
#include "lib/bits.h"
#include "lib/kstring.h"
#include "obj/untyped.h"

typedef struct {
    uint64_t lo, hi;
} range_t;

static unsigned usable_ranges(const memmap_t *map, range_t *r, unsigned max)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < map->count && n < max; i++)
        if (map->regions[i].kind == MEM_USABLE)
            r[n++] = (range_t){ map->regions[i].base,
                                map->regions[i].base + map->regions[i].size };
    return n;
}

/* Where an aligned block of `bytes` fits at the top of r, or 0. */
static uint64_t fit(const range_t *r, uint64_t bytes, uint64_t align)
{
    if (r->hi - r->lo < bytes)
        return 0;
    uint64_t base = (r->hi - bytes) & ~(align - 1);
    return base >= r->lo && base != 0 ? base : 0;
}

/*
 * Take `bytes` (rounded to pages) aligned to `align` from the top of the
 * largest range that can give it. Any slack above the block becomes a
 * range of its own, so no RAM is lost. *n may grow by one (max ranges).
 */
static bool carve(range_t *r, unsigned *n, unsigned max, uint64_t bytes,
                  uint64_t align, uint64_t *base)
{
    bytes = (bytes + FRAME_SIZE - 1) & ~(uint64_t)(FRAME_SIZE - 1);
    if (align < FRAME_SIZE)
        align = FRAME_SIZE;
    unsigned best = *n;
    for (unsigned i = 0; i < *n; i++)
        if (fit(&r[i], bytes, align) &&
            (best == *n || r[i].hi - r[i].lo > r[best].hi - r[best].lo))
            best = i;
    if (best == *n || (*n >= max && fit(&r[best], bytes, align) + bytes <
                                        r[best].hi))
        return false;
    *base = fit(&r[best], bytes, align);
    if (*base + bytes < r[best].hi)
        r[(*n)++] = (range_t){ *base + bytes, r[best].hi };
    r[best].hi = *base;
    return true;
}

static unsigned build_segments(const memmap_t *map,
                               const frame_segment_t *devices, unsigned ndev,
                               frame_segment_t *segs, unsigned max)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < map->count && n < max; i++) {
        const mem_region_t *m = &map->regions[i];
        if (m->kind == MEM_USABLE)
            segs[n++] = (frame_segment_t){ m->base, m->size / FRAME_SIZE, 0 };
        else if (m->kind == MEM_KERNEL) {
            uint64_t lo = m->base & ~(uint64_t)(FRAME_SIZE - 1);
            uint64_t hi = (m->base + m->size + FRAME_SIZE - 1) &
                          ~(uint64_t)(FRAME_SIZE - 1);
            segs[n++] = (frame_segment_t){ lo, (hi - lo) / FRAME_SIZE,
                                           FRAME_KERNEL };
        }
    }
    for (unsigned i = 0; i < ndev && n < max; i++)
        segs[n++] = devices[i];
    return n;
}

static unsigned floor_log2(uint64_t v)
{
    return bits_high(v);
}

uint64_t boot_split_roots(uint64_t lo, uint64_t hi, bool device, cap_t *out,
                          unsigned *n, unsigned max)
{
    uint64_t lost = 0;
    while (hi - lo >= FRAME_SIZE) {
        unsigned bits = floor_log2(hi - lo);
        if (lo != 0 && bits_low(lo) < bits)
            bits = bits_low(lo);
        if (bits > UNTYPED_MAX_BITS)
            bits = UNTYPED_MAX_BITS;
        cap_t cap;
        if (*n < max && untyped_root_create(lo, bits, device, &cap) == ERR_OK)
            out[(*n)++] = cap;
        else
            lost += (uint64_t)1 << bits;
        lo += (uint64_t)1 << bits;
    }
    return lost + (hi - lo);
}

bool boot_memory_setup(const memmap_t *map, const frame_segment_t *devices,
                       unsigned ndev, uint32_t pool_frames,
                       boot_carve_t *carves, unsigned ncarve,
                       boot_memory_t *out, const char **why)
{
    static frame_segment_t segs[FRAME_MAX_SEGMENTS];
    range_t ranges[MEMMAP_MAX];

    memset(out, 0, sizeof *out);
    unsigned nseg = build_segments(map, devices, ndev, segs, FRAME_MAX_SEGMENTS);
    unsigned nr = usable_ranges(map, ranges, MEMMAP_MAX);
    uint64_t entries = frame_table_entries(segs, nseg);
    out->table_bytes = entries * sizeof(frame_t);

    if (!carve(ranges, &nr, MEMMAP_MAX, out->table_bytes, FRAME_SIZE,
               &out->table_base)) {
        *why = "no usable region is large enough for the frame table";
        return false;
    }
    if (!carve(ranges, &nr, MEMMAP_MAX, (uint64_t)pool_frames * FRAME_SIZE,
               FRAME_SIZE, &out->pool_base)) {
        *why = "no usable region is large enough for the page-table pool";
        return false;
    }
    for (unsigned i = 0; i < ncarve; i++)
        if (!carve(ranges, &nr, MEMMAP_MAX, carves[i].bytes, carves[i].align,
                   &carves[i].base)) {
            *why = "RAM is too small or too fragmented for the boot image";
            return false;
        }
    out->pool_frames = pool_frames;
    frame_t *table = arch_phys_to_virt(out->table_base);
    if (!frame_table_init(segs, nseg, table, entries)) {
        *why = "the frame table rejected the memory segments";
        return false;
    }
    untyped_roots_reset();
    for (unsigned i = 0; i < nr; i++)
        out->lost_bytes += boot_split_roots(ranges[i].lo, ranges[i].hi, false,
                                            out->roots, &out->root_count,
                                            BOOT_MAX_ROOT_UNTYPED);
    for (unsigned i = 0; i < out->root_count; i++)
        out->root_bytes += (uint64_t)1 << ((const untyped_t *)obj_ptr(out->roots[i].obj))->size_bits;
    return true;
}
