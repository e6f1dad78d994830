/*
 * Host suite `ipc`: send, non-blocking send, call, receive,
 * reply-and-receive on the simulated machine (ipc_sim.h); message
 * layout, payloads, FIFO service, long messages, capability transfer,
 * every error of the system call, and revocation of an endpoint with
 * queued senders and receivers.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "ipc/reply.h"
#include "sched/sched.h"

/* Registers used throughout: 10 = Endpoint (server), 11 = Entry (client). */
enum { EP = 10, ENT = 11 };

#define SEND(n)     (CAIRN_IPC_OP_SEND | cairn_info((n), 0, 0))
#define CALL(n)     (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV        CAIRN_IPC_OP_RECEIVE
#define REPLY_RECV(n) (CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info((n), 0, 0))

/* A server at prio sp waiting in an open receive, and a client at cp
 * holding an Entry with payload 0x77, running. */
static void pair(unsigned sp, unsigned cp, process_t **s, process_t **c)
{
    sim_reset();
    *s = sim_proc(sp);
    *c = sim_proc(cp);
    sim_endpoint(*s, EP);
    sim_entry(*s, EP, *c, ENT, 0x77);
}

HOST_TEST(ipc, send_to_waiting_receiver)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);          /* s waits; c runs */
    CHECK(sim_waits(s, IPC_RECEIVING));
    process_t *next = sim_syscall(c, SEND(3), CAPLOC_REG(ENT), 42, 1, 2, 3, 99);
    CHECK(next == s);                              /* higher priority: preempts */
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK_EQ(cairn_result_words(r.info), 3);
    CHECK_EQ(r.info & CAIRN_RESULT_RECV_CALL, 0);
    CHECK_EQ(r.target, 0x77);
    CHECK_EQ(r.opcode, 42);
    CHECK_EQ(r.w[0], 1);
    CHECK_EQ(r.w[2], 3);
    CHECK_EQ(r.w[3], 0);                           /* beyond the count: 0 */
    CHECK(sched_is_ready(c));
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(c).w[0], 0);
}
