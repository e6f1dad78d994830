/*
 * Host suite `fault`: faults to keepers. No keeper (the process stops
 * FAULTED with a report, start retries), the process keeper (the message,
 * the Reply capability, resuming, rewriting registers first), memory
 * faults the cache resolves, memory keepers in GPTs (innermost first,
 * relative addresses, protection faults, unusable keeper slots), a busy
 * keeper, a keeper that dies or is revoked, Process.stop of a faulted
 * process, and a keeper serving faults with reply-and-receive.
 */
#include <string.h>

#include "harness.h"
#include "ipc_sim.h"

#include "arch.h"
#include "obj/gpt.h"
#include "obj/untyped.h"
#include "sched/sched.h"

enum { KEP = 10, KENT = 11, PROC = 12 };

#define RECV     CAIRN_IPC_OP_RECEIVE
#define REPLY    CAIRN_IPC_OP_REPLY

/* Keeper k (prio 10) waiting on its endpoint; p (prio 5) has k's Entry
 * (payload 0x55) as its keeper; k holds p's Process capability. */
static void kept(process_t **k, process_t **p)
{
    sim_reset();
    *k = sim_proc(10);
    *p = sim_proc(5);
    sim_endpoint(*k, KEP);
    sim_entry(*k, KEP, *p, KENT, 0x55);
    (*p)->keeper = (*p)->cap_regs[KENT];
    (*k)->cap_regs[PROC] = (*p)->cap_regs[SIM_SELF];
    sim_run();
    sim_sys(*k, RECV, KEP, 0);
}

HOST_TEST(fault, without_a_keeper_the_process_stops)
{
    sim_reset();
    process_t *p = sim_proc(5), *q = sim_proc(1);
    q->cap_regs[PROC] = p->cap_regs[SIM_SELF];
    CHECK(sim_run() == p);
    CHECK(sim_fault(p, FAULT_INVALID_OPCODE, 0, 0) == q);
    CHECK_EQ(p->state, CAIRN_PROC_FAULTED);
    CHECK_EQ(p->fault_code, FAULT_INVALID_OPCODE);
    CHECK(strstr(host_console(), "faulted: invalid or illegal instruction") != NULL);
    CHECK(sim_method(q, PROC, OP_PROCESS_get_state, 0, 0, 0, 0, 0) == q);
    CHECK_EQ(sim_regs(q).w[0], CAIRN_PROC_FAULTED);
    CHECK_EQ(sim_regs(q).w[2], FAULT_INVALID_OPCODE);
    CHECK(sim_method(q, PROC, OP_PROCESS_start, 0, 0, 0, 0, 0) == p);
    CHECK_EQ(sim_regs(p).pc, SIM_PC0);              /* retries the instruction */
    CHECK_EQ(p->fault_code, 0);
}

HOST_TEST(fault, the_process_keeper_gets_a_call)
{
    process_t *k, *p;
    kept(&k, &p);
    CHECK(sched_current() == p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0x1234, 0) == k);
    sim_regs_t r = sim_regs(k);
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK_EQ(r.info & (CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_RECV_FAULT),
             CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_RECV_FAULT);
    CHECK_EQ(cairn_result_words(r.info), CAIRN_FAULT_WORDS);
    CHECK_EQ(r.opcode, CAIRN_OP_FAULT);
    CHECK_EQ(r.target, 0x55);
    CHECK_EQ(r.w[CAIRN_FAULT_W_KIND], FAULT_DIVIDE);
    CHECK_EQ(r.w[CAIRN_FAULT_W_ADDR], 0x1234);
    CHECK_EQ(r.w[CAIRN_FAULT_W_PC], SIM_PC0);
    CHECK_EQ(r.w[CAIRN_FAULT_W_ACCESS], 0);
    CHECK_EQ(k->cap_regs[CAIRN_REPLY_REG].type, CAP_REPLY);
    CHECK_EQ(p->state, CAIRN_PROC_RUNNING);          /* waiting for its keeper */
    CHECK(sim_waits(p, IPC_REPLY_WAIT));
    CHECK_EQ(p->fault_code, FAULT_DIVIDE);
    CHECK(sim_sys(k, REPLY, 0, 0) == k);
    CHECK_EQ(sim_err(k), ERR_OK);
    CHECK(sim_park(k) == p);
    CHECK_EQ(sim_regs(p).pc, SIM_PC0);              /* the faulting instruction */
    CHECK_EQ(p->fault_code, 0);
    CHECK(sim_waits(p, IPC_IDLE));
}

