/*
 * Notification: one machine word of signal bits.
 *
 * Signalling ORs bits into `word` and never blocks; a waiter takes and
 * clears them. Waiters queue through their Process objects (head/tail
 * here). A process may be bound to one notification so it can wait on an
 * endpoint and the notification at once. All of that is the IPC issue's:
 * this issue makes the object and its teardown; invoking a Notification
 * capability returns ERR_BAD_OPCODE until then.
 *
 * States: IDLE (no waiters), WAITING (queue non-empty). Invariant: the
 * queue is empty exactly when IDLE. Only the IPC layer changes them.
 * Lifecycle: made by retype (word 0, IDLE); destroyed when its Untyped is
 * revoked, after the teardown hook has released every waiter.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "invoke.h"
#include "obj/obj.h"

#define NOTIFICATION_SIZE_BITS 6u

typedef struct notification {
    obj_header_t hdr;
    uint64_t  word;          /* pending signal bits; IPC layer */
    obj_ref_t queue_head;    /* first waiting process; IPC layer */
    obj_ref_t queue_tail;    /* last waiting process; IPC layer */
    obj_ref_t bound;         /* process bound to it, or none; IPC layer */
    uint32_t  state;         /* IDLE 0 / WAITING 1; IPC layer */
    uint64_t  reserved[4];   /* for the IPC layer */
} notification_t;

static_assert(sizeof(notification_t) == 1u << NOTIFICATION_SIZE_BITS,
              "a Notification is 64 bytes");

/*
 * Teardown hook, with the same contract as the Endpoint's: release every
 * waiter and unbind the bound process, in bounded steps (return false to
 * be called again). Default: nothing waits yet; returns true.
 */
typedef bool notification_teardown_hook_t(notification_t *n);
void notification_set_teardown_hook(notification_teardown_hook_t *hook);

/* Run the teardown hook; true when the notification is ready to die. */
bool notification_teardown(notification_t *n);
