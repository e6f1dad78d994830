/*
 * System suite `abandon`: operations that end before their partner
 * comes, by a timeout (TIMEOUT) or a signal of the notification they
 * watch (ABANDONED), and what happens to calls whose server or client
 * dies or is stopped, or whose endpoint is destroyed.
 *
 * A server that never replies is a puppet (tests/system/ipctest.h) that
 * received the call and does nothing more until the test makes it; so
 * are the clients, each in its own address space. Whatever the server
 * does after the client gave up (a late reply, a retried one, one with
 * capabilities) reaches nobody: the client's registers and slots stay as
 * they were and its next call is answered only by its own reply.
 */
#include "ipctest.h"

#define SVC        R(15)
#define SVC_ENTRY  R(16)
#define CANCEL     R(17)

static puppet_t pup[5];
#define SERVER (&pup[0])
#define CLIENT (&pup[1])
#define CLIENT2 (&pup[2])

/* ---- Helpers -------------------------------------------------------------------------- */

/* Take whatever bits the cancel notification holds. */
static uint64_t clear_cancel(void)
{
    uint64_t bits = 0;
    cairn_notification_poll(CANCEL, &bits);
    return bits;
}

/* The server puppet, afresh at priority 20, not yet receiving. Its
 * registers: 15 svc, 21 a Page it can send. */
static cairn_error_t server_made(void)
{
    cairn_error_t e;
    if ((e = puppet_fresh(SERVER, 0, 20)) ||
        (e = puppet_set_cap(SERVER, 15, SVC)) ||
        (e = puppet_set_cap(SERVER, 21, BLOB)))
        return e;
    puppet_buffer(SERVER)->send_caps[0] = CAPLOC_REG(21);
    return ERR_OK;
}

/* The server makes one system call on svc. */
static cairn_error_t server_does(uint64_t info, uint64_t w0)
{
    return puppet_run(SERVER, (cairn_regs_t){ info, SVC, 0, { w0 } });
}

static cairn_error_t server_waits(void)
{
    cairn_error_t e = server_made();
    return e != ERR_OK ? e : server_does(CAIRN_IPC_OP_RECEIVE, 0);
}

#define REPLY_WITH_CAP (CAIRN_IPC_OP_REPLY | cairn_info(1, 1, 0))

/* Client puppet k (1, 2, ...), afresh at priority 20, calls svc with
 * word w and `flags` (TIMEOUT: `ticks`; ABANDON: the notification at
 * `abandon` in the test's space). Its call names receive slot 20, which
 * holds a Discrim capability until a reply brings something else. */
static cairn_error_t client_calls(unsigned k, uint32_t flags, uint64_t ticks,
                                  caploc_t abandon, uint64_t w)
{
    puppet_t *c = &pup[k];
    cairn_error_t e;
    if ((e = puppet_fresh(c, k, 20)) ||
        (e = puppet_set_cap(c, 16, SVC_ENTRY)) ||
        (e = puppet_set_cap(c, 17, abandon)) ||
        (e = puppet_set_cap(c, 20, DISCRIM)))
        return e;
    cairn_ipc_buffer_t *b = puppet_buffer(c);
    b->timeout_ticks = ticks;
    b->abandon = CAPLOC_REG(17);
    b->recv_caps[0] = CAPLOC_REG(20);
    return puppet_run(c, (cairn_regs_t){ CAIRN_IPC_OP_CALL | flags | cairn_info(1, 0, 1),
                                         R(16), 0, { w } });
}

/* The type of the capability in puppet p's register reg. */
static uint64_t puppet_cap_type(const puppet_t *p, unsigned reg)
{
    cairn_process_cap_delete(SELF, R(31));
    if (cairn_process_get_cap_reg(PUPPET_PROC(p), reg, R(31)) != ERR_OK)
        return 255;
    return cap_type_at(R(31));
}

static bool answered_with(const puppet_t *p, uint64_t w)
{
    return puppet_error(p) == ERR_OK && puppet_regs(p).w[0] == w;
}

