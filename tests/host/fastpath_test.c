/*
 * Host suite `fastpath`: the IPC fast path's conditions, one by one, on
 * the simulated machine (ipc_sim.h), through its side-effect-free checks
 * (fastpath_check_call, fastpath_check_reply_recv); and whole scenarios
 * played twice, with the fast path on and off, whose every intermediate
 * state (registers, wait states, call generations, Reply capabilities,
 * queues, who runs) must be the same.
 */
#include <string.h>

#include "harness.h"
#include "ipc_sim.h"

#include "ipc/fastpath.h"
#include "ipc/reply.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

enum { EP = 10, ENT = 11, NOTE = 12, OTHER_EP = 13, SLOW_ENT = 14 };

#define CALL(n)       (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV          CAIRN_IPC_OP_RECEIVE
#define REPLY_RECV(n) (CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info((n), 0, 0))

/* p's control word and target as if it were making this system call. */
static void set_call(process_t *p, uint64_t info, caploc_t target)
{
    arch_syscall_set(p->arch_regs, ARCH_SYS_INFO, info);
    arch_syscall_set(p->arch_regs, ARCH_SYS_TARGET, target);
}

static fastpath_verdict_t check_call(process_t *p, uint64_t info, caploc_t target)
{
    fastpath_call_t op;
    set_call(p, info, target);
    return fastpath_check_call(p, info, &op);
}

static fastpath_verdict_t check_reply_recv(process_t *p, uint64_t info, caploc_t target)
{
    fastpath_reply_t op;
    set_call(p, info, target);
    return fastpath_check_reply_recv(p, info, &op);
}

/*
 * A server s (priority 20) waiting in an open receive on its endpoint,
 * and a client c (priority 10) running, holding an Entry (payload 0x77).
 * Both have run, so both have cached spaces.
 */
static void world(process_t **s, process_t **c)
{
    sim_reset();
    ipc_fastpath_set(true);
    *s = sim_proc(20);
    *c = sim_proc(10);
    sim_endpoint(*s, EP);
    sim_entry(*s, EP, *c, ENT, 0x77);
    sim_run();                                   /* s */
    sim_sys(*s, RECV, EP, 0);                    /* s waits; c runs */
}

/* ---- Control words ------------------------------------------------------------------ */

HOST_TEST(fastpath, only_plain_calls_and_reply_receives_have_the_shape)
{
    process_t *s, *c;
    world(&s, &c);
    CHECK_EQ(sched_current(), c);
    caploc_t t = CAPLOC_REG(ENT);
    for (unsigned n = 0; n <= 4; n++)
        CHECK_EQ(check_call(c, CALL(n), t), FASTPATH_TAKEN);
    CHECK_EQ(check_call(c, CALL(5), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CALL(64), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 1, 0), t), FASTPATH_SHAPE);
    sim_buf(c)->recv_caps[0] = CAPLOC_REG(20);      /* slots in registers: fine */
    sim_buf(c)->recv_caps[1] = CAPLOC_REG(0);
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 2), t), FASTPATH_TAKEN);
    sim_buf(c)->recv_caps[1] = CAPLOC_MEM(0x1000);  /* in memory: a walk */
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 2), t), FASTPATH_SHAPE);
    sim_buf(c)->recv_caps[1] = CAPLOC_REG(CAIRN_CAP_REGS);
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 2), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 5), t), FASTPATH_SHAPE);
    c->ipc_buffer = cap_null();                     /* nowhere to name them */
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 1), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CALL(1) | CAIRN_IPC_NONBLOCK, t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CALL(1) | CAIRN_IPC_TIMEOUT, t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CALL(1) | CAIRN_IPC_ABANDON, t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CAIRN_IPC_CALL | cairn_info(1, 0, 0), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CAIRN_IPC_OP_SEND | cairn_info(1, 0, 0), t), FASTPATH_SHAPE);
    CHECK_EQ(check_call(c, CALL(1) | (uint64_t)1 << 40, t), FASTPATH_SHAPE);
    CHECK_EQ(check_reply_recv(c, CALL(1), CAPLOC_REG(EP)), FASTPATH_SHAPE);
    CHECK_EQ(check_reply_recv(c, REPLY_RECV(5), CAPLOC_REG(EP)), FASTPATH_SHAPE);
    CHECK_EQ(check_reply_recv(c, REPLY_RECV(1) | CAIRN_IPC_NONBLOCK, CAPLOC_REG(EP)),
             FASTPATH_SHAPE);
    CHECK_EQ(check_reply_recv(c, CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0),
                              CAPLOC_REG(EP)), FASTPATH_SHAPE);
    ipc_fastpath_set(false);
    CHECK_EQ(check_call(c, CALL(1), t), FASTPATH_OFF);
    CHECK_EQ(check_reply_recv(c, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_OFF);
    ipc_fastpath_set(true);
}

