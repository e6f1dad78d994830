/*
 * pong: the server of the ping-pong pair (servers/pingpong/pingpong.mki).
 * It answers each call with reply-and-receive, one system call per
 * round trip, until a client says DONE; then it answers that too and
 * stops.
 *
 * Registers: 2 SELF, 3 LOG, 8 its endpoint (read-only: it receives, it
 * makes no entries).
 */
#include "cairn/cairn.h"

#include "pingpong.h"

#define CLIENTS CAPLOC_REG(8)

int main(uint64_t arg)
{
    (void)arg;
    uint64_t served = 0;
    cairn_msg_t m = { 0 };
    cairn_ipc_result_t r = cairn_ipc_receive(CLIENTS, &m, 0);
    for (;;) {
        if (r.error != ERR_OK) {
            cairn_printf("pong: receive failed: %s\n", cairn_error_name(r.error));
            return 1;
        }
        if (!(r.flags & CAIRN_RESULT_RECV_CALL)) {      /* a send: no one to answer */
            r = cairn_ipc_receive(CLIENTS, &m, 0);
            continue;
        }
        uint64_t op = m.opcode;
        m.nwords = 1;
        m.opcode = PINGPONG_OP_PONG;
        if (op == PINGPONG_OP_PING) {
            m.words[0] = pingpong_answer(m.words[0]);
            served++;
        } else if (op == PINGPONG_OP_DONE) {
            m.words[0] = served;
            break;
        } else {
            m.opcode = PINGPONG_OP_BAD;
            m.nwords = 0;
        }
        r = cairn_ipc_reply_receive(CLIENTS, &m, 0);
    }
    cairn_error_t err = cairn_ipc_reply(&m);
    cairn_printf("pong: answered %llu pings with reply-and-receive; stopping (%s)\n",
                 (unsigned long long)served, cairn_error_name(err));
    return err == ERR_OK ? 0 : 1;
}
