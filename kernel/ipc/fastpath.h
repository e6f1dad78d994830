/*
 * The IPC fast path (docs/spec/ipc.md, "Fast path").
 *
 * Two operations make up almost every round trip between a client and a
 * server: a call that finds its server waiting, and the server's
 * reply-and-receive that answers a waiting caller and finds nobody else
 * queued. When the message fits the registers (at most four words, no
 * capabilities, no receive slots) and no timeout or abandoning
 * notification is involved, the whole operation is a copy between two
 * saved register files, a few list updates and a direct switch to the
 * partner. kernel_syscall offers every system call to ipc_fastpath first.
 *
 * Decode, then invoke: a check (fastpath_check_*) looks at everything
 * and changes nothing, and returns a verdict; only FASTPATH_TAKEN lets
 * the operation run, which cannot fail and ends in arch_user_resume.
 * Any other verdict returns to the slow path (kernel/ipc/ipc.c), which
 * stays the reference: for every operation the fast path takes, the
 * state it leaves (registers, queues, wait states, call generations,
 * Reply capabilities, the scheduler's choice and slice) is exactly the
 * state the slow path would have left. Booting with `nofastpath` on the
 * command line turns it off, so a test can run the same scenarios both
 * ways and compare.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/ipc.h"
#include "arch.h"
#include "obj/endpoint.h"
#include "obj/process.h"

/* What a check found: TAKEN, or the first condition that sent the
 * operation to the slow path. */
typedef enum {
    FASTPATH_TAKEN = 0,
    FASTPATH_OFF,             /* booted with nofastpath */
    FASTPATH_SHAPE,           /* not exactly call or reply-and-receive with
                                 at most 4 words, no capabilities, no
                                 receive slots, no other flag */
    FASTPATH_TARGET,          /* TARGET is not a capability register */
    FASTPATH_CAP,             /* the Entry, Endpoint or Reply capability is
                                 missing, of another type, revoked, stale
                                 or no_call: the slow path has the error */
    FASTPATH_EXHAUSTED,       /* call: no call generation left */
    FASTPATH_NO_RECEIVER,     /* call: no receiver waits on the endpoint */
    FASTPATH_SENDER_WAITING,  /* reply-and-receive: a sender is queued, so
                                 the receive would not wait */
    FASTPATH_NOTIFIED,        /* reply-and-receive: the bound notification
                                 holds bits, so the receive would not wait */
    FASTPATH_PARTNER_LIMITS,  /* the partner's wait has a timeout or an
                                 abandoning notification, or is a fault's */
    FASTPATH_PRIORITY,        /* something of higher priority than the
                                 partner is ready: it, not the partner,
                                 would run next */
    FASTPATH_UNCACHED,        /* the partner's address space is not in the
                                 hardware-map cache (evicted): the slow
                                 path's switch rebuilds it */
    FASTPATH_METHOD,          /* a kernel method other than a Notification's
                                 poll or signal (or without its word) */
    FASTPATH_WATCHED,         /* a signal that abandons operations watching
                                 the notification, or wakes a process whose
                                 wait has a timeout or watch */
    FASTPATH_VERDICTS
} fastpath_verdict_t;

/* A checked call: p's message goes to `partner`, the oldest receiver on
 * `ep`, with the Entry's payload. */
typedef struct fastpath_call {
    endpoint_t *ep;
    process_t  *partner;
    uint32_t    payload;
} fastpath_call_t;

/* A checked reply-and-receive: p answers `partner` and then waits on
 * `ep` (reference ep_ref). */
typedef struct fastpath_reply {
    process_t  *partner;
    endpoint_t *ep;
    obj_ref_t   ep_ref;
} fastpath_reply_t;

/*
 * Read the command line once at boot: `nofastpath` (a whole word) turns
 * the fast path off. Without a call it is on.
 */
void ipc_fastpath_configure(const char *cmdline);

/* Turn it on or off (host tests); is it on? */
void ipc_fastpath_set(bool on);
bool ipc_fastpath_on(void);

/* The receive-slot count of a control word. */
#define FASTPATH_RECV_SLOTS ((uint64_t)CAIRN_INFO_COUNT_MASK << CAIRN_INFO_RECV_SHIFT)

/*
 * The two operations: p (the current process) makes the system call
 * with control word info, which has the operation's shape: exactly its
 * flags, at most CAIRN_REG_WORDS words, no capabilities, and no receive
 * slots (the _slots variants: some, which must all be registers). Each
 * returns
 * only if it does not apply, having changed nothing; if it does, the
 * partner runs.
 */
void fastpath_call(process_t *p, uint64_t info);
void fastpath_reply_recv(process_t *p, uint64_t info);
void fastpath_call_slots(process_t *p, uint64_t info);
void fastpath_reply_recv_slots(process_t *p, uint64_t info);

/* The same for a kernel method invoked with flags 0 and at most
 * CAIRN_REG_WORDS words: the fast path does Notification.poll and
 * Notification.signal (docs/spec/ipc.md, "Fast path"). */
void fastpath_method(process_t *p, uint64_t info);

/*
 * The shapes of the two operations' control words (less the word count,
 * which must be at most CAIRN_REG_WORDS), or a value no control word
 * has while the fast path is off. fastpath.c alone writes them; they are
 * here so that the dispatch below is inline in the system-call entry.
 */
extern uint64_t fastpath_call_shape, fastpath_reply_recv_shape, fastpath_method_shape;

/*
 * Offer the system call the current process p is making to the fast
 * path. If it takes it, this does not return: the partner runs.
 * Otherwise nothing has changed and the caller goes on with the slow
 * path.
 */
static inline void ipc_fastpath(process_t *p)
{
    uint64_t info = arch_syscall_get(p->arch_regs, ARCH_SYS_INFO);
    /*
     * A control word with bit 63 set is malformed (reserved bits): the
     * slow path refuses it. Every word the shapes match while the fast
     * path is off has that bit (NEVER_SHAPE), so this also keeps the
     * reference mode exactly the slow path.
     */
    if ((int64_t)info < 0)
        return;
    if ((info ^ fastpath_call_shape) <= CAIRN_REG_WORDS)
        fastpath_call(p, info);
    else if ((info ^ fastpath_reply_recv_shape) <= CAIRN_REG_WORDS)
        fastpath_reply_recv(p, info);
    else if ((info ^ fastpath_method_shape) <= CAIRN_REG_WORDS)
        fastpath_method(p, info);
    else if (((info ^ fastpath_call_shape) & ~FASTPATH_RECV_SLOTS) <= CAIRN_REG_WORDS)
        fastpath_call_slots(p, info);
    else if (((info ^ fastpath_reply_recv_shape) & ~FASTPATH_RECV_SLOTS) <=
             CAIRN_REG_WORDS)
        fastpath_reply_recv_slots(p, info);
}

/*
 * The checks, without side effects (p is the current process). On
 * FASTPATH_TAKEN *op says what to do; otherwise *op is unspecified.
 */
fastpath_verdict_t fastpath_check_call(process_t *p, uint64_t info,
                                       fastpath_call_t *op);
fastpath_verdict_t fastpath_check_reply_recv(process_t *p, uint64_t info,
                                             fastpath_reply_t *op);

/* Print how often it was taken and left to the slow path (the system
 * has finished; run-images.sh reads the line). */
void ipc_fastpath_report(void);

/* How often each verdict was reached since boot (or the last reset). */
uint64_t fastpath_count(fastpath_verdict_t v);
void fastpath_reset_counts(void);
