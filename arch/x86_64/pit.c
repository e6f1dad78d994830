/*
 * The periodic timer: PIT channel 0 in rate-generator mode on IRQ 0,
 * through the 8259 (trap.c calls kernel_timer_tick and sends EOI). Chosen
 * over the local APIC timer because its rate needs no calibration and it
 * behaves the same under TCG and on hardware.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "pic.h"

#define PIT_INPUT_HZ   1193182u
#define PIT_CHANNEL0   0x40
#define PIT_COMMAND    0x43
#define PIT_CH0_LOHI_RATE 0x34   /* channel 0, low then high byte, mode 2 */

bool arch_timer_start(uint32_t hz)
{
    /* The 16-bit divisor bounds the rate: about 19 Hz to 596 kHz. */
    if (hz == 0 || hz > PIT_INPUT_HZ / 2)
        return false;
    uint32_t divisor = (PIT_INPUT_HZ + hz / 2) / hz;
    if (divisor > 0xffff)
        return false;
    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
    outb(PIT_CHANNEL0, divisor & 0xff);
    outb(PIT_CHANNEL0, divisor >> 8);
    pic_unmask(PIC_IRQ_PIT);
    return true;
}
