/*
 * Notifications at work (see notify.h). A notification's word, queue,
 * state and bound, and a process's ipc.bound, change only here.
 */
#include "ipc/notify.h"

#include "ipc/cancel.h"
#include "ipc/ipc.h"
#include "ipc/plist.h"
#include "ipc/transfer.h"
#include "ipc/watch.h"
#include "sched/sched.h"

uint64_t notify_take(notification_t *n)
{
    uint64_t bits = n->word;
    n->word = 0;
    return bits;
}

/* Abandon every operation watching n. */
static void fire_watchers(notification_t *n)
{
    for (process_t *w = watch_first(n); w; w = watch_first(n))
        ipc_abandon(w, ERR_ABANDONED);
}

static process_t *bound_receiver(const notification_t *n)
{
    if (n->bound == OBJ_REF_NONE)
        return NULL;
    process_t *p = obj_ptr(n->bound);
    return p->ipc.wait == IPC_RECEIVING ? p : NULL;
}

void notify_signal(notification_t *n, uint64_t bits)
{
    if (bits == 0)
        return;
    n->word |= bits;
    fire_watchers(n);
    process_t *p = plist_head(&n->queue);
    if (p) {
        ipc_wait_end(p);
        transfer_word(p, notify_take(n));
        sched_ready(p);
        return;
    }
    if ((p = bound_receiver(n)) != NULL) {
        ipc_wait_end(p);
        transfer_bits(p, notify_take(n));
        sched_ready(p);
    }
}

void notify_block(notification_t *n, process_t *p)
{
    plist_push_back(&n->queue, p, PLINK_QUEUE);
    n->state = NOTIFICATION_WAITING;
    p->wait_obj = obj_ref_of(n);
    p->ipc.wait = IPC_NOTIFY_WAIT;
    p->ipc.flags = 0;
}

void notify_unqueue(process_t *p)
{
    notification_t *n = obj_ptr(p->wait_obj);
    plist_remove(&n->queue, p, PLINK_QUEUE);
    if (plist_empty(&n->queue))
        n->state = NOTIFICATION_IDLE;
    p->wait_obj = OBJ_REF_NONE;
}

bool notify_bound_take(process_t *p, uint64_t *bits)
{
    if (p->ipc.bound == OBJ_REF_NONE)
        return false;
    notification_t *n = obj_ptr(p->ipc.bound);
    if (n->word == 0)
        return false;
    *bits = notify_take(n);
    return true;
}

void notify_bind(notification_t *n, process_t *p)
{
    n->bound = obj_ref_of(p);
    p->ipc.bound = obj_ref_of(n);
}

void notify_unbind(notification_t *n)
{
    if (n->bound == OBJ_REF_NONE)
        return;
    process_t *p = obj_ptr(n->bound);
    p->ipc.bound = OBJ_REF_NONE;
    n->bound = OBJ_REF_NONE;
}
