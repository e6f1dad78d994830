/*
 * Host suite `reply`: one-shot Reply capabilities. Stale replies (twice,
 * through a copy, after the caller moved on), replies to a dead caller,
 * replies moved away and answered later or by another process, replies
 * that carry capabilities, the reply-phase errors, atomicity of
 * reply-and-receive, and the 48-bit call generation.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "ipc/reply.h"
#include "obj/untyped.h"
#include "sched/sched.h"

enum { EP = 10, ENT = 11, SAVED = 15 };

#define CALL(n)       (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV          CAIRN_IPC_OP_RECEIVE
#define REPLY(n)      (CAIRN_IPC_OP_REPLY | cairn_info((n), 0, 0))
#define REPLY_RECV(n) (CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info((n), 0, 0))

/* Server s (prio 10) has received a call from c (prio 5). */
static void called(process_t **s, process_t **c)
{
    sim_reset();
    *s = sim_proc(10);
    *c = sim_proc(5);
    sim_endpoint(*s, EP);
    sim_entry(*s, EP, *c, ENT, 1);
    sim_run();
    sim_sys(*s, RECV, EP, 0);
    sim_syscall(*c, CALL(1), CAPLOC_REG(ENT), 0, 10, 0, 0, 0);
}

static process_t *reply(process_t *s, uint64_t w0)
{
    return sim_syscall(s, REPLY(1), 0, 0, w0, 0, 0, 0);
}

HOST_TEST(reply, a_server_that_replies_twice)
{
    process_t *s, *c;
    called(&s, &c);
    CHECK(sched_current() == s);
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(reply(s, 2) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_park(s) == c);
    CHECK_EQ(sim_regs(c).w[0], 1);                 /* only the first arrived */
    CHECK(sim_waits(c, IPC_IDLE));
}

HOST_TEST(reply, copies_are_one_shot_too)
{
    process_t *s, *c;
    called(&s, &c);
    s->cap_regs[SAVED] = s->cap_regs[CAIRN_REPLY_REG];
    CHECK(reply(s, 1) == s);
    s->cap_regs[CAIRN_REPLY_REG] = s->cap_regs[SAVED];
    CHECK(reply(s, 2) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_park(s) == c);
    CHECK_EQ(sim_regs(c).w[0], 1);
}

HOST_TEST(reply, a_stale_reply_cannot_reach_a_later_call)
{
    process_t *s, *c;
    called(&s, &c);
    s->cap_regs[SAVED] = s->cap_regs[CAIRN_REPLY_REG];
    CHECK(sim_syscall(s, REPLY_RECV(1), CAPLOC_REG(EP), 0, 1, 0, 0, 0) == c);
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 20, 0, 0, 0) == s);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));           /* the same caller, a new call */
    cap_t fresh = s->cap_regs[CAIRN_REPLY_REG];
    s->cap_regs[CAIRN_REPLY_REG] = s->cap_regs[SAVED];
    CHECK(reply(s, 666) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));
    s->cap_regs[CAIRN_REPLY_REG] = fresh;
    CHECK(reply(s, 2) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_park(s) == c);
    CHECK_EQ(sim_regs(c).w[0], 2);
}

