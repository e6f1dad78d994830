/*
 * Kernel console output through the shared printf engine
 * (kernel/lib/format.c).
 */
#include "kprintf.h"

#include "arch.h"
#include "lib/format.h"

static void console_put(void *ctx, char c)
{
    (void)ctx;
    if (c == '\n')
        arch_console_putc('\r');
    arch_console_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    format_v(console_put, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
