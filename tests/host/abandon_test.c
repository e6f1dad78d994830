/*
 * Host suite `abandon`: calls that end without their reply. Timeouts (a
 * server that never replies, a call still queued, the reply and the
 * timeout in the same tick in either order, deadline order), abandoning
 * signals (while the server holds the reply capability, while queued,
 * before the call), late replies that must change nothing, a server that
 * dies holding Reply capabilities, a client that dies mid-call,
 * Process.stop of a waiting process, and the destruction of the
 * abandoning notification.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "ipc/timeout.h"
#include "ipc/watch.h"
#include "obj/untyped.h"
#include "sched/sched.h"

enum { EP = 10, ENT = 11, NTF = 12, LONELY = 14, SAVED = 15, DST = 20 };

#define CALL(n)  (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV     CAIRN_IPC_OP_RECEIVE
#define REPLY(n) (CAIRN_IPC_OP_REPLY | cairn_info((n), 0, 0))

/* Server s (prio 10) receiving; client c (prio 5) with an Entry; a third
 * process x (prio 3) holding the notification c may name in register NTF
 * (c holds it too). s runs first and waits. */
static notification_t *setup(process_t **s, process_t **c, process_t **x)
{
    sim_reset();
    *s = sim_proc(10);
    *c = sim_proc(5);
    *x = sim_proc(3);
    sim_endpoint(*s, EP);
    sim_entry(*s, EP, *c, ENT, 1);
    notification_t *n = sim_notification(*x, NTF);
    (*c)->cap_regs[NTF] = (*x)->cap_regs[NTF];
    sim_object(*x, OBJ_ENDPOINT, LONELY);          /* nobody receives here */
    sim_entry(*x, LONELY, *c, LONELY, 2);
    sim_run();
    sim_sys(*s, RECV, EP, 0);
    return n;
}

static process_t *timed_call_to(process_t *c, unsigned entry, uint64_t ticks)
{
    sim_buf(c)->timeout_ticks = ticks;
    return sim_syscall(c, CALL(1) | CAIRN_IPC_TIMEOUT, CAPLOC_REG(entry), 0, 10, 0, 0, 0);
}

static process_t *timed_call(process_t *c, uint64_t ticks)
{
    return timed_call_to(c, ENT, ticks);
}

static process_t *watched_call_to(process_t *c, unsigned entry)
{
    sim_buf(c)->abandon = CAPLOC_REG(NTF);
    return sim_syscall(c, CALL(1) | CAIRN_IPC_ABANDON, CAPLOC_REG(entry), 0, 10, 0, 0, 0);
}

static process_t *watched_call(process_t *c)
{
    return watched_call_to(c, ENT);
}

static process_t *reply(process_t *s, uint64_t w0)
{
    return sim_syscall(s, REPLY(1), 0, 0, w0, 0, 0, 0);
}

HOST_TEST(abandon, timeout_when_the_server_never_replies)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    CHECK(sched_current() == c);
    CHECK(timed_call(c, 5) == s);
    CHECK(sim_sleep(s, 10) == x);                  /* s holds the reply capability */
    CHECK(sim_park(x) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);
    CHECK(sim_tick(4) == NULL);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    CHECK(sim_tick(5) == c);
    sim_regs_t r = sim_regs(c);
    CHECK_EQ(cairn_result_error(r.info), ERR_TIMEOUT);
    CHECK_EQ(r.w[0], 0);
    CHECK_EQ(r.pc, SIM_PC0 + HOST_SYSCALL_LEN);
    CHECK(sim_park(c) == NULL);
    r = sim_regs(c);
    CHECK(sim_tick(10) == s);
    CHECK(reply(s, 99) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_waits(c, IPC_RECEIVING));            /* nothing reached c */
    CHECK_EQ(sim_regs(c).info, r.info);
    CHECK_EQ(sim_regs(c).w[0], r.w[0]);
}

HOST_TEST(abandon, timeout_while_still_queued)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    endpoint_t *ep = obj_ptr(x->cap_regs[LONELY].obj);
    CHECK(timed_call_to(c, LONELY, 2) == x);
    CHECK(sim_waits(c, IPC_SENDING));
    CHECK_EQ(ep->state, ENDPOINT_SENDERS);
    CHECK(sim_tick(2) == c);
    CHECK_EQ(sim_err(c), ERR_TIMEOUT);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
    CHECK(!timeout_pending());
}

