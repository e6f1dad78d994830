/*
 * The IPC fast path (see fastpath.h; the conditions are listed in
 * docs/spec/ipc.md, "Fast path").
 *
 * Each operation is the slow path's, specialised to the case the checks
 * establish, step for step:
 *
 *   call:       ipc_wait_end(receiver); transfer_message (words only);
 *               the Reply capability into the receiver's register 1;
 *               the caller waits in REPLY_WAIT; the receiver, made ready
 *               at the front, is what sched_run would pick.
 *   reply-and-receive:
 *               transfer_message to the caller (words only);
 *               ipc_wait_end(caller), which moves its call generation on;
 *               the caller, made ready at the front, is what sched_run
 *               would pick; the server queues as a receiver.
 *   Notification.poll and .signal:
 *               kernel_invoke's decode and invoke steps, msg_write's
 *               result registers, and sched_run's choice when it is plain
 *               (the caller goes on, or the woken process preempts it).
 *
 * What the checks rule out is exactly what would make the slow path do
 * anything else: an error (any capability that is not a live one of the
 * right type in a register, a stale reply, an exhausted generation), a
 * buffer (more than four words, capabilities, receive slots that are not
 * registers), a timer or watch list to update (TIMEOUT, ABANDON, or a
 * partner waiting with them), a fault reply (it resumes the faulting
 * instruction), a receive that would not wait (a queued sender, bound
 * notification bits), and a scheduling decision other than the one made
 * here (a ready process of higher priority, a spent slice).
 */
#include "ipc/fastpath.h"

#include "abi/ipc.h"
#include "arch.h"
#include "cap/cap.h"
#include "ipc/ipc.h"
#include "ipc/notify.h"
#include "ipc/plist.h"
#include "ipc/transfer.h"
#include "ipc/reply.h"
#include "kprintf.h"
#include "mem/frame.h"
#include "obj/notification.h"
#include "panic.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

/* The control words the fast path takes (kernel/abi/ipc.h), less the
 * word count, which must be at most CAIRN_REG_WORDS. */
#define CALL_SHAPE       ((uint64_t)(CAIRN_IPC_SEND | CAIRN_IPC_RECEIVE | CAIRN_IPC_CALL))
#define REPLY_RECV_SHAPE ((uint64_t)(CAIRN_IPC_REPLY | CAIRN_IPC_RECEIVE))

/* The checks are written as functions and compiled into their callers. */
#define FASTPATH_INLINE static inline __attribute__((always_inline))

static bool enabled = true;                  /* set once at boot */
/* See fastpath.h: CALL_SHAPE and REPLY_RECV_SHAPE while enabled, a
 * control word no call can have (a reserved bit) while not. */
#define NEVER_SHAPE ((uint64_t)1 << 63)
uint64_t fastpath_call_shape = CALL_SHAPE;
uint64_t fastpath_reply_recv_shape = REPLY_RECV_SHAPE;
uint64_t fastpath_method_shape = 0;          /* flags 0: a kernel method */
static uint64_t counts[FASTPATH_VERDICTS];   /* statistics only */

/* ---- The switch ---------------------------------------------------------------- */

/* Is `word` one of the blank-separated words of s? */
static bool has_word(const char *s, const char *word)
{
    while (*s) {
        while (*s == ' ')
            s++;
        const char *w = word;
        while (*w && *s == *w) {
            s++;
            w++;
        }
        if (*w == 0 && (*s == ' ' || *s == 0))
            return true;
        while (*s && *s != ' ')
            s++;
    }
    return false;
}

void ipc_fastpath_set(bool on)
{
    enabled = on;
    fastpath_call_shape = on ? CALL_SHAPE : NEVER_SHAPE;
    fastpath_reply_recv_shape = on ? REPLY_RECV_SHAPE : NEVER_SHAPE;
    fastpath_method_shape = on ? 0 : NEVER_SHAPE;
}

void ipc_fastpath_configure(const char *cmdline)
{
    ipc_fastpath_set(!has_word(cmdline, "nofastpath"));
}

bool ipc_fastpath_on(void)
{
    return enabled;
}