HOST_TEST(reply, answered_later_from_elsewhere)
{
    sim_reset();
    process_t *s = sim_proc(10), *c1 = sim_proc(5), *c2 = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c1, ENT, 1);
    sim_entry(s, EP, c2, ENT, 2);
    sim_space(s, 24);
    cap_t *slots = host_cappage(&s->cap_regs[25]);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c1);
    CHECK(sim_syscall(c1, CALL(0), CAPLOC_REG(ENT), 0, 0, 0, 0, 0) == s);
    /* Park c1's reply capability in a CapPage slot with Process.cap_copy. */
    CHECK(sim_method(s, SIM_SELF, OP_PROCESS_cap_copy, 2, CAPLOC_REG(CAIRN_REPLY_REG),
                     CAPLOC_MEM(5 * 16), 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(slots[5].type, CAP_REPLY);
    CHECK(sim_sys(s, RECV, EP, 0) == c2);
    CHECK(sim_syscall(c2, CALL(0), CAPLOC_REG(ENT), 0, 0, 0, 0, 0) == s);
    CHECK_EQ(s->cap_regs[CAIRN_REPLY_REG].obj, obj_ref_of(c2));
    CHECK(reply(s, 22) == s);
    CHECK(sim_method(s, SIM_SELF, OP_PROCESS_cap_copy, 2, CAPLOC_MEM(5 * 16),
                     CAPLOC_REG(CAIRN_REPLY_REG), 0, 0) == s);
    CHECK(reply(s, 11) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(sim_regs(c1).w[0], 11);
    CHECK_EQ(sim_regs(c2).w[0], 22);
}

HOST_TEST(reply, forwarded_to_a_worker_who_answers)
{
    sim_reset();
    process_t *s = sim_proc(10), *w = sim_proc(8), *c = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c, ENT, 1);
    sim_endpoint(w, EP);                            /* the worker's own endpoint */
    sim_entry(w, EP, s, 12, 9);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(CAIRN_REPLY_REG);
    sim_buf(w)->recv_caps[0] = CAPLOC_REG(20);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == w);
    CHECK(sim_sys(w, RECV | cairn_info(0, 0, 1), EP, 0) == c);
    CHECK(sim_syscall(c, CALL(1), CAPLOC_REG(ENT), 0, 7, 0, 0, 0) == s);
    /* Hand the reply capability to the worker. */
    CHECK(sim_sys(s, CAIRN_IPC_OP_SEND | cairn_info(0, 1, 0), 12, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_park(s) == w);
    CHECK_EQ(cairn_result_caps(sim_regs(w).info), 1);
    CHECK_EQ(w->cap_regs[20].type, CAP_REPLY);
    w->cap_regs[CAIRN_REPLY_REG] = w->cap_regs[20];
    CHECK(sim_syscall(w, REPLY(1), 0, 0, 77, 0, 0, 0) == w);
    CHECK_EQ(sim_err(w), ERR_OK);
    CHECK(sim_park(w) == c);
    CHECK_EQ(sim_regs(c).w[0], 77);
}

HOST_TEST(reply, to_a_dead_caller)
{
    sim_reset();
    process_t *s = sim_proc(10), *admin = sim_proc(1);
    sim_endpoint(s, EP);
    sim_sub_untyped(admin, 9, 16);
    cap_t cc = cap_null();
    CHECK_EQ(untyped_retype(&admin->cap_regs[9], OBJ_PROCESS, 0, 1, &cc), ERR_OK);
    process_t *c = obj_ptr(cc.obj);
    c->priority = 5;
    sim_entry(s, EP, c, ENT, 1);
    admin->cap_regs[12] = cc;
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == admin);
    CHECK(sim_method(admin, 12, OP_PROCESS_start, 0, 0, 0, 0, 0) == c);
    CHECK(sim_syscall(c, CALL(0), CAPLOC_REG(ENT), 0, 0, 0, 0, 0) == s);
    CHECK(sim_sleep(s, 1) == admin);               /* s keeps the reply capability */
    CHECK(sim_method(admin, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == admin);
    CHECK_EQ(sim_err(admin), ERR_OK);
    CHECK_EQ(c->state, CAIRN_PROC_DESTROYED);
    CHECK(sim_park(admin) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);          /* s's timeout is pending */
    CHECK(sim_tick(1) == s);
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REVOKED);
}

HOST_TEST(reply, reply_phase_errors)
{
    process_t *s, *c;
    called(&s, &c);
    cap_t good = s->cap_regs[CAIRN_REPLY_REG];
    s->cap_regs[CAIRN_REPLY_REG] = cap_null();
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_INVALID_CAP);
    s->cap_regs[CAIRN_REPLY_REG] = s->cap_regs[EP];
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_WRONG_TYPE);
    s->cap_regs[CAIRN_REPLY_REG] = good;
    CHECK(sim_syscall(s, REPLY(65), 0, 0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_INVALID_ARGUMENT);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(50);
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY | cairn_info(0, 1, 0), 0, 0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_INVALID_CAP);
    CHECK(sim_waits(c, IPC_REPLY_WAIT));           /* a refused reply changes nothing */
    CHECK(reply(s, 5) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK_EQ(sim_regs(c).w[0], 5);
}

