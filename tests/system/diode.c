/*
 * System suite `diode`: the data diode of servers/diode/ moves data one
 * way, and every attempt to send back fails with the documented error
 * (docs/spec/ipc.md).
 *
 * The image is servers/diode/diode.mki itself, with the real sender and
 * diode; this program stands in the receiver's place (servers/servers.mk
 * builds it that way), so it holds exactly the receiver's capabilities:
 * 2 SELF, 3 LOG and 8 IN, its endpoint, read-only. It takes the stream
 * (servers/diode/diode.h) and checks every message of it, including the
 * reports of what the kernel answered the sender's and the diode's own
 * attempts to open a way back; then it tries every way back it has.
 */
#include "../user/utest.h"

#include "../../servers/diode/diode.h"

#define IN    CAPLOC_REG(8)
#define SPARE CAPLOC_REG(9)

/* Ticks to wait for the next message before calling the stream broken. */
#define STREAM_TICKS 500u
/* Ticks of quiet after END that show nothing more is coming. */
#define QUIET_TICKS 20u

/* The next message of the stream, with what the receive said. */
static cairn_msg_t msg;
static cairn_ipc_result_t res;

static cairn_error_t next_message(void)
{
    msg = (cairn_msg_t){ 0 };
    cairn_ipc_set_timeout(STREAM_TICKS);
    res = cairn_ipc_receive(IN, &msg, CAIRN_IPC_TIMEOUT);
    return res.error;
}

/* A message that came as a send: no Reply capability, nothing cut short,
 * the default payload of the diode's Entry. */
#define UCHECK_SENT()                                                        \
    do { UCHECK_EQ(res.flags, 0);                                            \
         UCHECK_EQ(res.ncaps, 0);                                            \
         UCHECK_EQ(res.payload, 0); } while (0)

/* ---- What the diode found ------------------------------------------------------------ */

UTEST(diode_reports_first)
{
    UCHECK_OK(next_message());
    UCHECK_SENT();
    UCHECK_EQ(msg.opcode, DIODE_OP_CHECK);
    UCHECK_EQ(msg.nwords, DIODE_CHECK_WORDS);
    UCHECK_EQ(msg.words[DIODE_CHECK_WHO], DIODE_FROM_DIODE);
}

/* A call through its send-only Entry, the only way it could ask for an
 * answer from downstream: refused before anything is delivered (this
 * program received nothing before the report). */
UTEST(diode_call_through_no_call_entry_refused)
{
    UCHECK_ERR((cairn_error_t)msg.words[DIODE_CHECK_CALL], ERR_NO_RIGHTS);
}

UTEST(diode_read_only_endpoint_makes_no_entry)
{
    UCHECK_ERR((cairn_error_t)msg.words[DIODE_CHECK_MAKE_ENTRY], ERR_NO_RIGHTS);
}

/* The sender's message was a send: no Reply capability came with it, so
 * the diode's reply finds register 1 empty. */
UTEST(diode_holds_no_reply_to_the_sender)
{
    UCHECK_ERR((cairn_error_t)msg.words[DIODE_CHECK_REPLY], ERR_INVALID_CAP);
}

/* ---- What the sender found ----------------------------------------------------------- */

UTEST(sender_report_forwarded)
{
    UCHECK_OK(next_message());
    UCHECK_SENT();
    UCHECK_EQ(msg.opcode, DIODE_OP_CHECK);
    UCHECK_EQ(msg.nwords, 2);
    UCHECK_EQ(msg.words[DIODE_CHECK_WHO], DIODE_FROM_SENDER);
}

/* Only a call could ever bring the sender an answer; its call is refused. */
UTEST(sender_call_refused)
{
    UCHECK_ERR((cairn_error_t)msg.words[DIODE_CHECK_CALL], ERR_NO_RIGHTS);
}

/* ---- The data --------------------------------------------------------------------------- */

UTEST(data_arrives_in_order)
{
    for (uint64_t i = 0; i < DIODE_MESSAGES; i++) {
        UCHECK_OK(next_message());
        UCHECK_SENT();
        UCHECK_EQ(msg.opcode, DIODE_OP_DATA);
        UCHECK_EQ(msg.words[0], i);
        UCHECK_EQ(msg.nwords, 1 + diode_data_words(i));
        for (unsigned j = 1; j < msg.nwords; j++)
            UCHECK_EQ(msg.words[j], diode_word(i, j));
    }
}

UTEST(end_counts_every_message)
{
    UCHECK_OK(next_message());
    UCHECK_SENT();
    UCHECK_EQ(msg.opcode, DIODE_OP_END);
    UCHECK_EQ(msg.nwords, 1);
    UCHECK_EQ(msg.words[0], DIODE_MESSAGES);
}

/* ---- The receiver's ways back ----------------------------------------------------------- */

/* Every message came as a send, the last one too: register 1 is empty. */
UTEST(receiver_reply_finds_no_reply_capability)
{
    cairn_msg_t m = { .opcode = DIODE_OP_DATA, .nwords = 1, .words = { 1 } };
    UCHECK_ERR(cairn_ipc_reply(&m), ERR_INVALID_CAP);
    /* A reply-and-receive is refused whole: nothing is received either. */
    UCHECK_ERR(cairn_ipc_reply_receive(IN, &m, CAIRN_IPC_NONBLOCK).error,
               ERR_INVALID_CAP);
}

UTEST(receiver_read_only_endpoint_makes_no_entry)
{
    UCHECK_ERR(cairn_endpoint_make_entry(IN, 0, SPARE), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_endpoint_make_entry(IN, 0x1234, SPARE), ERR_NO_RIGHTS);
}

/* An Endpoint capability receives; sends and calls go to Entries only. */
UTEST(receiver_cannot_send_on_its_endpoint)
{
    cairn_msg_t m = { .opcode = DIODE_OP_DATA, .nwords = 1, .words = { 1 } };
    UCHECK_ERR(cairn_ipc_send(IN, &m, 0), ERR_WRONG_TYPE);
    UCHECK_ERR(cairn_ipc_send(IN, &m, CAIRN_IPC_NONBLOCK), ERR_WRONG_TYPE);
}

/* A call to an Endpoint is a kernel method, never a message: it has no
 * method that sends, and its one method (make_entry) is refused. */
UTEST(receiver_call_on_its_endpoint_reaches_nobody)
{
    cairn_msg_t m = { .opcode = DIODE_OP_DATA, .nwords = 1, .words = { 1 } };
    UCHECK_ERR(cairn_ipc_call(IN, &m, 0).error, ERR_BAD_OPCODE);
    m.opcode = OP_ENDPOINT_make_entry;
    UCHECK_ERR(cairn_ipc_call(IN, &m, 0).error, ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_ipc_call(IN, &m, CAIRN_IPC_NONBLOCK).error,
               ERR_INVALID_ARGUMENT);
}

/* After END the stream is quiet: none of the refused attempts, here or
 * upstream, turned into a message. */
UTEST(nothing_more_arrives)
{
    cairn_msg_t m = { 0 };
    cairn_ipc_set_timeout(QUIET_TICKS);
    UCHECK_ERR(cairn_ipc_receive(IN, &m, CAIRN_IPC_TIMEOUT).error, ERR_TIMEOUT);
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("diode");
}
