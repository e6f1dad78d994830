/*
 * The send/receive/call/reply state machine (see ipc.h; the diagram is in
 * docs/spec/ipc.md).
 *
 * A process's part: ipc.wait moves IDLE -> SENDING -> (a call)
 * REPLY_WAIT -> IDLE, IDLE -> REPLY_WAIT -> IDLE (a call that finds its
 * receiver), or IDLE -> RECEIVING -> IDLE; ipc_wait_end is the only way
 * back to IDLE. An endpoint's part: its queue holds only senders or only
 * receivers (endpoint.h), oldest first, served in that order.
 */
#include "ipc/ipc.h"

#include "abi/ipc.h"
#include "arch.h"
#include "cap/cspace.h"
#include "ipc/cancel.h"
#include "ipc/notify.h"
#include "ipc/reply.h"
#include "ipc/timeout.h"
#include "ipc/transfer.h"
#include "ipc/watch.h"
#include "sched/sched.h"

/* An operation, decoded. */
typedef struct ipc_op {
    uint64_t        info;      /* the control word */
    uint32_t        flags;     /* CAIRN_IPC_*; CALL brings SEND and RECEIVE */
    endpoint_t     *send_ep;   /* SEND: the Entry's endpoint ... */
    uint32_t        payload;   /* ... and its protected payload */
    endpoint_t     *recv_ep;   /* RECEIVE (open): the Endpoint */
    process_t      *caller;    /* REPLY: the caller answered */
    notification_t *watch;     /* ABANDON: the notification */
    uint64_t        ticks;     /* TIMEOUT: ticks */
} ipc_op_t;

enum {
    SEND = CAIRN_IPC_SEND, RECEIVE = CAIRN_IPC_RECEIVE, CALL = CAIRN_IPC_CALL,
    NONBLOCK = CAIRN_IPC_NONBLOCK, REPLY = CAIRN_IPC_REPLY,
    TIMEOUT = CAIRN_IPC_TIMEOUT, ABANDON = CAIRN_IPC_ABANDON,
};

static uint32_t op_flags(uint64_t info)
{
    uint32_t f = (uint32_t)(info & CAIRN_IPC_FLAGS_MASK);
    return f & CALL ? f | SEND | RECEIVE : f;
}

bool ipc_takes(process_t *p, uint64_t info)
{
    uint32_t f = (uint32_t)(info & CAIRN_IPC_FLAGS_MASK);
    if (f & REPLY)
        return true;
    if ((f & (SEND | RECEIVE)) && !(f & CALL))
        return true;
    /* Flags 0 or a call: it depends on the target. A register is peeked
     * at directly; a bad location is left for kernel_invoke to refuse. */
    caploc_t loc = arch_syscall_get(p->arch_regs, ARCH_SYS_TARGET);
    cap_t c;
    if (!CAPLOC_IS_MEM(loc))
        c = (loc >> 1) < CAIRN_CAP_REGS ? p->cap_regs[loc >> 1] : cap_null();
    else if (cspace_fetch(p, loc, "target", &c) != ERR_OK)
        return false;
    return c.type == CAP_ENTRY || c.type == CAP_REPLY;
}

/* ---- Decode: every check, no side effects ------------------------------------ */

static cairn_error_t decode_flags(uint32_t f)
{
    if ((f & REPLY) && (f & SEND))
        return REFUSE(ERR_INVALID_ARGUMENT, "REPLY combines with RECEIVE only");
    if (!(f & (SEND | RECEIVE | REPLY)))
        return REFUSE(ERR_INVALID_ARGUMENT, "no phase: an Entry takes SEND or CALL");
    if ((f & SEND) && (f & RECEIVE) && !(f & CALL))
        return REFUSE(ERR_INVALID_ARGUMENT, "SEND with RECEIVE is a call: set CALL");
    if ((f & (TIMEOUT | ABANDON)) && !(f & (SEND | RECEIVE)))
        return REFUSE(ERR_INVALID_ARGUMENT, "TIMEOUT and ABANDON need a phase that waits");
    return ERR_OK;
}

static cairn_error_t fetch_target(process_t *p, cap_type_t want, cap_t *c)
{
    cairn_error_t err = cspace_fetch(p, arch_syscall_get(p->arch_regs, ARCH_SYS_TARGET),
                                     "target", c);
    if (err != ERR_OK)
        return err;
    if ((err = cap_check(c)) == ERR_INVALID_CAP)
        return REFUSE(err, "the target capability is Null");
    if (err == ERR_REVOKED)
        return REFUSE(err, "the target capability was revoked");
    if (c->type != want)
        return REFUSE(ERR_WRONG_TYPE, want == CAP_ENTRY
                      ? "SEND and CALL go to an Entry capability"
                      : "an open RECEIVE needs an Endpoint capability");
    return ERR_OK;
}

