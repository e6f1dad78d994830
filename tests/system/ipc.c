/*
 * System suite `ipc`: messages between processes in different address
 * spaces, through the libsys IPC helpers (libsys/include/cairn/ipc.h)
 * and, for what libsys would not send, raw system calls.
 *
 * Send, non-blocking send, call, receive and reply-and-receive; messages
 * of 0, 4 and 64 words; up to four capabilities each way, into full and
 * revoked slots, from Null and revoked sources, into and out of CapPage
 * slots; protected payloads; FIFO order of blocked senders; and every
 * refusal of the system call (control word, target, IPC buffer, slots),
 * none of which reaches the receiver.
 *
 * The image (tests/system/ipc.mki) runs this program as the test
 * (argument 0) and as an echo server (argument 1) at a higher priority;
 * puppets (tests/system/ipctest.h) play the other clients and servers.
 */
#include "ipctest.h"

/* What the echo server saw last, in the shared page. */
typedef struct {
    uint64_t served;                 /* messages it has taken */
    uint64_t opcode, payload, flags, nwords, ncaps, w0;
    uint64_t types[4];               /* its receive slots after the message */
} mailbox_t;
#define MB MAILBOX(mailbox_t)

enum {
    OP_ECHO = 1,    /* reply with the same words, opcode + ECHOED */
    OP_WHO,         /* reply payload, flags, capabilities received */
    OP_CAPS,        /* reply the types of the capabilities received, and them */
    OP_NOTE,        /* (a send) only noted */
};
#define ECHOED 100u

#define ECHO          R(15)
#define ECHO2         R(16)
#define ECHO_SO       R(17)          /* send-only */
#define INBOX         R(18)
#define INBOX_ENTRY   R(19)
#define SERVER_SLOT0  20u            /* the server's receive slots: 20..23 */

/* ---- The echo server ------------------------------------------------------------ */

static bool echo(void *ctx, const cairn_ipc_result_t *r, cairn_msg_t *m)
{
    (void)ctx;
    MB->opcode = m->opcode;
    MB->payload = r->payload;
    MB->flags = r->flags;
    MB->nwords = m->nwords;
    MB->ncaps = r->ncaps;
    MB->w0 = m->words[0];
    for (unsigned i = 0; i < 4; i++)
        MB->types[i] = cap_type_at(R(SERVER_SLOT0 + i));
    MB->served++;
    switch (m->opcode) {
    case OP_ECHO:
        m->opcode += ECHOED;
        break;
    case OP_WHO:
        m->nwords = 3;
        m->words[0] = r->payload;
        m->words[1] = r->flags;
        m->words[2] = r->ncaps;
        break;
    case OP_CAPS:
        m->nwords = 4;
        m->ncaps = r->ncaps;
        for (unsigned i = 0; i < 4; i++) {
            m->words[i] = MB->types[i];
            m->caps[i] = R(SERVER_SLOT0 + i);
        }
        break;
    default:
        m->nwords = 0;
        break;
    }
    return true;
}

static void echo_server(void)
{
    cairn_msg_t m = { .nrecv = 4 };
    for (unsigned i = 0; i < 4; i++)
        m.recv[i] = R(SERVER_SLOT0 + i);
    cairn_ipc_serve(R(12), &m, echo, NULL);
}

/* ---- Helpers ------------------------------------------------------------------------- */

static puppet_t pup[4];

static cairn_error_t fresh_puppet(unsigned k, unsigned prio)
{
    return puppet_fresh(&pup[k], k, prio);
}

/* A capability whose object is gone, at register reg (uses reg + 1). */
static cairn_error_t make_revoked(unsigned reg)
{
    cairn_error_t e;
    cairn_process_cap_delete(SELF, R(reg));
    cairn_process_cap_delete(SELF, R(reg + 1));
    if ((e = new_untyped(12, reg + 1)) ||
        (e = cairn_untyped_retype(R(reg + 1), OBJ_ENDPOINT, 0, 1, R(reg))))
        return e;
    return revoke(R(reg + 1));
}

