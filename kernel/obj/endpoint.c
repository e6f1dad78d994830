/*
 * Endpoint (states and invariants in endpoint.h). This issue gives it
 * one method, make_entry; sending and receiving come with the IPC issue.
 */
#include "obj/endpoint.h"

static bool queue_empty(endpoint_t *ep)
{
    (void)ep;
    return true;
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
