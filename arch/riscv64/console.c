/*
 * Console glue: MMIO accessors for the shared 16550 driver and the arch
 * seam's console hooks. State: one uart16550_t, whose base changes once
 * (console_use, on the boot CPU before interrupts are on).
 */
#include "console.h"

#include "arch.h"
#include "layout.h"
#include "uart16550.h"

#define UART_BAUD 115200u

static uint8_t mmio_read8(uintptr_t addr)
{
    return *(volatile uint8_t *)addr;
}

static void mmio_write8(uintptr_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}

static uart16550_t uart = {
    .base = UART_DEFAULT_PHYS,
    .shift = 0,
    .read = mmio_read8,
    .write = mmio_write8,
};

void console_use(uint64_t base, uint32_t shift, uint32_t clock_hz)
{
    /* The driver counts divisors of a 1.8432 MHz clock's 115200 baud. */
    uint32_t divisor = clock_hz >= 16 * UART_BAUD ? clock_hz / (16 * UART_BAUD) : 1;
    uart.base = (uintptr_t)base;
    uart.shift = shift;
    uart16550_init(&uart, (uint16_t)(divisor > 0xffff ? 0xffff : divisor));
}

void arch_console_putc(char c)
{
    uart16550_putc(&uart, (uint8_t)c);
}

int arch_console_getc(void)
{
    return uart16550_getc(&uart);
}

void console_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            arch_console_putc('\r');
        arch_console_putc(*s);
    }
}

void console_put_hex(uint64_t v)
{
    char buf[19];
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 16; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    buf[18] = '\0';
    console_puts(buf);
}

void console_put_dec(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    console_puts(buf + i);
}
