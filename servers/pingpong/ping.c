/*
 * ping: the client of the ping-pong pair (servers/pingpong/pingpong.mki).
 * It calls pong N times (N is its start argument) with a counter, checks
 * every answer, then asks pong to stop and prints a summary.
 *
 * Registers: 2 SELF, 3 LOG, 8 an Entry to pong's endpoint.
 */
#include "cairn/cairn.h"

#include "pingpong.h"

#define SERVER CAPLOC_REG(8)

/* One call: the answer's word, or ~0 on any error (printed). */
static uint64_t ping_call(uint64_t opcode, uint64_t counter)
{
    cairn_msg_t m = { .opcode = opcode, .nwords = 1, .words = { counter } };
    cairn_ipc_result_t r = cairn_ipc_call(SERVER, &m, 0);
    if (r.error != ERR_OK) {
        cairn_printf("ping: call %llu failed: %s\n", (unsigned long long)counter,
                     cairn_error_name(r.error));
        return ~0ull;
    }
    if (m.opcode != PINGPONG_OP_PONG || m.nwords != 1) {
        cairn_printf("ping: call %llu: answer opcode %llu with %u words\n",
                     (unsigned long long)counter, (unsigned long long)m.opcode,
                     m.nwords);
        return ~0ull;
    }
    return m.words[0];
}

int main(uint64_t calls)
{
    uint64_t right = 0;
    for (uint64_t i = 1; i <= calls; i++) {
        uint64_t got = ping_call(PINGPONG_OP_PING, i);
        if (got == pingpong_answer(i))
            right++;
        else if (got != ~0ull)
            cairn_printf("ping: call %llu answered %llu, expected %llu\n",
                         (unsigned long long)i, (unsigned long long)got,
                         (unsigned long long)pingpong_answer(i));
    }
    uint64_t served = ping_call(PINGPONG_OP_DONE, 0);
    bool ok = right == calls && served == calls;
    cairn_printf("ping: %llu of %llu calls answered right; pong served %llu: %s\n",
                 (unsigned long long)right, (unsigned long long)calls,
                 (unsigned long long)served, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
