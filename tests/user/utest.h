/*
 * A test harness for user-level system tests. A test program is one
 * suite: it lists its tests with UTEST(name) and calls utest_run(suite),
 * which prints, through the log capability, the protocol the runner reads
 * (kernel/ktest/ktest.h):
 *
 *   KTEST PLAN <n>
 *   PASS <arch>/<suite>.<name>
 *   FAIL <arch>/<suite>.<name>: <file>:<line>: <what>
 *   KTEST DONE
 *
 * A test stops at its first failed check. A test that faults stops the
 * whole program; the runner then sees fewer results than planned.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cairn/cairn.h"

typedef struct utest {
    const char *name;
    unsigned line;            /* tests run in source order */
    void (*fn)(struct utest *self);
    bool failed;
    char reason[200];
} utest_t;

/* Tests are collected in a section so each file can define its own. */
#define UTEST(name)                                                          \
    static void utest_fn_##name(utest_t *ut_self_);                          \
    static utest_t utest_##name = { #name, __LINE__, utest_fn_##name,        \
                                    false, "" };                             \
    __attribute__((used, section("utests"))) static utest_t *utest_ptr_##name \
        = &utest_##name;                                                     \
    static void utest_fn_##name(utest_t *ut_self_)

void utest_fail(utest_t *t, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define UCHECK(cond)                                                         \
    do { if (!(cond)) { utest_fail(ut_self_, __FILE__, __LINE__, "%s", #cond); \
         return; } } while (0)

#define UCHECK_EQ(a, b)                                                      \
    do { uint64_t ua_ = (uint64_t)(a), ub_ = (uint64_t)(b);                  \
         if (ua_ != ub_) { utest_fail(ut_self_, __FILE__, __LINE__,          \
             "%s == %s (%llu != %llu)", #a, #b, (unsigned long long)ua_,     \
             (unsigned long long)ub_); return; } } while (0)

/* Expect a call to fail with `err` (a cairn_error_t); names both on failure. */
#define UCHECK_ERR(call, err)                                                \
    do { cairn_error_t ue_ = (call);                                          \
         if (ue_ != (err)) { utest_fail(ut_self_, __FILE__, __LINE__,        \
             "%s gave %s, expected %s", #call, cairn_error_name(ue_),        \
             cairn_error_name(err)); return; } } while (0)

#define UCHECK_OK(call) UCHECK_ERR(call, ERR_OK)

/* Run every test in the program, print the protocol, return failures. */
int utest_run(const char *suite);
