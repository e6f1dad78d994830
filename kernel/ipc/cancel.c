/*
 * Ending waits early (see cancel.h). Each function leaves every queue,
 * list and Reply capability consistent before it returns; the teardown
 * hooks do at most IPC_TEARDOWN_BUDGET wake-ups per call.
 */
#include "ipc/cancel.h"

#include "abi/ipc.h"
#include "arch.h"
#include "ipc/fault.h"
#include "ipc/ipc.h"
#include "ipc/notify.h"
#include "ipc/plist.h"
#include "ipc/transfer.h"
#include "ipc/watch.h"
#include "sched/sched.h"

void ipc_abandon(process_t *p, cairn_error_t err)
{
    bool fault = (p->ipc.flags & IPC_F_FAULT) != 0;
    ipc_wait_end(p);
    if (fault) {
        fault_stop(p, cairn_error_name(err));
        return;
    }
    transfer_result(p, err);
    sched_ready(p);
}

/* Rewind p's system call so that it runs again; a receive keeps only its
 * receive phase (a reply it gave must not be given twice). */
static void rewind_call(process_t *p, ipc_wait_t was)
{
    uint64_t *ctx = p->arch_regs;
    if (was == IPC_RECEIVING) {
        uint64_t info = arch_syscall_get(ctx, ARCH_SYS_INFO);
        arch_syscall_set(ctx, ARCH_SYS_INFO, info & ~(uint64_t)CAIRN_IPC_REPLY);
    }
    arch_syscall_restart(ctx);
}

void ipc_process_stopped(process_t *p)
{
    ipc_wait_t was = (ipc_wait_t)p->ipc.wait;
    uint8_t flags = p->ipc.flags;
    if (was == IPC_IDLE)
        return;
    ipc_wait_end(p);
    if (flags & IPC_F_FAULT)
        return;                           /* start retries the instruction */
    if (was == IPC_REPLY_WAIT)
        transfer_result(p, ERR_INTERRUPTED);
    else
        rewind_call(p, was);
}

void ipc_process_teardown(process_t *p)
{
    if (p->ipc.wait != IPC_IDLE)
        ipc_wait_end(p);
    if (p->ipc.bound != OBJ_REF_NONE)
        notify_unbind(obj_ptr(p->ipc.bound));
}

bool ipc_endpoint_teardown(endpoint_t *ep)
{
    for (unsigned n = 0; n < IPC_TEARDOWN_BUDGET; n++) {
        process_t *p = plist_head(&ep->queue);
        if (!p)
            return true;
        ipc_abandon(p, ERR_REVOKED);
    }
    return plist_empty(&ep->queue);
}

/* The next process a dying notification must release, or NULL. */
static process_t *next_to_release(notification_t *n)
{
    process_t *p = plist_head(&n->queue);
    return p ? p : watch_first(n);
}

bool ipc_notification_teardown(notification_t *n)
{
    for (unsigned k = 0; k < IPC_TEARDOWN_BUDGET; k++) {
        process_t *p = next_to_release(n);
        if (!p) {
            notify_unbind(n);
            return true;
        }
        ipc_abandon(p, ERR_REVOKED);
    }
    if (next_to_release(n))
        return false;
    notify_unbind(n);
    return true;
}
