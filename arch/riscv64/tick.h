/*
 * The periodic timer: the SBI timer programmed one tick ahead, driven by
 * the time CSR at the device tree's timebase frequency.
 */
#pragma once

#include <stdint.h>

/* Record the rdtime frequency (from /cpus/timebase-frequency). Boot only. */
void tick_set_timebase(uint64_t hz);

/* The supervisor timer interrupt: re-arm, then tell the kernel. */
void tick_interrupt(void);

/* Timer interrupts handled since boot (for tests of the trap path). */
uint64_t tick_count(void);

/* rdtime units between ticks; 0 before arch_timer_start. */
uint64_t tick_period(void);