static cairn_error_t decode_reply(process_t *p, ipc_op_t *op)
{
    cairn_error_t err = reply_resolve(&p->cap_regs[CAIRN_REPLY_REG], &op->caller);
    return err == ERR_OK ? transfer_check_send(p, op->info) : err;
}

static cairn_error_t decode_send(process_t *p, ipc_op_t *op)
{
    cap_t c;
    cairn_error_t err = fetch_target(p, CAP_ENTRY, &c);
    if (err == ERR_OK)
        err = transfer_check_send(p, op->info);
    if (err != ERR_OK)
        return err;
    op->send_ep = obj_ptr(c.obj);
    op->payload = c.payload;
    if (!(op->flags & CALL))
        return ERR_OK;
    if (c.restr & RESTR_NO_CALL)
        return REFUSE(ERR_NO_RIGHTS, "the Entry is send-only (no_call): nothing may "
                      "come back through it");
    if (!call_gen_available(p))
        return REFUSE(ERR_EXHAUSTED, "the process has used up its call generations");
    return transfer_check_recv(p, op->info);
}

static cairn_error_t decode_receive(process_t *p, ipc_op_t *op)
{
    cap_t c;
    cairn_error_t err = fetch_target(p, CAP_ENDPOINT, &c);
    if (err != ERR_OK)
        return err;
    op->recv_ep = obj_ptr(c.obj);
    return transfer_check_recv(p, op->info);
}

static cairn_error_t decode_limits(process_t *p, ipc_op_t *op)
{
    if (!(op->flags & (TIMEOUT | ABANDON)))
        return ERR_OK;
    const cairn_ipc_buffer_t *buf = ipc_buffer_of(p);
    if (!buf)
        return REFUSE(ERR_INVALID_ARGUMENT, "TIMEOUT and ABANDON read the IPC buffer "
                      "and the process has no writable one");
    if (op->flags & TIMEOUT) {
        op->ticks = buf->timeout_ticks;
        if (op->ticks == 0)
            return REFUSE(ERR_OUT_OF_RANGE, "a timeout is at least one tick");
    }
    if (op->flags & ABANDON) {
        cairn_error_t err = watch_decode(p, buf->abandon, &op->watch);
        if (err != ERR_OK)
            return err;
    }
    return ERR_OK;
}

static cairn_error_t ipc_decode(process_t *p, ipc_op_t *op)
{
    op->flags = op_flags(op->info);
    cairn_error_t err = decode_flags(op->flags);
    if (err == ERR_OK && (op->flags & REPLY))
        err = decode_reply(p, op);
    if (err == ERR_OK && (op->flags & SEND))
        err = decode_send(p, op);
    if (err == ERR_OK && (op->flags & RECEIVE) && !(op->flags & CALL))
        err = decode_receive(p, op);
    if (err == ERR_OK)
        err = decode_limits(p, op);
    if (err == ERR_OK && op->watch && op->watch->word != 0)
        err = ERR_ABANDONED;    /* signalled before it began: nothing happens */
    return err;
}

/* ---- Waiting ------------------------------------------------------------------- */

/* p starts waiting in `wait`, with op's timeout and watch (if any). */
static void wait_begin(process_t *p, ipc_wait_t wait, uint8_t flags, const ipc_op_t *op)
{
    p->ipc.wait = (uint8_t)wait;
    p->ipc.flags = flags;
    if (op && (op->flags & TIMEOUT))
        timeout_arm(p, op->ticks);
    if (op && (op->flags & ABANDON))
        watch_arm(p, op->watch);
}

void ipc_wait_end(process_t *p)
{
    switch (p->ipc.wait) {
    case IPC_SENDING:
    case IPC_RECEIVING:
        endpoint_dequeue(obj_ptr(p->wait_obj), p);
        break;
    case IPC_NOTIFY_WAIT:
        notify_unqueue(p);
        break;
    default:
        break;
    }
    timeout_disarm(p);
    watch_disarm(p);
    if (p->ipc.flags & IPC_F_CALL)
        call_gen_bump(p);
    p->ipc.wait = IPC_IDLE;
    p->ipc.flags = 0;
}

static void wake(process_t *p, bool front)
{
    if (front)
        sched_ready_front(p);
    else
        sched_ready(p);
}

/* ---- Matching ------------------------------------------------------------------- */

/* Receiver r gets sender s's message; a call also gives it a Reply
 * capability to s. */
