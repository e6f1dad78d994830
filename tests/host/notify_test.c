/*
 * Host suite `notify`: Notification.signal, wait, poll, bind, unbind and
 * make_signaller with their errors; waiters in FIFO order; signal-only
 * masks; a bound notification ending an open receive (RECV_NOTIFY);
 * stop of a waiter; destruction with waiters, watchers and a binding.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "ipc/watch.h"
#include "obj/untyped.h"
#include "sched/sched.h"

enum { NTF = 12, SIG = 13, EP = 10, ENT = 11, PROC = 14 };

static process_t *signal(process_t *p, unsigned reg, uint64_t bits)
{
    return sim_method(p, reg, OP_NOTIFICATION_signal, 1, bits, 0, 0, 0);
}

static process_t *wait_on(process_t *p, unsigned reg)
{
    return sim_method(p, reg, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0);
}

static process_t *poll(process_t *p, unsigned reg)
{
    return sim_method(p, reg, OP_NOTIFICATION_poll, 0, 0, 0, 0, 0);
}

/* w (prio 10) and x (prio 5) share a notification in register NTF. */
static notification_t *two(process_t **w, process_t **x)
{
    sim_reset();
    *w = sim_proc(10);
    *x = sim_proc(5);
    notification_t *n = sim_notification(*w, NTF);
    (*x)->cap_regs[NTF] = (*w)->cap_regs[NTF];
    return n;
}

HOST_TEST(notify, signal_ors_and_poll_takes)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    CHECK(sim_run() == w);
    CHECK(signal(w, NTF, 0x5) == w);
    CHECK(signal(w, NTF, 0x2) == w);                 /* never blocks */
    CHECK_EQ(n->word, 0x7);
    CHECK(poll(w, NTF) == w);
    CHECK_EQ(sim_err(w), ERR_OK);
    CHECK_EQ(cairn_result_words(sim_regs(w).info), 1);
    CHECK_EQ(sim_regs(w).w[0], 0x7);
    CHECK(poll(w, NTF) == w);
    CHECK_EQ(sim_regs(w).w[0], 0);
    CHECK_EQ(n->word, 0);
}

HOST_TEST(notify, wait_blocks_until_a_signal)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    CHECK(sim_run() == w);
    CHECK(wait_on(w, NTF) == x);
    CHECK(sim_waits(w, IPC_NOTIFY_WAIT));
    CHECK_EQ(n->state, NOTIFICATION_WAITING);
    CHECK(signal(x, NTF, 0x10) == w);                /* w outranks x */
    CHECK_EQ(sim_err(w), ERR_OK);
    CHECK_EQ(sim_regs(w).w[0], 0x10);
    CHECK_EQ(sim_regs(w).pc, SIM_PC0 + HOST_SYSCALL_LEN);
    CHECK_EQ(n->word, 0);                            /* taken */
    CHECK_EQ(n->state, NOTIFICATION_IDLE);
    CHECK_EQ(sim_err(x), ERR_OK);
}

HOST_TEST(notify, wait_with_bits_pending_returns_at_once)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    n->word = 0x30;
    CHECK(sim_run() == w);
    CHECK(wait_on(w, NTF) == w);
    CHECK_EQ(sim_regs(w).w[0], 0x30);
    CHECK_EQ(n->word, 0);
}

HOST_TEST(notify, waiters_are_woken_in_fifo_order)
{
    sim_reset();
    process_t *a = sim_proc(5), *b = sim_proc(5), *x = sim_proc(1);
    notification_t *n = sim_notification(a, NTF);
    b->cap_regs[NTF] = x->cap_regs[NTF] = a->cap_regs[NTF];
    CHECK(sim_run() == a);
    CHECK(wait_on(a, NTF) == b);
    CHECK(wait_on(b, NTF) == x);
    CHECK(signal(x, NTF, 1) == a);                  /* one signal, one waiter */
    CHECK(sim_waits(b, IPC_NOTIFY_WAIT));
    CHECK_EQ(sim_regs(a).w[0], 1);
    CHECK(sim_park(a) == x);
    CHECK(signal(x, NTF, 2) == b);
    CHECK_EQ(sim_regs(b).w[0], 2);
    CHECK_EQ(n->state, NOTIFICATION_IDLE);
}