static bool same_object(caploc_t a, caploc_t b)
{
    uint64_t out[2] = { 0, 0 };
    return cairn_discrim_compare(DISCRIM, a, b, out) == ERR_OK && out[0] == 1;
}

/* ---- Messages ---------------------------------------------------------------------------- */

UTEST(call_with_no_words)
{
    cairn_msg_t m = msg_words(OP_ECHO, 0, 0);
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(m.opcode, OP_ECHO + ECHOED);
    UCHECK_EQ(m.nwords, 0);
    UCHECK_EQ(r.flags, 0);
    UCHECK_EQ(r.payload, 0);
    UCHECK_EQ(MB->nwords, 0);
    UCHECK(MB->flags & CAIRN_RESULT_RECV_CALL);
}

UTEST(call_with_four_words_in_registers)
{
    cairn_msg_t m = msg_words(OP_ECHO, 4, 40);
    UCHECK_OK(cairn_ipc_call(ECHO, &m, 0).error);
    UCHECK_EQ(m.nwords, 4);
    for (unsigned i = 0; i < 4; i++)
        UCHECK_EQ(m.words[i], 40 + i);
}

UTEST(call_with_64_words_through_the_buffers)
{
    cairn_msg_t m = msg_words(OP_ECHO, CAIRN_MSG_WORDS_MAX, 0x6400);
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.flags & CAIRN_RESULT_TRUNCATED, 0);
    UCHECK_EQ(MB->nwords, 64);
    UCHECK_EQ(m.nwords, 64);
    for (unsigned i = 0; i < CAIRN_MSG_WORDS_MAX; i++)
        UCHECK_EQ(m.words[i], 0x6400 + i);
}

UTEST(cairn_call_reaches_a_server_too)
{
    cairn_msg_t m = msg_words(OP_ECHO, 2, 7);
    UCHECK_OK(cairn_call(ECHO, &m));
    UCHECK_EQ(m.opcode, OP_ECHO + ECHOED);
    UCHECK_EQ(m.words[1], 8);
}

UTEST(the_receiver_sees_the_protected_payload)
{
    cairn_msg_t m = msg_words(OP_WHO, 0, 0);
    UCHECK_OK(cairn_ipc_call(ECHO, &m, 0).error);
    UCHECK_EQ(m.words[0], 0x1111);
    UCHECK_EQ(m.words[1], CAIRN_RESULT_RECV_CALL);
    m = msg_words(OP_WHO, 0, 0);
    UCHECK_OK(cairn_ipc_call(ECHO2, &m, 0).error);
    UCHECK_EQ(m.words[0], 0x2222);
}

UTEST(send_reaches_a_waiting_receiver)
{
    uint64_t served = MB->served;
    cairn_msg_t m = msg_words(OP_NOTE, 2, 77);
    UCHECK_OK(cairn_ipc_send(ECHO, &m, 0));
    UCHECK_EQ(MB->served, served + 1);        /* it ran at once: higher priority */
    UCHECK_EQ(MB->opcode, OP_NOTE);
    UCHECK_EQ(MB->flags, 0);                  /* no RECV_CALL: nothing to answer */
    UCHECK_EQ(MB->payload, 0x1111);
    UCHECK_EQ(MB->nwords, 2);
    UCHECK_EQ(MB->w0, 77);
    UCHECK_OK(cairn_ipc_try_send(ECHO, &m));  /* a receiver waits: it goes */
    UCHECK_EQ(MB->served, served + 2);
}

UTEST(a_send_only_entry_sends_but_cannot_call)
{
    uint64_t served = MB->served;
    cairn_msg_t m = msg_words(OP_ECHO, 1, 5);
    UCHECK_ERR(cairn_ipc_call(ECHO_SO, &m, 0).error, ERR_NO_RIGHTS);
    UCHECK_EQ(MB->served, served);
    m = msg_words(OP_NOTE, 1, 5);
    UCHECK_OK(cairn_ipc_send(ECHO_SO, &m, 0));
    UCHECK_EQ(MB->served, served + 1);
    UCHECK_EQ(MB->payload, 0x3333);
}