HOST_TEST(fault, the_keeper_may_rewrite_registers_first)
{
    process_t *k, *p;
    kept(&k, &p);
    CHECK(sim_fault(p, FAULT_BREAKPOINT, 0, 0) == k);
    CHECK_EQ(sim_regs(k).w[CAIRN_FAULT_W_KIND], FAULT_BREAKPOINT);
    CHECK(sim_method(k, PROC, OP_PROCESS_write_regs, 3, HOST_REG_PC, 1,
                     SIM_PC0 + 0x40, 0) == k);
    CHECK_EQ(sim_err(k), ERR_OK);
    CHECK(sim_syscall(k, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(KEP), 0, 0, 0, 0, 0) == p);
    CHECK_EQ(sim_regs(p).pc, SIM_PC0 + 0x40);
    CHECK(sim_waits(k, IPC_RECEIVING));
}

HOST_TEST(fault, a_second_reply_to_a_fault_is_stale)
{
    process_t *k, *p;
    kept(&k, &p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == k);
    CHECK(sim_sys(k, REPLY, 0, 0) == k);
    CHECK(sim_sys(k, REPLY, 0, 0) == k);
    CHECK_EQ(sim_err(k), ERR_REPLY_STALE);
}

/* ---- Memory faults ---------------------------------------------------------------------- */

/*
 * p's space: g1 (l2v 16, HA, keeper Entry payload 0xA from k) with
 *   slot 0 a Page (0x0000-0x0fff), slot 1 g2, slot 3 a read-only Page;
 * g2 (l2v 12, HA, keeper Entry payload 0xB from k) with slot 0 a Page
 *   (0x10000-0x10fff). Registers 20.. of k hold the pieces.
 */
static void memory_space(process_t *k, process_t *p)
{
    cap_t *r = k->cap_regs;
    sim_object(k, OBJ_GPT, 20);
    sim_object(k, OBJ_GPT, 21);
    sim_object(k, OBJ_PAGE, 22);
    sim_object(k, OBJ_PAGE, 23);
    sim_object(k, OBJ_PAGE, 24);
    gpt_t *g1 = obj_ptr(r[20].obj), *g2 = obj_ptr(r[21].obj);
    g1->l2v = 16;
    g1->flags = CAIRN_GPT_HA;
    g2->flags = CAIRN_GPT_HA;
    cap_t ro = r[24];
    cap_restrict(&ro, RESTR_READ_ONLY);
    cap_t e1 = cap_make(CAP_ENTRY, r[KEP].obj), e2 = e1;
    e1.payload = 0xA;
    e2.payload = 0xB;
    gpt_set_slot(g1, 0, r[22]);
    gpt_set_slot(g1, 1, r[21]);
    gpt_set_slot(g1, 3, ro);
    gpt_set_slot(g1, CAIRN_GPT_KEEPER_SLOT, e1);
    gpt_set_slot(g2, 0, r[23]);
    gpt_set_slot(g2, CAIRN_GPT_KEEPER_SLOT, e2);
    p->space = r[20];
}

HOST_TEST(fault, a_fault_the_cache_resolves_needs_no_keeper)
{
    process_t *k, *p;
    kept(&k, &p);
    memory_space(k, p);
    CHECK(sim_fault(p, FAULT_PAGE, 0x10008, ARCH_ACCESS_WRITE) == p);
    CHECK(sim_fault(p, FAULT_PAGE, 0x0ff8, ARCH_ACCESS_READ) == p);
    CHECK(sim_waits(k, IPC_RECEIVING));
    CHECK_EQ(p->fault_code, 0);
}

