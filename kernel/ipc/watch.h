/*
 * Watches: blocking operations that a notification's signal abandons
 * (CAIRN_IPC_ABANDON; docs/spec/ipc.md, "Abandoning").
 *
 * An operation names a Notification in its IPC buffer (`abandon`). If
 * that notification already holds bits, the operation is refused with
 * ERR_ABANDONED before anything happens; otherwise, while the operation
 * waits, the process is on the notification's watch list, and any signal
 * that sets at least one bit ends it with ERR_ABANDONED. Watching takes
 * no bits: whoever waits on or polls the notification still gets them.
 * The list is threaded through the Process objects (ipc.u.op.watchers).
 */
#pragma once

#include "obj/notification.h"
#include "obj/process.h"

/* The notification at caploc `loc` of p, to watch. Errors: caploc errors,
 * INVALID_CAP (Null), REVOKED, WRONG_TYPE (not a Notification). */
cairn_error_t watch_decode(process_t *p, caploc_t loc, notification_t **out);

/* Put p on n's watch list. Pre: p waits in IPC and watches nothing. */
void watch_arm(process_t *p, notification_t *n);

/* Take p off its watch list if it is on one. */
void watch_disarm(process_t *p);

/* The oldest watcher of n, or NULL. */
process_t *watch_first(const notification_t *n);