UTEST(nonblocking_operations_without_a_partner)
{
    cairn_msg_t m = msg_words(1, 1, 1);
    UCHECK_ERR(cairn_ipc_try_send(INBOX_ENTRY, &m), ERR_WOULD_BLOCK);
    UCHECK_ERR(cairn_ipc_call(INBOX_ENTRY, &m, CAIRN_IPC_NONBLOCK).error, ERR_WOULD_BLOCK);
    UCHECK_ERR(cairn_ipc_receive(INBOX, &m, CAIRN_IPC_NONBLOCK).error, ERR_WOULD_BLOCK);
    /* Nothing was left queued by them: a waiting receive still blocks. */
    UCHECK_ERR(cairn_ipc_receive(INBOX, &m, CAIRN_IPC_NONBLOCK).error, ERR_WOULD_BLOCK);
}

/* ---- Puppets as the other side -------------------------------------------------------- */

UTEST(receive_takes_a_queued_sender)
{
    UCHECK_OK(fresh_puppet(0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 19, INBOX_ENTRY));
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_SEND | cairn_info(3, 0, 0),
                                                  R(19), 9, { 1, 2, 3, 4 } }));
    UCHECK(puppet_waiting(&pup[0]));          /* queued: nobody receives yet */
    cairn_msg_t m = { 0 };
    cairn_ipc_result_t r = cairn_ipc_receive(INBOX, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.payload, 0x4444);
    UCHECK_EQ(r.flags, 0);
    UCHECK_EQ(m.opcode, 9);
    UCHECK_EQ(m.nwords, 3);
    UCHECK_EQ(m.words[2], 3);
    UCHECK_EQ(m.words[3], 0);                 /* beyond the count: zero */
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
}

UTEST(a_receiver_waits_for_a_sender)
{
    UCHECK_OK(fresh_puppet(0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 18, INBOX));
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE, R(18), 0, { 0 } }));
    UCHECK(puppet_waiting(&pup[0]));
    cairn_msg_t m = msg_words(21, 2, 500);
    UCHECK_OK(cairn_ipc_try_send(INBOX_ENTRY, &m));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
    cairn_regs_t r = puppet_regs(&pup[0]);
    UCHECK_EQ(cairn_result_words(r.info), 2);
    UCHECK_EQ(r.target, 0x4444);
    UCHECK_EQ(r.opcode, 21);
    UCHECK_EQ(r.w[1], 501);
}

UTEST(reply_and_receive_serves_queued_callers)
{
    for (unsigned k = 0; k < 2; k++) {
        UCHECK_OK(fresh_puppet(k, 20));
        UCHECK_OK(puppet_set_cap(&pup[k], 19, INBOX_ENTRY));
        UCHECK_OK(puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0),
                                                      R(19), 30 + k, { 100 * k } }));
        UCHECK(puppet_waiting(&pup[k]));
    }
    cairn_msg_t m = { 0 };
    cairn_ipc_result_t r = cairn_ipc_receive(INBOX, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_CALL);
    UCHECK_EQ(m.opcode, 30);
    UCHECK_EQ(cap_type_at(R(CAIRN_CR_REPLY)), CAP_REPLY);
    m = msg_words(7, 2, 1000);
    r = cairn_ipc_reply_receive(INBOX, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(m.opcode, 31);                  /* the second caller */
    UCHECK_EQ(m.words[0], 100);
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK); /* the first has its reply */
    cairn_regs_t p = puppet_regs(&pup[0]);
    UCHECK_EQ(p.target, 0);                   /* a reply carries no payload */
    UCHECK_EQ(p.opcode, 7);
    UCHECK_EQ(cairn_result_words(p.info), 2);
    UCHECK_EQ(p.w[1], 1001);
    UCHECK(puppet_waiting(&pup[1]));
    m = msg_words(8, 1, 2000);
    UCHECK_OK(cairn_ipc_reply(&m));
    UCHECK_EQ(puppet_error(&pup[1]), ERR_OK);
    UCHECK_EQ(puppet_regs(&pup[1]).w[0], 2000);
}

