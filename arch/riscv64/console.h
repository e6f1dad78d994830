/*
 * The kernel console on the 16550 UART, through the shared driver in
 * arch/common/uart16550. Until console_use() the UART is reached at its
 * default physical address, which the boot page table identity-maps;
 * afterwards through the device window.
 *
 * console_puts and console_put_hex are the port's own output, used
 * where kprintf is not the port's to call (early boot, trap reports).
 */
#pragma once

#include <stdint.h>

/*
 * Reach the UART at virtual `base` from now on, with register spacing
 * 1 << shift and input clock `clock_hz` (0: unknown), and program it
 * for 115200 8N1.
 */
void console_use(uint64_t base, uint32_t shift, uint32_t clock_hz);

/* Write a string; '\n' becomes "\r\n". */
void console_puts(const char *s);

/* Write v as 0x and 16 hex digits. */
void console_put_hex(uint64_t v);

/* Write v in decimal. */
void console_put_dec(uint64_t v);
