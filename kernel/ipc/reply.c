/*
 * Reply capabilities and call generations (see reply.h).
 */
#include "ipc/reply.h"

#include "abi/ipc.h"

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