HOST_TEST(reply, a_stale_reply_and_receive_does_not_receive)
{
    sim_reset();
    process_t *s = sim_proc(10), *c1 = sim_proc(5), *c2 = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c1, ENT, 1);
    sim_entry(s, EP, c2, ENT, 2);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c1);
    CHECK(sim_syscall(c1, CALL(0), CAPLOC_REG(ENT), 0, 0, 0, 0, 0) == s);
    s->cap_regs[SAVED] = s->cap_regs[CAIRN_REPLY_REG];
    CHECK(sim_sleep(s, 1) == c2);
    CHECK(sim_syscall(c2, CALL(0), CAPLOC_REG(ENT), 0, 0, 0, 0, 0) == NULL);
    CHECK(sim_waits(c2, IPC_SENDING));
    CHECK(sim_tick(1) == s);
    CHECK_EQ(sim_err(s), ERR_TIMEOUT);
    CHECK(reply(s, 1) == s);                       /* c1 is answered */
    CHECK_EQ(sim_err(s), ERR_OK);
    s->cap_regs[CAIRN_REPLY_REG] = s->cap_regs[SAVED];
    CHECK(sim_syscall(s, REPLY_RECV(0), CAPLOC_REG(EP), 0, 0, 0, 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    CHECK(sim_waits(s, IPC_IDLE));                 /* no receive phase ... */
    CHECK(sim_waits(c2, IPC_SENDING));             /* ... so c2 still waits */
    CHECK(sim_sys(s, RECV, EP, 0) == s);
    CHECK_EQ(sim_regs(s).target, 2);
    CHECK(sim_waits(c2, IPC_REPLY_WAIT));
}

HOST_TEST(reply, reply_carries_capabilities_to_named_slots)
{
    process_t *s, *c;
    sim_reset();
    s = sim_proc(10);
    c = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c, ENT, 1);
    sim_object(s, OBJ_NOTIFICATION, 12);
    sim_buf(c)->recv_caps[0] = CAPLOC_REG(20);
    sim_buf(s)->send_caps[0] = CAPLOC_REG(12);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_CALL | cairn_info(0, 0, 1), ENT, 0) == s);
    CHECK(sim_sys(s, CAIRN_IPC_OP_REPLY | cairn_info(0, 1, 0), 0, 0) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    CHECK(sim_park(s) == c);
    CHECK_EQ(cairn_result_caps(sim_regs(c).info), 1);
    CHECK(cap_same_object(&c->cap_regs[20], &s->cap_regs[12]));
}

HOST_TEST(reply, generation_is_48_bits)
{
    process_t *s, *c;
    sim_reset();
    s = sim_proc(10);
    c = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c, ENT, 1);
    c->reply_gen = 0xffffffffu;                     /* the next call crosses 2^32 */
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, CALL(0), ENT, 0) == s);
    cap_t old = s->cap_regs[CAIRN_REPLY_REG];
    CHECK_EQ(old.payload, 0xffffffffu);
    CHECK_EQ(old.l2g, 0);
    CHECK(sim_syscall(s, REPLY_RECV(0), CAPLOC_REG(EP), 0, 0, 0, 0, 0) == c);
    CHECK_EQ(call_gen(c), 0x100000000ull);
    CHECK(sim_sys(c, CALL(0), ENT, 0) == s);
    /* A forged copy of the old capability with the new low bits: stale. */
    cap_t forged = old;
    forged.payload = 0;
    s->cap_regs[SAVED] = s->cap_regs[CAIRN_REPLY_REG];
    CHECK_EQ(s->cap_regs[SAVED].l2g, 1);
    s->cap_regs[CAIRN_REPLY_REG] = forged;
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REPLY_STALE);
    s->cap_regs[CAIRN_REPLY_REG] = s->cap_regs[SAVED];
    CHECK(reply(s, 2) == s);
    CHECK_EQ(sim_err(s), ERR_OK);
    /* The generation never wraps: at the end calls are refused. */
    c->reply_gen = 0xfffffffeu;
    c->ipc.call_gen_hi = 0xffff;
    call_gen_bump(c);
    CHECK(!call_gen_available(c));
    call_gen_bump(c);
    CHECK_EQ(call_gen(c), CALL_GEN_LAST);
}

HOST_TEST(reply, none_outlives_a_caller_that_is_being_destroyed)
{
    sim_reset();
    process_t *s = sim_proc(1);
    sim_endpoint(s, EP);
    sim_sub_untyped(s, 9, 13);                      /* two frames */
    process_t *c = sim_proc_from(&s->cap_regs[9], 5);
    sim_entry(s, EP, c, ENT, 1);
    CHECK(sim_run() == c);
    CHECK(sim_sys(c, CALL(0), ENT, 0) == s);        /* queued: s is not receiving */
    /* The revoke bumps c's frame, then stops before tearing c down. */
    CHECK(!untyped_revoke_step(&s->cap_regs[9], 1));
    CHECK(sim_waits(c, IPC_SENDING));               /* a dying caller, still queued */
    CHECK(sim_sys(s, RECV, EP, 0) == s);
    cap_t late = s->cap_regs[CAIRN_REPLY_REG];
    CHECK_EQ(late.type, CAP_REPLY);
    CHECK_EQ(cap_check(&late), ERR_REVOKED);        /* dead from the start */
    CHECK(reply(s, 1) == s);
    CHECK_EQ(sim_err(s), ERR_REVOKED);
    while (!untyped_revoke_step(&s->cap_regs[9], 2))
        ;
    /* New process in the same memory: the old capability stays dead. */
    process_t *c2 = sim_proc_from(&s->cap_regs[9], 5);
    CHECK(c2 == c);
    CHECK_EQ(cap_check(&late), ERR_REVOKED);
    s->cap_regs[CAIRN_REPLY_REG] = late;
    CHECK(reply(s, 1) == c2);                       /* c2 outranks s */
    CHECK_EQ(sim_err(s), ERR_REVOKED);
}
