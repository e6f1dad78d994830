#include "timer.h"

#include "arch.h"

/* Written only by kernel_timer_tick (interrupt context, one CPU). */
static volatile uint64_t ticks;

uint64_t timer_ticks(void)
{
    return ticks;
}

void kernel_timer_tick(void)
{
    ticks = ticks + 1;
}
