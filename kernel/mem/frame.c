/*
 * The frame table (see frame.h for its contract).
 *
 * Layout: entry 0 is reserved; then the segments, sorted by address, are
 * concatenated, so frame indexes grow with physical addresses and a run
 * of indexes inside one segment is physically contiguous. A small segment
 * directory (at most FRAME_MAX_SEGMENTS entries, searched by binary
 * search) maps a physical address back to an index.
 */
#include "mem/frame.h"

#include "arch.h"
#include "lib/kstring.h"

typedef struct {
    uint64_t base;     /* physical address of the segment's first frame */
    uint32_t first;    /* index of that frame */
    uint32_t count;    /* frames in the segment */
} segment_t;

frame_t  *frame_table;          /* see frame.h: read there by frame_get */
uint32_t  frame_table_size;
static segment_t segments[FRAME_MAX_SEGMENTS];
static unsigned  segment_count;
static uint32_t  retired;

static void sort_segments(frame_segment_t *s, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        frame_segment_t key = s[i];
        unsigned j = i;
        while (j > 0 && s[j - 1].base > key.base) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = key;
    }
}

/* Frames of segment `s` that fit below FRAME_INDEX_LIMIT after `used`. */
static uint32_t frames_taken(const frame_segment_t *s, uint64_t used)
{
    uint64_t room = used < FRAME_INDEX_LIMIT ? FRAME_INDEX_LIMIT - used : 0;
    return (uint32_t)(s->frames < room ? s->frames : room);
}

size_t frame_table_entries(const frame_segment_t *segs, unsigned count)
{
    uint64_t used = 1;
    for (unsigned i = 0; i < count; i++)
        used += frames_taken(&segs[i], used);
    return (size_t)used;
}

static bool segments_valid(const frame_segment_t *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (s[i].base % FRAME_SIZE || s[i].frames == 0)
            return false;
        if (s[i].frames > (UINT64_MAX - s[i].base) / FRAME_SIZE)
            return false;
        if (i && s[i - 1].base + s[i - 1].frames * FRAME_SIZE > s[i].base)
            return false;
    }
    return true;
}

bool frame_table_init(const frame_segment_t *segs, unsigned count,
                      frame_t *storage, size_t capacity)
{
    frame_segment_t sorted[FRAME_MAX_SEGMENTS];

    frame_table = NULL;
    frame_table_size = 0;
    segment_count = 0;
    retired = 0;
    if (count > FRAME_MAX_SEGMENTS || storage == NULL)
        return false;
    memcpy(sorted, segs, count * sizeof *segs);
    sort_segments(sorted, count);
    if (!segments_valid(sorted, count) ||
        frame_table_entries(sorted, count) > capacity)
        return false;

    memset(&storage[0], 0, sizeof storage[0]);
    storage[0].word = FRAME_RETIRED;
    uint32_t next = 1;
    for (unsigned i = 0; i < count; i++) {
        uint32_t n = frames_taken(&sorted[i], next);
        if (n == 0)
            break;
        segments[segment_count++] = (segment_t){ sorted[i].base, next, n };
        for (uint32_t k = 0; k < n; k++) {
            frame_t *f = &storage[next + k];
            f->word = (sorted[i].base + (uint64_t)k * FRAME_SIZE) |
                      (sorted[i].flags & (FRAME_DEVICE | FRAME_KERNEL));
            f->gen = FRAME_GEN_FIRST;
            f->link = 0;
        }
        next += n;
    }
    frame_table = storage;
    frame_table_size = next;
    return true;
}

uint32_t frame_count(void)
{
    return frame_table_size;
}

bool frame_index_of(uint64_t paddr, uint32_t *index)
{
    unsigned lo = 0, hi = segment_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        const segment_t *s = &segments[mid];
        if (paddr < s->base) {
            hi = mid;
        } else if ((paddr - s->base) / FRAME_SIZE >= s->count) {
            lo = mid + 1;
        } else {
            *index = s->first + (uint32_t)((paddr - s->base) / FRAME_SIZE);
            return true;
        }
    }
    return false;
}

void *frame_virt(uint32_t index)
{
    frame_t *f = frame_get(index);
    return f ? arch_phys_to_virt(frame_paddr(f)) : NULL;
}

bool frame_bump_gen(uint32_t index)
{
    frame_t *f = frame_get(index);
    if (f == NULL || (f->word & FRAME_RETIRED))
        return false;
    f->gen++;
    if (f->gen != FRAME_GEN_LAST)
        return false;
    f->word |= FRAME_RETIRED;
    retired++;
    return true;
}

uint32_t frame_retired_count(void)
{
    return retired;
}

bool frame_range_contiguous(uint32_t first, uint64_t n)
{
    if (first == 0 || n == 0 || n > frame_table_size || first > frame_table_size - n)
        return false;
    for (unsigned i = 0; i < segment_count; i++) {
        const segment_t *s = &segments[i];
        if (first >= s->first && first - s->first < s->count)
            return n <= s->count - (first - s->first);
    }
    return false;
}
