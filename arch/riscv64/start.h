/*
 * The C start of the riscv64 port, entered from entry.S on the boot
 * stack with the boot page table live.
 */
#pragma once

#include <stdint.h>

#include "arch.h"
#include "fdt.h"

/*
 * Check the device tree, fill boot_info_t, build and switch to the
 * kernel page tables, bring up the console and trap handling, then
 * enter kernel_main. A bad device tree ends the boot with a reason.
 */
__attribute__((noreturn)) void riscv_boot_main(uint64_t hart, uint64_t dtb_phys);

/*
 * The device tree the firmware passed, as checked at boot and now read
 * through the physical map; NULL if it is not inside RAM. *phys gets its
 * physical address.
 */
const fdt_t *start_boot_fdt(uint64_t *phys);

/* The boot information handed to kernel_main (raw, before cleaning). */
const boot_info_t *start_boot_info(void);