HOST_TEST(fastpath, the_command_line_switch_is_a_whole_word)
{
    ipc_fastpath_configure("ktest=ipc nofastpath");
    CHECK(!ipc_fastpath_on());
    ipc_fastpath_configure("nofastpath");
    CHECK(!ipc_fastpath_on());
    ipc_fastpath_configure("nofastpathx ktest=nofastpath");
    CHECK(ipc_fastpath_on());
    ipc_fastpath_configure("");
    CHECK(ipc_fastpath_on());
}

/* ---- The call's conditions ------------------------------------------------------------ */

HOST_TEST(fastpath, call_target_must_be_a_live_entry_in_a_register)
{
    process_t *s, *c;
    world(&s, &c);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_MEM(0x1000)), FASTPATH_TARGET);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(CAIRN_CAP_REGS)), FASTPATH_TARGET);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(20)), FASTPATH_CAP);      /* Null */
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(SIM_SELF)), FASTPATH_CAP); /* Process */
    c->cap_regs[20] = c->cap_regs[ENT];
    c->cap_regs[20].restr |= RESTR_NO_CALL;
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(20)), FASTPATH_CAP);
    c->cap_regs[20] = c->cap_regs[ENT];
    c->cap_regs[20].gen++;                                  /* revoked */
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(20)), FASTPATH_CAP);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_TAKEN);
}

HOST_TEST(fastpath, call_needs_a_receiver_without_limits)
{
    process_t *s, *c;
    world(&s, &c);
    sim_endpoint(s, OTHER_EP);
    sim_entry(s, OTHER_EP, c, SLOW_ENT, 1);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(SLOW_ENT)), FASTPATH_NO_RECEIVER);
    s->ipc.flags |= IPC_F_TIMED;              /* as if it received with a timeout */
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_PARTNER_LIMITS);
    s->ipc.flags = IPC_F_WATCHING;
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_PARTNER_LIMITS);
    s->ipc.flags = 0;
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_TAKEN);
}

HOST_TEST(fastpath, call_needs_the_receiver_to_run_next)
{
    process_t *s, *c;
    world(&s, &c);
    process_t *hi = sim_proc(30);             /* ready, above the server */
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_PRIORITY);
    sched_remove(hi);
    process_t *same = sim_proc(20);           /* ready at the server's level */
    (void)same;
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_TAKEN);
}

HOST_TEST(fastpath, call_needs_the_receivers_space_cached)
{
    process_t *s, *c;
    world(&s, &c);
    hwmap_forget(s);
    CHECK_EQ(s->hwmap_root, 0);
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_UNCACHED);
    CHECK(hwmap_root(s) != 0);
    CHECK_EQ(s->hwmap_root, hwmap_root(s));
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_TAKEN);
}

HOST_TEST(fastpath, call_needs_a_call_generation)
{
    process_t *s, *c;
    world(&s, &c);
    c->reply_gen = UINT32_MAX;
    c->ipc.call_gen_hi = UINT16_MAX;
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_EXHAUSTED);
    c->ipc.call_gen_hi = 7;                  /* the carry is not the end */
    CHECK_EQ(check_call(c, CALL(1), CAPLOC_REG(ENT)), FASTPATH_TAKEN);
}

/* ---- Reply-and-receive's conditions ------------------------------------------------------ */