/* ---- The test abandons its own calls ----------------------------------------------------- */

UTEST(a_call_nobody_answers_times_out)
{
    UCHECK_OK(server_waits());
    UCHECK_OK(cairn_ipc_set_timeout(3));
    cairn_msg_t m = msg_words(1, 1, 5);
    cairn_ipc_result_t r = cairn_ipc_call(SVC_ENTRY, &m, CAIRN_IPC_TIMEOUT);
    UCHECK_ERR(r.error, ERR_TIMEOUT);
    UCHECK_EQ(m.nwords, 1);                   /* left as it was, to send again */
    UCHECK_EQ(m.words[0], 5);
    UCHECK(answered_with(SERVER, 5));         /* the server had the call */
    UCHECK_OK(server_does(REPLY_WITH_CAP, 6));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
}

UTEST(a_call_is_abandoned_by_a_signal)
{
    clear_cancel();
    UCHECK_OK(server_waits());
    /* A signaller below our priority: it runs once we wait. */
    UCHECK_OK(puppet_fresh(&pup[2], 2, 5));
    UCHECK_OK(puppet_set_cap(&pup[2], 17, CANCEL));
    UCHECK_OK(puppet_run(&pup[2], (cairn_regs_t){ cairn_info(1, 0, 0), R(17),
                                                  OP_NOTIFICATION_signal, { 8 } }));
    UCHECK_OK(cairn_ipc_set_abandon(CANCEL));
    cairn_msg_t m = msg_words(1, 1, 5);
    UCHECK_ERR(cairn_ipc_call(SVC_ENTRY, &m, CAIRN_IPC_ABANDON).error, ERR_ABANDONED);
    UCHECK_OK(nap(1));                        /* let the signaller finish */
    UCHECK_EQ(puppet_error(&pup[2]), ERR_OK);
    UCHECK(answered_with(SERVER, 5));
    UCHECK_OK(server_does(REPLY_WITH_CAP, 6));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
    UCHECK_EQ(clear_cancel(), 8);             /* watching took no bits */
}

UTEST(a_notification_signalled_before_the_call_refuses_it)
{
    clear_cancel();
    UCHECK_OK(server_waits());
    UCHECK_OK(cairn_notification_signal(CANCEL, 4));
    UCHECK_OK(cairn_ipc_set_abandon(CANCEL));
    cairn_msg_t m = msg_words(1, 1, 5);
    UCHECK_ERR(cairn_ipc_call(SVC_ENTRY, &m, CAIRN_IPC_ABANDON).error, ERR_ABANDONED);
    UCHECK(puppet_waiting(SERVER));           /* nothing was sent */
    UCHECK_ERR(cairn_ipc_send(SVC_ENTRY, &m, CAIRN_IPC_ABANDON), ERR_ABANDONED);
    UCHECK(puppet_waiting(SERVER));
    UCHECK_EQ(clear_cancel(), 4);
    UCHECK_OK(cairn_ipc_send(SVC_ENTRY, &m, CAIRN_IPC_ABANDON));
    UCHECK(answered_with(SERVER, 5));
}

UTEST(sends_receives_and_reply_receives_time_out_too)
{
    UCHECK_OK(server_made());                 /* not receiving */
    UCHECK_OK(cairn_ipc_set_timeout(2));
    cairn_msg_t m = msg_words(1, 1, 5);
    UCHECK_ERR(cairn_ipc_send(SVC_ENTRY, &m, CAIRN_IPC_TIMEOUT), ERR_TIMEOUT);
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_NONBLOCK, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_WOULD_BLOCK);  /* the send was withdrawn */
    UCHECK_ERR(cairn_ipc_receive(SVC, &m, CAIRN_IPC_TIMEOUT).error, ERR_TIMEOUT);
    /* Reply-and-receive: the reply goes, the receive times out. */
    UCHECK_OK(client_calls(1, 0, 0, CANCEL, 9));
    UCHECK_OK(cairn_ipc_receive(SVC, &m, 0).error);
    m = msg_words(0, 1, 10);
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, CAIRN_IPC_TIMEOUT).error, ERR_TIMEOUT);
    UCHECK(answered_with(CLIENT, 10));
}

