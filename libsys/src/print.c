/*
 * Formatted output to the kernel log capability, through the printf
 * engine the kernel uses too (kernel/lib/format.c). Output is buffered
 * per line so each Log.write carries a whole line where it fits.
 */
#include "cairn/cairn.h"
#include "lib/format.h"

#define LOG_CHUNK 400u     /* bytes per Log.write: 50 words plus the count */

cairn_error_t cairn_log_bytes(caploc_t log, const char *s, size_t n)
{
    while (n > 0) {
        size_t take = n < LOG_CHUNK ? n : LOG_CHUNK;
        cairn_msg_t m = { .opcode = OP_LOG_write };
        m.words[0] = take;
        memcpy(&m.words[1], s, take);
        m.nwords = 1 + (unsigned)((take + 7) / 8);
        cairn_error_t err = cairn_call(log, &m);
        if (err != ERR_OK)
            return err;
        s += take;
        n -= take;
    }
    return ERR_OK;
}

typedef struct {
    char buf[LOG_CHUNK];
    size_t used;
} line_t;

static void line_flush(line_t *l)
{
    cairn_log_bytes(CAPLOC_REG(CAIRN_CR_LOG), l->buf, l->used);
    l->used = 0;
}

static void line_put(void *ctx, char c)
{
    line_t *l = ctx;
    l->buf[l->used++] = c;
    if (c == '\n' || l->used == sizeof l->buf)
        line_flush(l);
}

int cairn_printf(const char *fmt, ...)
{
    line_t line = { .used = 0 };
    va_list ap;
    va_start(ap, fmt);
    int n = format_v(line_put, &line, fmt, ap);
    va_end(ap);
    if (line.used)
        line_flush(&line);
    return n;
}
