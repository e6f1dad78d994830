/*
 * mkimage helpers: arena, growable arrays, byte buffers, file reading.
 * The arena hands out zeroed, max-aligned blocks from chunks of at least
 * 64 KiB; a block larger than that gets a chunk of its own.
 */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct arena_chunk {
    arena_chunk_t *next;
    size_t used, cap;
    max_align_t data[];
};

#define CHUNK_MIN (64u * 1024u)

static void host_oom(void)
{
    fputs("mkimage: out of host memory\n", stderr);
    abort();
}

void *arena_alloc(arena_t *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    arena_chunk_t *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
        c = malloc(sizeof *c + cap);
        if (!c)
            host_oom();
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_strdup(arena_t *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

/* GCC 12 with UBSan invents a NULL-format path here and warns; the
 * format is always a caller's literal (checked by the format attribute). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
char *arena_printf(arena_t *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *d = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(d, small, (size_t)n + 1);
        return d;
    }
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void arena_release(arena_t *a)
{
    arena_chunk_t *c = a->head;
    while (c) {
        arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *vec_grow(arena_t *a, void *old, size_t n, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = arena_alloc(a, ncap * elem);
    if (n)
        memcpy(p, old, n * elem);
    *cap = ncap;
    return p;
}

void buf_init(buf_t *b, arena_t *a)
{
    *b = (buf_t){ .arena = a };
}

static void buf_reserve(buf_t *b, size_t extra)
{
    if (b->cap - b->len > extra)
        return;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap - b->len <= extra)
        ncap *= 2;
    uint8_t *d = arena_alloc(b->arena, ncap);
    if (b->len)
        memcpy(d, b->data, b->len);
    b->data = d;
    b->cap = ncap;
}

void buf_put(buf_t *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void buf_zero(buf_t *b, size_t n)
{
    buf_reserve(b, n);
    memset(b->data + b->len, 0, n);
    b->len += n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_put_le16(buf_t *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    buf_put(b, x, 2);
}

void buf_put_le32(buf_t *b, uint32_t v)
{
    buf_put_le16(b, (uint16_t)v);
    buf_put_le16(b, (uint16_t)(v >> 16));
}

void buf_put_le64(buf_t *b, uint64_t v)
{
    buf_put_le32(b, (uint32_t)v);
    buf_put_le32(b, (uint32_t)(v >> 32));
}

void buf_align(buf_t *b, size_t align)
{
    size_t pad = (align - (b->len & (align - 1))) & (align - 1);
    buf_zero(b, pad);
}

const char *buf_cstr(buf_t *b)
{
    buf_reserve(b, 1);
    b->data[b->len] = 0;
    return (const char *)b->data;
}

read_status_t file_read(arena_t *a, const char *path, size_t limit,
                        char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return READ_MISSING;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return READ_FAILED;
    }
    if ((uint64_t)st.st_size > limit) {
        fclose(f);
        return READ_TOO_BIG;
    }
    size_t size = (size_t)st.st_size;
    char *d = arena_alloc(a, size + 1);
    size_t got = size ? fread(d, 1, size, f) : 0;
    int bad = ferror(f) || got != size;
    fclose(f);
    if (bad)
        return READ_FAILED;
    d[size] = 0;
    *data = d;
    *len = size;
    return READ_OK;
}

char *path_dir(arena_t *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return arena_strdup(a, ".");
    if (slash == path)
        return arena_strdup(a, "/");
    return arena_strndup(a, path, (size_t)(slash - path));
}

char *path_join(arena_t *a, const char *dir, const char *name)
{
    if (name[0] == '/' || strcmp(dir, ".") == 0)
        return arena_strdup(a, name);
    return arena_printf(a, "%s/%s", dir, name);
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
