/*
 * System suite `reply`: one-shot Reply capabilities between processes in
 * different address spaces.
 *
 * The test serves calls that puppets (tests/system/ipctest.h) make to
 * `svc`. Each Reply capability answers once: a second reply, a reply
 * through a copy, or one to a later call of the same caller is
 * REPLY_STALE and reaches nobody. A Reply capability can be kept in a
 * CapPage and used later, or sent to a worker (argument 1, its own
 * address space) who answers. A reply never waits, not even for a caller
 * of lower priority, and a reply to a caller that died is REVOKED, also
 * once the caller's memory holds a new process.
 */
#include "ipctest.h"

typedef struct {
    uint64_t answered;       /* replies the worker gave */
    uint64_t ncaps;          /* capabilities it received last */
    uint64_t reply_error;    /* what its last reply returned */
} mailbox_t;
#define MB MAILBOX(mailbox_t)

#define SVC        R(15)
#define SVC_ENTRY  R(16)
#define WORKER     R(17)
#define REPLY      R(CAIRN_CR_REPLY)

/* ---- The worker: answers the calls whose Reply capabilities it gets ---------- */

static void worker(void)
{
    for (;;) {
        cairn_msg_t m = { .nrecv = 1, .recv = { REPLY } };
        cairn_ipc_result_t r = cairn_ipc_receive(R(12), &m, 0);
        MB->ncaps = r.ncaps;
        uint64_t op = m.opcode, w = m.words[0];
        m = msg_words(op + 1, 1, 2 * w);
        MB->reply_error = cairn_ipc_reply(&m);
        MB->answered++;
    }
}

/* ---- Helpers -------------------------------------------------------------------------- */

static puppet_t pup[3];

/* Puppet k, newly made at priority prio, calls svc with opcode op and
 * word w (naming nrecv receive slots, set up in its buffer by the test). */
static cairn_error_t client_calls(unsigned k, unsigned prio, uint64_t op, uint64_t w)
{
    cairn_error_t e;
    if ((e = puppet_fresh(&pup[k], k, prio)) ||
        (e = puppet_set_cap(&pup[k], 16, SVC_ENTRY)))
        return e;
    return puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0),
                                               R(16), op, { w } });
}

/* The same puppet calls again. */
static cairn_error_t client_calls_again(unsigned k, uint64_t op, uint64_t w)
{
    return puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0),
                                               R(16), op, { w } });
}

static cairn_ipc_result_t take_call(cairn_msg_t *m)
{
    *m = (cairn_msg_t){ 0 };
    return cairn_ipc_receive(SVC, m, 0);
}

static cairn_error_t reply_word(uint64_t w)
{
    cairn_msg_t m = msg_words(0, 1, w);
    return cairn_ipc_reply(&m);
}

static cairn_error_t copy_cap(caploc_t from, caploc_t to)
{
    return cairn_process_cap_copy(SELF, from, to);
}

static bool same_object(caploc_t a, caploc_t b)
{
    uint64_t out[2] = { 0, 0 };
    return cairn_discrim_compare(DISCRIM, a, b, out) == ERR_OK && out[0] == 1;
}

/* Puppet k's call has returned with word w. */
static bool answered_with(unsigned k, uint64_t w)
{
    return puppet_error(&pup[k]) == ERR_OK && puppet_regs(&pup[k]).w[0] == w;
}

/* ---- One shot --------------------------------------------------------------------------- */

UTEST(a_second_reply_is_stale_and_reaches_nobody)
{
    UCHECK_OK(client_calls(0, 20, 1, 10));
    cairn_msg_t m;
    cairn_ipc_result_t r = take_call(&m);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_CALL);
    UCHECK_EQ(r.payload, 5);
    UCHECK_EQ(m.words[0], 10);
    UCHECK_EQ(cap_type_at(REPLY), CAP_REPLY);
    UCHECK_OK(reply_word(11));
    UCHECK(answered_with(0, 11));
    UCHECK_ERR(reply_word(12), ERR_REPLY_STALE);
    UCHECK(answered_with(0, 11));
}

UTEST(copies_are_one_shot_too)
{
    UCHECK_OK(client_calls(0, 20, 1, 10));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_OK(copy_cap(REPLY, R(20)));
    UCHECK_EQ(cap_type_at(R(20)), CAP_REPLY);
    UCHECK_OK(reply_word(1));
    UCHECK_OK(copy_cap(R(20), REPLY));
    UCHECK_ERR(reply_word(2), ERR_REPLY_STALE);
    UCHECK(answered_with(0, 1));
}

