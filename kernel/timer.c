#include "timer.h"

#include "arch.h"
#ifdef CAIRN_USER_MODE
#include "sched/sched.h"
#include "ipc/timeout.h"
#endif

/* Written only by kernel_timer_tick (interrupt context, one CPU). */
static volatile uint64_t ticks;

uint64_t timer_ticks(void)
{
    return ticks;
}

void kernel_timer_tick(void)
{
    ticks = ticks + 1;
#ifdef CAIRN_USER_MODE
    ipc_timer_tick(ticks);
    sched_tick();
#endif
}
