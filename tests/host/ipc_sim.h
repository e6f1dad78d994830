/*
 * A small simulated machine for the IPC host suites (ipc, reply,
 * abandon, notify, sched, fault): real Process, Endpoint and Notification
 * objects retyped from a host Untyped, the real scheduler and hardware-map
 * cache, and the real entries kernel_syscall, kernel_user_fault and
 * kernel_user_interrupt, driven through the host seam shim.
 *
 * The model: the kernel decides who runs. sim_run, sim_syscall, sim_fault
 * and sim_tick each enter the kernel once and return the process the
 * kernel resumed (NULL if it went idle or powered off; sim_exit says
 * which). Only the current process (sched_current()) can make a system
 * call or fault, as on a real CPU.
 *
 * Every process sim_proc makes has an IPC buffer Page, its own Process
 * capability in register SIM_SELF, and starts at pc SIM_PC0.
 */
#pragma once

#include <stdint.h>

#include "abi/ipc.h"
#include "host_env.h"
#include "ipc/ipc_proc.h"
#include "obj/endpoint.h"
#include "obj/notification.h"
#include "obj/process.h"

#define SIM_SELF 2u              /* a process's own Process capability */
#define SIM_PC0  0x10000u        /* every process's first pc */

/* A fresh world: host_env_reset, the hardware-map pool, sched_init (and
 * with it the IPC layer). */
void sim_reset(void);

/* A new process at `prio`, started (ready). */
process_t *sim_proc(unsigned prio);

/* The same, made from the Untyped *ut (so that revoking it destroys the
 * process); its IPC buffer still comes from the world. */
process_t *sim_proc_from(cap_t *ut, unsigned prio);

/* A new endpoint: an Endpoint capability goes to register `reg` of owner.
 * Returns the object. */
endpoint_t *sim_endpoint(process_t *owner, unsigned reg);

/* An Entry capability with `payload` to the endpoint whose Endpoint cap is
 * in owner's register ep_reg, stored in register `reg` of `to`. */
void sim_entry(process_t *owner, unsigned ep_reg, process_t *to, unsigned reg,
               uint32_t payload);

/* A new notification: a full capability in register `reg` of owner. */
notification_t *sim_notification(process_t *owner, unsigned reg);

/* Another new object of `type` whose capability goes to p's register reg. */
cap_t sim_object(process_t *p, obj_type_t type, unsigned reg);

/* Give p a small address space (host_space) from the world's Untyped:
 * capability addresses 0..0xff0 are a CapPage's slots, 0x1000 a Page.
 * Uses registers first_reg..first_reg+2. */
void sim_space(process_t *p, unsigned first_reg);

/* The world's Untyped (2^22 bytes), for tests that retype more. */
cap_t *sim_untyped(void);

/* A child Untyped of 2^size_bits bytes in p's register reg, to revoke
 * the objects made from it without touching the rest of the world. */
void sim_sub_untyped(process_t *p, unsigned reg, unsigned size_bits);

/* p's IPC buffer. */
cairn_ipc_buffer_t *sim_buf(process_t *p);

/* ---- Running ------------------------------------------------------------------ */

/* Let the kernel pick and resume a process. */
process_t *sim_run(void);

/* p (the current process) makes a system call with these registers. */
process_t *sim_syscall(process_t *p, uint64_t info, caploc_t target, uint64_t opcode,
                       uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

/* Shorthands: no words, target register `reg`. */
process_t *sim_sys(process_t *p, uint64_t info, unsigned reg, uint64_t opcode);

/* p (the current process) parks: an open receive on a private endpoint
 * (register SIM_PARK) that nobody sends to. */
#define SIM_PARK 31u
process_t *sim_park(process_t *p);

/* p (the current process) sleeps: the same receive with a timeout of
 * `ticks` ticks, after which it wakes with ERR_TIMEOUT. */
process_t *sim_sleep(process_t *p, uint64_t ticks);

/* p (the current process) invokes a kernel method of the capability in
 * register reg with up to four words. */
process_t *sim_method(process_t *p, unsigned reg, uint64_t opcode, unsigned nwords,
                      uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

/* p (the current process) takes a user fault. */
process_t *sim_fault(process_t *p, fault_kind_t kind, uint64_t addr, unsigned access);

/* The timer ticks (count `now`): ipc_timer_tick, then the interrupt
 * path (kernel_user_interrupt, or the idle loop's sched_run). */
process_t *sim_tick(uint64_t now);

/* How the last entry left the kernel. */
host_exit_t sim_exit(void);

/* ---- Reading results ------------------------------------------------------------ */

typedef struct sim_regs {
    uint64_t info, target, opcode, w[4], pc;
} sim_regs_t;

sim_regs_t sim_regs(const process_t *p);

/* The error in p's result word. */
cairn_error_t sim_err(const process_t *p);

/* Is p waiting in IPC in state `wait`? */
int sim_waits(const process_t *p, ipc_wait_t wait);
