/*
 * 8259 PIC driver. The mask registers are the only state; they change
 * only through pic_init, pic_mask and pic_unmask (boot CPU, interrupts
 * off). The cascade line stays unmasked once a slave line was.
 */
#include "pic.h"

#include <stdint.h>

#include "cpu.h"
#include "idt.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086           0x01
#define OCW2_EOI            0x20
#define OCW3_READ_ISR       0x0b

/* An I/O write to an unused port: a short delay older PICs need. */
static void pic_delay(void)
{
    outb(0x80, 0);
}

static void pic_write(uint16_t port, uint8_t v)
{
    outb(port, v);
    pic_delay();
}

void pic_init(void)
{
    pic_write(PIC1_CMD, ICW1_INIT_WITH_ICW4);
    pic_write(PIC2_CMD, ICW1_INIT_WITH_ICW4);
    pic_write(PIC1_DATA, VECTOR_PIC_BASE);
    pic_write(PIC2_DATA, VECTOR_PIC_BASE + 8);
    pic_write(PIC1_DATA, 1 << PIC_IRQ_CASCADE);   /* slave on line 2 */
    pic_write(PIC2_DATA, PIC_IRQ_CASCADE);        /* its cascade identity */
    pic_write(PIC1_DATA, ICW4_8086);
    pic_write(PIC2_DATA, ICW4_8086);
    pic_write(PIC1_DATA, 0xff);
    pic_write(PIC2_DATA, 0xff);
}

void pic_unmask(unsigned irq)
{
    if (irq >= 8) {
        outb(PIC2_DATA, inb(PIC2_DATA) & ~(1u << (irq - 8)));
        irq = PIC_IRQ_CASCADE;
    }
    outb(PIC1_DATA, inb(PIC1_DATA) & ~(1u << irq));
}

void pic_mask(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_DATA, inb(PIC2_DATA) | (1u << (irq - 8)));
    else
        outb(PIC1_DATA, inb(PIC1_DATA) | (1u << irq));
}

static uint8_t pic_in_service(uint16_t cmd_port)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port);
}

bool pic_is_spurious(unsigned irq)
{
    if (irq == 7)
        return !(pic_in_service(PIC1_CMD) & 0x80);
    if (irq == 15 && !(pic_in_service(PIC2_CMD) & 0x80)) {
        outb(PIC1_CMD, OCW2_EOI);   /* the master did see the cascade line */
        return true;
    }
    return false;
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}
