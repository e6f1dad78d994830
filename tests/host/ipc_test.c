/*
 * Host suite `ipc`: send, non-blocking send, call, receive,
 * reply-and-receive on the simulated machine (ipc_sim.h): message
 * layout, payloads, FIFO service, long messages, capability transfer
 * (counts, full and revoked slots, unreachable slots and sources), every
 * error of the system call, and revocation of an endpoint with queued
 * senders and receivers.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "ipc/cancel.h"
#include "ipc/reply.h"
#include "obj/untyped.h"
#include "sched/sched.h"

/* Registers: 10 = Endpoint (server), 11 = Entry (client). */
enum { EP = 10, ENT = 11 };

#define SEND(n)       (CAIRN_IPC_OP_SEND | cairn_info((n), 0, 0))
#define CALL(n)       (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV          CAIRN_IPC_OP_RECEIVE
#define REPLY(n)      (CAIRN_IPC_OP_REPLY | cairn_info((n), 0, 0))
#define REPLY_RECV(n) (CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info((n), 0, 0))

/* A server at priority sp and a client at cp holding an Entry with
 * payload 0x77 to the server's endpoint. Nothing has run yet. */
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
    CHECK(sim_syscall(c, SEND(3), CAPLOC_REG(ENT), 42, 1, 2, 3, 99) == s);
    sim_regs_t r = sim_regs(s);                   /* higher priority: runs */
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK_EQ(cairn_result_words(r.info), 3);
    CHECK_EQ(cairn_result_caps(r.info), 0);
    CHECK_EQ(r.info & (CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_TRUNCATED), 0);
    CHECK_EQ(r.target, 0x77);
    CHECK_EQ(r.opcode, 42);
    CHECK_EQ(r.w[0], 1);
    CHECK_EQ(r.w[2], 3);
    CHECK_EQ(r.w[3], 0);                           /* beyond the count: 0 */
    CHECK_EQ(r.pc, SIM_PC0 + HOST_SYSCALL_LEN);
    CHECK(sched_is_ready(c));
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(c).w[0], 0);
    CHECK(sim_waits(c, IPC_IDLE));
}

HOST_TEST(ipc, sender_waits_for_receiver)
{
    process_t *s, *c;
    pair(5, 10, &s, &c);
    CHECK(sim_run() == c);
    CHECK(sim_syscall(c, SEND(2), CAPLOC_REG(ENT), 7, 70, 71, 0, 0) == s);
    CHECK(sim_waits(c, IPC_SENDING));
    endpoint_t *ep = obj_ptr(s->cap_regs[EP].obj);
    CHECK_EQ(ep->state, ENDPOINT_SENDERS);
    CHECK(sim_sys(s, RECV, EP, 0) == c);           /* c is woken and preempts s */
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(cairn_result_words(r.info), 2);
    CHECK_EQ(r.w[1], 71);
    CHECK_EQ(r.opcode, 7);
    CHECK_EQ(r.target, 0x77);
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(c).pc, SIM_PC0 + HOST_SYSCALL_LEN);
    CHECK(sched_is_ready(s));
}

HOST_TEST(ipc, senders_are_served_in_fifo_order)
{
    sim_reset();
    process_t *s = sim_proc(1), *c[3];
    sim_endpoint(s, EP);
    for (unsigned i = 0; i < 3; i++) {
        c[i] = sim_proc(i == 2 ? 9 : 5);          /* the last to come is the most urgent */
        sim_entry(s, EP, c[i], ENT, 100 + i);
    }
    CHECK(sim_run() == c[2]);
    CHECK(sim_sys(c[2], SEND(0), ENT, 0) == c[0]);
    CHECK(sim_sys(c[0], SEND(0), ENT, 0) == c[1]);
    CHECK(sim_sys(c[1], SEND(0), ENT, 0) == s);
    unsigned expect[3] = { 102, 100, 101 };       /* the order they queued */
    for (unsigned i = 0; i < 3; i++) {
        process_t *woken = sim_sys(s, RECV, EP, 0);
        CHECK_EQ(sim_regs(s).target, expect[i]);
        CHECK_EQ(sim_err(woken), ERR_OK);
        CHECK(sim_park(woken) == s);
    }
}

