/*
 * System suite `fastpath`: the cases the IPC fast path takes and each
 * case it must leave to the slow path (docs/spec/ipc.md, "Fast path"),
 * checked from user mode with exact registers, result words and the
 * order in which processes ran.
 *
 * run-images.sh boots the image twice, once with `nofastpath`, and the
 * two runs must report the same PASS lines and the same OBSERVE lines
 * (what each case saw, printed as it saw it). Since the same checks pass
 * both ways, every case below is one where the fast path, taken or not,
 * leaves the state the slow path would.
 *
 * The image (tests/system/fastpath.mki) runs this program as the test
 * (argument 0, priority 10) and as every other part (ROLE_*): servers
 * in their own address spaces that note what they took in the shared
 * page, and parts the test starts to be ready at a given priority.
 */
#include "systest.h"

enum {
    ROLE_TEST, ROLE_ECHO, ROLE_LOW, ROLE_SPINNER, ROLE_POOL1, ROLE_POOL2,
    ROLE_TIMED, ROLE_LEVEL, ROLE_CLIENT, ROLE_WAITER_HIGH, ROLE_WAITER_LOW,
    ROLE_SLOTS,
};

/* Opcodes the servers understand. */
enum {
    OP_ECHO = 1,     /* reply with as many words, each + 1 + its index */
    OP_TWICE,        /* reply, reply again (noting the error), receive */
    OP_RING,         /* ring the bound bell, then reply-and-receive */
};
#define ECHOED 100u

/* The servers' and parts' registers (fastpath.mki). */
#define S_ECHO   R(8)
#define S_LOW    R(9)
#define S_POOL   R(10)
#define S_TIMED  R(11)
#define S_BELL   R(12)
#define S_LOW_ENTRY R(13)
#define S_SLOTS  R(14)
#define S_SLOT   20u             /* the slot server's receive slot */

/* The test's. */
#define ECHO       R(16)
#define LOW        R(17)
#define POOL_ENTRY R(18)
#define TIMED      R(19)
#define ECHO_SO    R(20)
#define SPINNER    R(21)
#define LEVEL      R(22)
#define CLIENT     R(23)
#define ECHO_EP    R(24)
#define TIMED_PROC R(25)
#define CHIME      R(26)         /* waited on at 20 */
#define KNELL      R(27)         /* waited on at 5 */
#define TICK       R(28)         /* nobody waits */
#define TICK_RO    R(29)
#define QUIET      R(30)         /* an Endpoint nobody sends to */
#define SLOTS      R(15)         /* Entry to the slot server */

/* The page every part maps. */
typedef struct {
    char     log[120];            /* who ran, in order */
    uint32_t len;
    uint64_t info, payload, opcode, w[4];   /* the last message a server took */
    uint64_t note;                /* a server's or part's own observation */
} shared_t;
#define SH ((volatile shared_t *)(uintptr_t)0x60000000ull)

static void log_char(char c)
{
    if (SH->len < sizeof SH->log - 1) {
        SH->log[SH->len++] = c;
        SH->log[SH->len] = 0;
    }
}

static void log_reset(void)
{
    SH->len = 0;
    SH->log[0] = 0;
}

