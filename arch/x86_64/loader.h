/*
 * Reading what the boot loader handed over (PVH start info or multiboot2
 * information) into the portable boot_info_t.
 *
 * Nothing the loader gives is trusted. Every structure is reached through
 * loader_map, which refuses a null, wrapping or out-of-window range; every
 * count is capped at the BOOT_MAX_* limits (with a console note); every
 * string is copied bounded and always NUL-terminated. A loader that breaks
 * the protocol outright (wrong magic, no memory map) stops the boot with
 * a clear reason.
 *
 * The loader's data is read through the boot tables' identity map of the
 * first 4 GiB; once vm_init has removed that, loader_use_physmap moves the
 * window to the physical map (which the tests use to feed the readers
 * made-up structures).
 */
#pragma once

#include <stdint.h>

#include "arch.h"

/* The loader's data must lie below this: what boot.S identity-maps. */
#define LOADER_WINDOW_END (4ull << 30)

/* Read the window through the physical map from now on. After vm_init. */
void loader_use_physmap(void);

/* Print "Cairn x86_64 boot: <reason>" and power off as failed. */
__attribute__((noreturn, format(printf, 1, 2)))
void boot_fail(const char *fmt, ...);

/* A pointer to [pa, pa + len) of loader memory, or NULL if out of reach. */
const void *loader_map(uint64_t pa, uint64_t len);

/* Record one memory-map entry of e820 type `type` (1 = RAM). */
void loader_add_region(boot_info_t *bi, uint64_t base, uint64_t len,
                       uint32_t type);

/* Record one module, if it does not wrap and there is room. */
void loader_add_module(boot_info_t *bi, uint64_t base, uint64_t size);

/*
 * Copy a command line of which at most `avail` bytes are readable at
 * `src`. Stops at NUL, at `avail`, or when bi->cmdline is full.
 */
void loader_copy_cmdline(boot_info_t *bi, const char *src, uint64_t avail);

/* Bytes readable from pa to the end of the loader window (0 if outside). */
uint64_t loader_window_left(uint64_t pa);

/*
 * Fill `bi` from the loader's information. Each checks its protocol's
 * magic first and stops the boot with the reason if it is wrong.
 */
void loader_read_pvh(uint32_t start_info_pa, boot_info_t *bi);
void loader_read_mb2(uint32_t magic, uint32_t info_pa, boot_info_t *bi);
