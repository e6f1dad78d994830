/*
 * make bench: the IPC figures (docs/bench.md).
 *
 * One program plays every part; its argument says which (ROLE_*) and in
 * which mode QEMU runs it (MODE_*, bits 8 and up), so each line it prints
 * is complete:
 *
 *   bench <name> <unit> min=<n> median=<n> max=<n> iters=<n> mode=<mode>
 *
 * The driver times each iteration with the CPU's counter read in user
 * mode (rdtsc on x86_64, rdinstret/rdtime on riscv64; see bench.h), keeps
 * every sample, and reports min, median and max after subtracting the
 * cost of the reading itself (the `tsc_overhead` line: the smallest
 * difference between two back-to-back reads). Under
 * `-icount shift=0,align=off` the counter advances once per guest
 * instruction, so a figure is an exact instruction count.
 *
 * Parts (tests/bench/bench.mki.in):
 *   driver      measures; priority 10
 *   rt_server   reply-and-receive loop on `rt`, words only; priority 10
 *   cap_server  the same on `rtcap`, naming one receive slot; priority 10
 *   waiter      Notification.wait loop on `wake`, stamping the counter
 *               into a shared page when it runs; priority 20, so a
 *               signal makes it run at once
 * Each server is in its own address space (its own GPT tree, built by
 * mkimage from the same ELF), as is the waiter.
 */
#include "cairn/cairn.h"
#include "bench.h"

enum { ROLE_DRIVER, ROLE_RT_SERVER, ROLE_CAP_SERVER, ROLE_WAITER };
enum { MODE_ICOUNT, MODE_TCG, MODE_TRACE };

/* Capability registers (bench.mki.in). */
#define RT_ENTRY    CAPLOC_REG(8)    /* driver: Entry to rt */
#define CAP_ENTRY   CAPLOC_REG(9)    /* driver: Entry to rtcap */
#define WAKE        CAPLOC_REG(10)   /* driver: signal; waiter: wait */
#define SENT_CAP    CAPLOC_REG(11)   /* driver: what ipc_roundtrip_cap sends */
#define SERVER_EP   CAPLOC_REG(8)    /* servers: their Endpoint */
#define RECV_SLOT   CAPLOC_REG(12)   /* cap_server: where the cap lands */

#define MAILBOX ((volatile uint64_t *)(uintptr_t)0x60000000ull)

#define MAX_ITERS 10000u

static uint64_t samples[MAX_ITERS];
static unsigned mode;
/* Iterations before and while measuring. MODE_TRACE (scripts/bench-profile.sh)
 * runs a handful, for an instruction-by-instruction trace. */
static unsigned warmup = 1000, iters = MAX_ITERS;
static uint64_t overhead;

/*
 * In MODE_TRACE, each iteration starts with a call of this function
 * (outside the timed window), so that scripts/bench-profile.sh can cut
 * the trace into iterations; `figure` says which figure it belongs to.
 */
__attribute__((noinline)) void bench_trace_mark(unsigned figure);
__attribute__((noinline)) void bench_trace_mark(unsigned figure)
{
    __asm__ volatile("" :: "r"(figure) : "memory");
}

static inline void mark(unsigned figure)
{
    if (mode == MODE_TRACE)
        bench_trace_mark(figure);
}

/* ---- Statistics ---------------------------------------------------------------- */