/* Start puppets 0..n-1 at the given priorities, each sending opcode k. */
static cairn_error_t queue_senders(unsigned n, const unsigned *prio)
{
    for (unsigned k = 0; k < n; k++) {
        cairn_error_t e;
        if ((e = fresh_puppet(k, prio[k])) ||
            (e = puppet_set_cap(&pup[k], 19, INBOX_ENTRY)) ||
            (e = puppet_run(&pup[k], (cairn_regs_t){ CAIRN_IPC_OP_SEND | cairn_info(1, 0, 0),
                                                     R(19), k, { 10 * k } })))
            return e;
    }
    return ERR_OK;
}

UTEST(senders_of_one_priority_are_served_in_fifo_order)
{
    static const unsigned prio[3] = { 20, 20, 20 };
    UCHECK_OK(queue_senders(3, prio));
    for (unsigned k = 0; k < 3; k++) {
        cairn_msg_t m = { 0 };
        UCHECK_OK(cairn_ipc_receive(INBOX, &m, 0).error);
        UCHECK_EQ(m.opcode, k);
        UCHECK_EQ(m.words[0], 10 * k);
        UCHECK_EQ(puppet_error(&pup[k]), ERR_OK);
    }
}

UTEST(senders_are_served_in_fifo_order_whatever_their_priority)
{
    static const unsigned prio[4] = { 15, 40, 20, 40 };
    UCHECK_OK(queue_senders(4, prio));
    for (unsigned k = 0; k < 4; k++) {
        cairn_msg_t m = { 0 };
        UCHECK_OK(cairn_ipc_receive(INBOX, &m, 0).error);
        UCHECK_EQ(m.opcode, k);
    }
}

/* ---- Capabilities ------------------------------------------------------------------------ */

UTEST(four_capabilities_go_to_the_server_and_back)
{
    for (unsigned i = 24; i < 28; i++)
        UCHECK_OK(cairn_process_cap_delete(SELF, R(i)));
    cairn_msg_t m = { .opcode = OP_CAPS, .ncaps = 4,
                      .caps = { WINDOW, SCRATCH, INBOX_ENTRY, BLOB },
                      .nrecv = 4, .recv = { R(24), R(25), R(26), R(27) } };
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(MB->ncaps, 4);                  /* what the server got */
    UCHECK_EQ(m.words[0], CAP_GPT);
    UCHECK_EQ(m.words[1], CAP_CAPPAGE);
    UCHECK_EQ(m.words[2], CAP_ENTRY);
    UCHECK_EQ(m.words[3], CAP_PAGE);
    UCHECK_EQ(r.ncaps, 4);                    /* and what came back */
    UCHECK_EQ(r.flags & CAIRN_RESULT_TRUNCATED, 0);
    UCHECK(same_object(R(24), WINDOW));
    UCHECK(same_object(R(25), SCRATCH));
    UCHECK(same_object(R(26), INBOX_ENTRY));
    UCHECK(same_object(R(27), BLOB));
    UCHECK_EQ(cap_type_at(WINDOW), CAP_GPT);  /* copied, not moved */
}

UTEST(capabilities_replace_full_and_revoked_slots)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, DISCRIM, R(24)));   /* full */
    UCHECK_OK(make_revoked(25));                               /* revoked */
    UCHECK_EQ(cap_type_at(R(25)), CAP_NULL);
    UCHECK_OK(cairn_process_cap_copy(SELF, WINDOW, SLOT(64))); /* full, in a CapPage */
    cairn_msg_t m = { .opcode = OP_CAPS, .ncaps = 3, .caps = { BLOB, SCRATCH, INBOX_ENTRY },
                      .nrecv = 3, .recv = { R(24), R(25), SLOT(64) } };
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.ncaps, 3);
    UCHECK_EQ(cap_type_at(R(24)), CAP_PAGE);
    UCHECK_EQ(cap_type_at(R(25)), CAP_CAPPAGE);
    UCHECK_EQ(cap_type_at(SLOT(64)), CAP_ENTRY);
    UCHECK(same_object(SLOT(64), INBOX_ENTRY));
}