HOST_TEST(ipc, payload_names_the_entry_used)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_entry(s, EP, c, ENT + 1, 0xfeedf00d);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, SEND(0), ENT + 1, 5) == s);
    CHECK_EQ(sim_regs(s).target, 0xfeedf00d);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, SEND(0), ENT, 5) == s);
    CHECK_EQ(sim_regs(s).target, 0x77);
}

HOST_TEST(ipc, nonblocking_send)
{
    process_t *s, *c;
    pair(5, 10, &s, &c);
    endpoint_t *ep = obj_ptr(s->cap_regs[EP].obj);
    CHECK(sim_run() == c);
    CHECK(sim_sys(c, SEND(0) | CAIRN_IPC_NONBLOCK, ENT, 1) == c);
    CHECK_EQ(sim_err(c), ERR_WOULD_BLOCK);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);           /* nothing queued */
    CHECK(sim_park(c) == s);
    CHECK(sim_sys(s, RECV | CAIRN_IPC_NONBLOCK, EP, 0) == s);
    CHECK_EQ(sim_err(s), ERR_WOULD_BLOCK);         /* a receive can poll too */
    CHECK(sim_sys(s, RECV, EP, 0) == NULL);        /* nothing else to run */
    CHECK_EQ(sim_exit(), HOST_EXIT_POWEROFF);
}

HOST_TEST(ipc, nonblocking_send_reaches_a_waiting_receiver)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_syscall(c, SEND(1) | CAIRN_IPC_NONBLOCK, CAPLOC_REG(ENT), 3, 33, 0, 0, 0) == s);
    CHECK_EQ(sim_err(c), ERR_OK);
    CHECK_EQ(sim_regs(s).w[0], 33);
}

HOST_TEST(ipc, nonblocking_call_without_a_receiver)
{
    process_t *s, *c;
    pair(5, 10, &s, &c);
    CHECK(sim_run() == c);
    CHECK(sim_sys(c, CALL(0) | CAIRN_IPC_NONBLOCK, ENT, 1) == c);
    CHECK_EQ(sim_err(c), ERR_WOULD_BLOCK);           /* nobody to call */
    CHECK(sim_waits(c, IPC_IDLE));
    endpoint_t *ep = obj_ptr(s->cap_regs[EP].obj);
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
}

HOST_TEST(ipc, nonblocking_call_to_a_waiting_receiver_waits_for_the_reply)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, CALL(0) | CAIRN_IPC_NONBLOCK, ENT, 1) == s);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    CHECK(sim_regs(s).info & CAIRN_RESULT_RECV_CALL);
}

HOST_TEST(ipc, nonblocking_reply_and_receive)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 3, 0, 0, 0) == s);
    CHECK(sim_syscall(s, REPLY_RECV(1) | CAIRN_IPC_NONBLOCK, CAPLOC_REG(EP), 0, 4,
                      0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_WOULD_BLOCK);           /* the reply went, nothing came */
    CHECK(sim_waits(s, IPC_IDLE));
    CHECK(sched_is_ready(c));
    CHECK_EQ(sim_regs(c).w[0], 4);
}

HOST_TEST(ipc, receive_takes_a_queued_sender_at_once)
{
    process_t *s, *c;
    pair(5, 10, &s, &c);
    CHECK(sim_run() == c);
    CHECK(sim_sys(c, SEND(0), ENT, 4) == s);
    CHECK(sim_sys(s, RECV | CAIRN_IPC_NONBLOCK, EP, 0) == c);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(sim_regs(s).opcode, 4);
}

HOST_TEST(ipc, call_and_reply)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_syscall(c, CALL(2), CAPLOC_REG(ENT), 9, 5, 6, 0, 0) == s);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(r.info & CAIRN_RESULT_RECV_CALL, CAIRN_RESULT_RECV_CALL);
    CHECK_EQ(cairn_result_words(r.info), 2);
    CHECK_EQ(r.opcode, 9);
    cap_t rc = s->cap_regs[CAIRN_REPLY_REG];
    CHECK_EQ(rc.type, CAP_REPLY);
    CHECK_EQ(rc.obj, obj_ref_of(c));
    CHECK(sim_syscall(s, REPLY(1), 0, 0x99, 123, 0, 0, 0) == s);   /* never blocks */
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sched_is_ready(c));
    CHECK(sim_park(s) == c);
    r = sim_regs(c);
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK_EQ(cairn_result_words(r.info), 1);
    CHECK_EQ(r.info & CAIRN_RESULT_RECV_CALL, 0);
    CHECK_EQ(r.w[0], 123);
    CHECK_EQ(r.w[1], 0);
    CHECK_EQ(r.opcode, 0x99);
    CHECK_EQ(r.target, 0);
    CHECK_EQ(r.pc, SIM_PC0 + HOST_SYSCALL_LEN);
}