static void hand_over(process_t *s, process_t *r, uint32_t payload, uint8_t sflags)
{
    if (sflags & IPC_F_FAULT)
        transfer_fault(s, r, payload);
    else
        transfer_message(s, r, sflags & IPC_F_CALL ? CAIRN_RESULT_RECV_CALL : 0, payload);
    if (sflags & IPC_F_CALL)
        r->cap_regs[CAIRN_REPLY_REG] = reply_make(s);
}

/* The send phase of s (the current process): to the oldest receiver, or
 * into the queue. A call goes on to wait for its reply. */
static void send_to(process_t *s, endpoint_t *ep, uint32_t payload, uint8_t sflags,
                    const ipc_op_t *op)
{
    process_t *r = endpoint_first(ep, ENDPOINT_RECEIVERS);
    if (r) {
        ipc_wait_end(r);
        hand_over(s, r, payload, sflags);
        if (sflags & IPC_F_CALL) {
            wait_begin(s, IPC_REPLY_WAIT, sflags, op);
            wake(r, true);
        } else {
            transfer_result(s, ERR_OK);
            wake(r, false);
        }
        return;
    }
    if (op && (op->flags & NONBLOCK)) {
        transfer_result(s, ERR_WOULD_BLOCK);
        return;
    }
    s->ipc.u.op.payload = payload;
    wait_begin(s, IPC_SENDING, sflags, op);
    endpoint_enqueue(ep, s, ENDPOINT_SENDERS);
}

/* Receiver r (the current process) takes the oldest queued sender s. */
static void take_sender(process_t *r, endpoint_t *ep, process_t *s)
{
    uint8_t sflags = s->ipc.flags;
    hand_over(s, r, s->ipc.u.op.payload, sflags);
    if (sflags & IPC_F_CALL) {
        endpoint_dequeue(ep, s);          /* its timeout and watch go on */
        s->ipc.wait = IPC_REPLY_WAIT;
        return;
    }
    ipc_wait_end(s);
    transfer_result(s, ERR_OK);
    wake(s, false);
}

static bool receive_would_block(process_t *p, const ipc_op_t *op)
{
    if (op->flags & NONBLOCK)
        return false;
    if (p->ipc.bound != OBJ_REF_NONE &&
        ((notification_t *)obj_ptr(p->ipc.bound))->word != 0)
        return false;
    return endpoint_first(op->recv_ep, ENDPOINT_SENDERS) == NULL;
}

static void receive_from(process_t *p, const ipc_op_t *op)
{
    uint64_t bits;
    if (notify_bound_take(p, &bits)) {
        transfer_bits(p, bits);
        return;
    }
    process_t *s = endpoint_first(op->recv_ep, ENDPOINT_SENDERS);
    if (s) {
        take_sender(p, op->recv_ep, s);
        return;
    }
    if (op->flags & NONBLOCK) {
        transfer_result(p, ERR_WOULD_BLOCK);
        return;
    }
    wait_begin(p, IPC_RECEIVING, 0, op);
    endpoint_enqueue(op->recv_ep, p, ENDPOINT_RECEIVERS);
}

/* p answers caller c. A fault's caller takes no message: it resumes at
 * the faulting instruction (its keeper may have rewritten its registers). */
static void reply_to(process_t *p, process_t *c, bool front)
{
    if (c->ipc.flags & IPC_F_FAULT) {
        c->fault_code = 0;
        c->fault_info = 0;
    } else {
        transfer_message(p, c, 0, 0);
    }
    ipc_wait_end(c);
    wake(c, front);
}

/* ---- Execute: cannot fail ---------------------------------------------------------- */

static void ipc_execute(process_t *p, const ipc_op_t *op)
{
    if (op->flags & REPLY)
        reply_to(p, op->caller, (op->flags & RECEIVE) && receive_would_block(p, op));
    if (op->flags & SEND)
        send_to(p, op->send_ep, op->payload, op->flags & CALL ? IPC_F_CALL : 0, op);
    else if (op->flags & RECEIVE)
        receive_from(p, op);
    else
        transfer_result(p, ERR_OK);
}

void ipc_syscall(process_t *p)
{
    ipc_op_t op = { .info = arch_syscall_get(p->arch_regs, ARCH_SYS_INFO) };
    cairn_error_t err = ipc_decode(p, &op);
    if (err == ERR_OK)
        ipc_execute(p, &op);
    else
        transfer_result(p, err);
}

void ipc_send_fault(process_t *p, endpoint_t *ep, uint32_t payload)
{
    send_to(p, ep, payload, IPC_F_CALL | IPC_F_FAULT, NULL);
}

static bool wake_possible(void)
{
    return timeout_pending();
}

void ipc_init(void)
{
    timeout_reset();
    endpoint_set_teardown_hook(ipc_endpoint_teardown);
    notification_set_teardown_hook(ipc_notification_teardown);
    sched_add_wake_check(wake_possible);
}