/* world(), then c calls s (the fast way) and s runs holding the reply. */
static void called(process_t **s, process_t **c)
{
    world(s, c);
    sim_syscall(*c, CALL(1), CAPLOC_REG(ENT), 5, 6, 0, 0, 0);
}

HOST_TEST(fastpath, reply_receive_taken_when_nothing_else_waits)
{
    process_t *s, *c;
    called(&s, &c);
    CHECK_EQ(sched_current(), s);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_TAKEN);
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_MEM(0x10)), FASTPATH_TARGET);
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(SIM_SELF)), FASTPATH_CAP);
    cap_t reply = s->cap_regs[CAIRN_REPLY_REG];
    s->cap_regs[CAIRN_REPLY_REG].payload++;             /* another call's */
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_CAP);
    s->cap_regs[CAIRN_REPLY_REG] = reply;
    s->cap_regs[CAIRN_REPLY_REG].l2g++;                 /* bits 32-39 differ */
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_CAP);
    s->cap_regs[CAIRN_REPLY_REG] = cap_null();
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_CAP);
    s->cap_regs[CAIRN_REPLY_REG] = reply;
    c->ipc.flags |= IPC_F_TIMED;
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_PARTNER_LIMITS);
    c->ipc.flags = IPC_F_CALL | IPC_F_FAULT;
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_PARTNER_LIMITS);
    c->ipc.flags = IPC_F_CALL;
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_TAKEN);
}

HOST_TEST(fastpath, reply_receive_not_taken_when_the_receive_would_not_wait)
{
    process_t *s, *c;
    called(&s, &c);
    process_t *c2 = sim_proc(25);            /* a second caller, queued */
    sim_entry(s, EP, c2, ENT, 0x88);
    CHECK(sim_run() == c2);
    sim_syscall(c2, CALL(1), CAPLOC_REG(ENT), 1, 0, 0, 0, 0);
    CHECK(sim_waits(c2, IPC_SENDING));
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_SENDER_WAITING);
}

HOST_TEST(fastpath, reply_receive_not_taken_with_bound_bits)
{
    process_t *s, *c;
    called(&s, &c);
    notification_t *n = sim_notification(s, NOTE);
    n->bound = s->self;                      /* bound, as Notification.bind does */
    s->ipc.bound = obj_ref_of(n);
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_TAKEN);
    n->word = 4;
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_NOTIFIED);
}

HOST_TEST(fastpath, reply_receive_needs_the_caller_to_run_next)
{
    process_t *s, *c;
    called(&s, &c);
    process_t *mid = sim_proc(15);           /* ready, above the caller's 10 */
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_PRIORITY);
    sched_remove(mid);
    hwmap_forget(c);
    CHECK_EQ(check_reply_recv(s, REPLY_RECV(1), CAPLOC_REG(EP)), FASTPATH_UNCACHED);
}

/* ---- The same scenarios, both ways --------------------------------------------------------- */

#define NPROC 5

/* Everything a scenario can observe, after each step. */
typedef struct {
    sim_regs_t regs[NPROC];
    uint8_t    wait[NPROC], flags[NPROC], ready[NPROC];
    uint64_t   gen[NPROC];
    cap_t      reply[NPROC];
    unsigned   current;                  /* index of the running one, or NPROC */
    uint32_t   ep_state, ep_head, ep_tail;
} snapshot_t;

typedef struct {
    process_t *p[NPROC];
    endpoint_t *ep;
    snapshot_t snap[260];
    unsigned   steps;
} run_t;

static void snap(run_t *r)
{
    snapshot_t *s = &r->snap[r->steps++];
    memset(s, 0, sizeof *s);
    s->current = NPROC;
    for (unsigned i = 0; i < NPROC; i++) {
        process_t *p = r->p[i];
        s->regs[i] = sim_regs(p);
        s->wait[i] = p->ipc.wait;
        s->flags[i] = p->ipc.flags;
        s->ready[i] = sched_is_ready(p);
        s->gen[i] = call_gen(p);
        s->reply[i] = p->cap_regs[CAIRN_REPLY_REG];
        if (sched_current() == p)
            s->current = i;
    }
    s->ep_state = r->ep->state;
    s->ep_head = r->ep->queue.head;
    s->ep_tail = r->ep->queue.tail;
}

