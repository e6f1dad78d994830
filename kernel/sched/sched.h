/*
 * The scheduler: fixed priorities, round robin within a priority, a
 * timeslice, and an idle loop that halts the CPU (docs/spec/scheduling.md).
 *
 * There are CAIRN_PRIO_MAX + 1 priorities (256); higher runs first. Each
 * priority has a FIFO ready queue threaded through the Process objects
 * (process_t.queue), and a bitmap finds the highest non-empty queue in a
 * few instructions. The running process is not on any queue.
 *
 * States a process moves through here: RUNNING and ready (on a queue),
 * RUNNING and current (the one the CPU runs), RUNNING and blocked (in
 * IPC; on no ready queue — the IPC layer owns it), or not RUNNING (on no
 * queue at all).
 *
 * Invariant: a process is on a ready queue iff it is RUNNING, not
 * blocked in IPC and not current; it is on the queue of its priority
 * (ipc.ready_prio records which). Process.set_priority moves a ready
 * process to the back of its new queue at once; a priority written
 * behind the scheduler's back (boot code) is corrected when the old
 * queue's turn comes.
 * Single CPU; the big kernel lock will cover the queues on SMP.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct process;

/* Timeslice in timer ticks. */
#define SCHED_TIMESLICE_TICKS 5u

/*
 * Set up the scheduling and IPC layer: empty ready queues, no current
 * process, and every hook it needs installed (process start, stop,
 * space change and teardown; Endpoint and Notification teardown; the
 * idle wake check). Boot calls it once, after hwmap_init; host tests call
 * it after each reset.
 */
void sched_init(void);

/* Make p ready at the back of its priority's queue. Pre: not queued,
 * not current, RUNNING and not waiting in IPC. */
void sched_ready(struct process *p);

/* Make p ready at the front of its queue, so that it runs before the
 * others of its priority (the IPC layer's direct switch). Pre: as above. */
void sched_ready_front(struct process *p);

/* Take p off its ready queue if it is on one. */
void sched_remove(struct process *p);

/* Is p on a ready queue? */
bool sched_is_ready(const struct process *p);

/*
 * The scheduler's state that the IPC fast path reads or switches inline
 * (sched_current, sched_would_run_first, sched_handoff below): sched.c
 * and those functions alone write it.
 *   sched_running     the process the CPU runs, or NULL (it is on no
 *                     ready queue)
 *   sched_slice_left  ticks left in its slice
 *   sched_ready_top   the highest priority with a ready process, or -1
 */
extern struct process *sched_running;
extern uint32_t sched_slice_left;
extern int sched_ready_top;

/* The process the CPU is running, or NULL while idle. */
static inline struct process *sched_current(void)
{
    return sched_running;
}

/*
 * Forget the current process without queueing it: it blocked, stopped,
 * faulted or died. The next sched_run picks someone else.
 */
void sched_block_current(void);

/*
 * Would a process of this priority run next if the current process
 * blocked now and it were made ready at the front of its queue? True
 * when no ready process has a higher priority.
 */
static inline bool sched_would_run_first(unsigned priority)
{
    return (int)priority >= sched_ready_top;
}

/*
 * The IPC fast path's direct switch: the current process has just
 * blocked (it waits in IPC, on no ready queue) and `next` takes the CPU
 * with a fresh slice, exactly as if the current process had been
 * forgotten, next made ready at the front of its queue and then picked
 * by sched_run. Pre: next is RUNNING, not ready, not waiting, and
 * sched_would_run_first(next). The caller then resumes next.
 */
static inline void sched_handoff(struct process *next)
{
    sched_running = next;
    sched_slice_left = SCHED_TIMESLICE_TICKS;
}

/* Account one timer tick to the current process's slice. */
void sched_tick(void);

/* Should the current process give up the CPU now? */
bool sched_should_preempt(void);

/*
 * Can anything still make a process ready? Each layer that can wake a
 * process from outside adds a check: the IPC layer's (a pending timeout),
 * the IRQ layer's (a line armed for an interrupt). The system is finished
 * only when the ready queues are empty and every check says no; with no
 * checks, an empty ready queue alone means it. Adding a check twice keeps
 * one; sched_init forgets them all. At most SCHED_WAKE_CHECKS_MAX.
 */
typedef bool sched_wake_check_t(void);
#define SCHED_WAKE_CHECKS_MAX 4u
void sched_add_wake_check(sched_wake_check_t *check);

/*
 * Run the best ready process: the current one if nothing better is ready
 * and its slice is not spent, else the head of the highest non-empty
 * queue (the current one goes to the tail of its queue if its slice is
 * spent, else back to the head: preemption keeps its place). With nothing
 * to run, idle with interrupts on until something is; if nothing ever can
 * be (see sched_add_wake_check), power off. Never returns.
 */
__attribute__((noreturn)) void sched_run(void);