UTEST(null_and_revoked_sources_arrive_as_null)
{
    UCHECK_OK(make_revoked(28));
    cairn_msg_t m = { .opcode = OP_CAPS, .ncaps = 3, .caps = { R(0), R(28), BLOB } };
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(MB->ncaps, 3);                  /* three slots were written */
    UCHECK_EQ(m.words[0], CAP_NULL);
    UCHECK_EQ(m.words[1], CAP_NULL);
    UCHECK_EQ(m.words[2], CAP_PAGE);
    UCHECK_EQ(r.ncaps, 0);                    /* we named no slots for the reply */
    UCHECK(r.flags & CAIRN_RESULT_TRUNCATED);
}

UTEST(capabilities_from_and_into_cappage_slots)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, BLOB, SLOT(65)));
    UCHECK_OK(cairn_process_cap_delete(SELF, SLOT(66)));
    cairn_msg_t m = { .opcode = OP_CAPS, .ncaps = 1, .caps = { SLOT(65) },
                      .nrecv = 1, .recv = { SLOT(66) } };
    cairn_ipc_result_t r = cairn_ipc_call(ECHO, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(m.words[0], CAP_PAGE);
    UCHECK_EQ(r.ncaps, 1);
    UCHECK(same_object(SLOT(66), BLOB));
}

UTEST(fewer_slots_than_capabilities_truncates)
{
    UCHECK_OK(fresh_puppet(0, 20));
    cairn_ipc_buffer_t *b = puppet_buffer(&pup[0]);
    UCHECK_OK(puppet_set_cap(&pup[0], 16, BLOB));
    UCHECK_OK(puppet_set_cap(&pup[0], 17, WINDOW));
    UCHECK_OK(puppet_set_cap(&pup[0], 18, SCRATCH));
    UCHECK_OK(puppet_set_cap(&pup[0], 19, INBOX_ENTRY));
    for (unsigned i = 0; i < 3; i++)
        b->send_caps[i] = CAPLOC_REG(16 + i);
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_SEND | cairn_info(1, 3, 0),
                                                  R(19), 5, { 99 } }));
    cairn_msg_t m = { .nrecv = 2, .recv = { R(24), R(25) } };
    cairn_ipc_result_t r = cairn_ipc_receive(INBOX, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(r.ncaps, 2);
    UCHECK(r.flags & CAIRN_RESULT_TRUNCATED);
    UCHECK(same_object(R(24), BLOB));
    UCHECK(same_object(R(25), WINDOW));
    UCHECK_EQ(m.words[0], 99);
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK); /* the sender's part succeeded */
}

UTEST(a_receiver_without_a_buffer_gets_four_words)
{
    UCHECK_OK(fresh_puppet(0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 18, INBOX));
    UCHECK_OK(cairn_process_set_ipc_buffer(PUPPET_PROC(&pup[0]), R(0)));
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_RECEIVE, R(18), 0, { 0 } }));
    cairn_msg_t m = msg_words(3, 8, 80);
    UCHECK_OK(cairn_ipc_send(INBOX_ENTRY, &m, 0));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
    cairn_regs_t r = puppet_regs(&pup[0]);
    UCHECK_EQ(cairn_result_words(r.info), 4);
    UCHECK(r.info & CAIRN_RESULT_TRUNCATED);
    UCHECK_EQ(r.w[3], 83);
}

/* ---- Refusals ------------------------------------------------------------------------------ */

