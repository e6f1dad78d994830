/*
 * Capability addressing: where a caploc points in a process's capability
 * space, and the capability-space methods built on it.
 *
 * A process's capability space is its 32 capability registers plus every
 * CapPage slot reachable through its address space. Register 0 reads as
 * Null and ignores writes. A memory caploc names a 16-byte aligned
 * address; load and store walk the GPT tree in software (gpt_walk with
 * WALK_CAP) to a CapPage slot. A read through a WEAK path yields a
 * weakened capability (cap_weaken); a store through a READ_ONLY or WEAK
 * path fails with ERR_ACCESS. Capability accesses never invoke keepers:
 * every failure is returned to the caller.
 */
#pragma once

#include <stdbool.h>

#include "cap/cap.h"
#include "invoke.h"

struct process;

/* A located capability slot. */
typedef struct cspace_slot {
    cap_t   *slot;      /* the storage (a discard sink for register 0 writes) */
    uint8_t  restr;     /* restrictions on the path (0 for registers) */
    bool     reg0;      /* register 0: reads Null, writes vanish */
    bool     in_cappage;/* memory caploc: slot is in a CapPage ... */
    uint32_t frame;     /* ... in this frame ... */
    unsigned index;     /* ... at this slot index */
} cspace_slot_t;

/*
 * Locate the slot `loc` names in p's capability space, for reading or
 * (write) storing. Errors: ERR_INVALID_CAP (register number >= 32),
 * ERR_ALIGNMENT (memory caploc not 16-byte aligned), ERR_INVALID_ADDRESS,
 * ERR_MALFORMED_SPACE, ERR_WRONG_TYPE (the walk ends in a data Page),
 * ERR_ACCESS (write through a READ_ONLY or WEAK path). No side effects;
 * refusals are reported through REFUSE with `what` naming the argument.
 */
cairn_error_t cspace_locate(struct process *p, caploc_t loc, bool write,
                            const char *what, cspace_slot_t *out);

/* Read the capability at `loc` (Null for register 0), weakened if the path
 * is weak. Errors as cspace_locate. */
cairn_error_t cspace_fetch(struct process *p, caploc_t loc, const char *what,
                           cap_t *out);

/* The value a located slot reads as. */
cap_t cspace_read(const cspace_slot_t *s);

/* True if the slot may receive a new object: Null or a revoked capability. */
bool cspace_slot_empty(const cap_t *slot);

/* Methods shared by several capability types (decode then invoke). */
cairn_error_t cspace_method_make_guarded(invocation_t *inv);   /* memory caps */
cairn_error_t cspace_method_copy(invocation_t *inv);           /* Process */
cairn_error_t cspace_method_restrict(invocation_t *inv);       /* Process */
cairn_error_t cspace_method_delete(invocation_t *inv);         /* Process */