/* Who runs, as an index, or NPROC. */
static unsigned who(const run_t *r, const process_t *p)
{
    for (unsigned i = 0; i < NPROC; i++)
        if (r->p[i] == p)
            return i;
    return NPROC;
}

/*
 * Two servers (0 and 1, priority 20 and 5) on one endpoint, three
 * clients (2, 3, 4 at 10, 10 and 15). The clients call, the servers
 * answer with reply-and-receive, in an order that gives the fast path
 * its cases and the slow path the rest (queued callers, a server below
 * a ready client, calls while both servers are busy).
 */
static void scenario(run_t *r, bool fast)
{
    memset(r, 0, sizeof *r);
    sim_reset();
    ipc_fastpath_set(fast);
    fastpath_reset_counts();
    static const unsigned prio[NPROC] = { 20, 5, 10, 10, 15 };
    for (unsigned i = 0; i < NPROC; i++)
        r->p[i] = sim_proc(prio[i]);
    r->ep = sim_endpoint(r->p[0], EP);
    r->p[1]->cap_regs[EP] = r->p[0]->cap_regs[EP];
    for (unsigned i = 2; i < NPROC; i++)
        sim_entry(r->p[0], EP, r->p[i], ENT, 0x100 + i);

    process_t *cur = sim_run();
    for (unsigned step = 0; step < 40 && cur != NULL; step++) {
        snap(r);
        unsigned i = who(r, cur);
        uint64_t w = 1000 * step + i;
        if (i < 2) {
            /* A server: answer the call it took, else receive. */
            bool holding = (sim_regs(cur).info & CAIRN_RESULT_RECV_CALL) != 0;
            unsigned n = step % 5;
            cur = sim_syscall(cur, holding ? REPLY_RECV(n) : RECV, CAPLOC_REG(EP),
                              50 + step, w, w + 1, w + 2, w + 3);
        } else {
            cur = sim_syscall(cur, CALL(step % 5), CAPLOC_REG(ENT), 7, w, w + 1, w + 2,
                              w + 3);
        }
    }
    snap(r);
    ipc_fastpath_set(true);
}

HOST_TEST(fastpath, a_scenario_goes_the_same_both_ways)
{
    static run_t fast, slow;
    scenario(&fast, true);
    uint64_t taken = fastpath_count(FASTPATH_TAKEN);
    scenario(&slow, false);
    CHECK_EQ(fastpath_count(FASTPATH_TAKEN), 0);
    CHECK_MSG(taken > 5, "the fast path was taken only %llu times",
              (unsigned long long)taken);
    CHECK_EQ(fast.steps, slow.steps);
    for (unsigned s = 0; s < fast.steps; s++) {
        const snapshot_t *a = &fast.snap[s], *b = &slow.snap[s];
        CHECK_MSG(a->current == b->current, "step %u: %u runs, not %u", s,
                  a->current, b->current);
        for (unsigned i = 0; i < NPROC; i++) {
            CHECK_MSG(memcmp(&a->regs[i], &b->regs[i], sizeof a->regs[i]) == 0,
                      "step %u: process %u's registers differ (info %llx/%llx, "
                      "w0 %llx/%llx)", s, i, (unsigned long long)a->regs[i].info,
                      (unsigned long long)b->regs[i].info,
                      (unsigned long long)a->regs[i].w[0],
                      (unsigned long long)b->regs[i].w[0]);
            CHECK_MSG(a->wait[i] == b->wait[i] && a->flags[i] == b->flags[i] &&
                      a->ready[i] == b->ready[i] && a->gen[i] == b->gen[i],
                      "step %u: process %u's state differs", s, i);
            CHECK_MSG(memcmp(&a->reply[i], &b->reply[i], sizeof(cap_t)) == 0,
                      "step %u: process %u's reply register differs", s, i);
        }
        CHECK_MSG(a->ep_state == b->ep_state && a->ep_head == b->ep_head &&
                  a->ep_tail == b->ep_tail, "step %u: the endpoint differs", s);
    }
}

/* ---- Notification.poll and .signal ----------------------------------------------------- */