UTEST(control_word_errors)
{
    uint64_t served = MB->served;
    uint64_t send = CAIRN_IPC_OP_SEND;
    UCHECK_ERR(sys_error(send | 1u << 7, ECHO), ERR_INVALID_ARGUMENT);  /* reserved */
    UCHECK_ERR(sys_error(send | 1u << 23, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(send | 1ull << 40, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(0, ECHO), ERR_INVALID_ARGUMENT);              /* no phase */
    UCHECK_ERR(sys_error(CAIRN_IPC_NONBLOCK, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_SEND | CAIRN_IPC_RECEIVE, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_REPLY | CAIRN_IPC_SEND, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_REPLY | CAIRN_IPC_CALL, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_REPLY | CAIRN_IPC_TIMEOUT, ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(send | cairn_info(65, 0, 0), ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(send | cairn_info(127, 0, 0), ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(send | cairn_info(0, 5, 0), ECHO), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL | cairn_info(0, 0, 5), ECHO),
               ERR_INVALID_ARGUMENT);
    UCHECK_EQ(MB->served, served);            /* nothing reached the server */
    /* libsys refuses what it cannot marshal, before the kernel. */
    cairn_msg_t m = { .opcode = OP_ECHO, .nwords = 65 };
    UCHECK_ERR(cairn_ipc_call(ECHO, &m, 0).error, ERR_INVALID_ARGUMENT);
}

UTEST(target_errors)
{
    uint64_t served = MB->served;
    uint64_t send = CAIRN_IPC_OP_SEND;
    UCHECK_OK(cairn_process_cap_delete(SELF, R(30)));
    UCHECK_ERR(sys_error(send, R(0)), ERR_INVALID_CAP);
    UCHECK_ERR(sys_error(send, R(30)), ERR_INVALID_CAP);                /* empty */
    UCHECK_ERR(sys_error(send, R(40)), ERR_INVALID_CAP);                /* no such */
    UCHECK_ERR(sys_error(send, CAPLOC_MEM(0x70000000)), ERR_INVALID_ADDRESS);
    UCHECK_ERR(sys_error(send, CAPLOC_MEM(SCRATCH_VA + 8)), ERR_ALIGNMENT);
    UCHECK_ERR(sys_error(send, CAPLOC_MEM(MAILBOX_VA)), ERR_WRONG_TYPE); /* a Page */
    UCHECK_OK(cairn_process_cap_delete(SELF, R(29)));
    UCHECK_OK(new_untyped(12, 29));
    UCHECK_OK(cairn_untyped_retype(R(29), OBJ_ENDPOINT, 0, 1, R(30)));
    UCHECK_OK(cairn_endpoint_make_entry(R(30), 1, R(31)));
    UCHECK_OK(revoke(R(29)));
    UCHECK_ERR(sys_error(send, R(31)), ERR_REVOKED);
    UCHECK_ERR(sys_error(send, INBOX), ERR_WRONG_TYPE);                 /* an Endpoint */
    UCHECK_ERR(sys_error(send, WINDOW), ERR_WRONG_TYPE);                /* a GPT */
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL, INBOX), ERR_BAD_OPCODE);    /* a method */
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_RECEIVE, INBOX_ENTRY), ERR_WRONG_TYPE);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_RECEIVE, WINDOW), ERR_WRONG_TYPE);
    UCHECK_EQ(MB->served, served);
}

UTEST(a_reply_capability_is_never_a_target)
{
    UCHECK_OK(fresh_puppet(0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 19, INBOX_ENTRY));
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_CALL, R(19), 0, { 0 } }));
    cairn_msg_t m = { 0 };
    UCHECK_OK(cairn_ipc_receive(INBOX, &m, 0).error);
    caploc_t reply = R(CAIRN_CR_REPLY);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_SEND, reply), ERR_WRONG_TYPE);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL, reply), ERR_WRONG_TYPE);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_RECEIVE, reply), ERR_WRONG_TYPE);
    UCHECK_ERR(sys_error(0, reply), ERR_INVALID_ARGUMENT);
    UCHECK(puppet_waiting(&pup[0]));          /* none of that answered it */
    UCHECK_OK(cairn_ipc_reply(&m));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK);
}

