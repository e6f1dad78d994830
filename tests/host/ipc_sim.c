/* The simulated machine for the IPC suites (see ipc_sim.h). */
#include "ipc_sim.h"

#include <stdlib.h>

#include "arch.h"
#include "ipc/timeout.h"
#include "ipc/transfer.h"
#include "mem/frame.h"
#include "obj/untyped.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

static cap_t world_ut;
static host_exit_t last_exit;

void sim_reset(void)
{
    host_env_reset();
    cap_t pool = host_untyped(17);
    const untyped_t *u = obj_ptr(pool.obj);
    hwmap_init(frame_paddr(frame_get(u->base_frame)), 32);
    sched_init();
    world_ut = host_untyped(22);
    last_exit = 0;
}

cap_t *sim_untyped(void)
{
    return &world_ut;
}

void sim_sub_untyped(process_t *p, unsigned reg, unsigned size_bits)
{
    if (untyped_retype(&world_ut, OBJ_UNTYPED, size_bits, 1, &p->cap_regs[reg]) != ERR_OK)
        abort();
}

cap_t sim_object(process_t *p, obj_type_t type, unsigned reg)
{
    if (untyped_retype(&world_ut, type, 0, 1, &p->cap_regs[reg]) != ERR_OK)
        abort();
    return p->cap_regs[reg];
}

process_t *sim_proc(unsigned prio)
{
    return sim_proc_from(&world_ut, prio);
}

process_t *sim_proc_from(cap_t *ut, unsigned prio)
{
    cap_t self, page = cap_null();
    process_t *p = host_process(ut, &self);
    if (untyped_retype(&world_ut, OBJ_PAGE, 0, 1, &page) != ERR_OK)
        abort();
    p->cap_regs[SIM_SELF] = self;
    p->ipc_buffer = page;
    p->priority = (uint8_t)prio;
    p->arch_regs[HOST_REG_PC] = SIM_PC0;
    msg_t m = host_msg(OP_PROCESS_start, 0);
    if (host_invoke(p, CAPLOC_REG(SIM_SELF), &m, NULL) != ERR_OK)
        abort();
    return p;
}

endpoint_t *sim_endpoint(process_t *owner, unsigned reg)
{
    return obj_ptr(sim_object(owner, OBJ_ENDPOINT, reg).obj);
}

void sim_entry(process_t *owner, unsigned ep_reg, process_t *to, unsigned reg,
               uint32_t payload)
{
    cap_t e = cap_make(CAP_ENTRY, owner->cap_regs[ep_reg].obj);
    e.payload = payload;
    to->cap_regs[reg] = e;
}

notification_t *sim_notification(process_t *owner, unsigned reg)
{
    return obj_ptr(sim_object(owner, OBJ_NOTIFICATION, reg).obj);
}

void sim_space(process_t *p, unsigned first_reg)
{
    cap_t *r = p->cap_regs;
    if (untyped_retype(&world_ut, OBJ_GPT, 0, 1, &r[first_reg]) != ERR_OK ||
        untyped_retype(&world_ut, OBJ_CAPPAGE, 0, 1, &r[first_reg + 1]) != ERR_OK ||
        untyped_retype(&world_ut, OBJ_PAGE, 0, 1, &r[first_reg + 2]) != ERR_OK)
        abort();
    gpt_t *g = obj_ptr(r[first_reg].obj);
    g->l2v = 12;
    gpt_set_slot(g, 0, r[first_reg + 1]);
    gpt_set_slot(g, 1, r[first_reg + 2]);
    p->space = r[first_reg];
}

cairn_ipc_buffer_t *sim_buf(process_t *p)
{
    cairn_ipc_buffer_t *b = ipc_buffer_of(p);
    if (!b)
        abort();
    return b;
}

/* ---- Running ---------------------------------------------------------------------- */

static process_t *proc_of_ctx(uint64_t *ctx)
{
    return ctx ? (process_t *)((char *)ctx - offsetof(process_t, arch_regs)) : NULL;
}

static process_t *enter(void (*entry)(void *), void *arg)
{
    uint64_t *ctx = NULL;
    last_exit = host_kernel_enter(entry, arg, &ctx);
    return last_exit == HOST_EXIT_RESUMED ? proc_of_ctx(ctx) : NULL;
}

static void run_entry(void *arg)
{
    (void)arg;
    sched_run();
}

