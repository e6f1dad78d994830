/*
 * The printf engine shared by the kernel's kprintf and libsys's
 * cairn_printf. Pure and freestanding: it writes through a callback and
 * touches nothing else, so both can compile this one file.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    format_put_t put;
    void *ctx;
    int count;
} sink_t;

static void sink_put(sink_t *s, char c)
{
    s->put(s->ctx, c);
    s->count++;
}

static void sink_pad(sink_t *s, char c, int n)
{
    while (n-- > 0)
        sink_put(s, c);
}

typedef struct {
    bool zero, left;
    int width;
} spec_t;

static void emit_str(sink_t *s, const char *str, spec_t sp)
{
    int len = 0;
    while (str[len])
        len++;
    if (!sp.left)
        sink_pad(s, ' ', sp.width - len);
    for (int i = 0; i < len; i++)
        sink_put(s, str[i]);
    if (sp.left)
        sink_pad(s, ' ', sp.width - len);
}

static void emit_num(sink_t *s, uint64_t v, bool neg, unsigned base,
                     bool upper, spec_t sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (!sp.left && !sp.zero)
        sink_pad(s, ' ', sp.width - len);
    if (neg)
        sink_put(s, '-');
    if (!sp.left && sp.zero)
        sink_pad(s, '0', sp.width - len);
    while (n)
        sink_put(s, buf[--n]);
    if (sp.left)
        sink_pad(s, ' ', sp.width - len);
}

/* Fetch an integer argument of the given length class (0 int, 1 long, 2 ll). */
static uint64_t arg_unsigned(va_list *ap, int lng)
{
    if (lng == 2) return va_arg(*ap, unsigned long long);
    if (lng == 1) return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
    if (lng == 2) return va_arg(*ap, long long);
    if (lng == 1) return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static void format(sink_t *s, const char *fmt, va_list ap_in)
{
    va_list ap;
    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink_put(s, *fmt);
            continue;
        }
        spec_t sp = { 0 };
        fmt++;
        for (;; fmt++) {
            if (*fmt == '0') sp.zero = true;
            else if (*fmt == '-') sp.left = true;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (*fmt++ - '0');
        int lng = 0;
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }
        if (lng > 2)
            lng = 2;
        switch (*fmt) {
        case 'c': sink_put(s, (char)va_arg(ap, int)); break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            emit_str(s, str ? str : "(null)", sp);
            break;
        }
        case 'd': case 'i': {
            int64_t v = arg_signed(&ap, lng);
            emit_num(s, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, sp);
            break;
        }
        case 'u': emit_num(s, arg_unsigned(&ap, lng), false, 10, false, sp); break;
        case 'x': emit_num(s, arg_unsigned(&ap, lng), false, 16, false, sp); break;
        case 'X': emit_num(s, arg_unsigned(&ap, lng), false, 16, true, sp); break;
        case 'p': {
            sink_put(s, '0');
            sink_put(s, 'x');
            spec_t p = { .zero = true, .width = 16 };
            emit_num(s, (uintptr_t)va_arg(ap, void *), false, 16, false, p);
            break;
        }
        case '%': sink_put(s, '%'); break;
        case '\0': fmt--; break;
        default: sink_put(s, '%'); sink_put(s, *fmt); break;
        }
    }
    va_end(ap);
}

int format_v(format_put_t put, void *ctx, const char *fmt, va_list ap)
{
    sink_t s = { put, ctx, 0 };
    format(&s, fmt, ap);
    return s.count;
}

typedef struct {
    char *buf;
    size_t size, used;
} buf_ctx_t;

static void buf_put(void *ctx, char c)
{
    buf_ctx_t *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used++] = c;
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    buf_ctx_t b = { buf, size, 0 };
    int n = format_v(buf_put, &b, fmt, ap);
    if (size)
        buf[b.used] = '\0';
    return n;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
