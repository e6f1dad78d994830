/*
 * CapPage: a page of capabilities (states and invariants in cappage.h).
 */
#include "obj/cappage.h"

#include "cap/cspace.h"
#include "mem/frame.h"
#include "panic.h"

cap_t *cappage_slots(uint32_t frame)
{
    REQUIRE(frame_get(frame) && frame_kind(frame_get(frame)) == OBJ_CAPPAGE);
    return frame_virt(frame);
}

void cappage_teardown(uint32_t frame)
{
    frame_t *f = frame_get(frame);
    REQUIRE(f != NULL && frame_kind(f) == OBJ_CAPPAGE);
    frame_set_kind(f, 0);
}

typedef struct { unsigned slot; } slot_args_t;

static cairn_error_t decode_slot(invocation_t *inv, slot_args_t *a)
{
    if (inv->msg->words[0] >= CAIRN_CAPPAGE_SLOTS)
        return REFUSE(ERR_OUT_OF_RANGE, "slot %llu: a CapPage has %u slots",
                      (unsigned long long)inv->msg->words[0],
                      CAIRN_CAPPAGE_SLOTS);
    a->slot = (unsigned)inv->msg->words[0];
    return ERR_OK;
}

static cairn_error_t cappage_decode_get_slot(invocation_t *inv, slot_args_t *a)
{
    return decode_slot(inv, a);
}

static void cappage_invoke_get_slot(invocation_t *inv, const slot_args_t *a)
{
    cap_t c = cappage_slots(cap_obj_frame(&inv->target))[a->slot];
    if (inv->target.restr & RESTR_WEAK)
        c = cap_weaken(c);
    invoke_put_cap(inv, 0, c);
}

static cairn_error_t cappage_decode_set_slot(invocation_t *inv, slot_args_t *a)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the CapPage capability is read-only");
    return decode_slot(inv, a);
}

static void cappage_invoke_set_slot(invocation_t *inv, const slot_args_t *a)
{
    cappage_slots(cap_obj_frame(&inv->target))[a->slot] = inv->in[0];
}

cairn_error_t cappage_dispatch(invocation_t *inv)
{
    slot_args_t a;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_CAPPAGE_make_guarded:
        return cspace_method_make_guarded(inv);
    case OP_CAPPAGE_get_slot:
        if ((err = cappage_decode_get_slot(inv, &a)) == ERR_OK)
            cappage_invoke_get_slot(inv, &a);
        return err;
    case OP_CAPPAGE_set_slot:
        if ((err = cappage_decode_set_slot(inv, &a)) == ERR_OK)
            cappage_invoke_set_slot(inv, &a);
        return err;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such CapPage method");
    }
}
