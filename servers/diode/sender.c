/*
 * The sender of the data diode (servers/diode/diode.mki): it sends
 * DIODE_MESSAGES data messages through its send-only Entry to the diode,
 * then END (the protocol is servers/diode/diode.h).
 *
 * Before the data it tries a call through that Entry, the only way an
 * answer could ever come back to it, and reports the kernel's refusal
 * downstream in a CHECK message.
 *
 * It holds no Process capability, not even its own: it could send that
 * downstream and so give the diode a way to write into it (mkimage finds
 * that path). Without one it cannot stop itself; when main returns,
 * libsys ends it by faulting on purpose (cairn_exit), and the kernel says
 * so on the console.
 *
 * Registers: 3 LOG, 8 OUT (an Entry to the diode's endpoint, no_call).
 */
#include "cairn/cairn.h"

#include "diode.h"

#define OUT CAPLOC_REG(8)

int main(uint64_t arg)
{
    (void)arg;
    cairn_msg_t probe = { .opcode = DIODE_OP_CHECK };
    cairn_error_t call = cairn_ipc_call(OUT, &probe, 0).error;

    cairn_msg_t m = { .opcode = DIODE_OP_CHECK, .nwords = 2,
                      .words = { DIODE_FROM_SENDER, call } };
    cairn_error_t err = cairn_ipc_send(OUT, &m, 0);
    unsigned sent = 0, words = 0;
    for (uint64_t i = 0; i < DIODE_MESSAGES && err == ERR_OK; i++) {
        m.opcode = DIODE_OP_DATA;
        m.nwords = 1 + diode_data_words(i);
        m.words[0] = i;
        for (unsigned j = 1; j < m.nwords; j++)
            m.words[j] = diode_word(i, j);
        if ((err = cairn_ipc_send(OUT, &m, 0)) == ERR_OK) {
            sent++;
            words += m.nwords - 1;
        }
    }
    m = (cairn_msg_t){ .opcode = DIODE_OP_END, .nwords = 1, .words = { sent } };
    if (err == ERR_OK)
        err = cairn_ipc_send(OUT, &m, 0);
    cairn_printf("sender: sent %u messages (%u data words) to the diode: %s; "
                 "a call to it was refused: %s\n",
                 sent, words, cairn_error_name(err), cairn_error_name(call));
    cairn_printf("sender: done; with no Process capability to stop with, it "
                 "ends by faulting on purpose\n");
    return err == ERR_OK ? 0 : 1;
}
