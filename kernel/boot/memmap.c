/*
 * memmap_sanitize: cut the address space at every region boundary, give
 * each elementary interval the strongest kind that covers it, then merge
 * and page-align. O(n^2) in the number of regions, which is at most a few
 * dozen, and needs no memory beyond the caller's output.
 */
#include "memmap.h"

#include <stddef.h>

/* Higher wins an overlap. */
static int kind_rank(mem_kind_t k)
{
    switch (k) {
    case MEM_USABLE:   return 1;
    case MEM_MODULE:   return 2;
    case MEM_KERNEL:   return 3;
    case MEM_RESERVED: return 4;
    }
    return 0;
}

const char *memmap_kind_name(mem_kind_t kind)
{
    switch (kind) {
    case MEM_USABLE:   return "usable";
    case MEM_RESERVED: return "reserved";
    case MEM_KERNEL:   return "kernel";
    case MEM_MODULE:   return "module";
    }
    return "invalid";
}

/* An input region as a half-open interval [lo, hi); hi == 0 means 2^64. */
typedef struct {
    uint64_t lo, hi;
    mem_kind_t kind;
} span_t;

#define SPAN_MAX (BOOT_MAX_REGIONS + BOOT_MAX_MODULES + 1)

static bool span_end_le(uint64_t a, uint64_t b)   /* a <= b, 0 = 2^64 */
{
    if (b == 0) return true;
    if (a == 0) return false;
    return a <= b;
}

static bool covers(const span_t *s, uint64_t lo, uint64_t hi)
{
    return s->lo <= lo && span_end_le(hi, s->hi);
}

/* Collect the input into spans, counting what had to be fixed. */
static uint32_t collect(const mem_region_t *in, uint32_t n,
                        uint64_t kbase, uint64_t kend,
                        const boot_module_t *mods, uint32_t nmods,
                        span_t *spans, memmap_t *out)
{
    uint32_t ns = 0;
    for (uint32_t i = 0; i < n && ns < SPAN_MAX; i++) {
        if (kind_rank(in[i].kind) == 0) { out->dropped_invalid++; continue; }
        if (in[i].size == 0) { out->dropped_empty++; continue; }
        uint64_t hi = in[i].base + in[i].size;
        if (hi != 0 && hi < in[i].base) { out->clipped_wrapping++; hi = 0; }
        spans[ns++] = (span_t){ in[i].base, hi, in[i].kind };
    }
    if (kend > kbase && ns < SPAN_MAX)
        spans[ns++] = (span_t){ kbase, kend, MEM_KERNEL };
    for (uint32_t i = 0; i < nmods && ns < SPAN_MAX; i++) {
        uint64_t hi = mods[i].base + mods[i].size;
        if (mods[i].size == 0 || (hi != 0 && hi < mods[i].base))
            continue;
        spans[ns++] = (span_t){ mods[i].base, hi, MEM_MODULE };
    }
    for (uint32_t i = 0; i < ns; i++)
        for (uint32_t j = i + 1; j < ns; j++)
            if (spans[i].lo < (spans[j].hi ? spans[j].hi : UINT64_MAX) &&
                spans[j].lo < (spans[i].hi ? spans[i].hi : UINT64_MAX) &&
                spans[i].kind != MEM_KERNEL && spans[j].kind != MEM_KERNEL &&
                spans[i].kind != MEM_MODULE && spans[j].kind != MEM_MODULE)
                out->overlaps++;
    return ns;
}

/* Sorted, de-duplicated cut points (0 stands for 2^64 only as an end). */
static uint32_t cut_points(const span_t *spans, uint32_t ns, uint64_t *pts,
                           bool *has_top)
{
    uint32_t np = 0;
    *has_top = false;
    for (uint32_t i = 0; i < ns; i++) {
        pts[np++] = spans[i].lo;
        if (spans[i].hi == 0) *has_top = true;
        else pts[np++] = spans[i].hi;
    }
    for (uint32_t i = 1; i < np; i++) {          /* insertion sort */
        uint64_t v = pts[i];
        uint32_t j = i;
        while (j > 0 && pts[j - 1] > v) { pts[j] = pts[j - 1]; j--; }
        pts[j] = v;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < np; i++)
        if (m == 0 || pts[m - 1] != pts[i])
            pts[m++] = pts[i];
    return m;
}

static bool push(memmap_t *out, uint64_t lo, uint64_t hi, mem_kind_t kind)
{
    if (kind == MEM_USABLE) {
        uint64_t alo = (lo + MEMMAP_PAGE_SIZE - 1) & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
        uint64_t ahi = hi & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
        if (alo < lo || ahi <= alo)
            return true;                       /* less than a page: drop */
        lo = alo;
        hi = ahi;
    }
    if (out->count > 0) {
        mem_region_t *last = &out->regions[out->count - 1];
        if (last->kind == kind && last->base + last->size == lo) {
            last->size += hi - lo;
            return true;
        }
    }
    if (out->count >= MEMMAP_MAX)
        return false;
    out->regions[out->count++] = (mem_region_t){ lo, hi - lo, kind };
    return true;
}

bool memmap_sanitize(const mem_region_t *in, uint32_t n,
                     uint64_t kernel_base, uint64_t kernel_end,
                     const boot_module_t *mods, uint32_t nmods,
                     memmap_t *out)
{
    span_t spans[SPAN_MAX];
    uint64_t pts[2 * SPAN_MAX];
    bool has_top;

    *out = (memmap_t){ 0 };
    uint32_t ns = collect(in, n, kernel_base, kernel_end, mods, nmods,
                          spans, out);
    uint32_t np = cut_points(spans, ns, pts, &has_top);

    for (uint32_t i = 0; i < np; i++) {
        uint64_t lo = pts[i];
        uint64_t hi = (i + 1 < np) ? pts[i + 1] : 0;
        if (hi == 0 && !has_top)
            break;
        int best = 0;
        mem_kind_t kind = MEM_USABLE;
        for (uint32_t s = 0; s < ns; s++)
            if (covers(&spans[s], lo, hi) && kind_rank(spans[s].kind) > best) {
                best = kind_rank(spans[s].kind);
                kind = spans[s].kind;
            }
        if (best == 0)
            continue;                          /* a hole */
        /* The top interval ends at 2^64; keep the last byte out so that
         * base + size never wraps. */
        uint64_t end = hi ? hi : UINT64_MAX;
        if (end <= lo)
            continue;
        if (!push(out, lo, end, kind)) {
            out->count = 0;
            return false;
        }
    }
    return true;
}

uint64_t memmap_usable_bytes(const memmap_t *map)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < map->count; i++)
        if (map->regions[i].kind == MEM_USABLE)
            total += map->regions[i].size;
    return total;
}