UTEST(a_receive_is_abandoned_by_a_signal)
{
    clear_cancel();
    UCHECK_OK(puppet_fresh(&pup[2], 2, 5));
    UCHECK_OK(puppet_set_cap(&pup[2], 17, CANCEL));
    UCHECK_OK(puppet_run(&pup[2], (cairn_regs_t){ cairn_info(1, 0, 0), R(17),
                                                  OP_NOTIFICATION_signal, { 1 } }));
    UCHECK_OK(cairn_ipc_set_abandon(CANCEL));
    UCHECK_OK(cairn_ipc_set_timeout(1000));
    cairn_msg_t m = { 0 };
    UCHECK_ERR(cairn_ipc_receive(SVC, &m, CAIRN_IPC_ABANDON | CAIRN_IPC_TIMEOUT).error,
               ERR_ABANDONED);               /* the first of the two limits */
    clear_cancel();
}

/* ---- Clients that give up, and what comes after ------------------------------------------------ */

UTEST(nothing_arriving_later_reaches_the_client)
{
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, CAIRN_IPC_TIMEOUT, 2, CANCEL, 10));
    UCHECK(answered_with(SERVER, 10));        /* the server holds the call */
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(nap(5));
    UCHECK_EQ(puppet_error(CLIENT), ERR_TIMEOUT);
    /* The client calls again, without a timeout; it queues. */
    UCHECK_OK(puppet_run(CLIENT, (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(1, 0, 1),
                                                 R(16), 0, { 11 } }));
    UCHECK(puppet_waiting(CLIENT));
    /* A late reply with a capability, a retried one, a reply-and-receive. */
    UCHECK_OK(server_does(REPLY_WITH_CAP, 99));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
    UCHECK_OK(server_does(REPLY_WITH_CAP, 98));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
    UCHECK_OK(server_does(CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 1, 0), 97));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
    UCHECK(puppet_waiting(CLIENT));           /* none of it reached the client */
    UCHECK_EQ(puppet_cap_type(CLIENT, 20), CAP_DISCRIM);
    /* The server takes the second call, and the client waits for its
     * reply: the first call's Reply capability still cannot answer. */
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    UCHECK_OK(cairn_process_get_cap_reg(PUPPET_PROC(SERVER), CAIRN_CR_REPLY, R(24)));
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE, 0));
    UCHECK(answered_with(SERVER, 11));
    UCHECK_OK(cairn_process_cap_copy(SELF, R(24), R(CAIRN_CR_REPLY)));
    cairn_msg_t late = { .nwords = 1, .words = { 96 }, .ncaps = 1, .caps = { BLOB } };
    UCHECK_ERR(cairn_ipc_reply(&late), ERR_REPLY_STALE);
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_EQ(puppet_cap_type(CLIENT, 20), CAP_DISCRIM);
    /* Its second call gets its own answer. */
    UCHECK_OK(server_does(REPLY_WITH_CAP, 12));
    UCHECK_EQ(puppet_error(SERVER), ERR_OK);
    UCHECK(answered_with(CLIENT, 12));
    UCHECK_EQ(puppet_cap_type(CLIENT, 20), CAP_PAGE);
}

UTEST(a_call_times_out_while_still_queued)
{
    UCHECK_OK(server_made());
    UCHECK_OK(client_calls(1, CAIRN_IPC_TIMEOUT, 2, CANCEL, 1));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(nap(5));
    UCHECK_EQ(puppet_error(CLIENT), ERR_TIMEOUT);
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_NONBLOCK, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_WOULD_BLOCK);   /* the server never sees it */
}