HOST_TEST(ipc, call_flag_alone_means_call)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_CALL, ENT, 1) == s);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    CHECK(sim_regs(s).info & CAIRN_RESULT_RECV_CALL);
}

HOST_TEST(ipc, reply_and_receive_serves_a_queue)
{
    sim_reset();
    process_t *s = sim_proc(1), *c1 = sim_proc(5), *c2 = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c1, ENT, 1);
    sim_entry(s, EP, c2, ENT, 2);
    CHECK(sim_run() == c1);
    CHECK(sim_syscall(c1, CALL(1), CAPLOC_REG(ENT), 0, 10, 0, 0, 0) == c2);
    CHECK(sim_syscall(c2, CALL(1), CAPLOC_REG(ENT), 0, 20, 0, 0, 0) == s);
    CHECK(sim_sys(s, RECV, EP, 0) == s);          /* c1's call was queued */
    CHECK_EQ(sim_regs(s).target, 1);
    CHECK(sim_waits(c1, IPC_REPLY_WAIT));
    /* Answer c1 and take c2's call in one step. */
    CHECK(sim_syscall(s, REPLY_RECV(1), CAPLOC_REG(EP), 0, 11, 0, 0, 0) == c1);
    CHECK_EQ(sim_regs(c1).w[0], 11);
    CHECK_EQ(sim_regs(s).target, 2);
    CHECK_EQ(sim_regs(s).w[0], 20);
    CHECK_EQ(s->cap_regs[CAIRN_REPLY_REG].obj, obj_ref_of(c2));
    CHECK(sim_park(c1) == s);
    CHECK(sim_syscall(s, REPLY_RECV(1), CAPLOC_REG(EP), 0, 21, 0, 0, 0) == c2);
    CHECK_EQ(sim_regs(c2).w[0], 21);
    CHECK(sim_waits(s, IPC_RECEIVING));
}

HOST_TEST(ipc, long_messages_go_buffer_to_buffer)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    cairn_ipc_buffer_t *cb = sim_buf(c), *sb = sim_buf(s);
    for (unsigned i = 4; i < 64; i++)
        cb->words[i] = 1000 + i;
    CHECK(sim_syscall(c, SEND(64), CAPLOC_REG(ENT), 1, 1000, 1001, 1002, 1003) == s);
    CHECK_EQ(cairn_result_words(sim_regs(s).info), 64);
    CHECK_EQ(sim_regs(s).w[3], 1003);
    CHECK_EQ(sb->words[4], 1004);
    CHECK_EQ(sb->words[63], 1063);
    CHECK_EQ(sim_regs(s).info & CAIRN_RESULT_TRUNCATED, 0);
    /* A receiver without a buffer gets the register words, and knows it. */
    s->ipc_buffer = cap_null();
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_syscall(c, SEND(10), CAPLOC_REG(ENT), 1, 1, 2, 3, 4) == s);
    CHECK_EQ(cairn_result_words(sim_regs(s).info), 4);
    CHECK(sim_regs(s).info & CAIRN_RESULT_TRUNCATED);
    CHECK_EQ(sim_regs(s).w[3], 4);
}

/* ---- Capability transfer --------------------------------------------------------- */

enum { SRC0 = 12 };          /* the client's capabilities to send: 12.. */
enum { DST0 = 20 };          /* the server's receive slots: 20.. */

static void name_caps(process_t *c, unsigned n, process_t *s, unsigned k)
{
    for (unsigned i = 0; i < n; i++)
        sim_buf(c)->send_caps[i] = CAPLOC_REG(SRC0 + i);
    for (unsigned i = 0; i < k; i++)
        sim_buf(s)->recv_caps[i] = CAPLOC_REG(DST0 + i);
}