process_t *sim_run(void)
{
    return enter(run_entry, NULL);
}

static void syscall_entry(void *arg)
{
    kernel_syscall(((process_t *)arg)->arch_regs);
}

process_t *sim_syscall(process_t *p, uint64_t info, caploc_t target, uint64_t opcode,
                       uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    if (sched_current() != p)
        abort();                          /* only the running process calls */
    uint64_t *ctx = p->arch_regs;
    arch_syscall_set(ctx, ARCH_SYS_INFO, info);
    arch_syscall_set(ctx, ARCH_SYS_TARGET, target);
    arch_syscall_set(ctx, ARCH_SYS_OPCODE, opcode);
    arch_syscall_set(ctx, ARCH_SYS_W0, w0);
    arch_syscall_set(ctx, ARCH_SYS_W1, w1);
    arch_syscall_set(ctx, ARCH_SYS_W2, w2);
    arch_syscall_set(ctx, ARCH_SYS_W3, w3);
    ctx[HOST_REG_PC] += HOST_SYSCALL_LEN;     /* the port leaves pc past it */
    return enter(syscall_entry, p);
}

process_t *sim_sys(process_t *p, uint64_t info, unsigned reg, uint64_t opcode)
{
    return sim_syscall(p, info, CAPLOC_REG(reg), opcode, 0, 0, 0, 0);
}

process_t *sim_park(process_t *p)
{
    if (cap_is_null(&p->cap_regs[SIM_PARK]))
        sim_object(p, OBJ_ENDPOINT, SIM_PARK);
    return sim_sys(p, CAIRN_IPC_OP_RECEIVE, SIM_PARK, 0);
}

process_t *sim_sleep(process_t *p, uint64_t ticks)
{
    if (cap_is_null(&p->cap_regs[SIM_PARK]))
        sim_object(p, OBJ_ENDPOINT, SIM_PARK);
    sim_buf(p)->timeout_ticks = ticks;
    return sim_sys(p, CAIRN_IPC_OP_RECEIVE | CAIRN_IPC_TIMEOUT, SIM_PARK, 0);
}

process_t *sim_method(process_t *p, unsigned reg, uint64_t opcode, unsigned nwords,
                      uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    return sim_syscall(p, cairn_info(nwords, 0, 0), CAPLOC_REG(reg), opcode,
                       w0, w1, w2, w3);
}

typedef struct {
    process_t *p;
    fault_kind_t kind;
    uint64_t addr;
    unsigned access;
} fault_args_t;

static void fault_entry(void *arg)
{
    fault_args_t *a = arg;
    kernel_user_fault(a->p->arch_regs, a->kind, a->addr, a->access);
}

process_t *sim_fault(process_t *p, fault_kind_t kind, uint64_t addr, unsigned access)
{
    if (sched_current() != p)
        abort();
    fault_args_t a = { p, kind, addr, access };
    return enter(fault_entry, &a);
}

static void tick_entry(void *arg)
{
    ipc_timer_tick(*(uint64_t *)arg);     /* as kernel_timer_tick does */
    sched_tick();
    process_t *p = sched_current();
    if (p)
        kernel_user_interrupt(p->arch_regs);
    sched_run();
}

process_t *sim_tick(uint64_t now)
{
    return enter(tick_entry, &now);
}

host_exit_t sim_exit(void)
{
    return last_exit;
}

/* ---- Reading results ---------------------------------------------------------------- */

sim_regs_t sim_regs(const process_t *p)
{
    const uint64_t *ctx = p->arch_regs;
    sim_regs_t r = {
        .info = arch_syscall_get(ctx, ARCH_SYS_INFO),
        .target = arch_syscall_get(ctx, ARCH_SYS_TARGET),
        .opcode = arch_syscall_get(ctx, ARCH_SYS_OPCODE),
        .pc = ctx[HOST_REG_PC],
    };
    for (unsigned i = 0; i < 4; i++)
        r.w[i] = arch_syscall_get(ctx, ARCH_SYS_W0 + i);
    return r;
}

cairn_error_t sim_err(const process_t *p)
{
    return cairn_result_error(arch_syscall_get(p->arch_regs, ARCH_SYS_INFO));
}

int sim_waits(const process_t *p, ipc_wait_t wait)
{
    return p->ipc.wait == wait;
}
