/*
 * What every kernel object shares: the object reference, the common
 * header, and the per-type create and teardown steps that retype and
 * revoke call.
 *
 * An object reference (obj_ref_t) is frame index << 6 | the object's
 * 64-byte slot in that frame, exactly the obj word of a capability. 0 is
 * "no object" (frame 0 never exists). Objects are 64 bytes to 4 KiB,
 * naturally aligned, so each lies inside one frame.
 *
 * Every object except Page and CapPage (whole frames of user data) begins
 * with obj_header_t. For those two, the frame table records the type
 * (frame kind) and the child-list link (frame_t.link) instead.
 *
 * Objects have no reference counts: deleting a capability never frees
 * anything. An object lives until the Untyped it was retyped from is
 * revoked (docs/spec/objects.md).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "arch.h"
#include "mem/frame.h"
#include "panic.h"

typedef uint32_t obj_ref_t;
#define OBJ_REF_NONE 0u

typedef struct obj_header {
    uint8_t   type;       /* obj_type_t; written once, by retype */
    uint8_t   size_bits;  /* log2 of the object's size; written by retype */
    uint16_t  flags;      /* type-specific; owned by the object's file */
    obj_ref_t next;       /* next sibling in the parent Untyped's child
                             list; untyped.c only */
} obj_header_t;

static_assert(sizeof(obj_header_t) == 8, "the common header is 8 bytes");

static inline obj_ref_t obj_ref_make(uint32_t frame, unsigned slot)
{
    return frame << 6 | (slot & 63u);
}

static inline uint32_t obj_ref_frame(obj_ref_t ref)
{
    return ref >> 6;
}

/* Kernel pointer to the object `ref` names. Pre: the frame exists. */
static inline void *obj_ptr(obj_ref_t ref)
{
    frame_t *f = frame_get(obj_ref_frame(ref));
    REQUIRE(f != NULL);
    return (char *)arch_phys_to_virt_known(frame_paddr(f)) + (ref & 63u) * 64u;
}

/* Reference of the object at kernel pointer `p`, or OBJ_REF_NONE if the
 * address is in no frame of the table. Pre: p is 64-byte aligned. */
obj_ref_t obj_ref_of(const void *p);

/* Type of a live object, read from its header or its frame's kind. */
obj_type_t obj_type_of(obj_ref_t ref);

/* log2 of the size of an object of `type` (Untyped: its descriptor).
 * 0 for OBJ_NONE and unknown types. */
unsigned obj_size_bits(obj_type_t type);

/*
 * Make a fresh object of `type` at `ref`: zero it (Pages on device frames
 * are not zeroed), write the header or frame kind, and set the type's
 * initial state. Untyped descriptors are set up by untyped.c instead.
 */
void obj_create(obj_ref_t ref, obj_type_t type);

/*
 * Run the teardown step of a dying object: the hooks of the IPC layer, the
 * scheduler and the hardware-map cache (see each object's header). Returns
 * false if the hook asked to be called again (it did a bounded amount of
 * work and left a consistent state); revoke then resumes here.
 */
bool obj_teardown(obj_ref_t ref, obj_type_t type);
