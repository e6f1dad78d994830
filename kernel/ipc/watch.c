/*
 * Watch lists (see watch.h). A notification's `watchers` and a
 * process's ipc.u.op.watch change only here.
 */
#include "ipc/watch.h"

#include "cap/cspace.h"
#include "ipc/plist.h"

cairn_error_t watch_decode(process_t *p, caploc_t loc, notification_t **out)
{
    cap_t c;
    cairn_error_t err = cspace_fetch(p, loc, "abandon", &c);
    if (err != ERR_OK)
        return err;
    if ((err = cap_check(&c)) != ERR_OK)
        return REFUSE(err, "the abandon notification is %s",
                      err == ERR_REVOKED ? "revoked" : "Null");
    if (c.type != CAP_NOTIFICATION)
        return REFUSE(ERR_WRONG_TYPE, "abandon names no Notification capability");
    *out = obj_ptr(c.obj);
    return ERR_OK;
}

void watch_arm(process_t *p, notification_t *n)
{
    plist_push_back(&n->watchers, p, PLINK_WATCH);
    p->ipc.u.op.watch = obj_ref_of(n);
    p->ipc.flags |= IPC_F_WATCHING;
}

void watch_disarm(process_t *p)
{
    if (!(p->ipc.flags & IPC_F_WATCHING))
        return;
    notification_t *n = obj_ptr(p->ipc.u.op.watch);
    plist_remove(&n->watchers, p, PLINK_WATCH);
    p->ipc.u.op.watch = OBJ_REF_NONE;
    p->ipc.flags &= (uint8_t)~IPC_F_WATCHING;
}

process_t *watch_first(const notification_t *n)
{
    return plist_head(&n->watchers);
}