HOST_TEST(fault, memory_faults_go_to_the_innermost_memory_keeper)
{
    process_t *k, *p;
    kept(&k, &p);
    memory_space(k, p);
    CHECK(sim_fault(p, FAULT_PAGE, 0x11008, ARCH_ACCESS_READ) == k);
    sim_regs_t r = sim_regs(k);
    CHECK_EQ(r.target, 0xB);                         /* g2's keeper */
    CHECK_EQ(r.w[CAIRN_FAULT_W_KIND], FAULT_PAGE);
    CHECK_EQ(r.w[CAIRN_FAULT_W_ADDR], 0x1008);       /* relative to g2 */
    CHECK_EQ(r.w[CAIRN_FAULT_W_ACCESS], ARCH_ACCESS_READ);
    CHECK_EQ(p->fault_info, 0x11008);                /* the real address */
    CHECK(sim_syscall(k, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(KEP), 0, 0, 0, 0, 0) == p);
    CHECK(sim_fault(p, FAULT_PAGE, 0x20010, ARCH_ACCESS_EXEC) == k);
    r = sim_regs(k);
    CHECK_EQ(r.target, 0xA);                         /* g1's keeper */
    CHECK_EQ(r.w[CAIRN_FAULT_W_ADDR], 0x20010);
    CHECK_EQ(r.w[CAIRN_FAULT_W_ACCESS], ARCH_ACCESS_EXEC);
    CHECK(sim_syscall(k, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(KEP), 0, 0, 0, 0, 0) == p);
    CHECK(sim_fault(p, FAULT_PAGE, 0x30000, ARCH_ACCESS_WRITE) == k);
    r = sim_regs(k);
    CHECK_EQ(r.target, 0xA);
    CHECK_EQ(r.w[CAIRN_FAULT_W_KIND], FAULT_PROTECTION);   /* by the walk */
    CHECK_EQ(r.w[CAIRN_FAULT_W_ACCESS], ARCH_ACCESS_WRITE);
}

HOST_TEST(fault, an_unusable_memory_keeper_falls_back_to_the_process_keeper)
{
    process_t *k, *p;
    kept(&k, &p);
    memory_space(k, p);
    gpt_t *g2 = obj_ptr(k->cap_regs[21].obj);
    gpt_set_slot(g2, CAIRN_GPT_KEEPER_SLOT, k->cap_regs[23]);      /* a Page */
    g2->flags = 0;
    gpt_t *g1 = obj_ptr(k->cap_regs[20].obj);
    g1->flags = 0;                                   /* no memory keeper at all */
    CHECK(sim_fault(p, FAULT_PAGE, 0x11000, ARCH_ACCESS_READ) == k);
    CHECK_EQ(sim_regs(k).target, 0x55);              /* the process keeper */
    CHECK_EQ(sim_regs(k).w[CAIRN_FAULT_W_ADDR], 0x11000);
    CHECK(sim_syscall(k, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(KEP), 0, 0, 0, 0, 0) == p);
    g2->flags = CAIRN_GPT_HA;                        /* HA, but slot 15 no Entry */
    CHECK(sim_fault(p, FAULT_PAGE, 0x11000, ARCH_ACCESS_READ) == k);
    CHECK_EQ(sim_regs(k).target, 0x55);
}

/* ---- Keepers that are busy, dead or stopped ------------------------------------------ */

HOST_TEST(fault, a_busy_keeper_serves_faults_in_order)
{
    sim_reset();
    process_t *k = sim_proc(1), *p = sim_proc(5), *q = sim_proc(5);
    sim_endpoint(k, KEP);
    sim_entry(k, KEP, p, KENT, 1);
    sim_entry(k, KEP, q, KENT, 2);
    p->keeper = p->cap_regs[KENT];
    CHECK(sim_run() == p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == q);    /* k is not receiving */
    CHECK(sim_waits(p, IPC_SENDING));
    CHECK_EQ(p->state, CAIRN_PROC_RUNNING);
    CHECK(sim_sys(q, CAIRN_IPC_OP_CALL, KENT, 0) == k);
    CHECK(sim_sys(k, RECV, KEP, 0) == k);
    CHECK_EQ(sim_regs(k).target, 1);                 /* p's fault came first */
    CHECK(sim_regs(k).info & CAIRN_RESULT_RECV_FAULT);
    CHECK(sim_waits(p, IPC_REPLY_WAIT));
    CHECK(sim_syscall(k, CAIRN_IPC_OP_REPLY_RECEIVE, CAPLOC_REG(KEP), 0, 0, 0, 0, 0) == p);
    CHECK_EQ(sim_regs(k).target, 2);                 /* then q's call */
    CHECK_EQ(sim_regs(k).info & CAIRN_RESULT_RECV_FAULT, 0);
}

