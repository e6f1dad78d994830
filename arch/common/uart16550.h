/*
 * The 16550 UART, shared by every port (x86_64 at I/O port 0x3f8, RISC-V
 * virt at MMIO 0x10000000). The port supplies the register accessors, so
 * this driver knows nothing of port I/O versus MMIO.
 *
 * Only what the kernel console and the IRQ demonstration need: 8N1,
 * polled transmit, polled receive, and the receive-data interrupt.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uintptr_t base;                          /* port number or MMIO address */
    unsigned shift;                          /* register n is at base + (n << shift) */
    uint8_t (*read)(uintptr_t addr);
    void (*write)(uintptr_t addr, uint8_t value);
} uart16550_t;

/*
 * Program 8N1 with the given divisor of the 115200 Hz base clock (1 means
 * 115200 baud), FIFOs on, interrupts off. Pre: accessors and base set.
 */
void uart16550_init(const uart16550_t *u, uint16_t divisor);

/* Wait for room in the transmitter, then send one byte. */
void uart16550_putc(const uart16550_t *u, uint8_t c);

/* One received byte, or -1 if none is waiting. Never blocks. */
int uart16550_getc(const uart16550_t *u);

/* Turn the received-data-available interrupt on or off. */
void uart16550_set_rx_irq(const uart16550_t *u, bool on);
