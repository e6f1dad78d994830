/*
 * The x86_64 console: the COM1 16550 at I/O port 0x3f8, driven through
 * arch/common/uart16550.
 *
 * con_printf is the port's own small formatter. The port may only enter
 * the kernel through arch.h, so the boot and trap reports use this rather
 * than kprintf; it also keeps the fault report independent of the
 * portable code it may be reporting on. It needs no locks and no memory.
 */
#pragma once

#include <stdarg.h>

/* Program the UART. Call first at boot, before any output. */
void console_init(void);

/*
 * Formats: %s %c %d %u %x %p, flag '0', a width, and the length modifiers
 * l and ll (both 64-bit here). '\n' is sent as "\r\n".
 */
__attribute__((format(printf, 1, 2))) void con_printf(const char *fmt, ...);
void con_vprintf(const char *fmt, va_list ap);
