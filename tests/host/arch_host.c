/*
 * The arch seam on the host: simulated physical memory over aligned host
 * buffers, the console into a buffer (echoed to stdout), a small register
 * file for arch_context_*, and panics that abort. Only the hooks the
 * object model calls are here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "host_env.h"
#include "obj/untyped.h"
#include "panic.h"

static unsigned char *ram, *dev;
static char console[8192];
static size_t console_len;

void *host_ram(void)
{
    if (!ram) {
        ram = aligned_alloc(2u << 20, HOST_RAM_SIZE);
        dev = aligned_alloc(HOST_DEV_SIZE, HOST_DEV_SIZE);
        if (!ram || !dev)
            abort();
    }
    return ram;
}

void *host_dev(void)
{
    host_ram();
    return dev;
}

const char *host_console(void)
{
    console[console_len < sizeof console ? console_len : sizeof console - 1] = 0;
    return console;
}

void host_console_clear(void);
void host_console_clear(void)
{
    console_len = 0;
}

void arch_console_putc(char c)
{
    if (console_len < sizeof console - 1)
        console[console_len++] = c;
    putchar(c);
}

int arch_console_getc(void)
{
    return -1;
}

static const unsigned char *kimg(uint64_t *bytes)
{
    return untyped_roots_storage(bytes);
}

void *arch_phys_to_virt(uint64_t pa)
{
    uint64_t kbytes;
    const unsigned char *k = kimg(&kbytes);
    host_ram();
    if (pa >= HOST_RAM_BASE && pa - HOST_RAM_BASE < HOST_RAM_SIZE)
        return ram + (pa - HOST_RAM_BASE);
    if (pa >= HOST_DEV_BASE && pa - HOST_DEV_BASE < HOST_DEV_SIZE)
        return dev + (pa - HOST_DEV_BASE);
    if (pa >= HOST_KIMG_BASE && pa - HOST_KIMG_BASE < kbytes)
        return (void *)(k + (pa - HOST_KIMG_BASE));
    fprintf(stderr, "arch_phys_to_virt: %#llx is not simulated memory\n",
            (unsigned long long)pa);
    abort();
}

uint64_t arch_virt_to_phys(const void *va)
{
    uint64_t kbytes;
    const unsigned char *p = va, *k = kimg(&kbytes);
    host_ram();
    if (p >= ram && p < ram + HOST_RAM_SIZE)
        return HOST_RAM_BASE + (uint64_t)(p - ram);
    if (p >= dev && p < dev + HOST_DEV_SIZE)
        return HOST_DEV_BASE + (uint64_t)(p - dev);
    if (p >= k && p < k + kbytes)
        return HOST_KIMG_BASE + (uint64_t)(p - k);
    fprintf(stderr, "arch_virt_to_phys: %p is not simulated memory\n", va);
    abort();
}

/* ---- Register contexts ------------------------------------------------------- */

uint64_t host_context_get(const uint64_t *ctx, unsigned i)
{
    if (i >= HOST_CONTEXT_REGS)
        abort();
    return ctx[i];
}

bool host_context_set(uint64_t *ctx, unsigned i, uint64_t value)
{
    if (i >= HOST_CONTEXT_REGS)
        abort();
    if (i == HOST_REG_FLAGS && (value & HOST_FLAG_PRIVILEGED))
        return false;
    ctx[i] = value;
    return true;
}

/* ---- Panics --------------------------------------------------------------------- */

void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "KERNEL PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
