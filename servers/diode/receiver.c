/*
 * The receiver of the data diode (servers/diode/diode.mki): it receives
 * the stream on its read-only endpoint and checks it against the
 * protocol (servers/diode/diode.h): the diode's and the sender's CHECK
 * reports, every DATA message in order with the right words, END. Then
 * it tries every way back it might have and prints what the kernel said.
 *
 * Registers: 2 SELF, 3 LOG, 8 IN (its endpoint, read-only).
 */
#include "cairn/cairn.h"

#include "diode.h"

#define IN    CAPLOC_REG(8)
#define SPARE CAPLOC_REG(9)      /* where an Entry would go, were one made */

static unsigned problems;

static void receiver_problem(const char *what, uint64_t a, uint64_t b)
{
    cairn_printf("receiver: %s (%llu, expected %llu)\n", what,
                 (unsigned long long)a, (unsigned long long)b);
    problems++;
}

static void receiver_expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        receiver_problem(what, got, want);
}

static void receiver_check(const cairn_msg_t *m)
{
    const uint64_t *w = m->words;
    if (w[DIODE_CHECK_WHO] == DIODE_FROM_SENDER) {
        cairn_printf("receiver: the sender's call back was refused: %s\n",
                     cairn_error_name(w[DIODE_CHECK_CALL]));
        receiver_expect("sender's call", w[DIODE_CHECK_CALL], ERR_NO_RIGHTS);
        return;
    }
    cairn_printf("receiver: the diode's call back was refused: %s; its endpoint "
                 "made no Entry: %s; it held no Reply: %s\n",
                 cairn_error_name(w[DIODE_CHECK_CALL]),
                 cairn_error_name(w[DIODE_CHECK_MAKE_ENTRY]),
                 cairn_error_name(w[DIODE_CHECK_REPLY]));
    receiver_expect("diode's call", w[DIODE_CHECK_CALL], ERR_NO_RIGHTS);
    receiver_expect("diode's make_entry", w[DIODE_CHECK_MAKE_ENTRY], ERR_NO_RIGHTS);
    receiver_expect("diode's reply", w[DIODE_CHECK_REPLY], ERR_INVALID_CAP);
}

/* DATA message number `next`; true if it is exactly what was sent. */
static bool receiver_data(const cairn_msg_t *m, uint64_t next)
{
    if (m->words[0] != next || m->nwords != 1 + diode_data_words(next)) {
        receiver_problem("out of order or the wrong length", m->words[0], next);
        return false;
    }
    for (unsigned j = 1; j < m->nwords; j++)
        if (m->words[j] != diode_word(next, j)) {
            receiver_problem("a data word changed", m->words[j], diode_word(next, j));
            return false;
        }
    cairn_printf("receiver: message %2llu: %u data word%s%s\n",
                 (unsigned long long)next, m->nwords - 1, m->nwords == 2 ? "" : "s",
                 m->nwords > CAIRN_REG_WORDS ? " (through the IPC buffers)" : "");
    return true;
}

/* Every way back the receiver might try; each must be refused. */
static void receiver_try_back(void)
{
    cairn_msg_t m = { .opcode = DIODE_OP_DATA, .nwords = 1 };
    cairn_error_t entry = cairn_endpoint_make_entry(IN, 0, SPARE);
    cairn_error_t send = cairn_ipc_send(IN, &m, CAIRN_IPC_NONBLOCK);
    cairn_error_t reply = cairn_ipc_reply(&m);
    cairn_printf("receiver: trying back: an Entry from its endpoint: %s; a send "
                 "to it: %s; a reply: %s\n", cairn_error_name(entry),
                 cairn_error_name(send), cairn_error_name(reply));
    receiver_expect("make_entry", entry, ERR_NO_RIGHTS);
    receiver_expect("send to the endpoint", send, ERR_WRONG_TYPE);
    receiver_expect("reply", reply, ERR_INVALID_CAP);
}

int main(uint64_t arg)
{
    (void)arg;
    uint64_t next = 0;
    for (;;) {
        cairn_msg_t m = { 0 };
        cairn_ipc_result_t r = cairn_ipc_receive(IN, &m, 0);
        if (r.error != ERR_OK) {
            receiver_problem("receive failed", r.error, ERR_OK);
            return 1;
        }
        if (r.flags & CAIRN_RESULT_RECV_CALL)
            receiver_problem("a call arrived: something could answer back", 1, 0);
        if (m.opcode == DIODE_OP_CHECK)
            receiver_check(&m);
        else if (m.opcode == DIODE_OP_DATA)
            next += receiver_data(&m, next);
        else if (m.opcode == DIODE_OP_END) {
            receiver_expect("END's count", m.words[0], next);
            break;
        }
        else
            receiver_problem("unknown opcode", m.opcode, DIODE_OP_DATA);
    }
    receiver_expect("messages received", next, DIODE_MESSAGES);
    receiver_try_back();
    cairn_printf("receiver: %llu of %u messages arrived in order; %s\n",
                 (unsigned long long)next, DIODE_MESSAGES,
                 problems ? "PROBLEMS (see above)" : "nothing went back");
    return problems ? 1 : 0;
}
