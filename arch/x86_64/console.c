/*
 * COM1 through the shared 16550 driver, plus the port's small formatter.
 * Holds: console_init runs before the first character is written; the
 * accessors work from any context (port I/O needs no mapping).
 */
#include "console.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "uart16550.h"

#define COM1_PORT 0x3f8

static uint8_t port_read(uintptr_t addr)
{
    return inb((uint16_t)addr);
}

static void port_write(uintptr_t addr, uint8_t v)
{
    outb((uint16_t)addr, v);
}

static const uart16550_t com1 = {
    .base = COM1_PORT, .shift = 0, .read = port_read, .write = port_write,
};

void console_init(void)
{
    uart16550_init(&com1, 1);
}

void arch_console_putc(char c)
{
    uart16550_putc(&com1, (uint8_t)c);
}

int arch_console_getc(void)
{
    return uart16550_getc(&com1);
}

static void con_putc(char c)
{
    if (c == '\n')
        arch_console_putc('\r');
    arch_console_putc(c);
}

static void con_pad(unsigned n, char c)
{
    while (n-- > 0)
        con_putc(c);
}

/* One number in base 10 or 16, padded to `width` with `pad`. */
static void con_number(uint64_t v, unsigned base, bool negative,
                       unsigned width, char pad)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    unsigned len = n + (negative ? 1 : 0);
    if (negative && pad == '0')
        con_putc('-');
    if (width > len)
        con_pad(width - len, pad);
    if (negative && pad != '0')
        con_putc('-');
    while (n > 0)
        con_putc(digits[--n]);
}

static void con_string(const char *s, unsigned width)
{
    unsigned len = 0;
    if (!s)
        s = "(null)";
    while (s[len])
        len++;
    if (width > len)
        con_pad(width - len, ' ');
    while (*s)
        con_putc(*s++);
}

/* One conversion after its flags and width; returns false if unknown. */
static bool con_convert(char conv, bool is_long, unsigned width, char pad,
                        va_list *ap)
{
    uint64_t u;
    int64_t d;
    switch (conv) {
    case 's': con_string(va_arg(*ap, const char *), width); return true;
    case 'c': con_putc((char)va_arg(*ap, int)); return true;
    case 'p':
        con_string("0x", 0);
        con_number((uintptr_t)va_arg(*ap, void *), 16, false, 16, '0');
        return true;
    case 'd':
        d = is_long ? va_arg(*ap, int64_t) : va_arg(*ap, int);
        con_number(d < 0 ? 0 - (uint64_t)d : (uint64_t)d, 10, d < 0, width, pad);
        return true;
    case 'u':
    case 'x':
        u = is_long ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
        con_number(u, conv == 'x' ? 16 : 10, false, width, pad);
        return true;
    }
    return false;
}

void con_vprintf(const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            con_putc(*p);
            continue;
        }
        const char *start = p++;
        char pad = ' ';
        unsigned width = 0;
        bool is_long = false;
        if (*p == '0')
            pad = *p++;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (unsigned)(*p++ - '0');
        while (*p == 'l') {
            is_long = true;
            p++;
        }
        if (*p == '%') {
            con_putc('%');
        } else if (!con_convert(*p, is_long, width, pad, &args)) {
            while (start <= p && *start)   /* show what we did not know */
                con_putc(*start++);
            if (!*p)
                break;
        }
    }
    va_end(args);
}

void con_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_vprintf(fmt, ap);
    va_end(ap);
}
