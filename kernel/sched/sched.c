/*
 * Fixed-priority round-robin scheduling (see sched.h).
 *
 * State: the ready queues and their bitmap (changed only through
 * queue_insert and sched_remove), the current process and the ticks left
 * in its slice. A process's own record is ipc.ready (on a queue) and
 * ipc.ready_prio (which one).
 */
#include "sched.h"

#include "arch.h"
#include "ipc/cancel.h"
#include "ipc/fastpath.h"
#include "ipc/ipc.h"
#include "ipc/plist.h"
#include "kprintf.h"
#include "lib/bits.h"
#include "obj/process.h"
#include "panic.h"
#include "vm/hwmap.h"

#define NPRIO (CAIRN_PRIO_MAX + 1)

static plist_t queues[NPRIO];
static uint64_t bitmap[NPRIO / 64];
static uint64_t summary;          /* bit w: bitmap[w] != 0 */
int sched_ready_top = -1;         /* highest_ready(), kept up to date */
process_t *sched_running;        /* the current process; see sched.h */
uint32_t sched_slice_left;        /* ticks left in its slice */
static sched_wake_check_t *wake_checks[SCHED_WAKE_CHECKS_MAX];

bool sched_is_ready(const process_t *p)
{
    return p->ipc.ready != 0;
}

/* Highest priority with a ready process, or -1. */
static int highest_ready(void)
{
    if (summary == 0)
        return -1;
    unsigned w = bits_high(summary);
    return (int)(w * 64 + bits_high(bitmap[w]));
}

static void queue_insert(process_t *p, bool front)
{
    ASSERT(!sched_is_ready(p) && p != sched_running && p->ipc.wait == IPC_IDLE);
    unsigned prio = p->priority;
    if (front)
        plist_push_front(&queues[prio], p, PLINK_QUEUE);
    else
        plist_push_back(&queues[prio], p, PLINK_QUEUE);
    p->ipc.ready = 1;
    p->ipc.ready_prio = (uint8_t)prio;
    bitmap[prio / 64] |= (uint64_t)1 << (prio % 64);
    summary |= (uint64_t)1 << (prio / 64);
    if ((int)prio > sched_ready_top)
        sched_ready_top = (int)prio;
}

void sched_ready(process_t *p)
{
    queue_insert(p, false);
}

void sched_ready_front(process_t *p)
{
    queue_insert(p, true);
}

void sched_remove(process_t *p)
{
    if (!sched_is_ready(p))
        return;
    unsigned prio = p->ipc.ready_prio;
    plist_remove(&queues[prio], p, PLINK_QUEUE);
    p->ipc.ready = 0;
    if (plist_empty(&queues[prio])) {
        bitmap[prio / 64] &= ~((uint64_t)1 << (prio % 64));
        if (bitmap[prio / 64] == 0)
            summary &= ~((uint64_t)1 << (prio / 64));
        if ((int)prio == sched_ready_top)
            sched_ready_top = highest_ready();
    }
}

void sched_block_current(void)
{
    sched_running = NULL;
}

void sched_tick(void)
{
    if (sched_running && sched_slice_left > 0)
        sched_slice_left--;
}

bool sched_should_preempt(void)
{
    int best = sched_ready_top;
    if (!sched_running)
        return best >= 0;
    if (best > sched_running->priority)
        return true;
    return sched_slice_left == 0 && best == sched_running->priority;
}

/* The head of the best queue, first moving any process whose priority
 * changed while it waited to the queue it now belongs to. */
static process_t *take_best(void)
{
    for (;;) {
        int best = sched_ready_top;
        if (best < 0)
            return NULL;
        process_t *p = plist_head(&queues[best]);
        sched_remove(p);
        if (p->priority == best)
            return p;
        sched_ready(p);
    }
}

static process_t *pick_next(void)
{
    if (sched_running && !sched_should_preempt())
        return sched_running;
    if (sched_running) {
        process_t *prev = sched_running;
        sched_running = NULL;
        /* Slice spent: back of the line; preempted: keep its place. */
        queue_insert(prev, sched_slice_left != 0);
    }
    process_t *next = take_best();
    if (next) {
        sched_running = next;
        sched_slice_left = SCHED_TIMESLICE_TICKS;
    }
    return next;
}

void sched_add_wake_check(sched_wake_check_t *check)
{
    for (unsigned i = 0; i < SCHED_WAKE_CHECKS_MAX; i++) {
        if (wake_checks[i] == check)
            return;
        if (!wake_checks[i]) {
            wake_checks[i] = check;
            return;
        }
    }
    REQUIRE(!"sched_add_wake_check: too many wake checks");
}

static bool wake_possible(void)
{
    for (unsigned i = 0; i < SCHED_WAKE_CHECKS_MAX && wake_checks[i]; i++)
        if (wake_checks[i]())
            return true;
    return false;
}

/*
 * Nothing is ready. If nothing can ever make a process ready again (no
 * pending timeout, no interrupt line armed: every wake check says no),
 * the system is finished: say so and end the machine,
 * rather than idle for ever.
 */
static void idle_or_finish(void)
{
    if (!wake_possible()) {
        ipc_fastpath_report();
        kprintf("no process can run any more: the system has finished\n");
        arch_poweroff(false);
    }
    arch_irq_enable();
    arch_wait_for_interrupt();
}

void sched_run(void)
{
    for (;;) {
        arch_irq_disable();
        process_t *next = pick_next();
        if (next)
            arch_user_resume(next->arch_regs, hwmap_root(next));
        idle_or_finish();
    }
}

/* ---- Process hooks ---------------------------------------------------------
 *
 * Stopping or destroying a process first ends whatever IPC it waits in
 * (ipc_process_stopped / ipc_process_teardown), then takes it off the
 * ready queue and the CPU.
 */

static void on_started(process_t *p)
{
    if (p != sched_running && !sched_is_ready(p) && p->ipc.wait == IPC_IDLE)
        sched_ready(p);
}

static void on_stopped(process_t *p)
{
    ipc_process_stopped(p);
    sched_remove(p);
    if (p == sched_running)
        sched_running = NULL;
}

static void on_space_changed(process_t *p)
{
    hwmap_forget(p);
}

static void on_priority_changed(process_t *p)
{
    if (sched_is_ready(p)) {
        sched_remove(p);
        sched_ready(p);
    }
}

static bool on_teardown(process_t *p)
{
    ipc_process_teardown(p);
    sched_remove(p);
    if (p == sched_running)
        sched_running = NULL;
    hwmap_forget(p);
    return true;
}

void sched_init(void)
{
    static const process_hooks_t hooks = {
        .started = on_started,
        .stopped = on_stopped,
        .space_changed = on_space_changed,
        .priority_changed = on_priority_changed,
        .teardown = on_teardown,
    };
    for (unsigned i = 0; i < NPRIO; i++)
        queues[i] = (plist_t){ OBJ_REF_NONE, OBJ_REF_NONE };
    for (unsigned i = 0; i < NPRIO / 64; i++)
        bitmap[i] = 0;
    summary = 0;
    sched_ready_top = -1;
    sched_running = NULL;
    sched_slice_left = 0;
    for (unsigned i = 0; i < SCHED_WAKE_CHECKS_MAX; i++)
        wake_checks[i] = NULL;
    process_set_hooks(&hooks);
    ipc_init();
}