HOST_TEST(abandon, reply_then_timeout_in_the_same_tick)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    CHECK(timed_call(c, 3) == s);
    CHECK(sim_sleep(s, 2) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(2) == s);
    CHECK(reply(s, 7) == s);                        /* just before tick 3 */
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_park(s) == c);
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(c).w[0], 7);
    CHECK(!timeout_pending());                      /* the reply disarmed it */
    CHECK(sim_tick(3) == c);                        /* nothing happens to c */
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(c).w[0], 7);
}

HOST_TEST(abandon, timeout_then_reply_in_the_same_tick)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    CHECK(timed_call(c, 3) == s);
    CHECK(sim_sleep(s, 3) == x);                    /* both due at tick 3 */
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(3) == s);                        /* c timed out first */
    CHECK_EQ(sim_err(c), ERR_TIMEOUT);
    CHECK(sched_is_ready(c));
    CHECK(reply(s, 7) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_park(s) == c);
    CHECK_EQ(sim_err(c), ERR_TIMEOUT);
    CHECK_EQ(sim_regs(c).w[0], 0);
}

HOST_TEST(abandon, timeouts_expire_in_deadline_order)
{
    sim_reset();
    process_t *p[4];
    uint64_t ticks[4] = { 5, 3, 5, 1 };
    for (unsigned i = 0; i < 4; i++)
        p[i] = sim_proc(5);
    process_t *cur = sim_run();
    for (unsigned i = 0; i < 4; i++) {
        CHECK(cur == p[i]);
        cur = sim_sleep(p[i], ticks[i]);
    }
    CHECK(cur == NULL);
    CHECK(sim_tick(1) == p[3]);
    CHECK(sim_park(p[3]) == NULL);
    CHECK(sim_tick(2) == NULL);
    CHECK(sim_tick(3) == p[1]);
    CHECK(sim_park(p[1]) == NULL);
    CHECK(sim_tick(5) == p[0]);                     /* equal deadlines: in arming order */
    CHECK(sched_is_ready(p[2]));
    CHECK(sim_park(p[0]) == p[2]);
    CHECK_EQ(sim_err(p[2]), ERR_TIMEOUT);
    CHECK(sim_park(p[2]) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_POWEROFF);       /* nothing can wake anyone */
}

HOST_TEST(abandon, receive_and_send_can_time_out)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    sim_buf(c)->timeout_ticks = 4;
    sim_object(c, OBJ_ENDPOINT, 13);
    CHECK(sim_sys(c, RECV | CAIRN_IPC_TIMEOUT, 13, 0) == x);
    sim_entry(x, LONELY, x, ENT, 0);
    sim_buf(x)->timeout_ticks = 2;
    CHECK(sim_sys(x, CAIRN_IPC_OP_SEND | CAIRN_IPC_TIMEOUT, ENT, 0) == NULL);
    CHECK(sim_waits(x, IPC_SENDING));
    CHECK(sim_tick(2) == x);
    CHECK_EQ(sim_err(x), ERR_TIMEOUT);
    endpoint_t *lonely = obj_ptr(x->cap_regs[LONELY].obj);
    CHECK_EQ(lonely->state, ENDPOINT_IDLE);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(4) == c);
    CHECK_EQ(sim_err(c), ERR_TIMEOUT);
    endpoint_t *ep13 = obj_ptr(c->cap_regs[13].obj);
    CHECK_EQ(ep13->state, ENDPOINT_IDLE);
}

HOST_TEST(abandon, reply_and_receive_can_time_out)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 1, 0, 0, 0) == s);
    sim_buf(s)->timeout_ticks = 2;
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY_RECEIVE | CAIRN_IPC_TIMEOUT | cairn_info(1, 0, 0),
                      CAPLOC_REG(EP), 0, 8, 0, 0, 0) == c);
    CHECK_EQ(sim_err(c), ERR_OK);                    /* the reply went at once */
    CHECK_EQ(sim_regs(c).w[0], 8);
    CHECK(sim_waits(s, IPC_RECEIVING));
    CHECK(sim_park(c) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(2) == s);
    CHECK_EQ(sim_err(s), ERR_TIMEOUT);               /* the receive ran out */
    endpoint_t *ep = obj_ptr(s->cap_regs[EP].obj);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
}

