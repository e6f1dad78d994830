/*
 * Endpoint: a rendezvous point for synchronous IPC.
 *
 * Its owner holds Endpoint capabilities (make Entry capabilities, and,
 * with the IPC issue, receive); clients hold Entry capabilities, each
 * carrying a protected payload the receiver sees. The queue of waiting
 * processes is linked through the Process objects themselves (no
 * allocation): head and tail here, links in process_t.
 *
 * States (IPC issue): IDLE (no one waits), SENDERS (the queue holds
 * senders), RECEIVERS (the queue holds receivers). Invariant: the queue is
 * empty exactly when the state is IDLE. Only the IPC layer changes the
 * state and the queue.
 * Lifecycle: made by retype (IDLE); destroyed when its Untyped is revoked:
 * the teardown hook must first release every queued process.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "invoke.h"
#include "obj/obj.h"

#define ENDPOINT_SIZE_BITS 6u

typedef enum {
    ENDPOINT_IDLE = 0,
    ENDPOINT_SENDERS,
    ENDPOINT_RECEIVERS,
} endpoint_state_t;

typedef struct endpoint {
    obj_header_t hdr;
    uint32_t  state;          /* endpoint_state_t; IPC layer */
    uint32_t  reserved0;
    obj_ref_t queue_head;     /* first waiting process; IPC layer */
    obj_ref_t queue_tail;     /* last waiting process; IPC layer */
    uint64_t  reserved[5];    /* for the IPC layer */
} endpoint_t;

static_assert(sizeof(endpoint_t) == 1u << ENDPOINT_SIZE_BITS, "an Endpoint is 64 bytes");

/*
 * Teardown hook, run when the endpoint is destroyed. The IPC layer
 * installs one that wakes every queued process with ERR_REVOKED. It may
 * do a bounded amount of work and return false to be called again; it
 * must leave the endpoint consistent each time. Default: the queue is
 * empty (no IPC yet), so there is nothing to release; returns true.
 */
typedef bool endpoint_teardown_hook_t(endpoint_t *ep);
void endpoint_set_teardown_hook(endpoint_teardown_hook_t *hook);

/* Run the teardown hook; true when the endpoint is ready to die. */
bool endpoint_teardown(endpoint_t *ep);

/* Methods on Endpoint capabilities (methods.def rows for ENDPOINT). */
cairn_error_t endpoint_dispatch(invocation_t *inv);
