/*
 * Fixed-priority round-robin scheduling (see sched.h).
 *
 * State: the queues and bitmap (changed only through sched_ready and
 * sched_remove), the current process and the ticks left in its slice.
 */
#include "sched.h"

#include "arch.h"
#include "kprintf.h"
#include "lib/bits.h"
#include "obj/process.h"
#include "panic.h"
#include "timer.h"
#include "vm/hwmap.h"

#define NPRIO (CAIRN_PRIO_MAX + 1)

typedef struct {
    obj_ref_t head, tail;
} ready_queue_t;

static ready_queue_t queues[NPRIO];
static uint64_t bitmap[NPRIO / 64];
static process_t *current;
static uint32_t slice_left;

static process_t *proc_of(obj_ref_t ref)
{
    return ref == OBJ_REF_NONE ? NULL : obj_ptr(ref);
}

static bool is_queued(const process_t *p)
{
    unsigned prio = p->priority;
    return p->queue_prev != OBJ_REF_NONE || queues[prio].head == obj_ref_of(p);
}

void sched_ready(process_t *p)
{
    ASSERT(!is_queued(p) && p != current);
    ready_queue_t *q = &queues[p->priority];
    obj_ref_t ref = obj_ref_of(p);
    p->queue_next = OBJ_REF_NONE;
    p->queue_prev = q->tail;
    if (q->tail != OBJ_REF_NONE)
        proc_of(q->tail)->queue_next = ref;
    else
        q->head = ref;
    q->tail = ref;
    bitmap[p->priority / 64] |= (uint64_t)1 << (p->priority % 64);
}

void sched_remove(process_t *p)
{
    if (!is_queued(p))
        return;
    ready_queue_t *q = &queues[p->priority];
    if (p->queue_prev != OBJ_REF_NONE)
        proc_of(p->queue_prev)->queue_next = p->queue_next;
    else
        q->head = p->queue_next;
    if (p->queue_next != OBJ_REF_NONE)
        proc_of(p->queue_next)->queue_prev = p->queue_prev;
    else
        q->tail = p->queue_prev;
    p->queue_next = p->queue_prev = OBJ_REF_NONE;
    if (q->head == OBJ_REF_NONE)
        bitmap[p->priority / 64] &= ~((uint64_t)1 << (p->priority % 64));
}

/* Highest priority with a ready process, or -1. */
static int highest_ready(void)
{
    for (int w = NPRIO / 64 - 1; w >= 0; w--)
        if (bitmap[w])
            return w * 64 + (int)bits_high(bitmap[w]);
    return -1;
}

process_t *sched_current(void)
{
    return current;
}

void sched_block_current(void)
{
    current = NULL;
}

void sched_tick(void)
{
    if (current && slice_left > 0)
        slice_left--;
}

bool sched_should_preempt(void)
{
    int best = highest_ready();
    if (!current)
        return best >= 0;
    if (best > current->priority)
        return true;
    return slice_left == 0 && best == current->priority;
}

static process_t *pick_next(void)
{
    if (current && !sched_should_preempt()) {
        return current;
    }
    if (current) {
        process_t *prev = current;
        current = NULL;
        if (slice_left == 0) {
            sched_ready(prev);            /* slice spent: back of the line */
        } else {                          /* preempted: keep its place */
            ready_queue_t *q = &queues[prev->priority];
            obj_ref_t ref = obj_ref_of(prev);
            prev->queue_prev = OBJ_REF_NONE;
            prev->queue_next = q->head;
            if (q->head != OBJ_REF_NONE)
                proc_of(q->head)->queue_prev = ref;
            else
                q->tail = ref;
            q->head = ref;
            bitmap[prev->priority / 64] |= (uint64_t)1 << (prev->priority % 64);
        }
    }
    int best = highest_ready();
    if (best < 0)
        return NULL;
    process_t *next = proc_of(queues[best].head);
    sched_remove(next);
    current = next;
    slice_left = SCHED_TIMESLICE_TICKS;
    return next;
}

static sched_wake_check_t *wake_check;

void sched_set_wake_check(sched_wake_check_t *check)
{
    wake_check = check;
}

/*
 * Nothing is ready. If nothing can ever make a process ready again (no
 * pending timeout, no interrupt bound to a notification: the IPC layer's
 * wake check says), the system is finished: say so and end the machine,
 * rather than idle for ever.
 */
static void idle_or_finish(void)
{
    if (!wake_check || !wake_check()) {
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

/* ---- Process hooks --------------------------------------------------------- */

static void on_started(process_t *p)
{
    if (p != current && !is_queued(p))
        sched_ready(p);
}

static void on_stopped(process_t *p)
{
    sched_remove(p);
    if (p == current)
        current = NULL;
}

static void on_space_changed(process_t *p)
{
    hwmap_forget(p);
}

static bool on_teardown(process_t *p)
{
    on_stopped(p);
    hwmap_forget(p);
    return true;
}

void sched_init(void)
{
    static const process_hooks_t hooks = {
        .started = on_started,
        .stopped = on_stopped,
        .space_changed = on_space_changed,
        .teardown = on_teardown,
    };
    process_set_hooks(&hooks);
}
