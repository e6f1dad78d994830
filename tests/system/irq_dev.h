/*
 * The device the `irq` suite drives from user level, one per port, both
 * memory-mapped (the .mki maps its registers at DEV_VA) and both able to
 * raise their interrupt at a moment the test chooses:
 *
 *   x86_64   the HPET's timer 2 (registers at 0xfed00000), level-
 *            triggered, routed to 8259 line 8 (QEMU's q35 lets a timer
 *            route to 2, 8 and 16-23); legacy replacement stays off, so
 *            the PIT keeps the kernel's tick. The timer runs in 32-bit
 *            mode so that one register write arms it.
 *   riscv64  QEMU virt's goldfish RTC (0x101000, PLIC source 11): its
 *            alarm raises a level interrupt until CLEAR_INTERRUPT.
 *
 * dev_init(line) checks the device is there and can use `line`;
 * dev_fire_in(us) makes it raise its interrupt `us` microseconds from now
 * (0: at once); dev_raised() says whether it has; dev_service() lowers
 * the interrupt as a driver does; dev_stop() quiets it for good.
 * The HPET and the goldfish RTC take 32-bit accesses only.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DEV_VA 0x60000000ull

static inline uint32_t dev_rd(unsigned off)
{
    return *(volatile uint32_t *)(uintptr_t)(DEV_VA + off);
}

static inline void dev_wr(unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(DEV_VA + off) = v;
}

#if defined(__x86_64__)

#define HPET_CAP_LO      0x000   /* bits 12:8 the last timer's index */
#define HPET_CAP_HI      0x004   /* the counter's period in femtoseconds */
#define HPET_CONF        0x010   /* bit 0 enable, bit 1 legacy replacement */
#define HPET_STATUS      0x020   /* level interrupts pending, 1 a timer; write 1 to clear */
#define HPET_COUNTER     0x0f0
#define HPET_TIMER       2u
#define HPET_TN_CONF     (0x100 + 0x20 * HPET_TIMER)
#define HPET_TN_ROUTES   (HPET_TN_CONF + 4)   /* lines it may route to */
#define HPET_TN_CMP      (0x108 + 0x20 * HPET_TIMER)
#define HPET_TN_LEVEL    (1u << 1)
#define HPET_TN_ENABLE   (1u << 2)
#define HPET_TN_32BIT    (1u << 8)
#define HPET_TN_ROUTE(l) ((uint32_t)(l) << 9)

static uint32_t dev_ticks_per_us;

static inline const char *dev_init(unsigned line)
{
    uint32_t period_fs = dev_rd(HPET_CAP_HI);
    if (period_fs == 0 || period_fs > 100000000u)
        return "no HPET at 0xfed00000";
    if (((dev_rd(HPET_CAP_LO) >> 8) & 0x1f) < HPET_TIMER)
        return "the HPET has no timer 2";
    if (line >= 32 || !(dev_rd(HPET_TN_ROUTES) & (1u << line)))
        return "HPET timer 2 cannot route to the suite's line";
    dev_ticks_per_us = 1000000000u / period_fs;
    uint32_t conf = HPET_TN_LEVEL | HPET_TN_32BIT | HPET_TN_ROUTE(line);
    dev_wr(HPET_CONF, 0);
    dev_wr(HPET_TN_CONF, conf);
    /* Half the 32-bit range ahead (about 21 s), until dev_fire_in: QEMU
     * takes a comparator more than that ahead as already passed. */
    dev_wr(HPET_TN_CMP, dev_rd(HPET_COUNTER) + 0x7fffffffu);
    dev_wr(HPET_CONF, 1);
    dev_wr(HPET_TN_CONF, conf | HPET_TN_ENABLE);
    dev_wr(HPET_STATUS, 1u << HPET_TIMER);
    return 0;
}

static inline void dev_fire_in(uint32_t us)
{
    dev_wr(HPET_TN_CMP, dev_rd(HPET_COUNTER) + us * dev_ticks_per_us);
}

static inline bool dev_raised(void)
{
    return dev_rd(HPET_STATUS) & (1u << HPET_TIMER);
}

static inline void dev_service(void)
{
    dev_wr(HPET_STATUS, 1u << HPET_TIMER);
}

static inline void dev_stop(void)
{
    dev_wr(HPET_TN_CONF, 0);
    dev_wr(HPET_STATUS, 1u << HPET_TIMER);
    dev_wr(HPET_CONF, 0);
}

#elif defined(__riscv)

#define RTC_TIME_LOW        0x00   /* ns; reading it latches TIME_HIGH */
#define RTC_TIME_HIGH       0x04
#define RTC_ALARM_LOW       0x08   /* writing it sets the alarm */
#define RTC_ALARM_HIGH      0x0c
#define RTC_IRQ_ENABLED     0x10
#define RTC_CLEAR_ALARM     0x14
#define RTC_ALARM_STATUS    0x18   /* 1 while an alarm is pending */
#define RTC_CLEAR_INTERRUPT 0x1c

static inline const char *dev_init(unsigned line)
{
    (void)line;
    if (dev_rd(RTC_TIME_LOW) == 0 && dev_rd(RTC_TIME_HIGH) == 0)
        return "no goldfish RTC at 0x101000";
    dev_wr(RTC_CLEAR_ALARM, 1);
    dev_wr(RTC_CLEAR_INTERRUPT, 1);
    dev_wr(RTC_IRQ_ENABLED, 1);
    return 0;
}

static inline void dev_fire_in(uint32_t us)
{
    uint64_t now = dev_rd(RTC_TIME_LOW);
    now |= (uint64_t)dev_rd(RTC_TIME_HIGH) << 32;
    uint64_t at = now + (uint64_t)us * 1000u;
    dev_wr(RTC_ALARM_HIGH, (uint32_t)(at >> 32));
    dev_wr(RTC_ALARM_LOW, (uint32_t)at);
}

static inline bool dev_raised(void)
{
    return dev_rd(RTC_ALARM_STATUS) == 0;
}

static inline void dev_service(void)
{
    dev_wr(RTC_CLEAR_INTERRUPT, 1);
}

static inline void dev_stop(void)
{
    dev_wr(RTC_IRQ_ENABLED, 0);
    dev_wr(RTC_CLEAR_ALARM, 1);
    dev_wr(RTC_CLEAR_INTERRUPT, 1);
}

#else
#error "the irq suite has no device for this architecture"
#endif
