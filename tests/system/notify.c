/*
 * System suite `notify`: Notification.signal, wait, poll, bind, unbind
 * and make_signaller between the test and puppets in other address
 * spaces (tests/system/ipctest.h).
 *
 * Signals OR bits in and never block; waiters take all the bits, in FIFO
 * order; badged signallers OR in exactly their badge; a read-only
 * capability only waits; a notification bound to a process ends its open
 * receives (RECV_NOTIFY), never its calls, and only after the processes
 * waiting in Notification.wait; destroying a notification releases its
 * waiters, watchers and binding.
 */
#include "ipctest.h"

#define N          R(15)
#define N_RO       R(16)          /* read-only: wait-only */
#define N_BADGED   R(17)          /* signal(n, 0x40) */
#define BOUND      R(18)
#define EP         R(19)
#define EP_ENTRY   R(20)

static puppet_t pup[3];

/* ---- Helpers -------------------------------------------------------------------------- */

static uint64_t take(caploc_t n)
{
    uint64_t bits = ~0ull;
    if (cairn_notification_poll(n, &bits) != ERR_OK)
        return ~0ull;
    return bits;
}

/* Puppet k, afresh at priority prio, holding n in register 15 and the
 * endpoint in 19, and the entry in 20. */
static cairn_error_t fresh(unsigned k, unsigned prio, caploc_t n)
{
    cairn_error_t e;
    if ((e = puppet_fresh(&pup[k], k, prio)) ||
        (e = puppet_set_cap(&pup[k], 15, n)) ||
        (e = puppet_set_cap(&pup[k], 19, EP)))
        return e;
    return puppet_set_cap(&pup[k], 20, EP_ENTRY);
}

/* Puppet k, afresh, waits on n (Notification.wait). */
static cairn_error_t waiter(unsigned k, unsigned prio, caploc_t n)
{
    cairn_error_t e = fresh(k, prio, n);
    return e ? e : puppet_run(&pup[k], (cairn_regs_t){ 0, R(15), OP_NOTIFICATION_wait, { 0 } });
}

/* Puppet k, afresh, signals bits on n. */
static cairn_error_t signaller(unsigned k, unsigned prio, caploc_t n, uint64_t bits)
{
    cairn_error_t e = fresh(k, prio, n);
    return e ? e : puppet_run(&pup[k], (cairn_regs_t){ cairn_info(1, 0, 0), R(15),
                                                       OP_NOTIFICATION_signal, { bits } });
}

/* Puppet k starts an open receive on ep. */
static cairn_error_t receives(unsigned k)
{
    return puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE, R(19), 0, { 0 } });
}

static bool returned_with(unsigned k, uint64_t w0)
{
    return puppet_error(&pup[k]) == ERR_OK && puppet_regs(&pup[k]).w[0] == w0;
}

/* ---- Signal, wait, poll ----------------------------------------------------------------- */

UTEST(signal_ors_bits_and_poll_takes_them)
{
    take(N);
    UCHECK_OK(cairn_notification_signal(N, 0x5));
    UCHECK_OK(cairn_notification_signal(N, 0x2));
    UCHECK_EQ(take(N), 0x7);
    UCHECK_EQ(take(N), 0);
}

UTEST(wait_with_bits_pending_returns_at_once)
{
    uint64_t bits = 0;
    UCHECK_OK(cairn_notification_signal(N, 0x30));
    UCHECK_OK(cairn_notification_wait(N, &bits));
    UCHECK_EQ(bits, 0x30);
    UCHECK_EQ(take(N), 0);
}

UTEST(wait_blocks_until_a_signal)
{
    UCHECK_OK(signaller(0, 5, N, 0x10));      /* below us: runs once we wait */
    uint64_t bits = 0;
    UCHECK_OK(cairn_notification_wait(N, &bits));
    UCHECK_EQ(bits, 0x10);
    UCHECK_OK(waiter(1, 20, N));              /* above us: waits at once */
    UCHECK(puppet_waiting(&pup[1]));
    UCHECK_OK(cairn_notification_signal(N, 0x8));
    UCHECK(returned_with(1, 0x8));
    UCHECK_EQ(take(N), 0);                    /* the waiter took them */
}