static bool log_is(const char *want)
{
    unsigned n = (unsigned)strlen(want);
    if (SH->len != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (SH->log[i] != want[i])
            return false;
    return true;
}

static cairn_regs_t sys(uint64_t info, caploc_t target, uint64_t opcode,
                        uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    cairn_regs_t r = { info, target, opcode, { w0, w1, w2, w3 } };
    cairn_syscall(&r);
    return r;
}

/* What a case saw, for the comparison of the two boots. */
#define OBSERVE(...) cairn_printf("OBSERVE fastpath." __VA_ARGS__)

/* ---- The servers and parts -------------------------------------------------- */

static void note_message(const cairn_regs_t *r)
{
    SH->info = r->info;
    SH->payload = r->target;
    SH->opcode = r->opcode;
    for (unsigned i = 0; i < 4; i++)
        SH->w[i] = r->w[i];
}

/* The echo answer to *r: words + 1 + index, from the buffer past four;
 * registers past the count hold junk, which must never arrive. */
static void echo_answer(cairn_regs_t *r)
{
    unsigned n = cairn_result_words(r->info);
    for (unsigned i = 0; i < 4; i++)
        r->w[i] = i < n ? r->w[i] + 1 + i : 0xdead0000u + i;
    for (unsigned i = 4; i < n; i++)
        cairn_ipc_buffer->words[i] += 1 + i;
    r->opcode += ECHOED;
    r->info = cairn_info(n, 0, 0);
}

/* Serve ep for ever: note each message, log `tag`, answer with reply-and-
 * receive (carrying `flags`, say a timeout). */
__attribute__((noreturn)) static void serve(caploc_t ep, char tag, uint64_t flags)
{
    cairn_regs_t r = sys(CAIRN_IPC_OP_RECEIVE | flags, ep, 0, 0, 0, 0, 0);
    for (;;) {
        note_message(&r);
        log_char(tag);
        if (r.opcode == OP_TWICE) {
            r = sys(CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0), R(0), 0, 7, 0, 0, 0);
            r = sys(CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0), R(0), 0, 8, 0, 0, 0);
            SH->note = cairn_result_error(r.info);
            r = sys(CAIRN_IPC_OP_RECEIVE | flags, ep, 0, 0, 0, 0, 0);
            continue;
        }
        if (r.opcode == OP_RING) {
            cairn_notification_signal(S_BELL, 1);
            r = sys(CAIRN_IPC_OP_REPLY_RECEIVE | flags | cairn_info(1, 0, 0), ep,
                    0, 9, 0, 0, 0);
            SH->note = r.info;        /* RECV_NOTIFY at once: the bell */
            log_char('N');
            r = sys(CAIRN_IPC_OP_RECEIVE | flags, ep, 0, 0, 0, 0, 0);
            continue;
        }
        echo_answer(&r);
        r.info |= CAIRN_IPC_OP_REPLY_RECEIVE | flags;
        r.target = ep;
        cairn_syscall(&r);
    }
}

/* A pool server: answers every call with its own number. */
__attribute__((noreturn)) static void pool_server(unsigned id)
{
    sys(CAIRN_IPC_OP_RECEIVE, S_POOL, 0, 0, 0, 0, 0);
    for (;;) {
        log_char((char)('0' + id));
        sys(CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 0, 0), S_POOL, 0, id, 0, 0, 0);
    }
}

/* Note a run in the log and stop; started again, do it again. */
__attribute__((noreturn)) static void runner(char tag)
{
    for (;;) {
        log_char(tag);
        cairn_process_stop(SELF);
    }
}

/* Wait on the notification in register 12 for ever, logging `tag` and
 * noting the bits each time. */
__attribute__((noreturn)) static void waiter(char tag)
{
    for (;;) {
        uint64_t bits = 0;
        cairn_notification_wait(S_BELL, &bits);
        SH->note = bits;
        log_char(tag);
    }
}

/* Receive naming register S_SLOT, answer with the word + 1 and the
 * type of what the slot holds (noted too), and empty it again. */
__attribute__((noreturn)) static void slot_server(void)
{
    cairn_ipc_buffer->recv_caps[0] = CAPLOC_REG(S_SLOT);
    cairn_regs_t r = sys(CAIRN_IPC_OP_RECEIVE | cairn_info(0, 0, 1), S_SLOTS, 0, 0,
                         0, 0, 0);
    for (;;) {
        note_message(&r);
        log_char('R');
        uint64_t type = 255;
        cairn_discrim_type(CAPLOC_REG(4), CAPLOC_REG(S_SLOT), &type);
        SH->note = type;
        cairn_process_cap_delete(SELF, CAPLOC_REG(S_SLOT));
        r = sys(CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 0, 1), S_SLOTS, 0,
                r.w[0] + 1, 0, 0, 0);
    }
}

