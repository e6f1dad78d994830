/*
 * System suite `sched`: fixed priorities, round robin within a priority
 * under timer preemption, the Schedule capability's bound, where IPC
 * puts the processes it wakes, and the priority-inversion scenarios of
 * docs/spec/scheduling.md, with the behaviour that page documents.
 *
 * The test runs at priority 50, above everything else; the other
 * processes (this program with other arguments, tests/system/sched.mki)
 * start stopped. The test starts them, then waits on `done`, which each
 * signals when it has noted what it did in the shared page; the notes'
 * order is what the scheduler decided. Nothing here measures time: the
 * assertions are about orders and counts.
 */
#include "ipctest.h"

typedef struct {
    uint64_t count[3];          /* spinner i's iterations */
    uint64_t turns[3];          /* times spinner i saw the others had run */
    uint64_t out_of_turn[3];    /* times only one of the others had */
    uint64_t n;                 /* notes so far */
    uint64_t order[32];         /* who noted, in order */
    uint64_t m_limit;           /* iterations the medium process spins at most */
    uint64_t h_timeout;         /* ticks for the high client's call, 0: none */
    uint64_t h_done;            /* the high client's call has ended */
    uint64_t h_error;           /* and how */
    uint64_t l_reply_error;     /* what the low server's reply returned */
    uint64_t c_send;            /* the client sends rather than calls */
} mailbox_t;
#define MB MAILBOX(mailbox_t)

enum {
    A_SPINNER = 10,             /* 10, 11, 12 */
    A_RECORDER = 20,            /* 20, 21, 22: note 'X', 'Y', 'Z' */
    A_LOW = 30, A_MEDIUM = 31, A_HIGH = 32,
    A_SERVER = 40, A_CLIENT = 41,
};

/* Bits of `done`. */
enum { BIT_H = 4, BIT_M, BIT_L, BIT_S, BIT_C };

#define DONE        R(15)
#define SPINNER(i)  R(16 + (i))
#define RECORDER(i) R(19 + (i))
#define HIGH        R(22)
#define MEDIUM      R(23)
#define LOW         R(24)
#define CLIENT      R(25)
#define SERVER      R(26)
#define SCHED_LOW   R(27)        /* schedule(15) */

/* ---- The other processes ----------------------------------------------------------------- */

static void note(uint64_t who)
{
    uint64_t i = MB->n;
    if (i < 32)
        MB->order[i] = who;
    MB->n = i + 1;
}

static void signal_done(unsigned bit)
{
    cairn_notification_signal(R(12), 1ull << bit);
}

static void stop_self(void)
{
    cairn_process_stop(SELF);
}

/* Count; a change in the others' counts since the last look means this
 * is a new turn, and round robin means both of them have run. */
static void spinner(unsigned i)
{
    unsigned a = (i + 1) % 3, b = (i + 2) % 3;
    uint64_t last_a = 0, last_b = 0;
    for (;;) {
        uint64_t ca = MB->count[a], cb = MB->count[b];
        if (ca != last_a || cb != last_b) {
            MB->turns[i]++;
            if (last_a != 0 && last_b != 0 && (ca == last_a || cb == last_b))
                MB->out_of_turn[i]++;
            last_a = ca;
            last_b = cb;
        }
        MB->count[i]++;
    }
}

static void recorder(unsigned k)
{
    for (;;) {
        note('X' + k);
        signal_done(k);
        stop_self();
    }
}

static void high(void)
{
    for (;;) {
        cairn_msg_t m = { .opcode = 1 };
        uint32_t flags = 0;
        if (MB->h_timeout) {
            cairn_ipc_set_timeout(MB->h_timeout);
            flags = CAIRN_IPC_TIMEOUT;
        }
        MB->h_error = cairn_ipc_call(R(13), &m, flags).error;
        note('H');
        MB->h_done = 1;
        signal_done(BIT_H);
        stop_self();
    }
}

static void medium(void)
{
    for (;;) {
        for (uint64_t i = 0; i < MB->m_limit && !MB->h_done; i++)
            ;
        note('M');
        signal_done(BIT_M);
        stop_self();
    }
}

