/*
 * Kernel console output. A small printf that needs nothing but
 * arch_console_putc: no allocation, no locks (single CPU; the big kernel
 * lock will cover it on SMP).
 *
 * Formats: %c %s %d %i %u %x %X %p %% with flags '0' and '-', a width,
 * and the length modifiers l, ll, z. %p prints 0x and 16 hex digits.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);

/*
 * Format into buf (at most `size` bytes including the NUL). Returns the
 * length the full output would have had, like snprintf. These are the
 * shared engine's own functions (kernel/lib/format.h).
 */
#include "lib/format.h"
#define ksnprintf format_snprintf
#define kvsnprintf format_vsnprintf