UTEST(buffer_and_slot_errors)
{
    uint64_t served = MB->served;
    cairn_ipc_buffer_t *b = cairn_ipc_buffer;
    uint64_t send1 = CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0);
    uint64_t call1 = CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1);
    b->send_caps[0] = CAPLOC_REG(40);
    UCHECK_ERR(sys_error(send1, ECHO), ERR_INVALID_CAP);
    b->send_caps[0] = CAPLOC_MEM(SCRATCH_VA + 8);
    UCHECK_ERR(sys_error(send1, ECHO), ERR_ALIGNMENT);
    b->send_caps[0] = CAPLOC_MEM(0x70000000);
    UCHECK_ERR(sys_error(send1, ECHO), ERR_INVALID_ADDRESS);
    b->recv_caps[0] = RO_SLOT(70);
    UCHECK_ERR(sys_error(call1, ECHO), ERR_ACCESS);
    b->recv_caps[0] = WEAK_SLOT(70);
    UCHECK_ERR(sys_error(call1, ECHO), ERR_ACCESS);
    b->recv_caps[0] = CAPLOC_MEM(MAILBOX_VA);
    UCHECK_ERR(sys_error(call1, ECHO), ERR_WRONG_TYPE);
    b->timeout_ticks = 0;
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL | CAIRN_IPC_TIMEOUT, ECHO), ERR_OUT_OF_RANGE);
    b->abandon = ECHO;
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL | CAIRN_IPC_ABANDON, ECHO), ERR_WRONG_TYPE);
    UCHECK_OK(cairn_process_cap_delete(SELF, R(30)));
    b->abandon = R(30);
    UCHECK_ERR(sys_error(CAIRN_IPC_OP_CALL | CAIRN_IPC_ABANDON, ECHO), ERR_INVALID_CAP);
    UCHECK_EQ(MB->served, served);
}

UTEST(a_process_without_an_ipc_buffer)
{
    UCHECK_OK(fresh_puppet(0, 20));
    UCHECK_OK(puppet_set_cap(&pup[0], 15, ECHO));
    UCHECK_OK(cairn_process_set_ipc_buffer(PUPPET_PROC(&pup[0]), R(0)));
    const uint64_t refused[] = {
        CAIRN_IPC_OP_CALL | cairn_info(5, 0, 0),          /* words 4.. */
        CAIRN_IPC_OP_CALL | cairn_info(0, 1, 0),          /* a capability */
        CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1),          /* a receive slot */
        CAIRN_IPC_OP_CALL | CAIRN_IPC_TIMEOUT,
        CAIRN_IPC_OP_CALL | CAIRN_IPC_ABANDON,
    };
    uint64_t served = MB->served;
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ refused[i], R(15), OP_ECHO, { 0 } }));
        UCHECK_EQ(puppet_error(&pup[0]), ERR_INVALID_ARGUMENT);
    }
    UCHECK_EQ(MB->served, served);
    UCHECK_OK(puppet_run(&pup[0], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(4, 0, 0),
                                                  R(15), OP_ECHO, { 1, 2, 3, 4 } }));
    UCHECK_EQ(puppet_error(&pup[0]), ERR_OK); /* registers only: fine */
    UCHECK_EQ(puppet_regs(&pup[0]).w[3], 4);
    UCHECK_EQ(MB->served, served + 1);
}

UTEST(kernel_objects_take_flags_0_or_a_call)
{
    static const uint64_t fine[] = {
        0, CAIRN_IPC_OP_CALL, CAIRN_IPC_CALL, CAIRN_IPC_CALL | CAIRN_IPC_SEND,
    };
    for (unsigned i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        cairn_regs_t r = sys(fine[i], WINDOW, OP_GPT_get_l2v, 0, 0, 0, 0);
        UCHECK_OK(cairn_result_error(r.info));
        UCHECK_EQ(r.w[0], 12);
    }
    uint64_t call = CAIRN_IPC_OP_CALL;
    UCHECK_ERR(sys_error(call | CAIRN_IPC_NONBLOCK, WINDOW), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(call | CAIRN_IPC_TIMEOUT, WINDOW), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(sys_error(CAIRN_IPC_NONBLOCK, WINDOW), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(cairn_result_error(sys(call, WINDOW, 99, 0, 0, 0, 0).info), ERR_BAD_OPCODE);
    UCHECK_ERR(cairn_result_error(sys(call, WINDOW, OP_GPT_set_l2v, 0, 0, 0, 0).info),
               ERR_INVALID_ARGUMENT);                 /* a word short */
    cairn_msg_t m = { .opcode = OP_GPT_get_l2v };
    cairn_ipc_result_t r = cairn_ipc_call(WINDOW, &m, 0);
    UCHECK_OK(r.error);
    UCHECK_EQ(m.words[0], 12);
}

int main(uint64_t arg)
{
    if (arg == 1)
        echo_server();
    return utest_run("ipc");
}
