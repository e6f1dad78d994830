/*
 * The small freestanding C runtime every program links: start-up, string
 * and memory functions, and formatted printing to the kernel log.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"

/* Each program defines main; its return value ends the program. */
int main(uint64_t arg);

/* Stop this process (Process.stop on CAIRN_CR_SELF); never returns. */
__attribute__((noreturn)) void cairn_exit(int status);

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/*
 * printf to the kernel log capability in CAIRN_CR_LOG: %c %s %d %i %u %x
 * %X %p %% with '0'/'-' flags, widths and l/ll/z. Output is sent one line
 * (or 400 bytes) at a time. Returns the number of bytes formatted.
 */
__attribute__((format(printf, 1, 2))) int cairn_printf(const char *fmt, ...);
/* snprintf and vsnprintf: the printf engine libsys shares with the kernel. */
#include "lib/format.h"
#define cairn_snprintf format_snprintf
#define cairn_vsnprintf format_vsnprintf

/* Write n bytes to the log capability at `log`. */
cairn_error_t cairn_log_bytes(caploc_t log, const char *s, size_t n);
