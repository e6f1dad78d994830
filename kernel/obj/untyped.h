/*
 * Untyped: a naturally aligned, power-of-two region of physical memory
 * from which every other object is made (seL4-style retyping).
 *
 * The Untyped object is a 64-byte descriptor. Root Untypeds (made at boot
 * from the free RAM and the device regions the image names) keep their
 * descriptors in a static array in the kernel image; every other Untyped
 * is a child made by retype, whose descriptor AND region are both carved
 * from the parent (descriptors first, so a child's descriptor always lies
 * below its region: revoke depends on that, see untyped.c).
 *
 * Retype allocates at the watermark with natural alignment, so memory
 * below the watermark is in use and above it free. Objects are linked into
 * the Untyped's child list. Nothing is freed one by one: revoke destroys
 * every object made from the Untyped, recursively, and resets the
 * watermark.
 *
 * States: IDLE (watermark 0: no children), IN USE (watermark > 0), and
 * REVOKING (a revoke is under way; retype returns ERR_BUSY, revoke
 * continues it). Invariants: base and size are fixed for life; watermark
 * <= 2^size_bits; every object in the child list lies in
 * [base, base + watermark); a device Untyped has only Page children.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"
#include "obj/obj.h"

#define UNTYPED_SIZE_BITS 6u
#define UNTYPED_MIN_BITS  CAIRN_PAGE_BITS     /* 4 KiB */
#define UNTYPED_MAX_BITS  38u                 /* 2^26 frames: 256 GiB */
#define UNTYPED_ROOTS_MAX 256u                /* 16 KiB of descriptors */

/* Work units one revoke call may spend (a frame bumped, an object torn
 * down, a step up or down the tree: one unit each). */
#define UNTYPED_REVOKE_BUDGET 1024u

typedef enum {
    REVOKE_IDLE = 0,
    REVOKE_BUMP,       /* bumping generations; cursor = next frame offset */
    REVOKE_TEARDOWN,   /* destroying children; cursor = current Untyped */
} revoke_phase_t;

typedef struct untyped {
    obj_header_t hdr;
    uint32_t  base_frame;     /* frame index of the region's first frame; fixed */
    uint8_t   size_bits;      /* log2 of the region's size (>= 12); fixed */
    uint8_t   device;         /* device memory: Pages only; fixed */
    uint8_t   revoke_phase;   /* revoke_phase_t; untyped_revoke_step */
    uint8_t   reserved0;
    uint64_t  watermark;      /* bytes in use from the base; retype, revoke */
    obj_ref_t parent;         /* parent Untyped, or none for a root; fixed */
    obj_ref_t first_child;    /* newest child; retype pushes, revoke pops */
    uint64_t  revoke_cursor;  /* see revoke_phase_t; untyped_revoke_step */
    uint64_t  reserved[3];
} untyped_t;

static_assert(sizeof(untyped_t) == 1u << UNTYPED_SIZE_BITS,
              "an Untyped descriptor is 64 bytes");

/* ---- Boot --------------------------------------------------------------------- */

/* Forget every root (boot, and host tests). */
void untyped_roots_reset(void);

/* The static descriptor array, so boot code can check that the frame
 * table covers it (it lies in the kernel image). */
const void *untyped_roots_storage(uint64_t *bytes);

/*
 * Make a root Untyped over [paddr, paddr + 2^size_bits). Pre: the frame
 * table is built. Errors: ERR_OUT_OF_RANGE (size_bits outside 12..38),
 * ERR_ALIGNMENT (paddr not aligned to the size), ERR_INVALID_ARGUMENT
 * (the range is not one contiguous run of frames in the table, touches
 * the kernel image, or mixes device and RAM frames, or device does not
 * match the frames), ERR_NO_MEMORY (all UNTYPED_ROOTS_MAX roots in use).
 * Post: *out is an unrestricted Untyped capability to it.
 */
cairn_error_t untyped_root_create(uint64_t paddr, unsigned size_bits,
                                  bool device, cap_t *out);

/* ---- Retype and revoke, for kernel callers (boot builds the image) ------------ */

/*
 * Retype `count` objects of `type` from the Untyped `ut` into the slots
 * dest[0..count) (which must be empty). size_bits: the region size for
 * Untyped children; for every other type 0 or the type's own size.
 * Same errors as the retype method, except slot lookups.
 */
cairn_error_t untyped_retype(const cap_t *ut, obj_type_t type, unsigned size_bits,
                             unsigned count, cap_t *dest);

/*
 * Do at most `budget` units of the revoke of `ut` (a live Untyped
 * capability). Returns true when the revoke is complete: every object
 * made from it is destroyed, its frames have new generations, and the
 * watermark is 0. Returns false when more remains; the state is
 * consistent and the next call continues where this one stopped.
 */
bool untyped_revoke_step(const cap_t *ut, unsigned budget);

/* Methods on Untyped capabilities (methods.def rows for UNTYPED). */
cairn_error_t untyped_dispatch(invocation_t *inv);
