#include "uart16550.h"

/* Register numbers (DLAB=0 unless noted). */
enum {
    REG_DATA = 0,      /* RBR/THR; divisor low with DLAB=1 */
    REG_IER  = 1,      /* interrupt enable; divisor high with DLAB=1 */
    REG_FCR  = 2,      /* FIFO control (write) */
    REG_LCR  = 3,      /* line control */
    REG_MCR  = 4,      /* modem control */
    REG_LSR  = 5,      /* line status */
};

enum {
    LCR_8N1   = 0x03,
    LCR_DLAB  = 0x80,
    FCR_ON    = 0x07,  /* enable, clear both FIFOs */
    MCR_DTR_RTS_OUT2 = 0x0b,  /* OUT2 gates the IRQ line on PCs */
    LSR_DATA  = 0x01,
    LSR_THRE  = 0x20,
    IER_RX    = 0x01,
};

static uint8_t rd(const uart16550_t *u, unsigned reg)
{
    return u->read(u->base + ((uintptr_t)reg << u->shift));
}

static void wr(const uart16550_t *u, unsigned reg, uint8_t v)
{
    u->write(u->base + ((uintptr_t)reg << u->shift), v);
}

void uart16550_init(const uart16550_t *u, uint16_t divisor)
{
    wr(u, REG_IER, 0);
    wr(u, REG_LCR, LCR_DLAB);
    wr(u, REG_DATA, divisor & 0xff);
    wr(u, REG_IER, divisor >> 8);
    wr(u, REG_LCR, LCR_8N1);
    wr(u, REG_FCR, FCR_ON);
    wr(u, REG_MCR, MCR_DTR_RTS_OUT2);
}

void uart16550_putc(const uart16550_t *u, uint8_t c)
{
    /* Bounded: a missing UART must not wedge the kernel's console. */
    for (unsigned spin = 0; spin < 100000; spin++)
        if (rd(u, REG_LSR) & LSR_THRE)
            break;
    wr(u, REG_DATA, c);
}

int uart16550_getc(const uart16550_t *u)
{
    if (!(rd(u, REG_LSR) & LSR_DATA))
        return -1;
    return rd(u, REG_DATA);
}

void uart16550_set_rx_irq(const uart16550_t *u, bool on)
{
    wr(u, REG_IER, on ? IER_RX : 0);
}
