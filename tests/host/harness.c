#include "harness.h"

#include <stdarg.h>
#include <string.h>

static host_test_t *head, **tail = &head;

void host_test_register(host_test_t *t)
{
    *tail = t;
    tail = &t->next;
}

void host_test_failf(host_test_t *t, const char *file, int line,
                     const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(t->reason, sizeof t->reason, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vsnprintf(t->reason + n, sizeof t->reason - (size_t)n, fmt, ap);
    va_end(ap);
    t->failed = true;
}

static bool wanted(const host_test_t *t, const char *sel)
{
    if (!sel)
        return true;
    size_t sl = strlen(t->suite);
    if (strcmp(sel, t->suite) == 0)
        return true;
    return strncmp(sel, t->suite, sl) == 0 && sel[sl] == '.' &&
           strcmp(sel + sl + 1, t->name) == 0;
}

int main(int argc, char **argv)
{
    const char *sel = argc > 1 ? argv[1] : NULL;
    int failed = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (host_test_t *t = head; t; t = t->next) {
        if (!wanted(t, sel))
            continue;
        t->fn(t);
        if (t->failed) {
            printf("FAIL host/%s.%s: %s\n", t->suite, t->name, t->reason);
            failed++;
        } else {
            printf("PASS host/%s.%s\n", t->suite, t->name);
        }
    }
    return failed ? 1 : 0;
}
