/*
 * The diode of the data diode (servers/diode/diode.mki): it receives on
 * its read-only endpoint and forwards each message, words only, through
 * its send-only Entry to the receiver. END ends a stream, not the diode:
 * it has no Process capability of its own to stop with, so it waits for
 * the next stream (when nothing else can run, the system has finished).
 *
 * It names no receive slots, so no capability ever passes through it.
 * Before it forwards anything it checks that it is one way: a call
 * through its output and an Entry made from its input must be refused,
 * and once a message has come there must be no Reply capability to answer
 * it with. It reports what the kernel said in a CHECK message ahead of
 * the data (servers/diode/diode.h), and if any of these succeeded it
 * forwards nothing (it fails closed).
 *
 * Registers: 8 IN (its endpoint, read-only), 9 OUT (an Entry to
 * the receiver's endpoint, no_call). It has no log: its only output is OUT.
 */
#include "cairn/cairn.h"

#include "diode.h"

#define IN    CAPLOC_REG(8)
#define OUT   CAPLOC_REG(9)
#define SPARE CAPLOC_REG(10)     /* where an Entry would go, were one made */

static bool diode_is_one_way(const cairn_msg_t *check)
{
    return check->words[DIODE_CHECK_CALL] == ERR_NO_RIGHTS &&
           check->words[DIODE_CHECK_MAKE_ENTRY] == ERR_NO_RIGHTS &&
           check->words[DIODE_CHECK_REPLY] == ERR_INVALID_CAP;
}

int main(uint64_t arg)
{
    (void)arg;
    cairn_msg_t probe = { .opcode = DIODE_OP_CHECK };
    cairn_msg_t check = { .opcode = DIODE_OP_CHECK, .nwords = DIODE_CHECK_WORDS,
                          .words = { DIODE_FROM_DIODE } };
    check.words[DIODE_CHECK_CALL] = cairn_ipc_call(OUT, &probe, 0).error;
    check.words[DIODE_CHECK_MAKE_ENTRY] = cairn_endpoint_make_entry(IN, 0, SPARE);

    cairn_msg_t m = { 0 };
    cairn_ipc_result_t r = cairn_ipc_receive(IN, &m, 0);
    /* A call would already be a way back: never answer one, even here. */
    check.words[DIODE_CHECK_REPLY] = (r.flags & CAIRN_RESULT_RECV_CALL)
                                         ? ERR_OK : cairn_ipc_reply(&probe);
    cairn_error_t err = cairn_ipc_send(OUT, &check, 0);
    if (!diode_is_one_way(&check))
        return 1;

    while (err == ERR_OK && r.error == ERR_OK) {
        err = cairn_ipc_send(OUT, &m, 0);
        r = cairn_ipc_receive(IN, &m, 0);
    }
    return 1;
}