HOST_TEST(abandon, a_receive_can_be_abandoned)
{
    process_t *s, *c, *x;
    notification_t *n = setup(&s, &c, &x);
    s->cap_regs[NTF] = x->cap_regs[NTF];
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 1, 0, 0, 0) == s);
    sim_buf(s)->abandon = CAPLOC_REG(NTF);
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY_RECEIVE | CAIRN_IPC_ABANDON, CAPLOC_REG(EP),
                      0, 0, 0, 0, 0) == c);
    CHECK(sim_park(c) == x);
    CHECK_EQ(watch_first(n), s);
    CHECK(sim_method(x, NTF, OP_NOTIFICATION_signal, 1, 1, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_ABANDONED);
    CHECK(sim_waits(s, IPC_IDLE));
    /* Still signalled: the next receive is refused before it starts. */
    CHECK(sim_syscall(s, CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_ABANDON, CAPLOC_REG(EP),
                      0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_ABANDONED);
}

/* ---- Abandoning signals ---------------------------------------------------------------- */

HOST_TEST(abandon, signal_while_the_server_holds_the_reply)
{
    process_t *s, *c, *x;
    notification_t *n = setup(&s, &c, &x);
    CHECK(watched_call(c) == s);
    CHECK(sim_sleep(s, 5) == x);
    CHECK_EQ(watch_first(n), c);
    CHECK(sim_method(x, NTF, OP_NOTIFICATION_signal, 1, 0x4, 0, 0, 0) == c);
    CHECK_EQ(sim_err(x), ERR_OK);
    CHECK_EQ(sim_err(c), ERR_ABANDONED);
    CHECK(watch_first(n) == NULL);
    CHECK_EQ(n->word, 0x4);                         /* watching takes no bits */
    CHECK(sim_method(c, NTF, OP_NOTIFICATION_poll, 0, 0, 0, 0, 0) == c);
    CHECK_EQ(sim_regs(c).w[0], 0x4);
    CHECK(sim_park(c) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(5) == s);
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
}

HOST_TEST(abandon, signal_while_queued)
{
    process_t *s, *c, *x;
    notification_t *n = setup(&s, &c, &x);
    endpoint_t *ep = obj_ptr(x->cap_regs[LONELY].obj);
    CHECK(watched_call_to(c, LONELY) == x);
    CHECK(sim_waits(c, IPC_SENDING));
    CHECK(sim_method(x, NTF, OP_NOTIFICATION_signal, 1, 1, 0, 0, 0) == c);
    CHECK_EQ(sim_err(c), ERR_ABANDONED);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
    CHECK(watch_first(n) == NULL);
}

HOST_TEST(abandon, signalled_before_the_call_refuses_it)
{
    process_t *s, *c, *x;
    notification_t *n = setup(&s, &c, &x);
    n->word = 2;
    CHECK(watched_call(c) == c);
    CHECK_EQ(sim_err(c), ERR_ABANDONED);
    CHECK(sim_waits(s, IPC_RECEIVING));             /* nothing was sent */
    CHECK(sim_waits(c, IPC_IDLE));
    CHECK_EQ(n->word, 2);
}

HOST_TEST(abandon, a_signal_without_bits_abandons_nothing)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    CHECK(watched_call(c) == s);
    CHECK(sim_park(s) == x);
    CHECK(sim_method(x, NTF, OP_NOTIFICATION_signal, 1, 0, 0, 0, 0) == x);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
}

HOST_TEST(abandon, a_late_reply_with_capabilities_changes_nothing)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    sim_object(s, OBJ_ENDPOINT, 13);
    sim_object(c, OBJ_PAGE, DST);
    cap_t before = c->cap_regs[DST];
    sim_buf(c)->recv_caps[0] = CAPLOC_REG(DST);
    sim_buf(c)->words[5] = 555;
    sim_buf(c)->timeout_ticks = 1;
    CHECK(sim_syscall(c, CAIRN_IPC_OP_CALL | CAIRN_IPC_TIMEOUT | cairn_info(1, 0, 1),
                      CAPLOC_REG(ENT), 0, 10, 0, 0, 0) == s);
    CHECK(sim_sleep(s, 2) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(1) == c);
    CHECK_EQ(sim_err(c), ERR_TIMEOUT);
    CHECK(sim_park(c) == NULL);
    sim_regs_t r = sim_regs(c);
    CHECK(sim_tick(2) == s);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(13);
    sim_buf(s)->words[5] = 666;
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY | cairn_info(8, 1, 0), 0, 1, 2, 3, 4, 5) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK_EQ(sim_buf(c)->words[5], 555);
    CHECK_EQ(c->cap_regs[DST].obj, before.obj);
    CHECK_EQ(c->cap_regs[DST].type, CAP_PAGE);
    CHECK(sim_waits(c, IPC_RECEIVING));
    CHECK_EQ(sim_regs(c).info, r.info);
    CHECK_EQ(sim_regs(c).w[1], r.w[1]);
}

