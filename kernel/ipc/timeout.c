/*
 * The timeout list (see timeout.h). State: the list and the clock, both
 * changed only here.
 */
#include "ipc/timeout.h"

#include "ipc/cancel.h"
#include "ipc/plist.h"

static plist_t timeouts;
static uint64_t clock_now;

void timeout_reset(void)
{
    timeouts = (plist_t){ OBJ_REF_NONE, OBJ_REF_NONE };
    clock_now = 0;
}

uint64_t timeout_clock(void)
{
    return clock_now;
}

static process_t *prev_of(process_t *p)
{
    return plist_proc(plist_link(p, PLINK_TIMEOUT)->prev);
}

void timeout_arm(process_t *p, uint64_t ticks)
{
    uint64_t deadline = clock_now + ticks;
    if (deadline < clock_now)
        deadline = UINT64_MAX;            /* saturate: never in practice */
    p->ipc.u.op.deadline = deadline;
    process_t *before = plist_proc(timeouts.tail);
    while (before && before->ipc.u.op.deadline > deadline)
        before = prev_of(before);
    process_t *after = before ? plist_next(before, PLINK_TIMEOUT) : plist_head(&timeouts);
    plist_insert_before(&timeouts, p, after, PLINK_TIMEOUT);
    p->ipc.flags |= IPC_F_TIMED;
}

void timeout_disarm(process_t *p)
{
    if (!(p->ipc.flags & IPC_F_TIMED))
        return;
    plist_remove(&timeouts, p, PLINK_TIMEOUT);
    p->ipc.flags &= (uint8_t)~IPC_F_TIMED;
}

bool timeout_pending(void)
{
    return !plist_empty(&timeouts);
}

void ipc_timer_tick(uint64_t now)
{
    clock_now = now;
    for (process_t *p = plist_head(&timeouts);
         p && p->ipc.u.op.deadline <= now; p = plist_head(&timeouts))
        ipc_abandon(p, ERR_TIMEOUT);
}