HOST_TEST(ipc, capabilities_arrive_up_to_the_slots_named)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_object(c, OBJ_PAGE, SRC0);
    sim_object(c, OBJ_NOTIFICATION, SRC0 + 1);
    sim_object(c, OBJ_ENDPOINT, SRC0 + 2);
    name_caps(c, 3, s, 2);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 2), EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 3, 0), ENT, 0) == s);
    sim_regs_t r = sim_regs(s);
    CHECK_EQ(cairn_result_caps(r.info), 2);
    CHECK(r.info & CAIRN_RESULT_TRUNCATED);
    CHECK(cap_same_object(&s->cap_regs[DST0], &c->cap_regs[SRC0]));
    CHECK(cap_same_object(&s->cap_regs[DST0 + 1], &c->cap_regs[SRC0 + 1]));
    CHECK(cap_is_null(&s->cap_regs[DST0 + 2]));
    CHECK_EQ(c->cap_regs[SRC0].type, CAP_PAGE);   /* copied, not moved */
    /* More slots than capabilities: the extra slots are left alone. */
    s->cap_regs[DST0 + 3] = c->cap_regs[SRC0 + 2];
    name_caps(c, 1, s, 4);
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 4), EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), ENT, 0) == s);
    CHECK_EQ(cairn_result_caps(sim_regs(s).info), 1);
    CHECK_EQ(sim_regs(s).info & CAIRN_RESULT_TRUNCATED, 0);
    CHECK_EQ(s->cap_regs[DST0 + 3].type, CAP_ENDPOINT);
}

HOST_TEST(ipc, transfer_into_full_and_revoked_slots_and_from_revoked_sources)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_sub_untyped(c, 9, 16);
    untyped_retype(&c->cap_regs[9], OBJ_PAGE, 0, 1, &c->cap_regs[SRC0]);    /* to revoke */
    sim_object(c, OBJ_NOTIFICATION, SRC0 + 1);
    c->cap_regs[SRC0 + 2] = cap_null();
    sim_object(s, OBJ_ENDPOINT, DST0);                    /* a full slot */
    s->cap_regs[DST0 + 1] = c->cap_regs[SRC0];           /* soon a revoked slot */
    s->cap_regs[DST0 + 2] = c->cap_regs[SRC0 + 1];
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 3), EP, 0) == c);
    CHECK_EQ(host_revoke(c, 9, NULL), ERR_OK);            /* the Page dies */
    CHECK_EQ(cap_check(&s->cap_regs[DST0 + 1]), ERR_REVOKED);
    /* Send: revoked Page, Notification, Null, into: full, revoked, full. */
    sim_buf(c)->send_caps[0] = CAPLOC_REG(SRC0 + 1);
    sim_buf(c)->send_caps[1] = CAPLOC_REG(SRC0);
    sim_buf(c)->send_caps[2] = CAPLOC_REG(SRC0 + 2);
    for (unsigned i = 0; i < 3; i++)
        sim_buf(s)->recv_caps[i] = CAPLOC_REG(DST0 + i);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 3, 0), ENT, 0) == s);
    CHECK_EQ(cairn_result_caps(sim_regs(s).info), 3);
    CHECK_EQ(s->cap_regs[DST0].type, CAP_NOTIFICATION);   /* replaced */
    CHECK(cap_is_null(&s->cap_regs[DST0 + 1]));            /* a revoked source: Null */
    CHECK(cap_is_null(&s->cap_regs[DST0 + 2]));            /* a Null source: Null */
}

HOST_TEST(ipc, capabilities_through_capage_slots)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_space(c, 24);
    sim_space(s, 24);
    cap_t *cslots = host_cappage(&c->cap_regs[25]), *sslots = host_cappage(&s->cap_regs[25]);
    sim_object(c, OBJ_PAGE, SRC0);
    cslots[3] = c->cap_regs[SRC0];
    sim_buf(c)->send_caps[0] = CAPLOC_MEM(3 * 16);
    sim_buf(s)->recv_caps[0] = CAPLOC_MEM(7 * 16);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 1), EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), ENT, 0) == s);
    CHECK_EQ(cairn_result_caps(sim_regs(s).info), 1);
    CHECK(cap_same_object(&sslots[7], &cslots[3]));
}

