/*
 * The periodic tick. Each interrupt programs the next deadline one
 * interval after the previous one, so the rate does not drift with
 * handler latency; if the deadline has already passed (the guest was
 * descheduled under TCG), the missed ticks are dropped rather than
 * delivered in a burst.
 *
 * State: written by arch_timer_start (interrupts off) and by
 * tick_interrupt (interrupt context); one CPU.
 */
#include "tick.h"

#include "arch.h"
#include "csr.h"
#include "layout.h"
#include "sbi.h"

static uint64_t timebase_hz;
static uint64_t interval;    /* rdtime ticks per kernel tick */
static uint64_t deadline;    /* the armed deadline */
static volatile uint64_t handled;

void tick_set_timebase(uint64_t hz)
{
    timebase_hz = hz;
}

uint64_t arch_cycles(void)
{
    return csr_read(time);
}

bool arch_timer_start(uint32_t hz)
{
    if (hz == 0 || timebase_hz < hz)
        return false;
    interval = timebase_hz / hz;
    deadline = arch_cycles() + interval;
    sbi_set_timer(deadline);
    csr_set(sie, SIE_STIE);
    return true;
}

void tick_interrupt(void)
{
    uint64_t now = arch_cycles();
    deadline += interval;
    if (deadline <= now)
        deadline = now + interval;
    sbi_set_timer(deadline);     /* also clears the pending interrupt */
    handled = handled + 1;
    kernel_timer_tick();
}

uint64_t tick_count(void)
{
    return handled;
}

uint64_t tick_period(void)
{
    return interval;
}