uint64_t fastpath_count(fastpath_verdict_t v)
{
    return v < FASTPATH_VERDICTS ? counts[v] : 0;
}

static_assert(FASTPATH_WATCHED + 1 == FASTPATH_VERDICTS, "every verdict has a name");

void ipc_fastpath_report(void)
{
    if (!enabled) {
        kprintf("ipc: fast path off\n");
        return;
    }
    static const char *const names[FASTPATH_VERDICTS] = {
        "taken", "off", "shape", "target", "cap", "exhausted", "no_receiver",
        "sender_waiting", "notified", "partner_limits", "priority", "uncached",
        "method", "watched",
    };
    uint64_t fell = 0;
    for (unsigned v = FASTPATH_TAKEN + 1; v < FASTPATH_VERDICTS; v++)
        fell += counts[v];
    kprintf("ipc: fast path taken %llu times, left %llu to the slow path",
            (unsigned long long)counts[FASTPATH_TAKEN], (unsigned long long)fell);
    for (unsigned v = FASTPATH_TAKEN + 1; v < FASTPATH_VERDICTS; v++)
        if (counts[v])
            kprintf(" %s %llu", names[v], (unsigned long long)counts[v]);
    kprintf("\n");
}

void fastpath_reset_counts(void)
{
    for (unsigned i = 0; i < FASTPATH_VERDICTS; i++)
        counts[i] = 0;
}

/* ---- Checks ---------------------------------------------------------------------- */

/* Is info exactly `shape` (which has no word bits) with at most
 * CAIRN_REG_WORDS words? The XOR leaves just the word count when
 * everything else matches. */
FASTPATH_INLINE bool shape_is(uint64_t info, uint64_t shape)
{
    return (info ^ shape) <= CAIRN_REG_WORDS;
}

static_assert((CAIRN_CAP_REGS & (CAIRN_CAP_REGS - 1)) == 0 && sizeof(cap_t) == 16,
              "target_register tests a capability register with one mask");

/* The capability register TARGET names, or NULL for a memory location
 * (odd: it needs a walk, the slow path's) or a register out of range. */
FASTPATH_INLINE const cap_t *target_register(const process_t *p)
{
    caploc_t loc = arch_syscall_get(p->arch_regs, ARCH_SYS_TARGET);
    if (loc & ~(caploc_t)(2 * CAIRN_CAP_REGS - 2))
        return NULL;
    /* &p->cap_regs[loc >> 1]: loc is even and a capability 16 bytes */
    return (const cap_t *)((const char *)p->cap_regs + loc * (sizeof(cap_t) / 2));
}

/*
 * The object of c, if c is a live capability of `type`: cap_check's test
 * and obj_ptr from one frame-table lookup. A capability of an object type
 * never names frame 0 (reserved, it holds no object), and a retired
 * frame's generation is FRAME_GEN_LAST, which no capability carries, so
 * the bound and the generation are all there is to compare.
 */
FASTPATH_INLINE bool live_object(const cap_t *c, cap_type_t type, void **obj)
{
    uint32_t index = cap_obj_frame(c);
    if (c->type != type || index >= frame_table_size)
        return false;
    const frame_t *f = &frame_table[index];
    if (f->gen != c->gen)
        return false;
    *obj = (char *)arch_phys_to_virt_known(frame_paddr(f)) +
           cap_obj_slot(c) * CAP_OBJ_SLOT_SIZE;
    return true;
}

/* obj_ptr for a reference the kernel's own lists or bindings hold
 * (always live), with no call out on the fast path. */
FASTPATH_INLINE void *listed_object(obj_ref_t ref)
{
    ASSERT(frame_get(obj_ref_frame(ref)) != NULL);
    return (char *)arch_phys_to_virt_known(
               frame_paddr(&frame_table[obj_ref_frame(ref)])) + (ref & 63u) * 64u;
}

FASTPATH_INLINE process_t *listed_process(obj_ref_t ref)
{
    return (process_t *)listed_object(ref);
}