UTEST(a_stale_reply_cannot_reach_a_later_call)
{
    UCHECK_OK(client_calls(0, 20, 1, 10));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_OK(copy_cap(REPLY, R(20)));
    UCHECK_OK(reply_word(1));
    UCHECK_OK(client_calls_again(0, 1, 20));  /* the same caller, a new call */
    UCHECK_OK(take_call(&m).error);
    UCHECK_EQ(m.words[0], 20);
    UCHECK_OK(copy_cap(REPLY, R(21)));
    UCHECK_OK(copy_cap(R(20), REPLY));
    UCHECK_ERR(reply_word(666), ERR_REPLY_STALE);
    UCHECK(puppet_waiting(&pup[0]));          /* still waiting for its answer */
    UCHECK_OK(copy_cap(R(21), REPLY));
    UCHECK_OK(reply_word(21));
    UCHECK(answered_with(0, 21));
}

/* ---- Moved ------------------------------------------------------------------------------ */

UTEST(a_reply_capability_kept_in_a_cappage_answers_later)
{
    UCHECK_OK(client_calls(0, 20, 1, 100));
    UCHECK_OK(client_calls(1, 20, 1, 200));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_EQ(m.words[0], 100);
    UCHECK_OK(copy_cap(REPLY, SLOT(100)));
    UCHECK_OK(cairn_process_cap_delete(SELF, REPLY));
    UCHECK_OK(take_call(&m).error);           /* the second caller */
    UCHECK_EQ(m.words[0], 200);
    UCHECK_OK(reply_word(201));
    UCHECK(answered_with(1, 201));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(copy_cap(SLOT(100), REPLY));
    UCHECK_OK(reply_word(101));
    UCHECK(answered_with(0, 101));
}

UTEST(forwarded_to_a_worker_who_answers)
{
    uint64_t answered = MB->answered;
    UCHECK_OK(client_calls(0, 20, 3, 21));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    m.ncaps = 1;
    m.caps[0] = REPLY;
    UCHECK_OK(cairn_ipc_send(WORKER, &m, 0)); /* the call, Reply capability and all */
    UCHECK_EQ(MB->answered, answered + 1);
    UCHECK_EQ(MB->ncaps, 1);
    UCHECK_OK(MB->reply_error);
    UCHECK(answered_with(0, 42));
    UCHECK_EQ(puppet_regs(&pup[0]).opcode, 4);
    UCHECK_ERR(reply_word(0), ERR_REPLY_STALE); /* our copy is spent too */
}

UTEST(a_reply_carries_capabilities_to_the_slots_the_call_named)
{
    UCHECK_OK(puppet_fresh(&pup[0], 0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 16, SVC_ENTRY));
    cairn_ipc_buffer_t *b = puppet_buffer(&pup[0]);
    b->recv_caps[0] = CAPLOC_REG(20);
    b->recv_caps[1] = CAPLOC_MEM(PUPPET_CAPPAGE + 16 * 2);
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(0, 0, 2),
                                                  R(16), 0, { 0 } }));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    m = (cairn_msg_t){ .ncaps = 3, .caps = { BLOB, WINDOW, SCRATCH } };
    UCHECK_OK(cairn_ipc_reply(&m));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
    cairn_regs_t r = puppet_regs(&pup[0]);
    UCHECK_EQ(cairn_result_caps(r.info), 2);
    UCHECK(r.info & CAIRN_RESULT_TRUNCATED);  /* three sent, two named */
    UCHECK_OK(cairn_process_get_cap_reg(PUPPET_PROC(&pup[0]), 20, R(22)));
    UCHECK(same_object(R(22), BLOB));
    UCHECK_OK(cairn_cappage_get_slot(PUPPET_CP(&pup[0]), 2, R(23)));
    UCHECK(same_object(R(23), WINDOW));
}

/* ---- A reply never waits ------------------------------------------------------------------ */

UTEST(a_reply_never_waits_for_its_caller)
{
    UCHECK_OK(client_calls(0, 5, 1, 7));      /* below us: it has not run yet */
    UCHECK(puppet_waiting(&pup[0]));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);           /* we wait; it runs and calls */
    UCHECK_EQ(m.words[0], 7);
    UCHECK_OK(reply_word(8));
    UCHECK(!puppet_returned(&pup[0]));        /* answered, not yet run */
    UCHECK_OK(nap(1));
    UCHECK(answered_with(0, 8));
}

