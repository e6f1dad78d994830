/*
 * The IPC layer's core: one system call with a send phase and a receive
 * phase (docs/spec/ipc.md has the ABI, the call state machine and every
 * error).
 *
 * Operations (control-word flags, kernel/abi/ipc.h): send, non-blocking
 * send, call (send + closed wait for the reply), open receive on an
 * Endpoint, reply (through the Reply capability in register
 * CAIRN_REPLY_REG; never blocks), reply-and-receive. A blocking
 * operation may carry a timeout and name a notification whose signal
 * abandons it.
 *
 * Event model: nothing waits on the kernel stack. Every operation is
 * decoded first (all checks, no side effects, may fail), then executed
 * (cannot fail). Execution either finishes the operation — results go
 * into the caller's saved registers — or leaves the caller waiting (its
 * ipc.wait and the queues say how), with its program counter past the
 * system call; whoever ends the wait (a partner, a timeout, a signal, a
 * revocation) writes its results then. Only Process.stop rewinds a
 * waiting call so that it runs again when the process is started
 * (cancel.h). Matching is direct: a receiver arriving at an endpoint
 * with queued senders copies the oldest one's message straight out of
 * its registers and buffer, and a sender finding a waiting receiver
 * copies straight into it.
 *
 * Scheduling: a process woken by a partner that goes on to wait (a
 * call's receiver, a reply-and-receive's caller) is made ready at the
 * front of its priority's queue, so it runs next unless something of
 * higher priority is ready; a process woken by a partner that goes on
 * running is queued at the back. Nothing is donated.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "obj/endpoint.h"
#include "obj/process.h"

/* Reset the layer's state and install its hooks (sched_init calls it). */
void ipc_init(void);

/*
 * Is the system call p is making (control word `info`, target in its
 * TARGET register) an IPC operation rather than a kernel method? True
 * for REPLY, for SEND or RECEIVE without CALL, and for any flags on an
 * Entry or Reply capability.
 */
bool ipc_takes(process_t *p, uint64_t info);

/*
 * Run the IPC operation p (the current process) is making. Afterwards
 * either its results are in its registers, or it waits in IPC
 * (p->ipc.wait != IPC_IDLE) and the caller must take it off the CPU.
 */
void ipc_syscall(process_t *p);

/* ---- Within the layer -------------------------------------------------- */

/*
 * End p's wait without writing results: off the queue of what it waits
 * on, off the timeout and watch lists; a call's generation moves on (its
 * Reply capabilities go stale). p is left IDLE and not ready.
 */
void ipc_wait_end(process_t *p);

/* p, which faulted, calls its keeper's endpoint ep with its fault
 * message (fault.h); p waits, in the queue or for the reply. */
void ipc_send_fault(process_t *p, endpoint_t *ep, uint32_t payload);