/* Pre (both checks): info has the operation's shape (shape_is). */
FASTPATH_INLINE fastpath_verdict_t check_call(process_t *p, fastpath_call_t *op)
{
    const cap_t *c = target_register(p);
    if (c == NULL)
        return FASTPATH_TARGET;
    endpoint_t *ep;
    if (!live_object(c, CAP_ENTRY, (void **)&ep) || (c->restr & RESTR_NO_CALL))
        return FASTPATH_CAP;
    if (p->reply_gen == UINT32_MAX && !call_gen_available(p))
        return FASTPATH_EXHAUSTED;
    if (ep->state != ENDPOINT_RECEIVERS)
        return FASTPATH_NO_RECEIVER;
    process_t *r = listed_process(ep->queue.head);
    if (r->ipc.flags != 0)
        return FASTPATH_PARTNER_LIMITS;
    if (!sched_would_run_first(r->priority))
        return FASTPATH_PRIORITY;
    if (r->hwmap_root == 0)
        return FASTPATH_UNCACHED;
    op->ep = ep;
    op->partner = r;
    op->payload = c->payload;
    return FASTPATH_TAKEN;
}

FASTPATH_INLINE fastpath_verdict_t check_reply_recv(process_t *p,
                                                    fastpath_reply_t *op)
{
    const cap_t *rc = &p->cap_regs[CAIRN_REPLY_REG];
    process_t *caller;
    if (!live_object(rc, CAP_REPLY, (void **)&caller) ||
        caller->ipc.wait != IPC_REPLY_WAIT ||
        caller->reply_gen != rc->payload ||
        caller->ipc.call_gen_hi != (uint16_t)(rc->l2g | rc->flags << 8))
        return FASTPATH_CAP;      /* reply_cap_gen(rc) != call_gen(caller) */
    if (caller->ipc.flags != IPC_F_CALL)
        return FASTPATH_PARTNER_LIMITS;
    const cap_t *ec = target_register(p);
    if (ec == NULL)
        return FASTPATH_TARGET;
    endpoint_t *ep;
    if (!live_object(ec, CAP_ENDPOINT, (void **)&ep))
        return FASTPATH_CAP;
    if (ep->state == ENDPOINT_SENDERS)
        return FASTPATH_SENDER_WAITING;
    if (p->ipc.bound != OBJ_REF_NONE &&
        ((const notification_t *)listed_object(p->ipc.bound))->word != 0)
        return FASTPATH_NOTIFIED;
    if (!sched_would_run_first(caller->priority))
        return FASTPATH_PRIORITY;
    if (caller->hwmap_root == 0)
        return FASTPATH_UNCACHED;
    op->partner = caller;
    op->ep = ep;
    op->ep_ref = ec->obj;
    return FASTPATH_TAKEN;
}

/*
 * Receive slots (a call's, for the reply; a reply-and-receive's, for what
 * it receives) are allowed when they are all capability registers: the
 * slow path's check (transfer_check_recv) can then only pass, given an
 * IPC buffer to name them in, and no capability arrives on the fast path
 * to be stored in them.
 */
static bool receive_slots_ok(process_t *p, uint64_t info)
{
    unsigned n = (info >> CAIRN_INFO_RECV_SHIFT) & CAIRN_INFO_COUNT_MASK;
    const cairn_ipc_buffer_t *buf = ipc_buffer_of(p);
    if (n > CAIRN_MSG_CAPS_MAX || buf == NULL)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (buf->recv_caps[i] & ~(caploc_t)(2 * CAIRN_CAP_REGS - 2))
            return false;
    return true;
}

#define RECV_SLOTS ((uint64_t)CAIRN_INFO_COUNT_MASK << CAIRN_INFO_RECV_SHIFT)

fastpath_verdict_t fastpath_check_call(process_t *p, uint64_t info,
                                       fastpath_call_t *op)
{
    if (!enabled)
        return FASTPATH_OFF;
    if (!shape_is(info & ~RECV_SLOTS, CALL_SHAPE) ||
        ((info & RECV_SLOTS) && !receive_slots_ok(p, info)))
        return FASTPATH_SHAPE;
    return check_call(p, op);
}