UTEST(waiters_are_woken_in_fifo_order)
{
    UCHECK_OK(waiter(0, 20, N));
    UCHECK_OK(waiter(1, 30, N));
    UCHECK_OK(cairn_notification_signal(N, 1));
    UCHECK(returned_with(0, 1));              /* the first, though lower */
    UCHECK(puppet_waiting(&pup[1]));
    UCHECK_OK(cairn_notification_signal(N, 2));
    UCHECK(returned_with(1, 2));
}

UTEST(a_signal_of_no_bits_wakes_nobody)
{
    UCHECK_OK(waiter(0, 20, N));
    UCHECK_OK(cairn_notification_signal(N, 0));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(cairn_notification_signal(N, 4));
    UCHECK(returned_with(0, 4));
}

UTEST(signalling_never_blocks)
{
    take(N);
    for (unsigned i = 0; i < 1000; i++)
        UCHECK_OK(cairn_notification_signal(N, 1ull << (i % 64)));
    UCHECK_EQ(take(N), ~0ull);
    /* A waiter below us is woken, but we go on first. */
    UCHECK_OK(waiter(0, 5, N));
    UCHECK_OK(nap(1));                        /* it runs and waits */
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(cairn_notification_signal(N, 0x100));
    UCHECK(!puppet_returned(&pup[0]));
    UCHECK_OK(nap(1));
    UCHECK(returned_with(0, 0x100));
}

/* ---- Badges and restrictions ------------------------------------------------------------- */

UTEST(badged_signallers_or_in_their_badge)
{
    take(N);
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    UCHECK_OK(cairn_notification_make_signaller(N, 0x3, R(24)));
    UCHECK_OK(cairn_notification_signal(R(24), 0x100));    /* the word is ignored */
    UCHECK_OK(cairn_notification_signal(N_BADGED, 0xffff));
    UCHECK_EQ(take(N), 0x43);
    /* A waiter tells its signallers apart. */
    UCHECK_OK(waiter(0, 20, N));
    UCHECK_OK(cairn_notification_signal(N_BADGED, 1));
    UCHECK(returned_with(0, 0x40));
}

UTEST(badged_capabilities_only_signal)
{
    uint64_t bits;
    UCHECK_ERR(cairn_notification_wait(N_BADGED, &bits), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_poll(N_BADGED, &bits), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_bind(N_BADGED, SELF), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_unbind(N_BADGED), ERR_NO_RIGHTS);
}

UTEST(make_signaller_bounds)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    UCHECK_OK(cairn_process_cap_delete(SELF, R(25)));
    UCHECK_OK(cairn_notification_make_signaller(N, 0x3, R(24)));
    UCHECK_OK(cairn_notification_make_signaller(R(24), 0x1, R(25)));   /* narrower */
    UCHECK_OK(cairn_process_cap_delete(SELF, R(25)));
    UCHECK_ERR(cairn_notification_make_signaller(R(24), 0x4, R(25)), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_make_signaller(N, 0, R(25)), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_notification_make_signaller(N, 1ull << 32, R(25)), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_notification_make_signaller(N_RO, 1, R(25)), ERR_NO_RIGHTS);
}

UTEST(a_read_only_capability_only_waits)
{
    take(N);
    UCHECK_ERR(cairn_notification_signal(N_RO, 1), ERR_NO_RIGHTS);
    UCHECK_EQ(take(N), 0);
    UCHECK_OK(cairn_notification_signal(N, 2));
    UCHECK_EQ(take(N_RO), 2);
    UCHECK_OK(signaller(0, 5, N, 4));
    uint64_t bits = 0;
    UCHECK_OK(cairn_notification_wait(N_RO, &bits));
    UCHECK_EQ(bits, 4);
}