/* Call the low server once per start. */
__attribute__((noreturn)) static void client(void)
{
    for (;;) {
        cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), S_LOW_ENTRY,
                             OP_ECHO, 0x70, 0, 0, 0);
        SH->note = r.w[0];
        log_char('C');
        cairn_process_stop(SELF);
    }
}

static void part(uint64_t role)
{
    switch (role) {
    case ROLE_ECHO:
        cairn_notification_bind(S_BELL, SELF);
        serve(S_ECHO, 'E', 0);
    case ROLE_LOW:     serve(S_LOW, 'L', 0);
    case ROLE_SPINNER: runner('S');
    case ROLE_POOL1:   pool_server(1);
    case ROLE_POOL2:   pool_server(2);
    case ROLE_TIMED:
        cairn_ipc_set_timeout(1000000);     /* never reached */
        serve(S_TIMED, 'T', CAIRN_IPC_TIMEOUT);
    case ROLE_LEVEL:   runner('s');
    case ROLE_CLIENT:  client();
    case ROLE_WAITER_HIGH: waiter('H');
    case ROLE_WAITER_LOW:  waiter('w');
    case ROLE_SLOTS:       slot_server();
    }
}

/* ---- The cases ---------------------------------------------------------------- */

/* A call and its answer with n words, checked on both sides. */
static bool echo_call(utest_t *ut_self_, caploc_t target, uint64_t payload,
                      char tag, unsigned n, uint64_t base)
{
    log_reset();
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(n, 0, 0), target, OP_ECHO,
                         base, base + 1, base + 2, base + 3);
    char want[2] = { tag, 0 };
    if (r.info != n || r.target != 0 || r.opcode != OP_ECHO + ECHOED ||
        SH->info != (CAIRN_RESULT_RECV_CALL | n) || SH->payload != payload ||
        SH->opcode != OP_ECHO || !log_is(want)) {
        utest_fail(ut_self_, __FILE__, __LINE__,
                   "%u words: result 0x%llx target %llu opcode %llu; server saw "
                   "0x%llx payload 0x%llx log %s", n, (unsigned long long)r.info,
                   (unsigned long long)r.target, (unsigned long long)r.opcode,
                   (unsigned long long)SH->info, (unsigned long long)SH->payload,
                   (const char *)SH->log);
        return false;
    }
    for (unsigned i = 0; i < 4; i++) {
        uint64_t sent = i < n ? base + i : 0;
        uint64_t back = i < n ? base + i + 1 + i : 0;
        if (SH->w[i] != sent || r.w[i] != back) {
            utest_fail(ut_self_, __FILE__, __LINE__,
                       "%u words: word %u sent as %llu, reply %llu", n, i,
                       (unsigned long long)SH->w[i], (unsigned long long)r.w[i]);
            return false;
        }
    }
    return true;
}

UTEST(call_and_reply_with_0_to_4_words)
{
    for (unsigned round = 0; round < 50; round++)
        for (unsigned n = 0; n <= 4; n++)
            if (!echo_call(ut_self_, ECHO, 0x51, 'E', n, 1000 * round + 10 * n))
                return;
    OBSERVE("words: %llu %llu %llu %llu info 0x%llx\n",
            (unsigned long long)SH->w[0], (unsigned long long)SH->w[1],
            (unsigned long long)SH->w[2], (unsigned long long)SH->w[3],
            (unsigned long long)SH->info);
}

UTEST(a_higher_priority_ready_process_runs_before_the_server)
{
    UCHECK_OK(cairn_process_start(SPINNER));       /* ready at 8, below us */
    log_reset();
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), LOW, OP_ECHO,
                         5, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 6);
    UCHECK(log_is("SL"));                          /* 8 before the server's 5 */
    OBSERVE("priority: %s\n", (const char *)SH->log);
}