UTEST(a_signal_abandons_a_call_the_server_holds)
{
    clear_cancel();
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, CAIRN_IPC_ABANDON, 0, CANCEL, 1));
    UCHECK(answered_with(SERVER, 1));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(cairn_notification_signal(CANCEL, 2));
    UCHECK_EQ(puppet_error(CLIENT), ERR_ABANDONED);
    UCHECK_OK(server_does(REPLY_WITH_CAP, 3));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
    UCHECK_EQ(puppet_cap_type(CLIENT, 20), CAP_DISCRIM);
    UCHECK_EQ(clear_cancel(), 2);
}

UTEST(a_signal_abandons_a_queued_call)
{
    clear_cancel();
    UCHECK_OK(server_made());
    UCHECK_OK(client_calls(1, CAIRN_IPC_ABANDON | CAIRN_IPC_TIMEOUT, 1000, CANCEL, 1));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(cairn_notification_signal(CANCEL, 1));
    UCHECK_EQ(puppet_error(CLIENT), ERR_ABANDONED);
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_NONBLOCK, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_WOULD_BLOCK);
    clear_cancel();
}

UTEST(a_signal_of_no_bits_abandons_nothing)
{
    clear_cancel();
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, CAIRN_IPC_ABANDON, 0, CANCEL, 1));
    UCHECK_OK(cairn_notification_signal(CANCEL, 0));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(server_does(CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0), 2));
    UCHECK(answered_with(CLIENT, 2));
}

UTEST(destroying_the_watched_notification_ends_the_call)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, R(26)));
    UCHECK_OK(cairn_process_cap_delete(SELF, R(27)));
    UCHECK_OK(new_untyped(12, 26));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_NOTIFICATION, 0, 1, R(27)));
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, CAIRN_IPC_ABANDON, 0, R(27), 1));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(revoke(R(26)));
    UCHECK_EQ(puppet_error(CLIENT), ERR_REVOKED);
    UCHECK_OK(server_does(CAIRN_IPC_OP_REPLY, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_REPLY_STALE);
}

/* ---- Deaths and stops ------------------------------------------------------------------------- */

UTEST(the_server_dies_holding_reply_capabilities)
{
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, CAIRN_IPC_TIMEOUT, 3, CANCEL, 1));
    /* The server keeps the first Reply capability in its CapPage ... */
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    UCHECK_OK(cairn_process_get_cap_reg(PUPPET_PROC(SERVER), CAIRN_CR_REPLY, R(24)));
    UCHECK_OK(cairn_cappage_set_slot(PUPPET_CP(SERVER), 0, R(24)));
    UCHECK_OK(cairn_process_cap_delete(SELF, R(24)));
    /* ... and takes a second call. */
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE, 0));
    UCHECK_OK(client_calls(2, 0, 0, CANCEL, 2));
    UCHECK(answered_with(SERVER, 2));
    UCHECK_OK(puppet_destroy(SERVER));
    /* The kernel keeps no record of Reply capabilities: both wait on,
     * the first until its timeout, the second until it is stopped. */
    UCHECK(puppet_waiting(CLIENT));
    UCHECK(puppet_waiting(CLIENT2));
    UCHECK_OK(nap(5));
    UCHECK_EQ(puppet_error(CLIENT), ERR_TIMEOUT);
    UCHECK(puppet_waiting(CLIENT2));
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(CLIENT2)));
    UCHECK_EQ(cairn_result_error(puppet_regs(CLIENT2).info), ERR_INTERRUPTED);
}

UTEST(the_client_dies_mid_call)
{
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, 0, 0, CANCEL, 1));
    UCHECK(answered_with(SERVER, 1));
    UCHECK_OK(puppet_destroy(CLIENT));
    UCHECK_OK(server_does(REPLY_WITH_CAP, 2));
    UCHECK_EQ(puppet_error(SERVER), ERR_REVOKED);
    /* Dying while queued, watching a notification and timed: it leaves
     * the queue and every list; the signal and the ticks find nobody. */
    clear_cancel();
    UCHECK_OK(server_made());
    UCHECK_OK(client_calls(1, CAIRN_IPC_TIMEOUT | CAIRN_IPC_ABANDON, 2, CANCEL, 3));
    UCHECK(puppet_waiting(CLIENT));
    UCHECK_OK(puppet_destroy(CLIENT));
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_NONBLOCK, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_WOULD_BLOCK);
    UCHECK_OK(cairn_notification_signal(CANCEL, 1));
    UCHECK_OK(nap(4));
    UCHECK_EQ(clear_cancel(), 1);
}