UTEST(method_shape_errors)
{
    UCHECK_ERR(cairn_result_error(sys(0, N, 99, 0, 0, 0, 0).info), ERR_BAD_OPCODE);
    UCHECK_ERR(cairn_result_error(sys(0, N, OP_NOTIFICATION_signal, 1, 0, 0, 0).info),
               ERR_INVALID_ARGUMENT);         /* no word sent */
    UCHECK_ERR(cairn_result_error(sys(0, N, OP_NOTIFICATION_bind, 0, 0, 0, 0).info),
               ERR_INVALID_ARGUMENT);         /* no capability sent */
    UCHECK_EQ(take(N), 0);
}

/* ---- Binding -------------------------------------------------------------------------------- */

UTEST(a_bound_notification_ends_an_open_receive)
{
    take(BOUND);
    UCHECK_OK(cairn_notification_bind(BOUND, SELF));
    UCHECK_OK(signaller(0, 5, BOUND, 0x8));   /* runs once we wait */
    cairn_msg_t m = { .opcode = 77 };
    cairn_ipc_result_t r = cairn_ipc_receive(EP, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_NOTIFY);
    UCHECK_EQ(r.payload, 0);
    UCHECK_EQ(m.opcode, 0);
    UCHECK_EQ(m.nwords, 1);
    UCHECK_EQ(m.words[0], 0x8);
    UCHECK_EQ(take(BOUND), 0);                /* the receive took them */
    /* Bits already there end a receive at once, blocking or not. */
    UCHECK_OK(cairn_notification_signal(BOUND, 3));
    r = cairn_ipc_receive(EP, &m, CAIRN_IPC_NONBLOCK);
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_NOTIFY);
    UCHECK_EQ(m.words[0], 3);
    UCHECK_OK(cairn_notification_signal(BOUND, 5));
    r = cairn_ipc_receive(EP, &m, 0);
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_NOTIFY);
    UCHECK_EQ(m.words[0], 5);
    /* A message that is there first is a message. */
    UCHECK_OK(fresh(1, 20, N));
    UCHECK_OK(puppet_run(&pup[1], (cairn_regs_t){ CAIRN_IPC_OP_SEND | cairn_info(1, 0, 0),
                                                  R(20), 4, { 44 } }));
    r = cairn_ipc_receive(EP, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.flags, 0);
    UCHECK_EQ(r.payload, 0x9);
    UCHECK_EQ(m.words[0], 44);
    UCHECK_OK(cairn_notification_unbind(BOUND));
    UCHECK_OK(cairn_notification_signal(BOUND, 1));
    UCHECK_ERR(cairn_ipc_receive(EP, &m, CAIRN_IPC_NONBLOCK).error, ERR_WOULD_BLOCK);
    UCHECK_EQ(take(BOUND), 1);
}

UTEST(a_call_is_not_woken_by_the_bound_notification)
{
    take(BOUND);
    UCHECK_OK(fresh(0, 20, N));
    UCHECK_OK(cairn_notification_bind(BOUND, PUPPET_PROC(&pup[0])));
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_CALL, R(20), 0, { 0 } }));
    UCHECK(puppet_waiting(&pup[0]));          /* queued on ep */
    UCHECK_OK(cairn_notification_signal(BOUND, 1));
    UCHECK(puppet_waiting(&pup[0]));
    cairn_msg_t m = { 0 };
    UCHECK_OK(cairn_ipc_receive(EP, &m, 0).error);
    m = msg_words(0, 1, 5);
    UCHECK_OK(cairn_ipc_reply(&m));
    UCHECK(returned_with(0, 5));
    UCHECK_EQ(puppet_regs(&pup[0]).info & CAIRN_RESULT_RECV_NOTIFY, 0);
    UCHECK_EQ(take(BOUND), 1);                /* still there for it */
    /* Its open receive is another matter. */
    UCHECK_OK(receives(0));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(cairn_notification_signal(BOUND, 2));
    UCHECK(returned_with(0, 2));
    UCHECK(puppet_regs(&pup[0]).info & CAIRN_RESULT_RECV_NOTIFY);
    UCHECK_OK(cairn_notification_unbind(BOUND));
}