fastpath_verdict_t fastpath_check_reply_recv(process_t *p, uint64_t info,
                                             fastpath_reply_t *op)
{
    if (!enabled)
        return FASTPATH_OFF;
    if (!shape_is(info & ~RECV_SLOTS, REPLY_RECV_SHAPE) ||
        ((info & RECV_SLOTS) && !receive_slots_ok(p, info)))
        return FASTPATH_SHAPE;
    return check_reply_recv(p, op);
}

/* ---- Execution: cannot fail ------------------------------------------------------- */

/* transfer_message for at most CAIRN_REG_WORDS words and no
 * capabilities: registers past the count are zeroed. */
FASTPATH_INLINE void copy_message(const uint64_t *from, uint64_t *to,
                                  unsigned n, uint32_t flags, uint32_t payload)
{
    uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
    switch (n) {
    case 4: w3 = arch_syscall_get(from, ARCH_SYS_W3); /* fall through */
    case 3: w2 = arch_syscall_get(from, ARCH_SYS_W2); /* fall through */
    case 2: w1 = arch_syscall_get(from, ARCH_SYS_W1); /* fall through */
    case 1: w0 = arch_syscall_get(from, ARCH_SYS_W0); /* fall through */
    case 0: break;
    default: __builtin_unreachable();     /* the checks saw n <= 4 */
    }
    arch_syscall_set(to, ARCH_SYS_W0, w0);
    arch_syscall_set(to, ARCH_SYS_W1, w1);
    arch_syscall_set(to, ARCH_SYS_W2, w2);
    arch_syscall_set(to, ARCH_SYS_W3, w3);
    arch_syscall_set(to, ARCH_SYS_INFO, (uint64_t)flags | n);
    arch_syscall_set(to, ARCH_SYS_TARGET, payload);
    arch_syscall_set(to, ARCH_SYS_OPCODE, arch_syscall_get(from, ARCH_SYS_OPCODE));
}

/* The current process p blocked; `next` runs. Pre: next has a cached
 * space (the checks saw to it), so its root is at hand (hwmap.h). */
__attribute__((noreturn)) FASTPATH_INLINE void switch_to(process_t *next)
{
    counts[FASTPATH_TAKEN]++;
    sched_handoff(next);
    arch_user_resume(next->arch_regs, next->hwmap_root);
}

/*
 * endpoint_dequeue of the head and endpoint_enqueue_ref as a receiver,
 * written out with listed_process so that nothing here calls out (which
 * would make the compiler save registers on every fast path).
 */
FASTPATH_INLINE void queue_pop_head(endpoint_t *ep, process_t *r)
{
    obj_ref_t next = r->queue.next;
    ep->queue.head = next;
    if (next != OBJ_REF_NONE)
        listed_process(next)->queue.prev = OBJ_REF_NONE;
    else
        ep->queue.tail = OBJ_REF_NONE;
    r->queue.next = OBJ_REF_NONE;
    r->wait_obj = OBJ_REF_NONE;
    if (next == OBJ_REF_NONE)
        ep->state = ENDPOINT_IDLE;
}

FASTPATH_INLINE void queue_push_receiver(endpoint_t *ep, obj_ref_t ep_ref, process_t *p)
{
    obj_ref_t tail = ep->queue.tail;
    p->queue.next = OBJ_REF_NONE;
    p->queue.prev = tail;
    if (tail != OBJ_REF_NONE)
        listed_process(tail)->queue.next = p->self;
    else
        ep->queue.head = p->self;
    ep->queue.tail = p->self;
    ep->state = ENDPOINT_RECEIVERS;
    p->wait_obj = ep_ref;
}

__attribute__((noreturn)) FASTPATH_INLINE void do_call(process_t *p, uint64_t info,
                                              const fastpath_call_t *op)
{
    process_t *r = op->partner;
    ASSERT(r->queue.prev == OBJ_REF_NONE && r->wait_obj == obj_ref_of(op->ep));
    queue_pop_head(op->ep, r);
    r->ipc.wait = IPC_IDLE;
    copy_message(p->arch_regs, r->arch_regs, (unsigned)(info & CAIRN_INFO_WORDS_MASK),
                 CAIRN_RESULT_RECV_CALL, op->payload);
    r->cap_regs[CAIRN_REPLY_REG] = reply_make(p);
    p->ipc.wait = IPC_REPLY_WAIT;
    p->ipc.flags = IPC_F_CALL;
    switch_to(r);
}

