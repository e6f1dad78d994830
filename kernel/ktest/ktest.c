/*
 * The in-kernel test runner. See ktest.h for the console protocol.
 *
 * State: `current` names the test being run, so the trap and panic hooks
 * can attribute a fault to it. It is written only by ktest_main.
 */
#include "ktest.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "kprintf.h"
#include "lib/kstring.h"

typedef struct {
    const char *suite, *name;
    ktest_fn_t fn;
    bool own_boot;
    fault_kind_t expect1, expect2;
} ktest_t;

#define KTEST(s, n) const char *ktest_##s##_##n(void);
#define KTEST_FAULT(s, n, k1, k2) const char *ktest_##s##_##n(void);
#include "tests.def"
#undef KTEST
#undef KTEST_FAULT

static const ktest_t tests[] = {
#define KTEST(s, n) { #s, #n, ktest_##s##_##n, false, FAULT_NONE, FAULT_NONE },
#define KTEST_FAULT(s, n, k1, k2) \
    { #s, #n, ktest_##s##_##n, true, FAULT_##k1, FAULT_##k2 },
#include "tests.def"
#undef KTEST
#undef KTEST_FAULT
};

#define NTESTS (sizeof tests / sizeof tests[0])

static const ktest_t *current;
static char reason[160];

const char *ktest_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return reason;
}

static bool str_eq(const char *a, const char *b, size_t n)
{
    return strncmp(a, b, n) == 0;
}

#define str_len strlen

/* Extract the value of ktest= from the command line into sel. */
static void find_selector(const char *cmdline, char *sel, size_t size)
{
    const char *p = cmdline;
    sel[0] = '\0';
    while (*p) {
        while (*p == ' ') p++;
        if (str_eq(p, "ktest=", 6)) {
            p += 6;
            size_t n = 0;
            while (p[n] && p[n] != ' ' && n + 1 < size) { sel[n] = p[n]; n++; }
            sel[n] = '\0';
            return;
        }
        while (*p && *p != ' ') p++;
    }
}

/* Does test t run under selector sel? */
static bool selected(const ktest_t *t, const char *sel)
{
    size_t sl = str_len(t->suite), nl = str_len(t->name), ql = str_len(sel);
    bool exact = ql == sl + 1 + nl && str_eq(sel, t->suite, sl) &&
                 sel[sl] == '.' && str_eq(sel + sl + 1, t->name, nl);
    if (t->own_boot)
        return exact;
    if (ql == 0 || (ql == 3 && str_eq(sel, "all", 3)))
        return true;
    return exact || (ql == sl && str_eq(sel, t->suite, sl));
}

static void report(const ktest_t *t, const char *why)
{
    if (why)
        kprintf("FAIL %s/%s.%s: %s\n", arch_name, t->suite, t->name, why);
    else
        kprintf("PASS %s/%s.%s\n", arch_name, t->suite, t->name);
}

void ktest_main(const char *cmdline)
{
    char sel[64];
    find_selector(cmdline, sel, sizeof sel);

    if (str_len(sel) == 4 && str_eq(sel, "list", 4)) {
        for (size_t i = 0; i < NTESTS; i++)
            if (tests[i].own_boot)
                kprintf("KTEST OWNBOOT %s.%s\n", tests[i].suite, tests[i].name);
        kprintf("KTEST DONE\n");
        arch_poweroff(false);
    }

    unsigned plan = 0;
    for (size_t i = 0; i < NTESTS; i++)
        plan += selected(&tests[i], sel);
    kprintf("KTEST PLAN %u\n", plan);

    bool failed = false;
    for (size_t i = 0; i < NTESTS; i++) {
        if (!selected(&tests[i], sel))
            continue;
        current = &tests[i];
        const char *why = tests[i].fn();
        if (tests[i].own_boot && !why)
            why = "the expected fault was not raised";
        report(&tests[i], why);
        failed |= why != NULL;
    }
    current = NULL;
    kprintf("KTEST DONE\n");
    arch_poweroff(failed);
}

void ktest_on_fault(fault_kind_t kind, uint64_t pc, uint64_t addr)
{
    const ktest_t *t = current;
    (void)pc;
    if (!t)
        return;
    current = NULL;
    if (t->own_boot && (kind == t->expect1 || kind == t->expect2)) {
        report(t, NULL);
        kprintf("KTEST DONE\n");
        arch_poweroff(false);
    }
    report(t, ktest_fail("unexpected kernel fault: %s at addr %p",
                         fault_kind_name(kind), (void *)(uintptr_t)addr));
    kprintf("KTEST DONE\n");
    arch_poweroff(true);
}

void ktest_on_panic(void)
{
    const ktest_t *t = current;
    if (!t)
        return;
    current = NULL;
    report(t, "kernel panic (see above)");
    kprintf("KTEST DONE\n");
}
