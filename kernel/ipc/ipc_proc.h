/*
 * The IPC layer's and the scheduler's per-process state: the part of a
 * Process object (process_t.ipc) that says what the process is waiting
 * for and on which lists it is threaded. Nothing here is ever allocated:
 * every queue and list is linked through the Process objects.
 *
 * Wait states (ipc_wait_t), with the lists a process is on in each:
 *
 *   IDLE         not waiting in IPC (running, ready, stopped or faulted
 *                without a keeper). On no IPC list.
 *   SENDING      its send phase waits for a receiver: on wait_obj's
 *                (an Endpoint's) queue through process_t.queue.
 *                Its message is still in its own registers and IPC
 *                buffer (or, for a fault, in its fault record).
 *   RECEIVING    an open receive: on wait_obj's (an Endpoint's) queue.
 *   REPLY_WAIT   its call was delivered; waits for the reply to call
 *                generation call_gen (reply.h). On no queue: the
 *                reply capability names it directly.
 *   NOTIFY_WAIT  in Notification.wait: on wait_obj's (a Notification's)
 *                waiter queue.
 *
 * Orthogonal to the wait state: IPC_F_TIMED (on the timeout list,
 * timeout.c) and IPC_F_WATCHING (on the watch list of the notification
 * whose signal abandons the operation, abandon.c). Faults are never timed
 * or watched, which is why their record can share that storage.
 *
 * Invariants:
 *   - a process waits in IPC (wait != IDLE) only while RUNNING, and is
 *     then on no ready queue and not current;
 *   - process_t.queue threads at most one list at a time: a ready
 *     queue (ready == 1) or the queue of wait_obj (SENDING, RECEIVING,
 *     NOTIFY_WAIT);
 *   - IPC_F_TIMED and IPC_F_WATCHING are set only while wait != IDLE.
 */
#pragma once

#include <stdint.h>

#include "obj/obj.h"

typedef enum {
    IPC_IDLE = 0,
    IPC_SENDING,
    IPC_RECEIVING,
    IPC_REPLY_WAIT,
    IPC_NOTIFY_WAIT,
} ipc_wait_t;

enum {
    IPC_F_CALL     = 0x01,   /* the send phase is a call: a reply is awaited */
    IPC_F_FAULT    = 0x02,   /* ... made by the kernel for a fault */
    IPC_F_TIMED    = 0x04,   /* on the timeout list */
    IPC_F_WATCHING = 0x08,   /* on the watch list of `watch` */
};

/* Two links of an intrusive doubly linked list of processes. */
typedef struct plink {
    obj_ref_t next, prev;
} plink_t;

/* A list of processes (operations in kernel/ipc/plist.h). */
typedef struct plist {
    obj_ref_t head, tail;
} plist_t;

typedef struct ipc_proc {
    uint8_t   wait;          /* ipc_wait_t; the IPC layer */
    uint8_t   flags;         /* IPC_F_*; the IPC layer */
    uint8_t   fault_access;  /* ARCH_ACCESS_* of a pending fault; fault.c */
    uint8_t   ready_prio;    /* the ready queue it is on; sched.c */
    uint8_t   ready;         /* 1 while on a ready queue; sched.c */
    uint8_t   reserved;
    uint16_t  call_gen_hi;   /* bits 32-47 of the call generation (bits
                                0-31 are process_t.reply_gen); reply.c */
    obj_ref_t bound;         /* its bound Notification, or none; notify.c */
    uint32_t  reserved2;
    union {
        /* Both start with the payload (a common initial sequence):
         * SENDING: the protected payload of the Entry it invoked, or of
         * its keeper's Entry for a fault; ipc.c. */
        struct {             /* a blocking IPC operation */
            uint32_t  payload;
            obj_ref_t watch;     /* IPC_F_WATCHING: the Notification */
            uint64_t  deadline;  /* IPC_F_TIMED: abandon at this tick */
            plink_t   timeouts;  /* IPC_F_TIMED: the timeout list */
            plink_t   watchers;  /* IPC_F_WATCHING: its watch list */
        } op;
        struct {             /* a fault on its way to a keeper */
            uint32_t  payload;
            uint32_t  pad;
            uint64_t  addr;      /* the address as the keeper sees it */
        } fault;
    } u;
} ipc_proc_t;

static_assert(sizeof(ipc_proc_t) == 48, "the IPC state is 48 bytes");
