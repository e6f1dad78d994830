/*
 * Host suite `sched`: fixed priorities, round robin with a timeslice,
 * preemption that keeps the preempted process's place, the IPC direct
 * switch (a callee and a reply-and-receive's caller run next), priority
 * changes through Schedule capabilities, idling and powering off, and
 * the priority-inversion scenarios docs/spec/scheduling.md describes:
 * no inheritance, bounded by timeouts or avoided by a priority ceiling.
 */
#include "harness.h"
#include "ipc_sim.h"

#include "sched/sched.h"

enum { EP = 10, ENT = 11, PROC = 12, SCHED = 13 };

#define CALL(n)  (CAIRN_IPC_OP_CALL | cairn_info((n), 0, 0))
#define RECV     CAIRN_IPC_OP_RECEIVE

HOST_TEST(sched, highest_priority_runs_first)
{
    sim_reset();
    process_t *a = sim_proc(5), *b = sim_proc(9), *c = sim_proc(7);
    CHECK(sim_run() == b);
    CHECK(sim_park(b) == c);
    CHECK(sim_park(c) == a);
    CHECK(sim_park(a) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_POWEROFF);       /* nothing can ever run */
}

HOST_TEST(sched, round_robin_within_a_priority)
{
    sim_reset();
    process_t *p[3] = { sim_proc(5), sim_proc(5), sim_proc(5) };
    CHECK(sim_run() == p[0]);
    uint64_t now = 0;
    for (unsigned turn = 0; turn < 6; turn++) {
        for (unsigned t = 1; t < SCHED_TIMESLICE_TICKS; t++)
            CHECK(sim_tick(++now) == p[turn % 3]);
        CHECK(sim_tick(++now) == p[(turn + 1) % 3]);   /* slice spent */
    }
}

HOST_TEST(sched, a_preempted_process_keeps_its_place)
{
    sim_reset();
    process_t *h = sim_proc(9), *a = sim_proc(5), *b = sim_proc(5);
    CHECK(sim_run() == h);
    CHECK(sim_sleep(h, 2) == a);
    CHECK(sim_tick(1) == a);
    CHECK(sim_tick(2) == h);                        /* h wakes and preempts a */
    CHECK(sim_park(h) == a);                        /* a, not b, goes on */
    CHECK(sched_is_ready(b));
}

HOST_TEST(sched, the_callee_runs_next)
{
    sim_reset();
    process_t *s = sim_proc(5), *c = sim_proc(5), *x = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c, ENT, 0);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sched_is_ready(x));
    CHECK(sim_sys(c, CALL(0), ENT, 0) == s);        /* before x, queued earlier */
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(EP), 0, 0, 0, 0, 0) == c);
    CHECK(sched_is_ready(x));                        /* and the caller before x */
}

HOST_TEST(sched, a_plain_send_wakes_the_receiver_behind_others)
{
    sim_reset();
    process_t *s = sim_proc(5), *c = sim_proc(5), *x = sim_proc(5);
    sim_endpoint(s, EP);
    sim_entry(s, EP, c, ENT, 0);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == c);
    CHECK(sim_sys(c, CAIRN_IPC_OP_SEND, ENT, 0) == c); /* the sender goes on */
    CHECK(sched_is_ready(s));
    CHECK(sim_park(c) == x);                         /* x was in line first */
    CHECK(sim_park(x) == s);
}

HOST_TEST(sched, priority_inversion_without_inheritance)
{
    sim_reset();
    process_t *s = sim_proc(2), *m = sim_proc(5), *h = sim_proc(10);
    sim_endpoint(s, EP);
    sim_entry(s, EP, h, ENT, 0);
    CHECK(sim_run() == h);
    CHECK(sim_sleep(h, 1) == m);
    CHECK(sim_sleep(m, 1) == s);
    CHECK(sim_sys(s, RECV, EP, 0) == NULL);
    CHECK(sim_tick(1) == h);                         /* h and m wake */
    CHECK(sched_is_ready(m));
    /* h calls the low-priority server while m is runnable. */
    CHECK(sim_sys(h, CALL(0), ENT, 0) == m);         /* m, not the server, runs */
    CHECK(sched_is_ready(s));
    CHECK(sim_waits(h, IPC_REPLY_WAIT));
    for (uint64_t t = 2; t <= 3 * SCHED_TIMESLICE_TICKS; t++)
        CHECK(sim_tick(t) == m);                      /* as long as m computes */
    CHECK(sim_park(m) == s);                         /* only then the server */
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY, 0, 0, 0, 0, 0, 0) == h);
    CHECK_EQ(sim_err(h), ERR_OK);
}

