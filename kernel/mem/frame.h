/*
 * The frame table: one frame_t per 4 KiB physical frame the kernel may name.
 *
 * It covers every usable RAM region, the kernel image (so statically
 * allocated objects such as the root Untyped descriptors have object
 * references) and the device regions the boot image names. Boot code
 * builds it once, in memory it carves from RAM, from a list of segments;
 * it never grows. Frame index 0 is reserved and never names a frame, so an
 * object reference of 0 means "no object".
 *
 * Each frame carries a 32-bit generation. A capability to an object is
 * valid only while its gen equals the generation of the object's frame
 * (docs/spec/capabilities.md). frame_bump_gen is the only way to change a
 * generation. A frame whose generation would wrap is retired instead: it
 * keeps the last generation, is flagged FRAME_RETIRED, and is never used
 * for a new object again (retype skips it), so no stale capability can
 * ever match it again.
 *
 * Single CPU for now; on SMP the big kernel lock covers the table.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"

#define FRAME_BITS  12u
#define FRAME_SIZE  (1u << FRAME_BITS)

/*
 * An object reference holds a frame index in 26 bits (cap.h), so the
 * table names at most 2^26 frames: 256 GiB of physical memory. Segments
 * beyond that are left out (frame_table_init reports how many it took).
 */
#define FRAME_INDEX_LIMIT  (1u << 26)
#define FRAME_MAX_SEGMENTS 96u

#define FRAME_GEN_FIRST 1u            /* generation of a fresh frame */
#define FRAME_GEN_LAST  0xffffffffu   /* bumping to this retires the frame */

/* Flag bits, kept in the low bits of frame_t.word beside the address. */
enum {
    FRAME_DEVICE  = 0x001,   /* device memory: only Pages, never zeroed */
    FRAME_KERNEL  = 0x002,   /* the kernel image: never retyped */
    FRAME_RETIRED = 0x004,   /* generation exhausted: never reused */
};
#define FRAME_FLAG_MASK  0x00fu
/* Bits 4..7: the object type of a Page or CapPage that fills the frame,
 * else 0 (the frame holds objects with headers, or nothing). */
#define FRAME_KIND_SHIFT 4u
#define FRAME_KIND_MASK  0x0f0u
#define FRAME_ADDR_MASK  (~(uint64_t)(FRAME_SIZE - 1))

typedef struct frame {
    uint64_t word;   /* physical address | kind | flags. The address is set
                        by frame_table_init; flags by init and
                        frame_bump_gen; kind by the object layer. */
    uint32_t gen;    /* current generation; frame_bump_gen only */
    uint32_t link;   /* free for the object layer: the next-sibling
                        reference of a Page or CapPage in its Untyped's
                        child list (untyped.c) */
} frame_t;

static_assert(sizeof(frame_t) == 16, "frame_t is 16 bytes");

/* One physically contiguous run of frames handed to frame_table_init. */
typedef struct frame_segment {
    uint64_t base;     /* physical address, 4 KiB aligned */
    uint64_t frames;   /* number of 4 KiB frames */
    uint32_t flags;    /* FRAME_DEVICE and/or FRAME_KERNEL */
} frame_segment_t;

/*
 * Entries frame_table_init needs for these segments, including the
 * reserved entry 0 (capped at FRAME_INDEX_LIMIT).
 */
size_t frame_table_entries(const frame_segment_t *segs, unsigned count);

/*
 * Build the table in `storage` (capacity entries). Segments may come in any
 * order; they are sorted by address, must not overlap, must be 4 KiB
 * aligned and at most FRAME_MAX_SEGMENTS. Every frame starts at
 * generation FRAME_GEN_FIRST. Returns false (and leaves an empty table)
 * if the segments are malformed or storage is too small. Frames past
 * FRAME_INDEX_LIMIT are left out. Replaces any previous table.
 */
bool frame_table_init(const frame_segment_t *segs, unsigned count,
                      frame_t *storage, size_t capacity);

/* Number of entries, including the reserved entry 0. */
uint32_t frame_count(void);

/* The table and its number of entries. frame.c alone writes them; they
 * are here so that frame_get, on every capability check, is inline. */
extern frame_t *frame_table;
extern uint32_t frame_table_size;

/* The frame at `index`, or NULL for 0 and indexes past the table. */
static inline frame_t *frame_get(uint32_t index)
{
    if (index == 0 || index >= frame_table_size)
        return NULL;
    return &frame_table[index];
}

/* Find the frame holding physical address `paddr`. */
bool frame_index_of(uint64_t paddr, uint32_t *index);

static inline uint64_t frame_paddr(const frame_t *f)
{
    return f->word & FRAME_ADDR_MASK;
}

static inline uint32_t frame_flags(const frame_t *f)
{
    return (uint32_t)(f->word & FRAME_FLAG_MASK);
}

static inline unsigned frame_kind(const frame_t *f)
{
    return (unsigned)((f->word & FRAME_KIND_MASK) >> FRAME_KIND_SHIFT);
}

static inline void frame_set_kind(frame_t *f, unsigned kind)
{
    f->word = (f->word & ~(uint64_t)FRAME_KIND_MASK) |
              ((uint64_t)kind << FRAME_KIND_SHIFT & FRAME_KIND_MASK);
}

/* The kernel's virtual address of frame `index` (which must exist). */
void *frame_virt(uint32_t index);

/*
 * Advance the frame's generation, invalidating every capability made at
 * the old one. If the generation would reach FRAME_GEN_LAST the frame is
 * retired instead. Returns true if this call retired it. Bumping a retired
 * frame does nothing.
 */
bool frame_bump_gen(uint32_t index);

/* Frames retired since frame_table_init (retype skips scans while 0). */
uint32_t frame_retired_count(void);

/* True if frames [first, first + n) are all in the table and physically
 * contiguous (one segment). */
bool frame_range_contiguous(uint32_t first, uint64_t n);