static void low(void)
{
    for (;;) {
        cairn_msg_t m = { 0 };
        if (cairn_ipc_receive(R(15), &m, 0).error != ERR_OK)
            continue;
        note('L');
        m = (cairn_msg_t){ 0 };
        MB->l_reply_error = cairn_ipc_reply(&m);
        signal_done(BIT_L);
    }
}

static bool serve_note(void *ctx, const cairn_ipc_result_t *r, cairn_msg_t *m)
{
    (void)ctx;
    (void)r;
    note('S');
    signal_done(BIT_S);
    m->nwords = 0;
    return true;
}

static void server(void)
{
    cairn_msg_t m = { 0 };
    cairn_ipc_serve(R(15), &m, serve_note, NULL);
}

static void client(void)
{
    for (;;) {
        cairn_msg_t m = { .opcode = 1 };
        if (MB->c_send)
            cairn_ipc_send(R(14), &m, 0);
        else
            cairn_ipc_call(R(14), &m, 0);
        note('C');
        signal_done(BIT_C);
        stop_self();
    }
}

static void actor(uint64_t arg)
{
    if (arg >= A_SPINNER && arg < A_SPINNER + 3)
        spinner((unsigned)(arg - A_SPINNER));
    if (arg >= A_RECORDER && arg < A_RECORDER + 3)
        recorder((unsigned)(arg - A_RECORDER));
    switch (arg) {
    case A_LOW:    low(); break;
    case A_MEDIUM: medium(); break;
    case A_HIGH:   high(); break;
    case A_SERVER: server(); break;
    case A_CLIENT: client(); break;
    }
    cairn_exit(1);
}

/* ---- Helpers ------------------------------------------------------------------------------- */

static void clear_notes(void)
{
    uint64_t bits;
    cairn_notification_poll(DONE, &bits);
    MB->n = 0;
    for (unsigned i = 0; i < 32; i++)
        MB->order[i] = 0;
}

/*
 * Let every other ready process run until it waits or stops: drop below
 * them all, which hands them the CPU at once, and come back when none is
 * ready. (Spinners are the exception; none runs when this is used.)
 */
static cairn_error_t drain(void)
{
    cairn_error_t e = cairn_process_set_priority(SELF, 1, SCHED);
    return e != ERR_OK ? e : cairn_process_set_priority(SELF, 50, SCHED);
}

/* Wait until every bit of `want` has been signalled on done, and the
 * processes that signalled have finished (they stop, or wait again). */
static cairn_error_t wait_done(uint64_t want)
{
    uint64_t got = 0;
    while ((got & want) != want) {
        uint64_t bits = 0;
        cairn_error_t e = cairn_notification_wait(DONE, &bits);
        if (e != ERR_OK)
            return e;
        got |= bits;
    }
    return drain();
}

/* The notes so far, as a string ("SCX"). */
static const char *notes(void)
{
    static char s[33];
    unsigned n = MB->n < 32 ? (unsigned)MB->n : 32;
    for (unsigned i = 0; i < n; i++)
        s[i] = (char)MB->order[i];
    s[n] = 0;
    return s;
}

#define UCHECK_NOTES(want)                                                   \
    do { if (strcmp(notes(), want) != 0) {                                    \
             utest_fail(ut_self_, __FILE__, __LINE__, "notes \"%s\", expected \"%s\"", \
                        notes(), want); return; } } while (0)

static cairn_error_t set_prio(caploc_t p, unsigned prio)
{
    return cairn_process_set_priority(p, prio, SCHED);
}

#define ALL_RECORDERS 0x7u

/* The timeslice (SCHED_TIMESLICE_TICKS, docs/spec/scheduling.md). */
#define SLICE_TICKS 5u

/* ---- Priorities ----------------------------------------------------------------------------- */

UTEST(servers_wait_in_receive)
{
    UCHECK_OK(cairn_process_start(LOW));
    UCHECK_OK(cairn_process_start(SERVER));
    UCHECK_EQ(MB->n, 0);                      /* below us: not run yet */
    UCHECK_OK(drain());                       /* they run and wait */
    UCHECK_EQ(proc_state(LOW, 0), CAIRN_PROC_RUNNING);
    UCHECK_EQ(MB->n, 0);
}

