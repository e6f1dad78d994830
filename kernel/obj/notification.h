/*
 * Notification: one machine word of signal bits (docs/spec/ipc.md).
 *
 * Signalling ORs bits into `word` and never blocks; Notification.wait
 * takes and clears them, blocking until some are set; poll takes them
 * without blocking. Waiters queue in FIFO order through their Process
 * objects. A process may be bound to one notification (and a
 * notification to one process) so that its open receives on an endpoint
 * also end when the notification is signalled. A blocking IPC operation
 * may name a notification whose signal abandons it: such processes are
 * on the watch list.
 *
 * A capability's payload is its badge: 0 for the full capability (signal
 * the bits it is given, wait, poll, bind, unbind), else a signal-only
 * capability whose every signal ORs in exactly its badge, so that a
 * waiter can tell its signallers apart (made with make_signaller, never
 * with bits outside the badge of the capability it came from; mkimage's
 * signal(n, BITS)). READ_ONLY makes a capability wait-only: it cannot
 * signal or make signallers (mkimage's authority analysis relies on it).
 *
 * States: IDLE (no waiters), WAITING (queue non-empty). Invariants: the
 * queue is empty exactly when IDLE; while WAITING the word is 0 (a signal
 * goes straight to the first waiter). Only notify.c and abandon.c change
 * the fields, as noted on each.
 * Lifecycle: made by retype (word 0, IDLE, unbound); destroyed when its
 * Untyped is revoked, after the teardown hook has woken every waiter and
 * watcher with ERR_REVOKED and unbound the bound process.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "invoke.h"
#include "ipc/ipc_proc.h"
#include "obj/obj.h"

#define NOTIFICATION_SIZE_BITS 6u

typedef enum {
    NOTIFICATION_IDLE = 0,
    NOTIFICATION_WAITING,
} notification_state_t;

typedef struct notification {
    obj_header_t hdr;
    uint64_t  word;          /* pending signal bits; notify.c */
    plist_t   queue;         /* processes in wait, oldest first; notify.c */
    obj_ref_t bound;         /* process bound to it, or none; notify.c */
    uint32_t  state;         /* notification_state_t; notify.c */
    plist_t   watchers;      /* operations its signal abandons; abandon.c */
    uint64_t  reserved[3];
} notification_t;

static_assert(sizeof(notification_t) == 1u << NOTIFICATION_SIZE_BITS,
              "a Notification is 64 bytes");

/*
 * Teardown hook, with the same contract as the Endpoint's: release every
 * waiter and watcher and unbind the bound process, in bounded steps
 * (return false to be called again). Default: nothing waits; true.
 */
typedef bool notification_teardown_hook_t(notification_t *n);
void notification_set_teardown_hook(notification_teardown_hook_t *hook);

/* Run the teardown hook; true when the notification is ready to die. */
bool notification_teardown(notification_t *n);

/* Methods on Notification capabilities (methods.def rows for NOTIFICATION). */
cairn_error_t notification_dispatch(invocation_t *inv);