/* Which verdict the next system call of p reached: counts before and after. */
static fastpath_verdict_t verdict_of(process_t *p, uint64_t info, unsigned reg,
                                     uint64_t opcode, uint64_t w0)
{
    uint64_t before[FASTPATH_VERDICTS];
    for (unsigned v = 0; v < FASTPATH_VERDICTS; v++)
        before[v] = fastpath_count(v);
    sim_syscall(p, info, CAPLOC_REG(reg), opcode, w0, 0, 0, 0);
    for (unsigned v = 0; v < FASTPATH_VERDICTS; v++)
        if (fastpath_count(v) != before[v])
            return (fastpath_verdict_t)v;
    return FASTPATH_VERDICTS;
}

#define POLL   OP_NOTIFICATION_poll
#define SIGNAL OP_NOTIFICATION_signal
#define KCALL(n) (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))

HOST_TEST(fastpath, poll_and_signal_flags_0_or_called)
{
    process_t *s, *c;
    world(&s, &c);
    notification_t *n = sim_notification(c, NOTE);
    CHECK_EQ(verdict_of(c, 0, NOTE, POLL, 0), FASTPATH_TAKEN);
    CHECK_EQ(verdict_of(c, KCALL(0), NOTE, POLL, 0), FASTPATH_TAKEN);
    CHECK_EQ(verdict_of(c, cairn_info(1, 0, 0), NOTE, SIGNAL, 4), FASTPATH_TAKEN);
    CHECK_EQ(n->word, 4);
    CHECK_EQ(verdict_of(c, KCALL(1), NOTE, POLL, 0), FASTPATH_TAKEN);
    sim_regs_t r = sim_regs(c);
    CHECK_EQ(r.info, 1);
    CHECK_EQ(r.w[0], 4);
    CHECK_EQ(n->word, 0);
    CHECK_EQ(verdict_of(c, 0, NOTE, SIGNAL, 4), FASTPATH_METHOD);      /* no word */
    CHECK_EQ(sim_err(c), ERR_INVALID_ARGUMENT);
    CHECK_EQ(verdict_of(c, 0, NOTE, OP_NOTIFICATION_unbind, 0), FASTPATH_METHOD);
    CHECK_EQ(verdict_of(c, 0, ENT, POLL, 0), FASTPATH_METHOD);         /* an Entry */
    c->cap_regs[20] = c->cap_regs[NOTE];
    c->cap_regs[20].payload = 2;                                       /* badged */
    CHECK_EQ(verdict_of(c, 0, 20, POLL, 0), FASTPATH_CAP);
    CHECK_EQ(sim_err(c), ERR_NO_RIGHTS);
    c->cap_regs[20] = c->cap_regs[NOTE];
    c->cap_regs[20].restr |= RESTR_READ_ONLY;
    CHECK_EQ(verdict_of(c, cairn_info(1, 0, 0), 20, SIGNAL, 1), FASTPATH_CAP);
    CHECK_EQ(sim_err(c), ERR_NO_RIGHTS);
    c->cap_regs[20].gen++;
    CHECK_EQ(verdict_of(c, 0, 20, POLL, 0), FASTPATH_CAP);             /* revoked */
    CHECK_EQ(sim_err(c), ERR_REVOKED);
}

HOST_TEST(fastpath, signal_wakes_the_way_the_scheduler_would)
{
    process_t *s, *c;
    world(&s, &c);                          /* c (10) runs, s (20) receives */
    sim_notification(c, NOTE);
    process_t *hi = sim_proc(30), *lo = sim_proc(5);
    hi->cap_regs[NOTE] = c->cap_regs[NOTE];
    lo->cap_regs[NOTE] = c->cap_regs[NOTE];
    CHECK(sim_run() == hi);
    CHECK(sim_method(hi, NOTE, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0) == c);
    /* A waiter above us, alone at the top: it runs at once. */
    CHECK_EQ(verdict_of(c, cairn_info(1, 0, 0), NOTE, SIGNAL, 0x11), FASTPATH_TAKEN);
    CHECK_EQ(sched_current(), hi);
    CHECK_EQ(sim_regs(hi).w[0], 0x11);
    CHECK(sched_is_ready(c));
    CHECK(sim_method(hi, NOTE, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0) == c);
    /* With another ready at the waiter's level: the slow path. */
    process_t *peer = sim_proc(30);
    CHECK_EQ(verdict_of(c, cairn_info(1, 0, 0), NOTE, SIGNAL, 0x22), FASTPATH_PRIORITY);
    CHECK_EQ(sched_current(), peer);        /* it was ahead of the waiter */
    (void)lo;
}

