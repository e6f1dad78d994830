/*
 * A small printf engine: %c %s %d %i %u %x %X %p %% with the flags '0'
 * and '-', a width, and the length modifiers l, ll and z. %p prints 0x
 * and 16 hex digits. It has no state and needs nothing but its callback,
 * so the kernel (kprintf) and libsys (cairn_printf) share this one file.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_put_t)(void *ctx, char c);

/* Format through put; returns the number of characters produced. */
int format_v(format_put_t put, void *ctx, const char *fmt, va_list ap);

/*
 * Format into buf (at most `size` bytes including the NUL). Returns the
 * length the full output would have had, like vsnprintf.
 */
int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The same with its arguments inline, like snprintf. */
__attribute__((format(printf, 3, 4)))
int format_snprintf(char *buf, size_t size, const char *fmt, ...);
