/*
 * In-kernel system tests (built only into kernel-test.elf).
 *
 * The protocol on the console, read by tests/run-qemu.sh:
 *
 *   KTEST PLAN <n>                     how many results this boot will print
 *   PASS <arch>/<suite>.<name>
 *   FAIL <arch>/<suite>.<name>: <reason>
 *   KTEST DONE                         every planned test has reported
 *   KTEST OWNBOOT <suite>.<name>       (only for ktest=list) a test that
 *                                      needs a boot of its own
 *
 * The command line selects what runs: ktest=all (every test that shares a
 * boot), ktest=<suite>, ktest=<suite>.<name>, or ktest=list. A test that
 * provokes a fatal kernel exception is marked with the fault it expects
 * and runs alone; the trap path reports its result (ktest_on_fault).
 *
 * Tests are listed once, in tests.def.
 */
#pragma once

#include <stdint.h>

#include "abi/faults.h"

/* A test returns NULL on success, or a reason for failing. */
typedef const char *(*ktest_fn_t)(void);

/*
 * Format a failure reason into a static buffer and return it. Use as
 * `return ktest_fail("ticks %u", n);`.
 */
__attribute__((format(printf, 1, 2))) const char *ktest_fail(const char *fmt, ...);

#define KTEST_CHECK(cond, ...) \
    do { if (!(cond)) return ktest_fail(__VA_ARGS__); } while (0)

#ifdef CAIRN_KTEST
/* Run the tests the command line selects, then power off. */
__attribute__((noreturn)) void ktest_main(const char *cmdline);
/* Trap path hook: reports and powers off if the running test expected a fault. */
void ktest_on_fault(fault_kind_t kind, uint64_t pc, uint64_t addr);
/* Panic hook: a panic during a test is that test's failure. */
void ktest_on_panic(void);
#else
static inline void ktest_on_fault(fault_kind_t k, uint64_t pc, uint64_t a)
{
    (void)k; (void)pc; (void)a;
}
static inline void ktest_on_panic(void) {}
#endif
