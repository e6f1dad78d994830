/*
 * Reply capabilities and call generations (see reply.h).
 */
#include "ipc/reply.h"

#include "abi/ipc.h"

uint64_t call_gen(const process_t *p)
{
    return (uint64_t)p->ipc.call_gen_hi << 32 | p->reply_gen;
}

void call_gen_bump(process_t *p)
{
    uint64_t g = call_gen(p);
    if (g == CALL_GEN_LAST)
        return;
    g++;
    p->reply_gen = (uint32_t)g;
    p->ipc.call_gen_hi = (uint16_t)(g >> 32);
}

bool call_gen_available(const process_t *p)
{
    return call_gen(p) != CALL_GEN_LAST;
}

static uint64_t reply_cap_gen(const cap_t *c)
{
    return (uint64_t)c->flags << 40 | (uint64_t)c->l2g << 32 | c->payload;
}

cap_t reply_make(process_t *caller)
{
    uint64_t g = call_gen(caller);
    cap_t c = cap_make(CAP_REPLY, obj_ref_of(caller));
    c.gen = caller->ipc.self_gen;       /* dead already if the caller is dying */
    c.payload = (uint32_t)g;
    c.l2g = (uint8_t)(g >> 32);
    c.flags = (uint8_t)(g >> 40);
    return c;
}

cairn_error_t reply_resolve(const cap_t *c, process_t **caller)
{
    cairn_error_t err = cap_check(c);
    if (err == ERR_INVALID_CAP)
        return REFUSE(err, "reply register %u is Null", CAIRN_REPLY_REG);
    if (c->type != CAP_REPLY)
        return REFUSE(ERR_WRONG_TYPE, "reply register %u holds no Reply capability",
                      CAIRN_REPLY_REG);
    if (err == ERR_REVOKED)
        return REFUSE(err, "the caller no longer exists");
    process_t *p = obj_ptr(c->obj);
    if (p->ipc.wait != IPC_REPLY_WAIT || call_gen(p) != reply_cap_gen(c))
        return REFUSE(ERR_REPLY_STALE, "that call was already answered or abandoned");
    *caller = p;
    return ERR_OK;
}