UTEST(a_waiter_comes_before_the_bound_receiver)
{
    take(BOUND);
    UCHECK_OK(fresh(0, 20, N));
    UCHECK_OK(cairn_notification_bind(BOUND, PUPPET_PROC(&pup[0])));
    UCHECK_OK(receives(0));
    UCHECK_OK(waiter(1, 20, BOUND));
    UCHECK_OK(cairn_notification_signal(BOUND, 4));
    UCHECK(returned_with(1, 4));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(cairn_notification_signal(BOUND, 8));
    UCHECK(returned_with(0, 8));
    UCHECK_OK(cairn_notification_unbind(BOUND));
}

UTEST(bind_and_unbind_errors)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    UCHECK_OK(cairn_process_cap_copy(SELF, SELF, R(24)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(24), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_notification_bind(BOUND, R(24)), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_bind(N_BADGED, SELF), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_bind(BOUND, R(0)), ERR_INVALID_CAP);
    UCHECK_ERR(cairn_notification_bind(BOUND, WINDOW), ERR_WRONG_TYPE);
    UCHECK_OK(fresh(0, 20, N));
    UCHECK_OK(cairn_process_cap_copy(SELF, PUPPET_PROC(&pup[0]), R(25)));
    UCHECK_OK(puppet_destroy(&pup[0]));
    UCHECK_ERR(cairn_notification_bind(BOUND, R(25)), ERR_REVOKED);
    UCHECK_OK(fresh(0, 20, N));
    UCHECK_OK(cairn_notification_bind(BOUND, SELF));
    UCHECK_ERR(cairn_notification_bind(BOUND, PUPPET_PROC(&pup[0])), ERR_BUSY);
    UCHECK_ERR(cairn_notification_bind(N, SELF), ERR_BUSY);
    UCHECK_OK(cairn_notification_unbind(N));  /* not bound: fine */
    UCHECK_OK(cairn_notification_unbind(BOUND));
    UCHECK_OK(cairn_notification_unbind(BOUND));
    UCHECK_OK(cairn_notification_bind(BOUND, PUPPET_PROC(&pup[0])));
    UCHECK_OK(cairn_notification_unbind(BOUND));
}

/* ---- Stop and destruction ------------------------------------------------------------------ */

UTEST(a_stopped_waiter_waits_again_when_started)
{
    take(N);
    UCHECK_OK(waiter(0, 20, N));
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(&pup[0])));
    UCHECK_OK(cairn_notification_signal(N, 1));   /* nobody waits now */
    UCHECK_OK(cairn_process_start(PUPPET_PROC(&pup[0])));
    UCHECK(returned_with(0, 1));              /* its wait ran again */
    UCHECK_EQ(take(N), 0);
}

UTEST(destruction_releases_waiters_watchers_and_binding)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, R(26)));
    UCHECK_OK(cairn_process_cap_delete(SELF, R(27)));
    UCHECK_OK(new_untyped(12, 26));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_NOTIFICATION, 0, 1, R(27)));
    UCHECK_OK(waiter(0, 20, R(27)));          /* waits on it */
    UCHECK_OK(fresh(1, 20, R(27)));           /* bound to it, receiving */
    UCHECK_OK(cairn_notification_bind(R(27), PUPPET_PROC(&pup[1])));
    UCHECK_OK(receives(1));
    UCHECK_OK(fresh(2, 20, R(27)));           /* receiving, watching it */
    puppet_buffer(&pup[2])->abandon = CAPLOC_REG(15);
    UCHECK_OK(puppet_run(&pup[2], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_ABANDON,
                                                  R(19), 0, { 0 } }));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK(puppet_waiting(&pup[2]));
    UCHECK_OK(revoke(R(26)));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_REVOKED);
    UCHECK_EQ(puppet_error(&pup[2]), ERR_REVOKED);
    UCHECK(puppet_waiting(&pup[1]));          /* it waits on the endpoint */
    UCHECK_OK(cairn_notification_bind(BOUND, PUPPET_PROC(&pup[1])));   /* unbound */
    cairn_msg_t m = msg_words(1, 1, 6);
    UCHECK_OK(cairn_ipc_try_send(EP_ENTRY, &m));
    UCHECK(returned_with(1, 6));
    UCHECK_OK(cairn_notification_unbind(BOUND));
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("notify");
}
