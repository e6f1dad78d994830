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
 * length the full output would have had, like snprintf.
 */
__attribute__((format(printf, 3, 4)))
int ksnprintf(char *buf, size_t size, const char *fmt, ...);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