UTEST(the_server_runs_before_others_of_its_priority)
{
    UCHECK_OK(cairn_process_start(LEVEL));         /* ready at 5, the server's */
    log_reset();
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), LOW, OP_ECHO,
                         5, 0, 0, 0);
    UCHECK_EQ(r.w[0], 6);
    UCHECK(log_is("L"));                           /* woken at the front */
    UCHECK_OK(cairn_process_stop(LEVEL));          /* it never ran */
    UCHECK(log_is("L"));
    OBSERVE("level: %s\n", (const char *)SH->log);
}

UTEST(a_receiver_with_a_timeout_is_served_the_slow_way)
{
    for (unsigned n = 0; n <= 4; n++)
        if (!echo_call(ut_self_, TIMED, 0x54, 'T', n, 300 + n))
            return;
    OBSERVE("timed: 0x%llx\n", (unsigned long long)SH->info);
}

UTEST(receivers_on_one_endpoint_take_calls_in_turn)
{
    uint64_t got[6];
    log_reset();
    for (unsigned i = 0; i < 6; i++) {
        cairn_regs_t r = sys(CAIRN_IPC_OP_CALL, POOL_ENTRY, 0, 0, 0, 0, 0);
        UCHECK_EQ(r.info, 1);
        got[i] = r.w[0];
    }
    for (unsigned i = 0; i < 6; i++)
        UCHECK_EQ(got[i], 1 + i % 2);
    UCHECK(log_is("121212"));
    OBSERVE("pool: %s\n", (const char *)SH->log);
}

UTEST(a_queued_caller_is_taken_by_the_reply_and_receive)
{
    /* The client (15) calls the low server (5) and runs no further; our
     * call queues behind; the server's reply-and-receive then answers the
     * client and takes our call at once; the client runs, then us. */
    log_reset();
    UCHECK_OK(cairn_process_start(CLIENT));
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), LOW, OP_ECHO,
                         40, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 41);
    UCHECK_EQ(SH->note, 0x71);
    UCHECK(log_is("LCL"));
    OBSERVE("queued: %s\n", (const char *)SH->log);
}

UTEST(bound_bits_end_the_servers_receive_at_once)
{
    log_reset();
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL, ECHO, OP_RING, 0, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 9);
    UCHECK(log_is("EN"));
    UCHECK_EQ(SH->note, CAIRN_RESULT_RECV_NOTIFY | 1);
    OBSERVE("bell: 0x%llx %s\n", (unsigned long long)SH->note, (const char *)SH->log);
}

UTEST(a_second_reply_is_stale)
{
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL, ECHO, OP_TWICE, 0, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 7);
    UCHECK_EQ(SH->note, ERR_REPLY_STALE);
    /* The server is receiving again: the fast path serves the next call. */
    if (!echo_call(ut_self_, ECHO, 0x51, 'E', 2, 70))
        return;
}

UTEST(an_entry_in_a_cappage_slot_works_the_same)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, ECHO, SLOT(0)));
    for (unsigned n = 0; n <= 4; n++)
        if (!echo_call(ut_self_, SLOT(0), 0x51, 'E', n, 500 + n))
            return;
}

UTEST(long_messages_and_capabilities_go_the_slow_way)
{
    cairn_msg_t m = { .opcode = OP_ECHO, .nwords = 6 };
    for (unsigned i = 0; i < 6; i++)
        m.words[i] = 60 + i;
    cairn_ipc_result_t res = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(res.error);
    UCHECK_EQ(m.nwords, 6);
    for (unsigned i = 0; i < 6; i++)
        UCHECK_EQ(m.words[i], 60 + i + 1 + i);
    UCHECK_EQ(SH->info, CAIRN_RESULT_RECV_CALL | 6);

    cairn_msg_t c = { .opcode = OP_ECHO, .nwords = 1, .ncaps = 1 };
    c.words[0] = 3;
    c.caps[0] = ECHO;
    res = cairn_ipc_call(ECHO, &c, 0);
    UCHECK_OK(res.error);
    UCHECK_EQ(c.words[0], 4);
    /* The server named no receive slot: the capability did not arrive. */
    UCHECK_EQ(SH->info, CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_TRUNCATED | 1);
    OBSERVE("long: 0x%llx\n", (unsigned long long)SH->info);
}

