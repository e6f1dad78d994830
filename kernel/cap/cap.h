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

#include <assert.h>
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
