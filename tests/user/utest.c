/* The user-level test runner (see utest.h). */
#include "utest.h"

extern utest_t *__start_utests[], *__stop_utests[];

#if defined(__x86_64__)
#define ARCH_NAME "x86_64"
#elif defined(__riscv)
#define ARCH_NAME "riscv64"
#else
#error "unknown architecture"
#endif

void utest_fail(utest_t *t, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int n = cairn_snprintf(t->reason, sizeof t->reason, "%s:%d: ", file, line);
    va_start(ap, fmt);
    cairn_vsnprintf(t->reason + n, sizeof t->reason - (size_t)n, fmt, ap);
    va_end(ap);
    t->failed = true;
}

/* The section holds the tests in whatever order the compiler emitted them. */
static void sort_by_line(utest_t **first, utest_t **last)
{
    for (utest_t **i = first + 1; i < last; i++)
        for (utest_t **j = i; j > first && (*j)->line < (*(j - 1))->line; j--) {
            utest_t *t = *j;
            *j = *(j - 1);
            *(j - 1) = t;
        }
}

int utest_run(const char *suite)
{
    int failed = 0;
    sort_by_line(__start_utests, __stop_utests);
    cairn_printf("KTEST PLAN %u\n", (unsigned)(__stop_utests - __start_utests));
    for (utest_t **p = __start_utests; p < __stop_utests; p++) {
        utest_t *t = *p;
        t->fn(t);
        if (t->failed) {
            cairn_printf("FAIL %s/%s.%s: %s\n", ARCH_NAME, suite, t->name,
                         t->reason);
            failed++;
        } else {
            cairn_printf("PASS %s/%s.%s\n", ARCH_NAME, suite, t->name);
        }
    }
    cairn_printf("KTEST DONE\n");
    return failed;
}