HOST_TEST(ipc, unreachable_slot_or_source_at_delivery)
{
    process_t *s, *c;
    pair(5, 10, &s, &c);
    sim_space(c, 24);
    sim_space(s, 24);
    sim_object(c, OBJ_PAGE, SRC0);
    sim_object(c, OBJ_PAGE, SRC0 + 1);
    host_cappage(&c->cap_regs[25])[1] = c->cap_regs[SRC0 + 1];
    sim_buf(c)->send_caps[0] = CAPLOC_REG(SRC0);
    sim_buf(c)->send_caps[1] = CAPLOC_MEM(16);
    sim_buf(s)->recv_caps[0] = CAPLOC_REG(DST0);
    sim_buf(s)->recv_caps[1] = CAPLOC_MEM(0x20);
    CHECK(sim_run() == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 2, 0), ENT, 0) == s);
    /* While c waits its space goes away: its second source is unreadable. */
    c->space = cap_null();
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 2), EP, 0) == c);
    CHECK_EQ(cairn_result_caps(sim_regs(s).info), 2);
    CHECK_EQ(s->cap_regs[DST0].type, CAP_PAGE);
    CHECK(cap_is_null(&host_cappage(&s->cap_regs[25])[2]));   /* arrived as Null */
}

HOST_TEST(ipc, unreachable_receive_slot_ends_the_transfer)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_space(s, 24);
    sim_object(c, OBJ_PAGE, SRC0);
    sim_object(c, OBJ_PAGE, SRC0 + 1);
    name_caps(c, 2, s, 0);
    sim_buf(s)->recv_caps[0] = CAPLOC_REG(DST0);
    sim_buf(s)->recv_caps[1] = CAPLOC_MEM(0x30);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV | cairn_info(0, 0, 2), EP, 0) == c);
    s->space = cap_null();                          /* while it waits */
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND | cairn_info(0, 2, 0), ENT, 0) == s);
    CHECK_EQ(cairn_result_caps(sim_regs(s).info), 1);
    CHECK(sim_regs(s).info & CAIRN_RESULT_TRUNCATED);
    CHECK_EQ(s->cap_regs[DST0].type, CAP_PAGE);
}

/* ---- Errors of the system call -------------------------------------------------- */

/* c makes a system call that must fail with err and change nothing. */
static int refused(process_t *c, uint64_t info, caploc_t target, cairn_error_t err)
{
    uint64_t pc = sim_regs(c).pc;
    if (sim_syscall(c, info, target, 0, 1, 2, 3, 4) != c)
        return 0;
    sim_regs_t r = sim_regs(c);
    return cairn_result_error(r.info) == err && r.pc == pc + HOST_SYSCALL_LEN &&
           r.w[0] == 0 && sim_waits(c, IPC_IDLE);
}

HOST_TEST(ipc, control_word_errors)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    caploc_t e = CAPLOC_REG(ENT);
    CHECK(refused(c, SEND(0) | 1u << 7, e, ERR_INVALID_ARGUMENT));    /* reserved bits */
    CHECK(refused(c, SEND(0) | 1u << 23, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, SEND(0) | 1ull << 40, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, 0, e, ERR_INVALID_ARGUMENT));                    /* no phase */
    CHECK(refused(c, CAIRN_IPC_NONBLOCK, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_SEND | CAIRN_IPC_RECEIVE, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_REPLY | CAIRN_IPC_SEND, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_REPLY | CAIRN_IPC_CALL, e, ERR_INVALID_ARGUMENT));
    c->cap_regs[CAIRN_REPLY_REG] = reply_make(s);     /* a stale one, but decoded later */
    CHECK(refused(c, CAIRN_IPC_REPLY | CAIRN_IPC_TIMEOUT, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, SEND(65), e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_OP_SEND | cairn_info(0, 5, 0), e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_OP_CALL | cairn_info(0, 0, 5), e, ERR_INVALID_ARGUMENT));
    CHECK(sim_waits(s, IPC_RECEIVING));             /* nothing reached the server */
}

HOST_TEST(ipc, target_errors)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_sub_untyped(s, 9, 16);
    untyped_retype(&s->cap_regs[9], OBJ_ENDPOINT, 0, 1, &s->cap_regs[12]);
    sim_entry(s, 12, c, 13, 0);
    CHECK_EQ(host_revoke(s, 9, NULL), ERR_OK);          /* c's Entry 13 is now revoked */
    sim_object(c, OBJ_ENDPOINT, 14);
    sim_object(c, OBJ_NOTIFICATION, 15);
    c->cap_regs[16] = reply_make(c);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(refused(c, SEND(0), CAPLOC_REG(3), ERR_INVALID_CAP));       /* Null */
    CHECK(refused(c, SEND(0), CAPLOC_REG(40), ERR_INVALID_CAP));      /* no such register */
    CHECK(refused(c, SEND(0), CAPLOC_MEM(0x1000), ERR_INVALID_ADDRESS)); /* no space */
    CHECK(refused(c, SEND(0), CAPLOC_REG(13), ERR_REVOKED));
    CHECK(refused(c, SEND(0), CAPLOC_REG(14), ERR_WRONG_TYPE));       /* an Endpoint */
    CHECK(refused(c, SEND(0), CAPLOC_REG(15), ERR_WRONG_TYPE));       /* a Notification */
    CHECK(refused(c, CALL(0), CAPLOC_REG(16), ERR_WRONG_TYPE));       /* a Reply */
    CHECK(refused(c, RECV, CAPLOC_REG(ENT), ERR_WRONG_TYPE));         /* receive on an Entry */
    CHECK(refused(c, RECV, CAPLOC_REG(15), ERR_WRONG_TYPE));
    CHECK(refused(c, CAIRN_IPC_SEND, CAPLOC_REG(16), ERR_WRONG_TYPE));
    CHECK(sim_waits(s, IPC_RECEIVING));
}