__attribute__((noreturn)) FASTPATH_INLINE void do_reply_recv(process_t *p, uint64_t info,
                                                    const fastpath_reply_t *op)
{
    process_t *c = op->partner;
    copy_message(p->arch_regs, c->arch_regs, (unsigned)(info & CAIRN_INFO_WORDS_MASK),
                 0, 0);
    call_gen_bump(c);
    c->ipc.wait = IPC_IDLE;
    c->ipc.flags = 0;
    p->ipc.wait = IPC_RECEIVING;
    p->ipc.flags = 0;
    ASSERT(op->ep->state != ENDPOINT_SENDERS && op->ep_ref == obj_ref_of(op->ep));
    queue_push_receiver(op->ep, op->ep_ref, p);
    switch_to(c);
}

static fastpath_verdict_t notification_method(process_t *p, const cap_t *c,
                                              unsigned nwords);

/* The two operations, each on its own so that a fallback costs only
 * what its own checks saw; each returns only if it falls back. The
 * variants with receive slots check them first. */
FASTPATH_INLINE void call_op(process_t *p, uint64_t info)
{
    fastpath_call_t op;
    fastpath_verdict_t v = check_call(p, &op);
    if (v == FASTPATH_TAKEN)
        do_call(p, info, &op);
    const cap_t *c = target_register(p);
    if (v == FASTPATH_CAP && c->type == CAP_NOTIFICATION && !(info & RECV_SLOTS))
        v = notification_method(p, c, (unsigned)(info & CAIRN_INFO_WORDS_MASK));
    counts[v]++;
}

FASTPATH_INLINE void reply_recv_op(process_t *p, uint64_t info)
{
    fastpath_reply_t op;
    fastpath_verdict_t v = check_reply_recv(p, &op);
    if (v == FASTPATH_TAKEN)
        do_reply_recv(p, info, &op);
    counts[v]++;
}

void fastpath_call(process_t *p, uint64_t info)
{
    ASSERT(shape_is(info, CALL_SHAPE));
    call_op(p, info);
}

void fastpath_reply_recv(process_t *p, uint64_t info)
{
    ASSERT(shape_is(info, REPLY_RECV_SHAPE));
    reply_recv_op(p, info);
}

void fastpath_call_slots(process_t *p, uint64_t info)
{
    ASSERT(shape_is(info & ~RECV_SLOTS, CALL_SHAPE));
    if (receive_slots_ok(p, info))
        call_op(p, info);
    else
        counts[FASTPATH_SHAPE]++;
}

void fastpath_reply_recv_slots(process_t *p, uint64_t info)
{
    ASSERT(shape_is(info & ~RECV_SLOTS, REPLY_RECV_SHAPE));
    if (receive_slots_ok(p, info))
        reply_recv_op(p, info);
    else
        counts[FASTPATH_SHAPE]++;
}

/* ---- Notification.poll and Notification.signal -----------------------------------
 *
 * The slow path runs them through kernel_invoke (the method table, the
 * message), then sched_run. Here the same steps are written out for the
 * cases where the scheduler's choice afterwards is plain: the invoker
 * goes on, or (a signal) the process it wakes runs at once, alone at the
 * top. Every other case goes the slow way.
 */

/* Would sched_run, with nothing changed, take the CPU from p (the
 * current process)? As sched_should_preempt. */
FASTPATH_INLINE bool preempt_due(const process_t *p, int top)
{
    return top > (int)p->priority ||
           (sched_slice_left == 0 && top == (int)p->priority);
}

/* The result of a kernel method: msg_write's registers for `words`
 * words (at most one here) and no error. */
FASTPATH_INLINE void method_result(uint64_t *ctx, unsigned words, uint64_t w0)
{
    arch_syscall_set(ctx, ARCH_SYS_INFO, words);
    arch_syscall_set(ctx, ARCH_SYS_W0, w0);
    arch_syscall_set(ctx, ARCH_SYS_W1, 0);
    arch_syscall_set(ctx, ARCH_SYS_W2, 0);
    arch_syscall_set(ctx, ARCH_SYS_W3, 0);
}