HOST_TEST(sched, inversion_is_bounded_by_a_timeout)
{
    sim_reset();
    process_t *h = sim_proc(10), *m = sim_proc(5), *s = sim_proc(2);
    sim_endpoint(s, EP);
    sim_entry(s, EP, h, ENT, 0);
    CHECK(sim_run() == h);
    sim_buf(h)->timeout_ticks = 3;
    CHECK(sim_sys(h, CALL(0) | CAIRN_IPC_TIMEOUT, ENT, 0) == m);
    CHECK(sim_waits(h, IPC_SENDING));                /* s never got to receive */
    CHECK(sim_tick(1) == m);
    CHECK(sim_tick(2) == m);
    CHECK(sim_tick(3) == h);                         /* h is free again */
    CHECK_EQ(sim_err(h), ERR_TIMEOUT);
}

HOST_TEST(sched, a_priority_ceiling_avoids_it)
{
    sim_reset();
    process_t *s = sim_proc(10), *m = sim_proc(5), *h = sim_proc(10);
    sim_endpoint(s, EP);
    sim_entry(s, EP, h, ENT, 0);
    CHECK(sim_run() == s);
    CHECK(sim_sys(s, RECV, EP, 0) == h);
    CHECK(sim_sys(h, CALL(0), ENT, 0) == s);         /* the server runs at once */
    CHECK(sim_syscall(s, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(EP), 0, 0, 0, 0, 0) == h);
    CHECK_EQ(sim_err(h), ERR_OK);
    CHECK(sched_is_ready(m));
}

HOST_TEST(sched, set_priority_moves_a_ready_process_at_once)
{
    sim_reset();
    process_t *a = sim_proc(5), *b = sim_proc(5), *c = sim_proc(5);
    a->cap_regs[PROC] = c->cap_regs[SIM_SELF];
    a->cap_regs[SCHED] = (cap_t){ .type = CAP_SCHEDULE, .payload = 9 };
    sim_buf(a)->send_caps[0] = CAPLOC_REG(SCHED);
    CHECK(sim_run() == a);
    CHECK(sim_syscall(a, cairn_info(1, 1, 0), CAPLOC_REG(PROC), OP_PROCESS_set_priority,
                      9, 0, 0, 0) == c);             /* c outranks a now */
    CHECK_EQ(sim_err(a), ERR_OK);
    CHECK_EQ(c->ipc.ready_prio, 9);
    CHECK(sim_park(c) == a);
    CHECK(sim_syscall(a, cairn_info(1, 1, 0), CAPLOC_REG(PROC), OP_PROCESS_set_priority,
                      10, 0, 0, 0) == a);
    CHECK_EQ(sim_err(a), ERR_NO_RIGHTS);             /* above the Schedule bound */
    /* Lowering the running process below a ready one hands over the CPU. */
    a->cap_regs[PROC] = a->cap_regs[SIM_SELF];
    CHECK(sim_syscall(a, cairn_info(1, 1, 0), CAPLOC_REG(PROC), OP_PROCESS_set_priority,
                      1, 0, 0, 0) == b);
    CHECK(sched_is_ready(a));
}

HOST_TEST(sched, idle_until_a_timeout_then_run)
{
    sim_reset();
    process_t *a = sim_proc(5);
    CHECK(sim_run() == a);
    CHECK(sim_sleep(a, 3) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);           /* a timeout can still wake a */
    CHECK(sim_tick(1) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);
    CHECK(sim_tick(3) == a);
    CHECK(sim_park(a) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_POWEROFF);
}

HOST_TEST(sched, stopped_and_waiting_processes_are_never_run)
{
    sim_reset();
    process_t *a = sim_proc(5), *b = sim_proc(9);
    b->cap_regs[PROC] = a->cap_regs[SIM_SELF];
    CHECK(sim_run() == b);
    CHECK(sim_method(b, PROC, OP_PROCESS_stop, 0, 0, 0, 0, 0) == b);
    CHECK(!sched_is_ready(a));
    CHECK(sim_sleep(b, 2) == NULL);                 /* a is stopped: idle */
    CHECK(!sched_is_ready(b));
    CHECK(sim_tick(2) == b);
    CHECK(sim_method(b, PROC, OP_PROCESS_start, 0, 0, 0, 0, 0) == b);
    CHECK(sched_is_ready(a));
    CHECK(sim_park(b) == a);
}