UTEST(receive_slots_in_registers)
{
    for (unsigned i = 0; i < 10; i++) {
        log_reset();
        cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), SLOTS, 0, i, 0,
                             0, 0);
        UCHECK_EQ(r.info, 1);
        UCHECK_EQ(r.w[0], i + 1);
        UCHECK(log_is("R"));
        UCHECK_EQ(SH->note, CAP_NULL);             /* nothing arrived */
        UCHECK_EQ(SH->info, CAIRN_RESULT_RECV_CALL | 1);
    }
    /* A capability sent: it lands in the slot (the slow path). */
    cairn_msg_t m = { .nwords = 1, .ncaps = 1 };
    m.words[0] = 40;
    m.caps[0] = ECHO;
    cairn_ipc_result_t res = cairn_ipc_call(SLOTS, &m, 0);
    UCHECK_OK(res.error);
    UCHECK_EQ(m.words[0], 41);
    UCHECK_EQ(SH->note, CAP_ENTRY);
    UCHECK_EQ(SH->info, CAIRN_RESULT_RECV_CALL | 1u << CAIRN_RESULT_CAPS_SHIFT | 1);
    /* Our own receive slot for the reply: a register, then a CapPage slot. */
    cairn_ipc_buffer->recv_caps[0] = R(31);
    cairn_regs_t r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 1), SLOTS, 0, 50, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 51);
    cairn_ipc_buffer->recv_caps[0] = SLOT(3);
    r = sys(CAIRN_IPC_OP_CALL | cairn_info(1, 0, 1), SLOTS, 0, 60, 0, 0, 0);
    UCHECK_EQ(r.info, 1);
    UCHECK_EQ(r.w[0], 61);
    OBSERVE("slots: 0x%llx %llu\n", (unsigned long long)SH->info,
            (unsigned long long)SH->note);
}

UTEST(refused_calls_reach_nobody)
{
    log_reset();
    UCHECK_EQ(cairn_result_error(sys(CAIRN_IPC_OP_CALL, ECHO_SO, OP_ECHO, 0, 0, 0,
                                     0).info), ERR_NO_RIGHTS);
    UCHECK_EQ(cairn_result_error(sys(CAIRN_IPC_OP_CALL, R(31), OP_ECHO, 0, 0, 0,
                                     0).info), ERR_INVALID_CAP);
    UCHECK_EQ(cairn_result_error(sys(CAIRN_IPC_OP_CALL, CAPLOC_REG(40), OP_ECHO, 0, 0,
                                     0, 0).info), ERR_INVALID_CAP);
    /* No call was received: register 1 is Null, the reply is refused and
     * nothing is received. */
    UCHECK_EQ(cairn_result_error(sys(CAIRN_IPC_OP_REPLY_RECEIVE, ECHO_EP, 0, 0, 0,
                                     0, 0).info), ERR_INVALID_CAP);
    UCHECK(log_is(""));
}

UTEST(a_revoked_entry_is_refused)
{
    UCHECK_OK(new_untyped(12, 13));
    UCHECK_OK(cairn_untyped_retype(R(13), OBJ_ENDPOINT, 0, 1, R(14)));
    UCHECK_OK(cairn_endpoint_make_entry(R(14), 0x99, R(15)));
    UCHECK_OK(revoke(R(13)));
    UCHECK_EQ(cairn_result_error(sys(CAIRN_IPC_OP_CALL, R(15), 0, 0, 0, 0, 0).info),
              ERR_REVOKED);
    /* And the server it never reached is still there for the next call. */
    if (!echo_call(ut_self_, ECHO, 0x51, 'E', 1, 90))
        return;
}

