/*
 * Timeouts: the list of blocked operations that end with ERR_TIMEOUT at a
 * given tick (CAIRN_IPC_TIMEOUT; docs/spec/ipc.md, "Abandoning").
 *
 * One list, threaded through the Process objects (ipc.u.op.timeouts),
 * sorted by deadline, equal deadlines in the order they were armed. The
 * clock is the tick count the timer path last passed to ipc_timer_tick.
 * A deadline is the clock when the operation began plus its ticks; the
 * operation times out at the first tick whose count reaches it.
 * Arming costs O(timed processes with a later deadline) (the search
 * starts at the far end, where new deadlines usually go); each expiry
 * costs O(1).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "obj/process.h"

/* Empty list, clock 0 (boot, and host tests after each reset). */
void timeout_reset(void);

/* The clock: the last tick count ipc_timer_tick was given. */
uint64_t timeout_clock(void);

/* Put p on the list to time out `ticks` (>= 1) ticks from now. Pre: p is
 * waiting in IPC and not already timed. */
void timeout_arm(process_t *p, uint64_t ticks);

/* Take p off the list if it is on it. */
void timeout_disarm(process_t *p);

/* Is any timeout pending (can a tick still wake someone)? */
bool timeout_pending(void);

/*
 * The timer path's hook, from kernel_timer_tick with the new tick count
 * (beside sched_tick): every operation whose deadline has come ends with
 * ERR_TIMEOUT, oldest deadline first. Interrupt context; never blocks.
 */
void ipc_timer_tick(uint64_t now);