/* ---- Deaths and stops ------------------------------------------------------------------- */

HOST_TEST(abandon, server_dies_holding_reply_capabilities)
{
    sim_reset();
    process_t *admin = sim_proc(1);
    sim_endpoint(admin, EP);
    sim_sub_untyped(admin, 9, 16);
    process_t *s = sim_proc_from(&admin->cap_regs[9], 10);
    s->cap_regs[EP] = admin->cap_regs[EP];
    process_t *c1 = sim_proc(5), *c2 = sim_proc(5);
    sim_entry(admin, EP, c1, ENT, 1);
    sim_entry(admin, EP, c2, ENT, 2);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c1);
    CHECK(timed_call(c1, 3) == s);
    s->cap_regs[SAVED] = s->cap_regs[CAIRN_REPLY_REG];
    CHECK(sim_sys(s, RECV, EP, 0) == c2);
    CHECK(timed_call(c2, 4) == s);
    CHECK(sim_park(s) == admin);
    CHECK(sim_method(admin, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == admin);
    CHECK_EQ(s->state, CAIRN_PROC_DESTROYED);
    CHECK(sim_waits(c1, IPC_REPLY_WAIT));           /* held hostage ... */
    CHECK(sim_park(admin) == NULL);
    CHECK(sim_tick(3) == c1);                       /* ... until its timeout */
    CHECK_EQ(sim_err(c1), ERR_TIMEOUT);
    CHECK(sim_park(c1) == NULL);
    CHECK(sim_tick(4) == c2);
    CHECK_EQ(sim_err(c2), ERR_TIMEOUT);
    /* c2 can call again, a new server answers. */
    process_t *s2 = sim_proc(10);
    s2->cap_regs[EP] = admin->cap_regs[EP];
    CHECK(timed_call(c2, 3) == s2);                 /* queued; s2 runs */
    CHECK(sim_sys(s2, RECV, EP, 0) == s2);
    CHECK(reply(s2, 42) == s2);
    CHECK(sim_park(s2) == c2);
    CHECK_EQ(sim_err(c2), ERR_OK);
    CHECK_EQ(sim_regs(c2).w[0], 42);
}

HOST_TEST(abandon, client_dies_mid_call)
{
    process_t *s, *c, *x;
    notification_t *n = setup(&s, &c, &x);
    sim_sub_untyped(x, 9, 16);
    process_t *d1 = sim_proc_from(&x->cap_regs[9], 6), *d2 = sim_proc_from(&x->cap_regs[9], 6);
    sim_entry(s, EP, d1, ENT, 7);
    sim_object(x, OBJ_ENDPOINT, 13);
    sim_entry(x, 13, d2, ENT, 8);                   /* nobody receives there */
    d1->cap_regs[NTF] = d2->cap_regs[NTF] = x->cap_regs[NTF];
    CHECK(sim_park(c) == d1);
    sim_buf(d1)->timeout_ticks = 9;
    sim_buf(d1)->abandon = CAPLOC_REG(NTF);
    CHECK(sim_sys(d1, CALL(0) | CAIRN_IPC_TIMEOUT | CAIRN_IPC_ABANDON, ENT, 0) == s);
    CHECK(sim_sleep(s, 20) == d2);
    sim_buf(d2)->timeout_ticks = 9;
    sim_buf(d2)->abandon = CAPLOC_REG(NTF);
    CHECK(sim_sys(d2, CALL(0) | CAIRN_IPC_TIMEOUT | CAIRN_IPC_ABANDON, ENT, 0) == x);
    CHECK(sim_waits(d2, IPC_SENDING));
    CHECK(sim_method(x, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == x);
    CHECK_EQ(sim_err(x), ERR_OK);
    CHECK_EQ(d1->state, CAIRN_PROC_DESTROYED);
    CHECK(watch_first(n) == NULL);                  /* off every list */
    endpoint_t *ep13 = obj_ptr(x->cap_regs[13].obj);
    CHECK_EQ(ep13->state, ENDPOINT_IDLE);
    CHECK(sim_method(x, NTF, OP_NOTIFICATION_signal, 1, 1, 0, 0, 0) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(9) == NULL);                     /* their timeouts are gone */
    CHECK(sim_tick(20) == s);
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REVOKED);
    CHECK(!timeout_pending());
}

