/*
 * The kernel's periodic tick. The port calls kernel_timer_tick() from its
 * timer interrupt; portable code reads the count. The scheduler's
 * timeslice (issue: IPC and scheduling) will hang off this.
 */
#pragma once

#include <stdint.h>

#define TIMER_HZ 100

/* Ticks since the timer was started. Monotonic; wraps after 5.8e9 years. */
uint64_t timer_ticks(void);