UTEST(a_reply_to_a_caller_that_died_is_revoked)
{
    UCHECK_OK(client_calls(0, 20, 1, 1));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_OK(puppet_destroy(&pup[0]));
    UCHECK_ERR(reply_word(2), ERR_REVOKED);
    /* A new process in the same memory calls; puppet 1 takes the call.
     * Our old capability is still dead and cannot reach the newcomer. */
    UCHECK_OK(puppet_fresh(&pup[1], 1, 20));
    UCHECK_OK(puppet_set_cap(&pup[1], 15, SVC));
    UCHECK_OK(puppet_run(&pup[1], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE, R(15), 0, { 0 } }));
    UCHECK_OK(client_calls(0, 20, 1, 3));
    UCHECK_EQ(puppet_error(&pup[1]), ERR_OK);
    UCHECK_EQ(puppet_regs(&pup[1]).w[0], 3);
    UCHECK_ERR(reply_word(4), ERR_REVOKED);
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(puppet_run(&pup[1], (cairn_regs_t){ CAIRN_IPC_OP_REPLY | cairn_info(1, 0, 0),
                                                  R(0), 0, { 5 } }));
    UCHECK_EQ(puppet_error(&pup[1]), ERR_OK);
    UCHECK(answered_with(0, 5));
}

UTEST(a_refused_reply_and_receive_does_not_receive)
{
    UCHECK_OK(client_calls(0, 20, 1, 1));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_OK(puppet_destroy(&pup[0]));       /* the caller dies */
    UCHECK_OK(client_calls(1, 20, 1, 9));     /* another waits, queued */
    m = msg_words(0, 1, 2);
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, 0).error, ERR_REVOKED);
    UCHECK(puppet_waiting(&pup[1]));
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, 0).error, ERR_REVOKED); /* still */
    UCHECK(puppet_waiting(&pup[1]));
    UCHECK_OK(cairn_ipc_receive(SVC, &m, CAIRN_IPC_NONBLOCK).error);
    UCHECK_EQ(m.words[0], 9);
    UCHECK_OK(copy_cap(REPLY, R(20)));        /* answer it, then try again */
    m = msg_words(0, 1, 10);
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, CAIRN_IPC_NONBLOCK).error,
               ERR_WOULD_BLOCK);              /* replied; nothing to receive */
    UCHECK(answered_with(1, 10));
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, CAIRN_IPC_NONBLOCK).error,
               ERR_REPLY_STALE);
}

UTEST(a_caller_stopped_mid_call_is_interrupted)
{
    UCHECK_OK(client_calls(0, 20, 1, 1));
    cairn_msg_t m;
    UCHECK_OK(take_call(&m).error);
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(&pup[0])));
    UCHECK_EQ(cairn_result_error(puppet_regs(&pup[0]).info), ERR_INTERRUPTED);
    UCHECK_ERR(reply_word(2), ERR_REPLY_STALE);
    UCHECK_OK(cairn_process_start(PUPPET_PROC(&pup[0])));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_INTERRUPTED);
}

UTEST(reply_phase_errors)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, REPLY));
    cairn_msg_t m = { 0 };
    UCHECK_ERR(cairn_ipc_reply(&m), ERR_INVALID_CAP);
    UCHECK_ERR(cairn_ipc_reply_receive(SVC, &m, CAIRN_IPC_NONBLOCK).error, ERR_INVALID_CAP);
    UCHECK_OK(copy_cap(WINDOW, REPLY));
    UCHECK_ERR(cairn_ipc_reply(&m), ERR_WRONG_TYPE);
    UCHECK_OK(client_calls(0, 20, 1, 1));
    UCHECK_OK(take_call(&m).error);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_REPLY | CAIRN_IPC_TIMEOUT, R(0)), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_REPLY | CAIRN_IPC_ABANDON, R(0)), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_REPLY | CAIRN_IPC_SEND, SVC_ENTRY),
               ERR_INVALID_ARGUMENT);
    UCHECK(puppet_waiting(&pup[0]));          /* none of those replied */
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_REPLY | CAIRN_IPC_NONBLOCK | cairn_info(1, 0, 0), R(0)),
               ERR_OK);                       /* NONBLOCK: no effect on a reply */
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
}

int main(uint64_t arg)
{
    if (arg == 1)
        worker();
    return utest_run("reply");
}
