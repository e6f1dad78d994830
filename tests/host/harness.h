/*
 * A very small host unit-test harness.
 *
 *   HOST_TEST(suite, name) { ... CHECK(cond); CHECK_EQ(a, b); ... }
 *
 * Each test prints exactly one line, "PASS host/<suite>.<name>" or
 * "FAIL host/<suite>.<name>: <reason>" with the first failed check's
 * file, line and expression. A test binary exits non-zero if any test
 * failed. Tests run in a fixed order (file, then definition order).
 *
 * Run a subset with an argument: ./host-tests cap  or  ./host-tests cap.copy
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct host_test {
    const char *suite, *name;
    void (*fn)(struct host_test *self);
    bool failed;
    char reason[256];
    struct host_test *next;
} host_test_t;

void host_test_register(host_test_t *t);
void host_test_failf(host_test_t *t, const char *file, int line,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define HOST_TEST(suite, name)                                               \
    static void host_test_fn_##suite##_##name(host_test_t *ht_self_);        \
    static host_test_t host_test_##suite##_##name = {                        \
        #suite, #name, host_test_fn_##suite##_##name, false, "", NULL };     \
    __attribute__((constructor)) static void host_test_reg_##suite##_##name(void) \
    { host_test_register(&host_test_##suite##_##name); }                      \
    static void host_test_fn_##suite##_##name(host_test_t *ht_self_)

/* Stop the test at the first failed check. */
#define CHECK(cond)                                                          \
    do { if (!(cond)) {                                                      \
        host_test_failf(ht_self_, __FILE__, __LINE__, "%s", #cond);          \
        return; } } while (0)

#define CHECK_EQ(a, b)                                                       \
    do { long long ht_a_ = (long long)(a), ht_b_ = (long long)(b);           \
        if (ht_a_ != ht_b_) {                                                \
            host_test_failf(ht_self_, __FILE__, __LINE__,                    \
                            "%s == %s (%lld != %lld)", #a, #b, ht_a_, ht_b_); \
            return; } } while (0)

#define CHECK_MSG(cond, ...)                                                 \
    do { if (!(cond)) {                                                      \
        host_test_failf(ht_self_, __FILE__, __LINE__, __VA_ARGS__);          \
        return; } } while (0)