HOST_TEST(ipc, buffer_and_slot_errors)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    sim_space(c, 24);
    cap_restrict(&c->cap_regs[24], RESTR_READ_ONLY);    /* the space: read-only */
    c->space = c->cap_regs[24];
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    caploc_t e = CAPLOC_REG(ENT);
    sim_buf(c)->send_caps[0] = CAPLOC_REG(40);
    CHECK(refused(c, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), e, ERR_INVALID_CAP));
    sim_buf(c)->send_caps[0] = CAPLOC_MEM(8);
    CHECK(refused(c, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), e, ERR_ALIGNMENT));
    sim_buf(c)->recv_caps[0] = CAPLOC_MEM(16);          /* a store through read-only */
    CHECK(refused(c, CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1), e, ERR_ACCESS));
    sim_buf(c)->recv_caps[0] = CAPLOC_MEM(0x1000);      /* a data page */
    CHECK(refused(c, CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1), e, ERR_WRONG_TYPE));
    sim_buf(c)->timeout_ticks = 0;
    CHECK(refused(c, CALL(0) | CAIRN_IPC_TIMEOUT, e, ERR_OUT_OF_RANGE));
    sim_buf(c)->abandon = CAPLOC_REG(ENT);
    CHECK(refused(c, CALL(0) | CAIRN_IPC_ABANDON, e, ERR_WRONG_TYPE));
    sim_buf(c)->abandon = CAPLOC_REG(3);
    CHECK(refused(c, CALL(0) | CAIRN_IPC_ABANDON, e, ERR_INVALID_CAP));
    c->ipc_buffer = cap_null();                          /* no buffer at all */
    CHECK(refused(c, SEND(5), e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1), e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CALL(0) | CAIRN_IPC_TIMEOUT, e, ERR_INVALID_ARGUMENT));
    CHECK(refused(c, CALL(0) | CAIRN_IPC_ABANDON, e, ERR_INVALID_ARGUMENT));
    CHECK(sim_waits(s, IPC_RECEIVING));
}