HOST_TEST(fault, a_keeper_that_dies_stops_the_process)
{
    sim_reset();
    process_t *admin = sim_proc(1), *p = sim_proc(5);
    sim_sub_untyped(admin, 9, 14);
    CHECK_EQ(untyped_retype(&admin->cap_regs[9], OBJ_ENDPOINT, 0, 1, &admin->cap_regs[KEP]),
             ERR_OK);
    sim_entry(admin, KEP, p, KENT, 1);
    p->keeper = p->cap_regs[KENT];
    CHECK(sim_run() == p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == admin);
    CHECK(sim_waits(p, IPC_SENDING));
    CHECK(sim_method(admin, 9, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == admin);
    CHECK_EQ(p->state, CAIRN_PROC_FAULTED);
    CHECK(sim_waits(p, IPC_IDLE));
    CHECK(strstr(host_console(), "faulted: divide error") != NULL);
    CHECK(!sched_is_ready(p));
}

HOST_TEST(fault, a_revoked_keeper_entry_is_no_keeper)
{
    sim_reset();
    process_t *admin = sim_proc(1), *p = sim_proc(5);
    sim_sub_untyped(admin, 9, 14);
    CHECK_EQ(untyped_retype(&admin->cap_regs[9], OBJ_ENDPOINT, 0, 1, &admin->cap_regs[KEP]),
             ERR_OK);
    sim_entry(admin, KEP, p, KENT, 1);
    p->keeper = p->cap_regs[KENT];
    CHECK_EQ(host_revoke(admin, 9, NULL), ERR_OK);
    CHECK(sim_run() == p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == admin);
    CHECK_EQ(p->state, CAIRN_PROC_FAULTED);
}

HOST_TEST(fault, a_send_only_keeper_entry_is_no_keeper)
{
    process_t *k, *p;
    kept(&k, &p);
    cap_restrict(&p->keeper, RESTR_NO_CALL);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == NULL);
    CHECK_EQ(p->state, CAIRN_PROC_FAULTED);
    CHECK(sim_waits(k, IPC_RECEIVING));
}

HOST_TEST(fault, stop_while_the_keeper_holds_the_fault)
{
    process_t *k, *p;
    kept(&k, &p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == k);
    CHECK(sim_method(k, PROC, OP_PROCESS_stop, 0, 0, 0, 0, 0) == k);
    CHECK_EQ(p->state, CAIRN_PROC_STOPPED);
    CHECK(sim_waits(p, IPC_IDLE));
    sim_regs_t before = sim_regs(p);
    CHECK(sim_sys(k, REPLY, 0, 0) == k);
    CHECK_EQ(sim_err(k), ERR_REPLY_STALE);
    CHECK_EQ(sim_regs(p).info, before.info);         /* no result was written */
    CHECK(sim_method(k, PROC, OP_PROCESS_start, 0, 0, 0, 0, 0) == k);
    CHECK(sim_sys(k, RECV, KEP, 0) == p);
    CHECK_EQ(sim_regs(p).pc, SIM_PC0);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == k);    /* the same fault again */
    CHECK(sim_regs(k).info & CAIRN_RESULT_RECV_FAULT);
}

HOST_TEST(fault, a_faulting_keeper_goes_to_its_own_keeper)
{
    process_t *k, *p;
    kept(&k, &p);
    process_t *kk = sim_proc(20);
    sim_endpoint(kk, KEP);
    sim_entry(kk, KEP, k, 13, 0x77);
    k->keeper = k->cap_regs[13];
    CHECK(sim_run() == kk);
    CHECK(sim_sys(kk, RECV, KEP, 0) == p);
    CHECK(sim_fault(p, FAULT_DIVIDE, 0, 0) == k);
    CHECK(sim_fault(k, FAULT_BREAKPOINT, 0x8, 0) == kk);
    CHECK_EQ(sim_regs(kk).target, 0x77);
    CHECK_EQ(sim_regs(kk).w[CAIRN_FAULT_W_KIND], FAULT_BREAKPOINT);
    CHECK(sim_waits(p, IPC_REPLY_WAIT));             /* p still waits for k */
}
