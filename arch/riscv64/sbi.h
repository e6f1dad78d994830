/*
 * Calls into the Supervisor Binary Interface (OpenSBI under QEMU): the
 * timer and system reset. Each call prefers the SBI v0.2+ extension and
 * falls back to the legacy v0.1 call when the firmware lacks it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Ask the firmware which extensions it has. Call once, early; the other
 * calls work before it (they then use the legacy interface).
 */
void sbi_init(void);

/* Program the next timer interrupt at absolute `time` (rdtime units). */
void sbi_set_timer(uint64_t time);

/*
 * Shut the machine down, telling the firmware whether this is a failure.
 * Returns only if the firmware refused or cannot power off.
 */
void sbi_shutdown(bool failed);