static void sift_down(uint64_t *a, unsigned root, unsigned n)
{
    for (;;) {
        unsigned child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        uint64_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void sort(uint64_t *a, unsigned n)
{
    for (unsigned i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (unsigned end = n; end-- > 1;) {
        uint64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

/* Print one figure from samples[0..n), less `less` each. */
static void report(const char *name, unsigned n, uint64_t less)
{
    for (unsigned i = 0; i < n; i++)
        samples[i] = samples[i] > less ? samples[i] - less : 0;
    sort(samples, n);
    cairn_printf("bench %s %s min=%llu median=%llu max=%llu iters=%u mode=%s\n",
                 name, mode == MODE_TCG ? "ticks" : "instructions",
                 (unsigned long long)samples[0],
                 (unsigned long long)samples[n / 2],
                 (unsigned long long)samples[n - 1], n,
                 mode == MODE_TCG ? "tcg" : mode == MODE_ICOUNT ? "icount" : "trace");
}

static void fail(const char *what, uint64_t info)
{
    cairn_printf("bench: %s failed: %s (result 0x%llx)\n", what,
                 cairn_error_name(cairn_result_error(info)),
                 (unsigned long long)info);
}

/* ---- The figures --------------------------------------------------------------- */

static void bench_overhead(void)
{
    for (unsigned i = 0; i < iters; i++) {
        uint64_t t0 = bench_counter();
        uint64_t t1 = bench_counter();
        samples[i] = t1 - t0;
    }
    uint64_t min = ~0ull;
    for (unsigned i = 0; i < iters; i++)
        if (samples[i] < min)
            min = samples[i];
    overhead = min;
    report("tsc_overhead", iters, 0);
}

/*
 * The cheapest system call: Notification.poll on an empty notification,
 * a kernel method that checks its capability, reads one word and returns.
 */
static void bench_null_syscall(void)
{
    for (unsigned i = 0; i < warmup + iters; i++) {
        uint64_t w0 = 0;
        mark(1);
        uint64_t t0 = bench_counter();
        uint64_t info = bench_invoke(0, WAKE, OP_NOTIFICATION_poll, &w0);
        uint64_t t1 = bench_counter();
        if (cairn_result_error(info) != ERR_OK) {
            fail("null_syscall", info);
            return;
        }
        if (i >= warmup)
            samples[i - warmup] = t1 - t0;
    }
    report("null_syscall", iters, overhead);
}

/* Call the server at `entry` with one word; it answers with the word + 1. */
static void bench_call(const char *name, caploc_t entry, unsigned ncaps)
{
    uint64_t call = CAIRN_IPC_OP_CALL | cairn_info(1, ncaps, 0);
    for (unsigned i = 0; i < warmup + iters; i++) {
        uint64_t w0 = i;
        mark(2 + ncaps);
        uint64_t t0 = bench_counter();
        uint64_t info = bench_invoke(call, entry, 7, &w0);
        uint64_t t1 = bench_counter();
        if (cairn_result_error(info) != ERR_OK || w0 != i + 1u) {
            fail(name, info);
            return;
        }
        if (i >= warmup)
            samples[i - warmup] = t1 - t0;
    }
    report(name, iters, overhead);
}

/* From just before the signal to the moment the waiter runs. */
static void bench_notify_wake(void)
{
    for (unsigned i = 0; i < warmup + iters; i++) {
        uint64_t w0 = 1;
        MAILBOX[0] = 0;
        mark(4);
        uint64_t t0 = bench_counter();
        uint64_t info = bench_invoke(cairn_info(1, 0, 0), WAKE,
                                     OP_NOTIFICATION_signal, &w0);
        uint64_t t1 = MAILBOX[0];
        if (cairn_result_error(info) != ERR_OK || t1 == 0) {
            fail("notify_wake", info);
            return;
        }
        if (i >= warmup)
            samples[i - warmup] = t1 - t0;
    }
    report("notify_wake", iters, overhead);
}

static void driver(void)
{
    cairn_ipc_buffer->send_caps[0] = SENT_CAP;
    bench_overhead();
    bench_null_syscall();
    bench_call("ipc_roundtrip", RT_ENTRY, 0);
    bench_call("ipc_roundtrip_cap", CAP_ENTRY, 1);
    bench_notify_wake();
    cairn_printf("bench: done\n");
}

/* ---- The other parts ----------------------------------------------------------- */

/* Receive, then answer each call with its word + 1 and wait again. */
__attribute__((noreturn)) static void server(unsigned nrecv)
{
    if (nrecv)
        cairn_ipc_buffer->recv_caps[0] = RECV_SLOT;
    uint64_t w0 = 0;
    bench_invoke(CAIRN_IPC_OP_RECEIVE | cairn_info(0, 0, nrecv), SERVER_EP, 0, &w0);
    for (;;) {
        w0++;
        bench_invoke(CAIRN_IPC_OP_REPLY_RECEIVE | cairn_info(1, 0, nrecv),
                     SERVER_EP, 0, &w0);
    }
}

__attribute__((noreturn)) static void waiter(void)
{
    for (;;) {
        uint64_t w0 = 0;
        bench_invoke(0, WAKE, OP_NOTIFICATION_wait, &w0);
        MAILBOX[0] = bench_counter();
    }
}

int main(uint64_t arg)
{
    mode = (unsigned)(arg >> 8);
    if (mode == MODE_TRACE) {
        warmup = 2;
        iters = 4;
    }
    switch (arg & 0xff) {
    case ROLE_DRIVER:     driver(); break;
    case ROLE_RT_SERVER:  server(0);
    case ROLE_CAP_SERVER: server(1);
    case ROLE_WAITER:     waiter();
    }
    return 0;
}