HOST_TEST(abandon, stop_during_a_call_interrupts_it)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    x->cap_regs[13] = c->cap_regs[SIM_SELF];
    CHECK(timed_call(c, 8) == s);
    CHECK(sim_sleep(s, 5) == x);
    CHECK(sim_method(x, 13, OP_PROCESS_stop, 0, 0, 0, 0, 0) == x);
    CHECK_EQ(c->state, CAIRN_PROC_STOPPED);
    CHECK(sim_waits(c, IPC_IDLE));
    CHECK(sim_method(x, 13, OP_PROCESS_start, 0, 0, 0, 0, 0) == c);
    sim_regs_t r = sim_regs(c);
    CHECK_EQ(cairn_result_error(r.info), ERR_INTERRUPTED);
    CHECK_EQ(r.pc, SIM_PC0 + HOST_SYSCALL_LEN);
    CHECK(sim_park(c) == x);
    CHECK(sim_park(x) == NULL);
    CHECK(sim_tick(5) == s);                        /* c's timeout went with it */
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
}

HOST_TEST(abandon, stop_while_queued_rewinds_the_call)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    endpoint_t *ep = obj_ptr(x->cap_regs[LONELY].obj);
    x->cap_regs[13] = c->cap_regs[SIM_SELF];
    CHECK(sim_syscall(c, CALL(2), CAPLOC_REG(LONELY), 5, 50, 51, 0, 0) == x);
    CHECK(sim_method(x, 13, OP_PROCESS_stop, 0, 0, 0, 0, 0) == x);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
    sim_regs_t r = sim_regs(c);
    CHECK_EQ(r.pc, SIM_PC0);                        /* back on the system call */
    CHECK_EQ(r.info, CALL(2));                      /* the message is intact */
    CHECK_EQ(r.w[1], 51);
    CHECK(sim_method(x, 13, OP_PROCESS_start, 0, 0, 0, 0, 0) == c);
    CHECK(sim_syscall(c, r.info, r.target, r.opcode, r.w[0], r.w[1], r.w[2], r.w[3]) == x);
    CHECK(sim_waits(c, IPC_SENDING));               /* queued again, once */
    CHECK_EQ(ep->queue.head, obj_ref_of(c));
    CHECK_EQ(ep->queue.tail, obj_ref_of(c));
}

HOST_TEST(abandon, stop_while_receiving_after_a_reply_does_not_reply_twice)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    x->cap_regs[13] = s->cap_regs[SIM_SELF];
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 1, 0, 0, 0) == s);
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 0, 0),
                      CAPLOC_REG(EP), 0, 9, 0, 0, 0) == c);
    CHECK(sim_waits(s, IPC_RECEIVING));
    CHECK_EQ(sim_regs(c).w[0], 9);
    CHECK(sim_park(c) == x);
    uint64_t pc = sim_regs(s).pc;
    CHECK(sim_method(x, 13, OP_PROCESS_stop, 0, 0, 0, 0, 0) == x);
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(r.pc, pc - HOST_SYSCALL_LEN);         /* rewound */
    CHECK_EQ(r.info & CAIRN_IPC_REPLY, 0);
    CHECK_EQ(r.info & CAIRN_IPC_RECEIVE, CAIRN_IPC_RECEIVE);
    CHECK(sim_method(x, 13, OP_PROCESS_start, 0, 0, 0, 0, 0) == s);
    CHECK(sim_syscall(s, r.info, r.target, r.opcode, r.w[0], 0, 0, 0) == x);
    CHECK(sim_waits(s, IPC_RECEIVING));
    CHECK(sim_waits(c, IPC_RECEIVING));             /* c is parked, untouched */
}

HOST_TEST(abandon, destroying_the_notification_ends_the_call)
{
    process_t *s, *c, *x;
    setup(&s, &c, &x);
    sim_sub_untyped(x, 9, 14);
    c->cap_regs[NTF] = cap_null();
    CHECK_EQ(untyped_retype(&x->cap_regs[9], OBJ_NOTIFICATION, 0, 1, &c->cap_regs[NTF]),
             ERR_OK);
    CHECK(watched_call(c) == s);
    CHECK(sim_park(s) == x);
    CHECK(sim_method(x, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == c);
    CHECK_EQ(sim_err(c), ERR_REVOKED);
    CHECK(sim_waits(c, IPC_IDLE));
}