UTEST(revoking_an_endpoint_wakes_its_senders_and_receivers)
{
    for (unsigned i = 26; i < 30; i++)
        UCHECK_OK(cairn_process_cap_delete(SELF, R(i)));
    UCHECK_OK(new_untyped(12, 26));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_ENDPOINT, 0, 2, R(27)));  /* 27, 28 */
    UCHECK_OK(cairn_endpoint_make_entry(R(27), 1, R(29)));
    static const uint64_t ops[2] = { CAIRN_IPC_OP_SEND, CAIRN_IPC_OP_CALL };
    for (unsigned k = 1; k <= 2; k++) {        /* senders queue on the first */
        UCHECK_OK(puppet_fresh(&pup[k], k, 20));
        UCHECK_OK(puppet_set_cap(&pup[k], 16, R(29)));
        UCHECK_OK(puppet_run(&pup[k], (cairn_regs_t){ ops[k - 1], R(16), 0, { 0 } }));
        UCHECK(puppet_waiting(&pup[k]));
    }
    for (unsigned k = 3; k <= 4; k++) {        /* receivers wait on the second */
        UCHECK_OK(puppet_fresh(&pup[k], k, 20));
        UCHECK_OK(puppet_set_cap(&pup[k], 15, R(28)));
        UCHECK_OK(puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE, R(15), 0, { 0 } }));
        UCHECK(puppet_waiting(&pup[k]));
    }
    UCHECK_OK(revoke(R(26)));
    for (unsigned k = 1; k <= 4; k++)
        UCHECK_EQ(puppet_error(&pup[k]), ERR_REVOKED);
}

UTEST(a_call_stopped_while_queued_runs_again_when_started)
{
    UCHECK_OK(server_made());
    UCHECK_OK(client_calls(1, 0, 0, CANCEL, 5));
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(CLIENT)));
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_NONBLOCK, 0));
    UCHECK_EQ(puppet_error(SERVER), ERR_WOULD_BLOCK);  /* off the queue */
    UCHECK_OK(cairn_process_start(PUPPET_PROC(CLIENT)));
    UCHECK(puppet_waiting(CLIENT));           /* the call ran again and queued */
    UCHECK_OK(server_does(CAIRN_IPC_OP_RECEIVE, 0));
    UCHECK(answered_with(SERVER, 5));
    UCHECK_OK(server_does(CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0), 6));
    UCHECK(answered_with(CLIENT, 6));
}

UTEST(a_receive_stopped_after_its_reply_does_not_reply_again)
{
    UCHECK_OK(server_waits());
    UCHECK_OK(client_calls(1, 0, 0, CANCEL, 1));
    UCHECK_OK(server_does(CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 0, 0), 2));
    UCHECK(answered_with(CLIENT, 2));
    UCHECK(puppet_waiting(SERVER));           /* replied, now receiving */
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(SERVER)));
    cairn_regs_t r = puppet_regs(SERVER);
    UCHECK_EQ(r.info & CAIRN_IPC_REPLY, 0);   /* rewound to the receive alone */
    UCHECK(r.info & CAIRN_IPC_RECEIVE);
    UCHECK_OK(puppet_run(CLIENT, (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0),
                                                 R(16), 0, { 3 } }));
    UCHECK_OK(cairn_process_start(PUPPET_PROC(SERVER)));
    UCHECK(answered_with(SERVER, 3));         /* received, with no stale reply */
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("abandon");
}
