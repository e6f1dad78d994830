/*
 * CapPage: one 4 KiB frame holding 256 capabilities.
 *
 * Like a Page it has no header (the frame table records its kind and
 * child-list link). It is never mapped into hardware: load-cap and
 * store-cap reach its slots by a software walk of the GPT space
 * (cspace.c), and the CapPage methods reach them directly.
 *
 * Capabilities: READ_ONLY forbids storing into it; WEAK (implies
 * READ_ONLY) weakens every capability read out of it (cap_weaken).
 * Invariant: a fresh CapPage holds only Null capabilities (zeroed).
 * Lifecycle: made by retype, destroyed when its Untyped is revoked; the
 * capabilities inside simply vanish (nothing counts references).
 */
#pragma once

#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"

#define CAPPAGE_SIZE_BITS 12u

static_assert(CAIRN_CAPPAGE_SLOTS * sizeof(cap_t) == 1u << CAPPAGE_SIZE_BITS,
              "a CapPage is exactly 256 capabilities");

/* The slots of the CapPage in `frame`. Pre: the frame holds a CapPage. */
cap_t *cappage_slots(uint32_t frame);

/* Destroy the CapPage in `frame` (clears the frame kind). */
void cappage_teardown(uint32_t frame);

/* Methods on CapPage capabilities (methods.def rows for CAPPAGE). */
cairn_error_t cappage_dispatch(invocation_t *inv);