/* Six processes, one notification; each in turn waits, signals or polls. */
static void notify_scenario(run_t *r, bool fast)
{
    memset(r, 0, sizeof *r);
    sim_reset();
    ipc_fastpath_set(fast);
    fastpath_reset_counts();
    static const unsigned prio[NPROC] = { 20, 5, 10, 10, 15 };
    for (unsigned i = 0; i < NPROC; i++)
        r->p[i] = sim_proc(prio[i]);
    r->ep = sim_endpoint(r->p[0], EP);
    sim_notification(r->p[0], NOTE);
    for (unsigned i = 1; i < NPROC; i++)
        r->p[i]->cap_regs[NOTE] = r->p[0]->cap_regs[NOTE];

    process_t *cur = sim_run();
    uint32_t seed = 12345;
    for (unsigned step = 0; step < 250 && cur != NULL; step++) {
        snap(r);
        seed = seed * 1103515245u + 12345u;
        unsigned act = (seed >> 16) % 4;
        if (act == 0)
            cur = sim_method(cur, NOTE, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0);
        else if (act == 3)
            cur = sim_method(cur, NOTE, POLL, 0, 0, 0, 0, 0);
        else
            cur = sim_syscall(cur, act == 1 ? cairn_info(1, 0, 0) : KCALL(1),
                              CAPLOC_REG(NOTE), SIGNAL, 1ull << (step % 64), 0, 0, 0);
    }
    snap(r);
    ipc_fastpath_set(true);
}

HOST_TEST(fastpath, a_notification_scenario_goes_the_same_both_ways)
{
    static run_t fast, slow;
    notify_scenario(&fast, true);
    uint64_t taken = fastpath_count(FASTPATH_TAKEN);
    notify_scenario(&slow, false);
    CHECK_MSG(taken > 10, "the fast path was taken only %llu times",
              (unsigned long long)taken);
    CHECK_EQ(fast.steps, slow.steps);
    for (unsigned s = 0; s < fast.steps; s++) {
        const snapshot_t *a = &fast.snap[s], *b = &slow.snap[s];
        CHECK_MSG(a->current == b->current, "step %u: %u runs, not %u", s,
                  a->current, b->current);
        for (unsigned i = 0; i < NPROC; i++) {
            CHECK_MSG(memcmp(&a->regs[i], &b->regs[i], sizeof a->regs[i]) == 0,
                      "step %u: process %u's registers differ", s, i);
            CHECK_MSG(a->wait[i] == b->wait[i] && a->ready[i] == b->ready[i],
                      "step %u: process %u's state differs", s, i);
        }
    }
}

/*
 * A control word with a reserved bit (63) is refused, with the fast path
 * on and off alike. While off, the shapes the fast path compares against
 * have that bit, so such a word used to match one and run as a call.
 */
HOST_TEST(fastpath, reserved_bit_63_is_refused_both_ways)
{
    for (int on = 1; on >= 0; on--) {
        process_t *s, *c;
        world(&s, &c);
        ipc_fastpath_set(on);
        sim_syscall(c, (uint64_t)1 << 63, CAPLOC_REG(ENT), 7, 1, 2, 3, 4);
        CHECK_MSG(cairn_result_error(sim_regs(c).info) == ERR_INVALID_ARGUMENT,
                  "fast path %s: error %u", on ? "on" : "off",
                  (unsigned)cairn_result_error(sim_regs(c).info));
        CHECK_MSG(!(sim_regs(s).info & CAIRN_RESULT_RECV_CALL),
                  "fast path %s: the server received a call", on ? "on" : "off");
        ipc_fastpath_set(true);
    }
}
