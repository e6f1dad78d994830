/*
 * The arch seam on the host: simulated physical memory over aligned host
 * buffers, the console into a buffer (echoed to stdout unless silenced),
 * a small register file for arch_context_* and the invocation registers,
 * a simulated CPU whose return to user mode longjmps back to the test
 * driver, page tables that map nothing (the hardware-map cache's
 * bookkeeping runs for real above them), and panics that abort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "host_env.h"
#include "obj/untyped.h"
#include "panic.h"

_Static_assert(ARCH_SYS_WORD(0) == HOST_REG_SYS, "arch_inline.h follows host_env.h");

static unsigned char *ram, *dev;
static char console[8192];
static size_t console_len;
/* Echo to stdout only when asked (CAIRN_HOST_ECHO=1 or host_console_echo),
 * so that a test run prints nothing but its result lines. */
static int console_echo = -1;

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

void host_console_echo(bool on)
{
    console_echo = on;
}

static bool echoing(void)
{
    if (console_echo < 0) {
        const char *e = getenv("CAIRN_HOST_ECHO");
        console_echo = e && e[0] == '1';
    }
    return console_echo;
}

void arch_console_putc(char c)
{
    if (console_len < sizeof console - 1)
        console[console_len++] = c;
    if (echoing())
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

/* ---- The invocation registers and the program counter ------------------------ */

uint64_t arch_context_pc(const uint64_t *ctx)
{
    return ctx[HOST_REG_PC];
}

void arch_context_set_pc(uint64_t *ctx, uint64_t pc)
{
    ctx[HOST_REG_PC] = pc;
}

void arch_syscall_restart(uint64_t *ctx)
{
    ctx[HOST_REG_PC] -= HOST_SYSCALL_LEN;
}

/* ---- The simulated CPU ----------------------------------------------------------- */

static jmp_buf *cpu_exit;
static uint64_t *cpu_resumed;

host_exit_t host_kernel_enter(void (*entry)(void *), void *arg, uint64_t **resumed)
{
    jmp_buf here;
    jmp_buf *outer = cpu_exit;
    volatile int r;
    cpu_exit = &here;
    cpu_resumed = NULL;
    r = setjmp(here);
    if (r == 0) {
        entry(arg);
        fprintf(stderr, "host_kernel_enter: a kernel entry returned\n");
        abort();
    }
    cpu_exit = outer;
    if (resumed)
        *resumed = cpu_resumed;
    return (host_exit_t)r;
}

static void cpu_leave(host_exit_t how)
{
    if (!cpu_exit) {
        fprintf(stderr, "the kernel left for user mode outside host_kernel_enter\n");
        abort();
    }
    longjmp(*cpu_exit, (int)how);
}

void arch_user_resume(uint64_t *ctx, uint64_t root)
{
    (void)root;
    cpu_resumed = ctx;
    cpu_leave(HOST_EXIT_RESUMED);
    abort();
}

void arch_wait_for_interrupt(void)
{
    cpu_leave(HOST_EXIT_IDLE);
}

void arch_poweroff(bool failed)
{
    (void)failed;
    cpu_leave(HOST_EXIT_POWEROFF);
    abort();
}

void arch_irq_enable(void)
{
}

void arch_irq_disable(void)
{
}

/* ---- Page tables: nothing is mapped; hwmap keeps its records ---------------------- */

const uint64_t arch_user_va_limit = 1ull << 47;

void arch_pt_root_init(uint64_t root)
{
    (void)root;
}

bool arch_pt_map(uint64_t root, uint64_t va, uint64_t pa, unsigned perms,
                 arch_pt_alloc_t alloc, void *cookie)
{
    (void)root, (void)va, (void)pa, (void)perms, (void)alloc, (void)cookie;
    return true;
}

void arch_pt_unmap(uint64_t root, uint64_t va, uint64_t size)
{
    (void)root, (void)va, (void)size;
}

void arch_pt_clear(uint64_t root, arch_pt_release_t release, void *cookie)
{
    (void)root, (void)release, (void)cookie;
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
