/*
 * How waits end early (docs/spec/ipc.md, "Abandoning" and "Stop and
 * teardown").
 *
 *   abandon    a timeout, an abandoning signal, or the destruction of the
 *              endpoint or notification waited on: the operation ends
 *              with that error; nothing else of it happens. A call's Reply
 *              capabilities go stale. A fault waiting for a keeper that
 *              is gone stops the process FAULTED instead.
 *   stop       Process.stop of a waiting process: a wait that has not
 *              delivered anything yet (sending, receiving, Notification
 *              .wait) is rewound, so that the same system call runs again
 *              when the process is started (a reply already given by a
 *              reply-and-receive is not repeated); a call whose message
 *              was delivered ends with ERR_INTERRUPTED; a fault is
 *              retried (the faulting instruction runs again).
 *   teardown   destruction of a waiting process: off every queue and
 *              list, unbound; its Reply capabilities report ERR_REVOKED.
 */
#pragma once

#include <stdbool.h>

#include "abi/abi.h"
#include "obj/endpoint.h"
#include "obj/notification.h"
#include "obj/process.h"

/* Processes woken per call of a teardown hook (then it returns false). */
#define IPC_TEARDOWN_BUDGET 16u

/* End p's wait with err and make it ready. Pre: p waits in IPC. */
void ipc_abandon(process_t *p, cairn_error_t err);

/* The process hooks' IPC part (sched.c calls them). */
void ipc_process_stopped(process_t *p);
void ipc_process_teardown(process_t *p);

/* Teardown hooks for endpoints and notifications (installed by ipc_init). */
bool ipc_endpoint_teardown(endpoint_t *ep);
bool ipc_notification_teardown(notification_t *n);
