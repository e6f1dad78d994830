/*
 * Boot-time carving of RAM (see memory.h). A tiny bump allocator takes
 * the frame table and the hardware-map pool from the top of the largest
 * usable region; all the rest becomes root Untypeds.
 */
#include "memory.h"

#include "arch.h"
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

/* Take `bytes` (page aligned) from the top of the largest range. */
static bool carve(range_t *r, unsigned n, uint64_t bytes, uint64_t *base)
{
    bytes = (bytes + FRAME_SIZE - 1) & ~(uint64_t)(FRAME_SIZE - 1);
    unsigned best = n;
    for (unsigned i = 0; i < n; i++)
        if (r[i].hi - r[i].lo >= bytes &&
            (best == n || r[i].hi - r[i].lo > r[best].hi - r[best].lo))
            best = i;
    if (best == n)
        return false;
    r[best].hi -= bytes;
    *base = r[best].hi;
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
    return 63u - (unsigned)__builtin_clzll(v);
}

/* Cut [lo, hi) into maximal aligned power-of-two root Untypeds. */
static void make_roots(uint64_t lo, uint64_t hi, boot_memory_t *out)
{
    while (hi - lo >= FRAME_SIZE) {
        unsigned bits = floor_log2(hi - lo);
        if (lo != 0 && (unsigned)__builtin_ctzll(lo) < bits)
            bits = (unsigned)__builtin_ctzll(lo);
        if (bits > UNTYPED_MAX_BITS)
            bits = UNTYPED_MAX_BITS;
        cap_t cap;
        if (out->root_count < BOOT_MAX_ROOT_UNTYPED &&
            untyped_root_create(lo, bits, false, &cap) == ERR_OK) {
            out->roots[out->root_count++] = cap;
            out->root_bytes += (uint64_t)1 << bits;
        } else {
            out->lost_bytes += (uint64_t)1 << bits;
        }
        lo += (uint64_t)1 << bits;
    }
}

bool boot_memory_setup(const memmap_t *map, const frame_segment_t *devices,
                       unsigned ndev, uint32_t pool_frames,
                       boot_memory_t *out, const char **why)
{
    static frame_segment_t segs[FRAME_MAX_SEGMENTS];
    range_t ranges[MEMMAP_MAX];

    memset(out, 0, sizeof *out);
    unsigned nseg = build_segments(map, devices, ndev, segs, FRAME_MAX_SEGMENTS);
    unsigned nr = usable_ranges(map, ranges, MEMMAP_MAX);
    uint64_t entries = frame_table_entries(segs, nseg);
    out->table_bytes = entries * sizeof(frame_t);

    if (!carve(ranges, nr, out->table_bytes, &out->table_base)) {
        *why = "no usable region is large enough for the frame table";
        return false;
    }
    if (!carve(ranges, nr, (uint64_t)pool_frames * FRAME_SIZE, &out->pool_base)) {
        *why = "no usable region is large enough for the page-table pool";
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
        make_roots(ranges[i].lo, ranges[i].hi, out);
    return true;
}