UTEST(the_highest_priority_runs_first)
{
    clear_notes();
    UCHECK_OK(set_prio(RECORDER(0), 30));
    UCHECK_OK(set_prio(RECORDER(1), 20));
    UCHECK_OK(set_prio(RECORDER(2), 40));
    for (unsigned k = 0; k < 3; k++)
        UCHECK_OK(cairn_process_start(RECORDER(k)));
    UCHECK_EQ(MB->n, 0);                      /* all below us */
    UCHECK_OK(wait_done(ALL_RECORDERS));
    UCHECK_NOTES("ZXY");
    for (unsigned k = 0; k < 3; k++)
        UCHECK_OK(set_prio(RECORDER(k), 20));
}

UTEST(one_priority_runs_in_the_order_made_ready)
{
    clear_notes();
    UCHECK_OK(cairn_process_start(RECORDER(2)));
    UCHECK_OK(cairn_process_start(RECORDER(0)));
    UCHECK_OK(cairn_process_start(RECORDER(1)));
    UCHECK_OK(wait_done(ALL_RECORDERS));
    UCHECK_NOTES("ZXY");
    UCHECK_OK(nap(2));
    UCHECK_NOTES("ZXY");                      /* stopped ones never run */
}

UTEST(a_higher_priority_process_runs_at_once)
{
    clear_notes();
    UCHECK_OK(set_prio(RECORDER(0), 55));     /* above us */
    UCHECK_OK(cairn_process_start(RECORDER(0)));
    UCHECK_NOTES("X");                        /* before start returned to us */
    UCHECK_OK(set_prio(RECORDER(0), 20));
}

UTEST(set_priority_moves_a_ready_process_at_once)
{
    clear_notes();
    for (unsigned k = 0; k < 3; k++)
        UCHECK_OK(cairn_process_start(RECORDER(k)));
    UCHECK_OK(set_prio(RECORDER(0), 20));     /* to the back of its queue */
    UCHECK_OK(set_prio(RECORDER(2), 25));     /* ahead of the others */
    UCHECK_OK(wait_done(ALL_RECORDERS));
    UCHECK_NOTES("ZYX");
    UCHECK_OK(set_prio(RECORDER(2), 20));
}

UTEST(lowering_ourselves_hands_over_the_cpu)
{
    clear_notes();
    UCHECK_OK(cairn_process_start(RECORDER(1)));
    UCHECK_NOTES("");
    UCHECK_OK(set_prio(SELF, 15));            /* now below the recorder */
    UCHECK_NOTES("Y");                        /* it ran before we got our answer */
    UCHECK_OK(set_prio(SELF, 50));
    uint64_t bits = 0;
    UCHECK_OK(cairn_notification_poll(DONE, &bits));
    UCHECK_EQ(bits, 1u << 1);
}

UTEST(the_schedule_capability_bounds_priorities)
{
    caploc_t r = RECORDER(0);
    UCHECK_ERR(set_prio(r, 61), ERR_NO_RIGHTS);
    UCHECK_ERR(set_prio(r, 256), ERR_OUT_OF_RANGE);
    UCHECK_OK(set_prio(r, 60));
    UCHECK_EQ(proc_state(r, 1), 60);
    UCHECK_ERR(cairn_process_set_priority(r, 16, SCHED_LOW), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_process_set_priority(r, 15, SCHED_LOW));
    UCHECK_EQ(proc_state(r, 1), 15);
    UCHECK_ERR(cairn_process_set_priority(r, 15, DISCRIM), ERR_WRONG_TYPE);
    UCHECK_OK(cairn_process_cap_delete(SELF, R(28)));
    UCHECK_OK(cairn_process_cap_copy(SELF, r, R(28)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(28), RESTR_READ_ONLY));
    UCHECK_ERR(set_prio(R(28), 20), ERR_NO_RIGHTS);
    UCHECK_OK(set_prio(r, 20));
    UCHECK_EQ(proc_state(r, 1), 20);
}