/* The process a signal of n hands its bits to, or NULL: the oldest in
 * wait, else the bound process if it waits in an open receive. */
FASTPATH_INLINE process_t *signal_taker(const notification_t *n)
{
    if (!plist_empty(&n->queue))
        return listed_process(n->queue.head);
    if (n->bound != OBJ_REF_NONE) {
        process_t *b = listed_process(n->bound);
        if (b->ipc.wait == IPC_RECEIVING)
            return b;
    }
    return NULL;
}

/* p goes on: its results are in its registers. */
__attribute__((noreturn)) FASTPATH_INLINE void resume_self(process_t *p)
{
    counts[FASTPATH_TAKEN]++;
    arch_user_resume(p->arch_regs, p->hwmap_root);
}

/*
 * Notification.poll or .signal by p through the capability c (in a
 * register), with nwords words: done here and not returning, or the
 * verdict that sends it to the slow path, nothing changed.
 */
static fastpath_verdict_t notification_method(process_t *p, const cap_t *c,
                                              unsigned nwords)
{
    uint64_t *ctx = p->arch_regs;
    uint64_t opcode = arch_syscall_get(ctx, ARCH_SYS_OPCODE);
    notification_t *n;
    if (!live_object(c, CAP_NOTIFICATION, (void **)&n))
        return FASTPATH_CAP;
    if (p->hwmap_root == 0)
        return FASTPATH_UNCACHED;
    if (opcode == OP_NOTIFICATION_poll) {
        if (c->payload != 0)
            return FASTPATH_CAP;         /* badged: NO_RIGHTS */
        if (preempt_due(p, sched_ready_top))
            return FASTPATH_PRIORITY;
        method_result(ctx, 1, notify_take(n));
        resume_self(p);
    }
    if (opcode != OP_NOTIFICATION_signal || nwords == 0)
        return FASTPATH_METHOD;          /* other methods; too few words */
    if (c->restr & RESTR_READ_ONLY)
        return FASTPATH_CAP;             /* NO_RIGHTS */
    uint64_t bits = c->payload ? c->payload : arch_syscall_get(ctx, ARCH_SYS_W0);
    process_t *w = bits ? signal_taker(n) : NULL;
    if (bits && !plist_empty(&n->watchers))
        return FASTPATH_WATCHED;         /* it abandons operations */
    if (w && w->ipc.flags != 0)
        return FASTPATH_WATCHED;         /* its wait has a timeout or watch */
    if (w == NULL || w->priority <= p->priority) {
        /* p goes on, w (if any) at the back of its queue. */
        int top = sched_ready_top;
        if (w && (int)w->priority > top)
            top = w->priority;
        if (preempt_due(p, top))
            return FASTPATH_PRIORITY;
        if (bits)
            notify_signal(n, bits);      /* hands the bits to w, queues it */
        method_result(ctx, 0, 0);
        resume_self(p);
    }
    /* w preempts p, alone at the top: sched_run would requeue p (at the
     * front if its slice is not spent) and pick w. */
    if ((int)w->priority <= sched_ready_top)
        return FASTPATH_PRIORITY;        /* others of its level go first */
    if (w->hwmap_root == 0)
        return FASTPATH_UNCACHED;
    notify_signal(n, bits);              /* hands the bits to w, queues it */
    method_result(ctx, 0, 0);
    sched_block_current();               /* as pick_next: p back first ... */
    if (sched_slice_left != 0)
        sched_ready_front(p);
    else
        sched_ready(p);
    sched_remove(w);                     /* ... then w off the top queue */
    counts[FASTPATH_TAKEN]++;
    sched_handoff(w);
    arch_user_resume(w->arch_regs, w->hwmap_root);
}

void fastpath_method(process_t *p, uint64_t info)
{
    const cap_t *c = target_register(p);
    counts[c && c->type == CAP_NOTIFICATION
           ? notification_method(p, c, (unsigned)info) : FASTPATH_METHOD]++;
}
