/*
 * Endpoint: a rendezvous point for synchronous IPC (docs/spec/ipc.md).
 *
 * Its owner holds Endpoint capabilities: receive on it, make Entry
 * capabilities. Clients hold Entry capabilities, each carrying a
 * protected payload the receiver sees. Processes waiting on it queue in
 * FIFO order through their Process objects (no allocation): the queue
 * here, the links in process_t.queue, wait_obj naming the endpoint.
 *
 * States: IDLE (no one waits), SENDERS (the queue holds senders: their
 * wait state is SENDING), RECEIVERS (it holds receivers: RECEIVING).
 * Invariant: the queue is empty exactly when the state is IDLE, and never
 * mixes senders and receivers (a sender arriving while receivers wait is
 * matched at once, and the other way round). Only the IPC layer changes
 * the state and the queue, through the functions below.
 * Lifecycle: made by retype (IDLE); destroyed when its Untyped is
 * revoked: the teardown hook first wakes every queued process with
 * ERR_REVOKED, a bounded number per call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "invoke.h"
#include "ipc/ipc_proc.h"
#include "ipc/plist.h"
#include "obj/obj.h"
#include "obj/process.h"
#include "panic.h"

#define ENDPOINT_SIZE_BITS 6u

typedef enum {
    ENDPOINT_IDLE = 0,
    ENDPOINT_SENDERS,
    ENDPOINT_RECEIVERS,
} endpoint_state_t;

typedef struct endpoint {
    obj_header_t hdr;
    uint32_t  state;          /* endpoint_state_t; the IPC layer */
    uint32_t  reserved0;
    plist_t   queue;          /* waiting processes, oldest first; the IPC layer */
    uint64_t  reserved[5];
} endpoint_t;

static_assert(sizeof(endpoint_t) == 1u << ENDPOINT_SIZE_BITS, "an Endpoint is 64 bytes");

/* Append p (not on any queue) as a sender or receiver. Pre: the state is
 * IDLE or already `as`. Sets p's wait_obj. */
void endpoint_enqueue(endpoint_t *ep, process_t *p, endpoint_state_t as);

/* The same, for a caller that holds ep's reference already (ref). */
static inline void endpoint_enqueue_ref(endpoint_t *ep, obj_ref_t ref, process_t *p,
                                        endpoint_state_t as)
{
    ASSERT(ep->state == ENDPOINT_IDLE || ep->state == as);
    ASSERT(ref == obj_ref_of(ep));
    plist_push_back(&ep->queue, p, PLINK_QUEUE);
    ep->state = as;
    p->wait_obj = ref;
}

/* The oldest waiting process if the endpoint holds `as`, else NULL. */
static inline process_t *endpoint_first(const endpoint_t *ep, endpoint_state_t as)
{
    return ep->state == as ? plist_head(&ep->queue) : NULL;
}

/* Take p (queued here) off the queue; IDLE when it empties. */
static inline void endpoint_dequeue(endpoint_t *ep, process_t *p)
{
    ASSERT(p->wait_obj == obj_ref_of(ep));
    plist_remove(&ep->queue, p, PLINK_QUEUE);
    p->wait_obj = OBJ_REF_NONE;
    if (plist_empty(&ep->queue))
        ep->state = ENDPOINT_IDLE;
}

/*
 * Teardown hook, run when the endpoint is destroyed. The IPC layer
 * installs one that wakes every queued process with ERR_REVOKED. It may
 * do a bounded amount of work and return false to be called again; it
 * must leave the endpoint consistent each time. Default: nothing queued
 * is expected; returns true.
 */
typedef bool endpoint_teardown_hook_t(endpoint_t *ep);
void endpoint_set_teardown_hook(endpoint_teardown_hook_t *hook);

/* Run the teardown hook; true when the endpoint is ready to die. */
bool endpoint_teardown(endpoint_t *ep);

/* Methods on Endpoint capabilities (methods.def rows for ENDPOINT). */
cairn_error_t endpoint_dispatch(invocation_t *inv);