/* ---- Round robin -------------------------------------------------------------------------- */

UTEST(round_robin_within_a_priority_by_timer_preemption)
{
    for (unsigned i = 0; i < 3; i++)
        UCHECK_OK(cairn_process_start(SPINNER(i)));
    UCHECK_OK(nap(12 * SLICE_TICKS));           /* a dozen slices */
    for (unsigned i = 0; i < 3; i++)
        UCHECK_OK(cairn_process_stop(SPINNER(i)));
    for (unsigned i = 0; i < 3; i++) {
        UCHECK(MB->count[i] > 0);             /* none of them yields: the timer */
        UCHECK(MB->turns[i] >= 2);            /* took turns between them */
        UCHECK_EQ(MB->out_of_turn[i], 0);     /* in a fixed rotation */
    }
    uint64_t before = MB->count[0] + MB->count[1] + MB->count[2];
    UCHECK_OK(nap(2));
    UCHECK_EQ(MB->count[0] + MB->count[1] + MB->count[2], before);
}

UTEST(idle_until_a_timeout_then_run)
{
    UCHECK_OK(nap(3));                        /* nothing else is ready */
}

/* ---- Where IPC puts the processes it wakes ------------------------------------------------ */

UTEST(the_callee_runs_next)
{
    clear_notes();
    MB->c_send = 0;
    UCHECK_OK(cairn_process_start(CLIENT));
    UCHECK_OK(cairn_process_start(RECORDER(0)));
    UCHECK_OK(wait_done(1u << BIT_C | 1u << BIT_S | 1u));
    /* The server, woken by a call, goes ahead of the recorder; the client,
     * answered by a reply-and-receive, goes ahead of it too. */
    UCHECK_NOTES("SCX");
}

UTEST(a_plain_send_wakes_the_receiver_behind_others)
{
    clear_notes();
    MB->c_send = 1;
    UCHECK_OK(cairn_process_start(CLIENT));
    UCHECK_OK(cairn_process_start(RECORDER(0)));
    UCHECK_OK(wait_done(1u << BIT_C | 1u << BIT_S | 1u));
    UCHECK_NOTES("CXS");
}

/* ---- Priority inversion (docs/spec/scheduling.md) ----------------------------------------- */

/* Start the medium process and the high client, and wait for all three. */
static cairn_error_t run_inversion(uint64_t m_limit, uint64_t h_timeout)
{
    clear_notes();
    MB->m_limit = m_limit;
    MB->h_timeout = h_timeout;
    MB->h_done = 0;
    MB->h_error = MB->l_reply_error = 255;
    cairn_error_t e;
    if ((e = drain()) ||                      /* the server waits in receive */
        (e = cairn_process_start(MEDIUM)) || (e = cairn_process_start(HIGH)))
        return e;
    return wait_done(1u << BIT_H | 1u << BIT_M | 1u << BIT_L);
}

UTEST(priority_inversion_without_inheritance)
{
    UCHECK_OK(run_inversion(2000000, 0));
    /* The low server had the high client's call, but the medium process
     * ran until it was done, then the server, then the client. */
    UCHECK_NOTES("MLH");
    UCHECK_OK(MB->h_error);
    UCHECK_OK(MB->l_reply_error);
}

UTEST(inversion_is_bounded_by_a_timeout)
{
    UCHECK_OK(run_inversion(1ull << 28, 3));
    /* The medium process spins until the client gave up; the server's
     * reply then comes too late. */
    UCHECK_NOTES("HML");
    UCHECK_EQ(MB->h_error, ERR_TIMEOUT);
    UCHECK_EQ(MB->l_reply_error, ERR_REPLY_STALE);
}

UTEST(a_priority_ceiling_avoids_it)
{
    UCHECK_OK(set_prio(LOW, 35));             /* at least its highest client's */
    UCHECK_OK(run_inversion(2000000, 0));
    UCHECK_NOTES("LHM");
    UCHECK_OK(MB->h_error);
    UCHECK_OK(set_prio(LOW, 10));
}

int main(uint64_t arg)
{
    if (arg != 0)
        actor(arg);
    return utest_run("sched");
}
