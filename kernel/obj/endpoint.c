/*
 * Endpoint (states and invariants in endpoint.h): its queue and its one
 * method, make_entry. Sending and receiving are the IPC layer's
 * (kernel/ipc/ipc.c); it changes the queue only through the functions
 * here.
 */
#include "obj/endpoint.h"

#include "ipc/plist.h"
#include "obj/process.h"
#include "panic.h"

void endpoint_enqueue(endpoint_t *ep, process_t *p, endpoint_state_t as)
{
    endpoint_enqueue_ref(ep, obj_ref_of(ep), p, as);
}

static bool queue_empty(endpoint_t *ep)
{
    return plist_empty(&ep->queue);
}

static endpoint_teardown_hook_t *teardown_hook = queue_empty;

void endpoint_set_teardown_hook(endpoint_teardown_hook_t *hook)
{
    teardown_hook = hook ? hook : queue_empty;
}

bool endpoint_teardown(endpoint_t *ep)
{
    return teardown_hook(ep);
}

/* ---- make_entry -------------------------------------------------------------- */

typedef struct { uint32_t payload; } entry_args_t;

static cairn_error_t endpoint_decode_make_entry(invocation_t *inv, entry_args_t *a)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the Endpoint capability is read-only");
    if (inv->msg->words[0] > UINT32_MAX)
        return REFUSE(ERR_OUT_OF_RANGE, "payload 0x%llx wider than 32 bits",
                      (unsigned long long)inv->msg->words[0]);
    a->payload = (uint32_t)inv->msg->words[0];
    return ERR_OK;
}

static void endpoint_invoke_make_entry(invocation_t *inv, const entry_args_t *a)
{
    cap_t entry = cap_make(CAP_ENTRY, inv->target.obj);
    entry.payload = a->payload;
    invoke_put_cap(inv, 0, entry);
}

cairn_error_t endpoint_dispatch(invocation_t *inv)
{
    entry_args_t a;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_ENDPOINT_make_entry:
        if ((err = endpoint_decode_make_entry(inv, &a)) == ERR_OK)
            endpoint_invoke_make_entry(inv, &a);
        return err;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Endpoint method");
    }
}