HOST_TEST(ipc, kernel_objects_take_flags_0_or_call)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    CHECK(sim_run() == s);
    CHECK(sim_method(s, EP, OP_ENDPOINT_make_entry, 1, 5, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_syscall(s, CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0), CAPLOC_REG(EP),
                      OP_ENDPOINT_make_entry, 5, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_syscall(s, CAIRN_IPC_CALL | cairn_info(1, 0, 0), CAPLOC_REG(EP),
                      OP_ENDPOINT_make_entry, 5, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(refused(s, CAIRN_IPC_CALL | CAIRN_IPC_NONBLOCK | cairn_info(1, 0, 0),
                  CAPLOC_REG(EP), ERR_INVALID_ARGUMENT));
    CHECK(refused(s, CAIRN_IPC_CALL | CAIRN_IPC_TIMEOUT | cairn_info(1, 0, 0),
                  CAPLOC_REG(EP), ERR_INVALID_ARGUMENT));
    CHECK(refused(s, SEND(1), CAPLOC_REG(EP), ERR_WRONG_TYPE));
    CHECK(refused(s, CAIRN_IPC_NONBLOCK, CAPLOC_REG(EP), ERR_INVALID_ARGUMENT));
    CHECK(refused(s, cairn_info(0, 0, 0), CAPLOC_REG(ENT + 5), ERR_INVALID_CAP));
}

HOST_TEST(ipc, a_send_only_entry_cannot_call)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    cap_restrict(&c->cap_regs[ENT], RESTR_NO_CALL);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(refused(c, CALL(0), CAPLOC_REG(ENT), ERR_NO_RIGHTS));
    CHECK(sim_waits(s, IPC_RECEIVING));
    CHECK(sim_sys(c, SEND(0), ENT, 3) == s);          /* sending is what it is for */
    CHECK_EQ(sim_regs(s).opcode, 3);
    CHECK_EQ(sim_regs(s).info & CAIRN_RESULT_RECV_CALL, 0);
}

HOST_TEST(ipc, exhausted_call_generations)
{
    process_t *s, *c;
    pair(10, 5, &s, &c);
    c->reply_gen = 0xffffffffu;
    c->ipc.call_gen_hi = 0xffff;                       /* CALL_GEN_LAST */
    CHECK(!call_gen_available(c));
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(refused(c, CALL(0), CAPLOC_REG(ENT), ERR_EXHAUSTED));
    CHECK(sim_sys(c, SEND(0), ENT, 0) == s);          /* sends still work */
    CHECK_EQ(sim_err(c), ERR_OK);
}

/* ---- Revocation ----------------------------------------------------------------------- */

HOST_TEST(ipc, revoke_endpoint_with_queued_senders_and_receivers)
{
    sim_reset();
    enum { N = 20 };                                  /* more than one teardown step */
    process_t *owner = sim_proc(1), *q[N], *r[3];
    sim_sub_untyped(owner, 9, 16);
    untyped_retype(&owner->cap_regs[9], OBJ_ENDPOINT, 0, 1, &owner->cap_regs[EP]);
    untyped_retype(&owner->cap_regs[9], OBJ_ENDPOINT, 0, 1, &owner->cap_regs[EP + 1]);
    for (unsigned i = 0; i < N; i++) {
        q[i] = sim_proc(5);
        sim_entry(owner, EP, q[i], ENT, i);
    }
    for (unsigned i = 0; i < 3; i++) {
        r[i] = sim_proc(6);
        r[i]->cap_regs[EP] = owner->cap_regs[EP + 1];
    }
    process_t *p = sim_run();
    for (unsigned i = 0; i < 3; i++) {
        CHECK(p == r[i]);
        p = sim_sys(r[i], RECV, EP, 0);
    }
    for (unsigned i = 0; i < N; i++) {
        CHECK(p == q[i]);
        p = sim_sys(q[i], i % 2 ? CALL(0) : SEND(0), ENT, 0);
    }
    CHECK(p == owner);
    owner->priority = 50;                 /* current: on no queue; outranks them */
    CHECK(sim_method(owner, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == owner);
    CHECK_EQ(sim_err(owner), ERR_OK);
    for (unsigned i = 0; i < N; i++) {
        CHECK(sim_waits(q[i], IPC_IDLE));
        CHECK(sched_is_ready(q[i]));
        CHECK_EQ(sim_err(q[i]), ERR_REVOKED);
    }
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(sim_err(r[i]), ERR_REVOKED);
    /* They run in the order they were woken: receivers, then FIFO. */
    CHECK(sim_park(owner) == r[0]);
}

HOST_TEST(ipc, endpoint_teardown_is_bounded)
{
    sim_reset();
    enum { N = IPC_TEARDOWN_BUDGET + 4 };
    process_t *owner = sim_proc(1), *q[N];
    endpoint_t *ep = sim_endpoint(owner, EP);
    for (unsigned i = 0; i < N; i++) {
        q[i] = sim_proc(5);
        sim_entry(owner, EP, q[i], ENT, i);
    }
    process_t *p = sim_run();
    for (unsigned i = 0; i < N; i++) {
        CHECK(p == q[i]);
        p = sim_sys(q[i], SEND(0), ENT, 0);
    }
    CHECK(!ipc_endpoint_teardown(ep));               /* one bounded step */
    for (unsigned i = 0; i < N; i++)
        CHECK_EQ(sim_waits(q[i], IPC_SENDING), i >= IPC_TEARDOWN_BUDGET);
    CHECK_EQ(ep->state, ENDPOINT_SENDERS);
    CHECK(ipc_endpoint_teardown(ep));
    CHECK_EQ(ep->state, ENDPOINT_IDLE);
    for (unsigned i = 0; i < N; i++)
        CHECK_EQ(sim_err(q[i]), ERR_REVOKED);
}