HOST_TEST(notify, badged_signallers)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    sim_buf(w)->recv_caps[0] = CAPLOC_REG(SIG);
    CHECK(sim_run() == w);
    CHECK(sim_syscall(w, cairn_info(1, 0, 1), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_make_signaller, 0x3, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OK);
    CHECK_EQ(w->cap_regs[SIG].type, CAP_NOTIFICATION);
    CHECK_EQ(w->cap_regs[SIG].payload, 0x3);
    CHECK(signal(w, SIG, 0x100) == w);
    CHECK_EQ(n->word, 0x3);                          /* its badge, whatever it is given */
    CHECK(poll(w, SIG) == w);
    CHECK_EQ(sim_err(w), ERR_NO_RIGHTS);
    CHECK(wait_on(w, SIG) == w);
    CHECK_EQ(sim_err(w), ERR_NO_RIGHTS);
    CHECK(sim_method(w, SIG, OP_NOTIFICATION_unbind, 0, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_NO_RIGHTS);
    /* From a signaller: only narrower. */
    sim_buf(w)->recv_caps[0] = CAPLOC_REG(SIG + 1);
    CHECK(sim_syscall(w, cairn_info(1, 0, 1), CAPLOC_REG(SIG),
                      OP_NOTIFICATION_make_signaller, 0x7, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_NO_RIGHTS);
    CHECK(sim_syscall(w, cairn_info(1, 0, 1), CAPLOC_REG(SIG),
                      OP_NOTIFICATION_make_signaller, 0x2, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OK);
    CHECK_EQ(w->cap_regs[SIG + 1].payload, 0x2);
    CHECK(sim_syscall(w, cairn_info(1, 0, 1), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_make_signaller, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OUT_OF_RANGE);
    CHECK(sim_syscall(w, cairn_info(1, 0, 1), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_make_signaller, 1ull << 32, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OUT_OF_RANGE);
}

HOST_TEST(notify, a_read_only_capability_only_waits)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    cap_restrict(&x->cap_regs[NTF], RESTR_READ_ONLY);
    sim_buf(x)->recv_caps[0] = CAPLOC_REG(SIG);
    CHECK(sim_run() == w);
    CHECK(sim_park(w) == x);
    CHECK(signal(x, NTF, 1) == x);
    CHECK_EQ(sim_err(x), ERR_NO_RIGHTS);
    CHECK_EQ(n->word, 0);
    CHECK(sim_syscall(x, cairn_info(1, 0, 1), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_make_signaller, 1, 0, 0, 0) == x);
    CHECK_EQ(sim_err(x), ERR_NO_RIGHTS);             /* no signalling by the back door */
    n->word = 6;
    CHECK(wait_on(x, NTF) == x);
    CHECK_EQ(sim_err(x), ERR_OK);
    CHECK_EQ(sim_regs(x).w[0], 6);
}

HOST_TEST(notify, method_errors)
{
    process_t *w, *x;
    two(&w, &x);
    CHECK(sim_run() == w);
    CHECK(sim_method(w, NTF, 99, 0, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_BAD_OPCODE);
    CHECK(sim_method(w, NTF, OP_NOTIFICATION_signal, 0, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_INVALID_ARGUMENT);      /* the word is missing */
    CHECK(sim_syscall(w, CAIRN_IPC_OP_SEND | cairn_info(1, 0, 0), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_signal, 1, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_WRONG_TYPE);            /* a send is not a method call */
    CHECK(sim_syscall(w, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), CAPLOC_REG(NTF),
                      OP_NOTIFICATION_signal, 1, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OK);                    /* a call is */
}

HOST_TEST(notify, a_signal_of_no_bits_wakes_nobody)
{
    process_t *w, *x;
    two(&w, &x);
    CHECK(sim_run() == w);
    CHECK(wait_on(w, NTF) == x);
    CHECK(signal(x, NTF, 0) == x);
    CHECK(sim_waits(w, IPC_NOTIFY_WAIT));
}

/* ---- Bound notifications ------------------------------------------------------------- */

/* Server s (prio 10) bound to notification n, receiving on its endpoint;
 * x (prio 5) holds the notification. */
static notification_t *bound(process_t **s, process_t **x)
{
    notification_t *n = two(s, x);
    sim_endpoint(*s, EP);
    sim_buf(*s)->send_caps[0] = CAPLOC_REG(SIM_SELF);
    (*s)->cap_regs[PROC] = (*s)->cap_regs[SIM_SELF];
    sim_run();
    sim_syscall(*s, cairn_info(0, 1, 0), CAPLOC_REG(NTF), OP_NOTIFICATION_bind, 0, 0, 0, 0);
    return n;
}

HOST_TEST(notify, a_bound_notification_ends_an_open_receive)
{
    process_t *s, *x;
    notification_t *n = bound(&s, &x);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(n->bound, obj_ref_of(s));
    CHECK_EQ(s->ipc.bound, obj_ref_of(n));
    CHECK(sim_sys(s, CAIRN_IPC_OP_RECEIVE, EP, 0) == x);
    CHECK(signal(x, NTF, 0x40) == s);
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK(r.info & CAIRN_RESULT_RECV_NOTIFY);
    CHECK_EQ(r.info & CAIRN_RESULT_RECV_CALL, 0);
    CHECK_EQ(r.w[0], 0x40);
    CHECK_EQ(r.target, 0);
    CHECK_EQ(n->word, 0);
    endpoint_t *ep = obj_ptr(s->cap_regs[EP].obj);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
}

HOST_TEST(notify, bits_pending_end_the_receive_at_once)
{
    process_t *s, *x;
    notification_t *n = bound(&s, &x);
    n->word = 0x9;
    CHECK(sim_sys(s, CAIRN_IPC_OP_RECEIVE, EP, 0) == s);
    CHECK(sim_regs(s).info & CAIRN_RESULT_RECV_NOTIFY);
    CHECK_EQ(sim_regs(s).w[0], 0x9);
}

HOST_TEST(notify, a_call_is_not_woken_by_the_bound_notification)
{
    process_t *s, *x;
    notification_t *n = bound(&s, &x);
    sim_object(x, OBJ_ENDPOINT, EP);
    sim_entry(x, EP, s, ENT, 0);
    CHECK(sim_sys(s, CAIRN_IPC_OP_CALL, ENT, 0) == x);
    CHECK(sim_waits(s, IPC_SENDING));
    CHECK(signal(x, NTF, 1) == x);
    CHECK(sim_waits(s, IPC_SENDING));               /* a closed wait */
    CHECK_EQ(n->word, 1);
}

HOST_TEST(notify, a_waiter_comes_before_the_bound_receiver)
{
    process_t *s, *x;
    notification_t *n = bound(&s, &x);
    process_t *y = sim_proc(7);
    y->cap_regs[NTF] = s->cap_regs[NTF];
    CHECK(sim_sys(s, CAIRN_IPC_OP_RECEIVE, EP, 0) == y);
    CHECK(wait_on(y, NTF) == x);
    CHECK(signal(x, NTF, 4) == y);
    CHECK_EQ(sim_regs(y).w[0], 4);
    CHECK(sim_waits(s, IPC_RECEIVING));
    CHECK_EQ(n->word, 0);
}

HOST_TEST(notify, bind_and_unbind_errors)
{
    process_t *s, *x;
    notification_t *n = bound(&s, &x);
    sim_notification(s, 20);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(PROC);
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(20), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_BUSY);                  /* the process is bound */
    x->cap_regs[PROC] = x->cap_regs[SIM_SELF];
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(NTF), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_BUSY);                  /* the notification is bound */
    s->cap_regs[PROC] = x->cap_regs[SIM_SELF];
    cap_restrict(&s->cap_regs[PROC], RESTR_READ_ONLY);
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(20), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_NO_RIGHTS);
    s->cap_regs[PROC] = s->cap_regs[EP];
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(20), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_WRONG_TYPE);
    s->cap_regs[PROC] = cap_null();
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(20), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_INVALID_CAP);
    CHECK(sim_method(s, NTF, OP_NOTIFICATION_unbind, 0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(n->bound, OBJ_REF_NONE);
    CHECK_EQ(s->ipc.bound, OBJ_REF_NONE);
    CHECK(sim_method(s, NTF, OP_NOTIFICATION_unbind, 0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);                    /* unbinding twice is fine */
    /* Unbound, a signal no longer ends the receive. */
    CHECK(sim_sys(s, CAIRN_IPC_OP_RECEIVE, EP, 0) == x);
    CHECK(signal(x, NTF, 1) == x);
    CHECK(sim_waits(s, IPC_RECEIVING));
}

HOST_TEST(notify, bind_to_a_revoked_process)
{
    process_t *s, *x;
    two(&s, &x);
    sim_sub_untyped(s, 9, 14);
    CHECK_EQ(untyped_retype(&s->cap_regs[9], OBJ_PROCESS, 0, 1, &s->cap_regs[PROC]), ERR_OK);
    CHECK_EQ(host_revoke(s, 9, NULL), ERR_OK);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(PROC);
    CHECK(sim_run() == s);
    CHECK(sim_syscall(s, cairn_info(0, 1, 0), CAPLOC_REG(NTF), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_REVOKED);
}

/* ---- Stop and destruction ------------------------------------------------------------- */

HOST_TEST(notify, a_stopped_waiter_waits_again_when_started)
{
    process_t *w, *x;
    notification_t *n = two(&w, &x);
    x->cap_regs[PROC] = w->cap_regs[SIM_SELF];
    CHECK(sim_run() == w);
    CHECK(wait_on(w, NTF) == x);
    CHECK(sim_method(x, PROC, OP_PROCESS_stop, 0, 0, 0, 0, 0) == x);
    CHECK(sim_waits(w, IPC_IDLE));
    CHECK_EQ(n->state, NOTIFICATION_IDLE);
    CHECK_EQ(sim_regs(w).pc, SIM_PC0);               /* back on the call */
    CHECK(signal(x, NTF, 8) == x);                   /* nobody takes it now */
    CHECK_EQ(n->word, 8);
    CHECK(sim_method(x, PROC, OP_PROCESS_start, 0, 0, 0, 0, 0) == w);
    sim_regs_t r = sim_regs(w);
    CHECK(sim_syscall(w, r.info, r.target, r.opcode, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_regs(w).w[0], 8);
}

HOST_TEST(notify, destruction_releases_waiters_watchers_and_binding)
{
    sim_reset();
    process_t *admin = sim_proc(1), *w = sim_proc(5), *c = sim_proc(5), *s = sim_proc(5);
    sim_sub_untyped(admin, 9, 14);
    CHECK_EQ(untyped_retype(&admin->cap_regs[9], OBJ_NOTIFICATION, 0, 1,
                            &admin->cap_regs[NTF]), ERR_OK);
    notification_t *n = obj_ptr(admin->cap_regs[NTF].obj);
    w->cap_regs[NTF] = c->cap_regs[NTF] = admin->cap_regs[NTF];
    sim_endpoint(admin, EP);
    sim_entry(admin, EP, c, ENT, 0);
    s->cap_regs[EP] = admin->cap_regs[EP];
    sim_buf(admin)->send_caps[0] = CAPLOC_REG(PROC);
    admin->cap_regs[PROC] = s->cap_regs[SIM_SELF];
    CHECK(sim_run() == w);
    CHECK(wait_on(w, NTF) == c);
    sim_buf(c)->abandon = CAPLOC_REG(NTF);
    CHECK(sim_sys(c, CAIRN_IPC_OP_CALL | CAIRN_IPC_ABANDON, ENT, 0) == s);
    CHECK_EQ(watch_first(n), c);
    CHECK(sim_sleep(s, 50) == admin);                /* not receiving: c stays queued */
    CHECK(sim_syscall(admin, cairn_info(0, 1, 0), CAPLOC_REG(NTF), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == admin);
    CHECK_EQ(sim_err(admin), ERR_OK);
    CHECK_EQ(s->ipc.bound, obj_ref_of(n));
    CHECK(sim_method(admin, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_REVOKED);
    CHECK_EQ(sim_err(c), ERR_REVOKED);
    CHECK(sim_waits(c, IPC_IDLE));
    CHECK_EQ(s->ipc.bound, OBJ_REF_NONE);
    CHECK(sim_waits(s, IPC_RECEIVING));              /* its sleep goes on */
}
