/*
 * Page: one 4 KiB frame of data, mapped into address spaces through GPTs.
 *
 * A Page has no header: the whole frame is user data, and the frame table
 * records that it is a Page (frame kind) and links it into its Untyped's
 * child list (frame_t.link). Pages retyped from device Untyped are not
 * zeroed. Capabilities: READ_ONLY maps it read-only, NO_EXECUTE maps it
 * without execute permission, WEAK implies READ_ONLY.
 *
 * Lifecycle: made by retype (zeroed), lives until its Untyped is revoked;
 * the teardown hook then lets the hardware-map cache drop every mapping
 * of the frame before the memory can be reused.
 */
#pragma once

#include <stdint.h>

#include "invoke.h"

#define PAGE_SIZE_BITS 12u

/*
 * Called once for each Page being destroyed, with its frame index, before
 * its generation is reused. The hardware-map cache (ports) installs one
 * that removes every PTE mapping the frame and flushes the TLB. Must do
 * bounded work. Default: nothing is cached, nothing to do.
 */
typedef void page_teardown_hook_t(uint32_t frame);
void page_set_teardown_hook(page_teardown_hook_t *hook);

/* Destroy the Page in `frame`: run the hook, clear the frame kind. */
void page_teardown(uint32_t frame);

/* Methods on Page capabilities (methods.def rows for PAGE). */
cairn_error_t page_dispatch(invocation_t *inv);
