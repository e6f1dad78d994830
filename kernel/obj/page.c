/*
 * Page: 4 KiB of data (states and invariants in page.h). The only method
 * is make_guarded, shared by every memory capability (cspace.c).
 */
#include "obj/page.h"

#include "cap/cspace.h"
#include "mem/frame.h"
#include "panic.h"

static void no_mappings(uint32_t frame)
{
    (void)frame;
}

static page_teardown_hook_t *teardown_hook = no_mappings;

void page_set_teardown_hook(page_teardown_hook_t *hook)
{
    teardown_hook = hook ? hook : no_mappings;
}

void page_teardown(uint32_t frame)
{
    frame_t *f = frame_get(frame);
    REQUIRE(f != NULL && frame_kind(f) == OBJ_PAGE);
    teardown_hook(frame);
    frame_set_kind(f, 0);
}

cairn_error_t page_dispatch(invocation_t *inv)
{
    switch (inv->method->opcode) {
    case OP_PAGE_make_guarded:
        return cspace_method_make_guarded(inv);
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Page method");
    }
}
