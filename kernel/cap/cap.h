/*
 * The capability: 16 bytes, the same on every port.
 *
 *   byte  0     type      cap_type_t (kernel/abi/captypes.def)
 *   byte  1     restr     RESTR_* bits (kernel/abi/restrictions.def)
 *   byte  2     l2g       memory caps: log2 of the span the guard leaves
 *                         to the object (12..64); 0 otherwise
 *   byte  3     flags     type-specific small field (see below)
 *   bytes 4-7   payload   ENTRY: the protected payload
 *                         GPT, PAGE, CAPPAGE: the guard value: address
 *                           bits at and above l2g must equal it (so a
 *                           guard covers at most 32 bits; bits above
 *                           l2g + 32 must be zero)
 *                         REPLY: the call generation it answers
 *                         IRQ_HANDLER: the interrupt line
 *                         SCHEDULE: the highest priority it may assign
 *                         NOTIFICATION: the badge bits a signal ORs in
 *   bytes 8-11  obj       object reference: frame index << 6 | the
 *                         object's 64-byte slot within that frame;
 *                         0 for stateless capabilities
 *   bytes 12-15 gen       the generation of the object's frame when this
 *                         capability was made
 *
 * Revocation is by unconditional generation bump (docs/spec/capabilities.md):
 * a capability is valid only while gen equals its frame's generation in the
 * frame table. Destroying an object bumps the generation of every frame it
 * occupies, so every copy of every capability to it, wherever it is stored
 * (registers, CapPages, GPT slots, messages in flight), stops working at
 * once, with no search. A frame whose generation would wrap is retired and
 * never reused, so a stale capability can never come back to life.
 *
 * Copies can only lose authority: every operation that derives a
 * capability from another ORs restrictions in and never clears them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"

typedef struct cap {
    uint8_t  type;
    uint8_t  restr;
    uint8_t  l2g;
    uint8_t  flags;
    uint32_t payload;
    uint32_t obj;
    uint32_t gen;
} cap_t;

static_assert(sizeof(cap_t) == 16, "a capability is 16 bytes on every port");

#define CAP_OBJ_SLOT_BITS 6u            /* 64 one-64-byte slots per frame */
#define CAP_OBJ_SLOT_SIZE 64u

/* The Null capability: all zero, so zeroed memory holds only Null caps. */
static inline cap_t cap_null(void)
{
    return (cap_t){ 0 };
}

static inline bool cap_is_null(const cap_t *c)
{
    return c->type == CAP_NULL;
}

/* Frame index and slot of the object a capability designates. */
static inline uint32_t cap_obj_frame(const cap_t *c)
{
    return c->obj >> CAP_OBJ_SLOT_BITS;
}

static inline uint32_t cap_obj_slot(const cap_t *c)
{
    return c->obj & ((1u << CAP_OBJ_SLOT_BITS) - 1);
}

/* ---- Capability operations (cap.c) --------------------------------------
 *
 * These act on capability values only; where a capability is stored and
 * who may change it is the caller's business (cspace.h). None of them
 * allocates or can widen authority.
 */

/* The object type a capability type designates (captypes.def). */
obj_type_t cap_object_type(cap_type_t type);

/* True for the memory capabilities that carry a guard: Page, CapPage, GPT. */
bool cap_is_memory(cap_type_t type);

/*
 * Is the capability usable? ERR_OK; ERR_INVALID_CAP for Null (or an
 * unknown type); ERR_REVOKED when its object's frame has moved to another
 * generation (or was retired) since the capability was made.
 */
cairn_error_t cap_check(const cap_t *c);

/* cap_check(c) == ERR_OK. */
bool cap_is_live(const cap_t *c);

/*
 * A new capability to the object at `ref` of capability type `type`, at
 * the frame's current generation, without restrictions. Memory
 * capabilities get l2g 64 and guard 0 (no guard).
 */
cap_t cap_make(cap_type_t type, uint32_t ref);

/*
 * OR `restr` into c's restrictions; WEAK brings READ_ONLY with it.
 * ERR_INVALID_ARGUMENT if restr has bits outside CAIRN_RESTR_ALL.
 * Post: c has at least the restrictions it had.
 */
cairn_error_t cap_restrict(cap_t *c, unsigned restr);

/*
 * Set the guard of memory capability c: address bits at and above l2g
 * must equal `guard`. ERR_WRONG_TYPE if c is not Page/CapPage/GPT/Window;
 * ERR_OUT_OF_RANGE unless 12 <= l2g <= 64; ERR_INVALID_ARGUMENT if the
 * guard does not fit in 32 bits or in the 64 - l2g bits above l2g (so
 * l2g = 64 forces guard 0). Restrictions are kept.
 */
cairn_error_t cap_make_guarded(cap_t *c, uint64_t guard, unsigned l2g);

/*
 * The capability as it reads through a WEAK path (Coyotos rules): Page
 * gains READ_ONLY; GPT and CapPage gain READ_ONLY|WEAK; Null, Discrim and
 * Window are unchanged; everything else becomes Null.
 */
cap_t cap_weaken(cap_t c);

/* True if c conveys no authority to change anything or to call anyone:
 * Null, Discrim, Window, and WEAK memory capabilities. */
bool cap_is_discreet(const cap_t *c);

/* True if a and b designate the same object (or are the same stateless
 * kind), whatever their restrictions, guards and payloads. */
bool cap_same_object(const cap_t *a, const cap_t *b);

/* Window capabilities keep their 64-bit offset in the obj and gen words. */
static inline uint64_t cap_window_offset(const cap_t *c)
{
    return (uint64_t)c->gen << 32 | c->obj;
}

/* A Window capability; validity rules are those of cap_make_guarded, and
 * offset must be a multiple of 2^l2g. */
cairn_error_t cap_make_window(uint64_t offset, uint64_t guard, unsigned l2g,
                              unsigned restr, cap_t *out);