/* Block for a tick: a receive nobody will answer, with a timeout. */
static void nap(void)
{
    cairn_ipc_set_timeout(1);
    cairn_msg_t m = { 0 };
    cairn_ipc_receive(QUIET, &m, CAIRN_IPC_TIMEOUT);
}

UTEST(poll_takes_the_bits_once)
{
    uint64_t bits = 1;
    UCHECK_OK(cairn_notification_poll(TICK, &bits));
    UCHECK_EQ(bits, 0);
    UCHECK_OK(cairn_notification_signal(TICK, 0x600));
    UCHECK_OK(cairn_notification_signal(TICK, 0x6));
    UCHECK_OK(cairn_notification_poll(TICK, &bits));
    UCHECK_EQ(bits, 0x606);
    UCHECK_OK(cairn_notification_poll(TICK, &bits));
    UCHECK_EQ(bits, 0);
    UCHECK_OK(cairn_notification_signal(TICK, 0));      /* no bits: nothing */
    UCHECK_OK(cairn_notification_poll(TICK, &bits));
    UCHECK_EQ(bits, 0);
    /* Registers past the one word returned are zero. */
    cairn_regs_t r = sys(0, TICK, OP_NOTIFICATION_poll, 7, 8, 9, 10);
    UCHECK_EQ(r.info, 1);
    UCHECK(r.w[0] == 0 && r.w[1] == 0 && r.w[2] == 0 && r.w[3] == 0);
    r = sys(cairn_info(1, 0, 0), TICK, OP_NOTIFICATION_signal, 3, 8, 9, 10);
    UCHECK(r.info == 0 && r.w[0] == 0 && r.w[1] == 0 && r.w[3] == 0);
    UCHECK_OK(cairn_notification_poll(TICK, &bits));
    UCHECK_EQ(bits, 3);
}

UTEST(a_signal_runs_a_higher_waiter_at_once)
{
    for (unsigned i = 1; i <= 20; i++) {
        log_reset();
        UCHECK_OK(cairn_notification_signal(CHIME, i));
        UCHECK(log_is("H"));                    /* before we went on */
        UCHECK_EQ(SH->note, i);
    }
    OBSERVE("high: %s %llu\n", (const char *)SH->log, (unsigned long long)SH->note);
}

UTEST(a_signal_queues_a_lower_waiter)
{
    log_reset();
    UCHECK_OK(cairn_notification_signal(KNELL, 0x30));
    UCHECK(log_is(""));                         /* we go on */
    nap();                                      /* it runs while we wait */
    UCHECK(log_is("w"));
    UCHECK_EQ(SH->note, 0x30);
    OBSERVE("low: %s\n", (const char *)SH->log);
}

UTEST(badged_and_read_only_capabilities)
{
    uint64_t bits = 0;
    UCHECK_OK(cairn_notification_make_signaller(TICK, 0x10, R(31)));
    UCHECK_OK(cairn_notification_signal(R(31), 0xff));  /* the badge, not 0xff */
    UCHECK_ERR(cairn_notification_poll(R(31), &bits), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_notification_signal(TICK_RO, 1), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_notification_poll(TICK_RO, &bits));
    UCHECK_EQ(bits, 0x10);
    UCHECK_OK(cairn_process_cap_delete(SELF, R(31)));
    UCHECK_ERR(cairn_result_error(sys(0, TICK, OP_NOTIFICATION_signal, 1, 0, 0,
                                      0).info), ERR_INVALID_ARGUMENT);
}

int main(uint64_t arg)
{
    if (arg != ROLE_TEST)
        part(arg);
    int failed = utest_run("fastpath");
    cairn_process_stop(TIMED_PROC);     /* so the finished system can end */
    return failed;
}
