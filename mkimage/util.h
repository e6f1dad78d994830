/*
 * Small helpers for mkimage: an arena allocator, growable arrays, a byte
 * buffer and a bounded file reader.
 *
 * Every allocation of one mkimage run comes from one arena and is freed
 * at once when the run ends. That keeps the error path trivial: the first
 * error unwinds (see diag.h) and nothing needs freeing on the way out.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct arena_chunk arena_chunk_t;

typedef struct {
    arena_chunk_t *head;   /* newest chunk first */
    size_t total;          /* bytes handed out, for statistics */
} arena_t;

/* Zeroed memory from the arena; never NULL (aborts on host OOM). */
void *arena_alloc(arena_t *a, size_t size);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_printf(arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arena_release(arena_t *a);

/*
 * A growable array in the arena: VEC(int) v = {0}; VEC_PUSH(a, &v, 3);
 * Growth doubles and abandons the old buffer to the arena.
 */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(arena, vec, x)                                              \
    do {                                                                     \
        if ((vec)->n == (vec)->cap)                                          \
            (vec)->v = vec_grow((arena), (vec)->v, (vec)->n, &(vec)->cap,    \
                                sizeof *(vec)->v);                           \
        (vec)->v[(vec)->n++] = (x);                                          \
    } while (0)

void *vec_grow(arena_t *a, void *old, size_t n, size_t *cap, size_t elem);

/* A growable byte buffer in the arena. */
typedef struct {
    arena_t *arena;
    uint8_t *data;
    size_t len, cap;
} buf_t;

void buf_init(buf_t *b, arena_t *a);
void buf_put(buf_t *b, const void *p, size_t n);
void buf_zero(buf_t *b, size_t n);
void buf_printf(buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_put_le16(buf_t *b, uint16_t v);
void buf_put_le32(buf_t *b, uint32_t v);
void buf_put_le64(buf_t *b, uint64_t v);
/* Pad with zero bytes to a multiple of `align` (a power of two). */
void buf_align(buf_t *b, size_t align);
/* NUL-terminate (not counted in len) and return the text. */
const char *buf_cstr(buf_t *b);

typedef enum {
    READ_OK,
    READ_MISSING,      /* cannot open */
    READ_TOO_BIG,      /* larger than the limit */
    READ_FAILED,       /* I/O error, or not a regular file */
} read_status_t;

/*
 * Read a whole regular file of at most `limit` bytes into the arena. The
 * result is NUL-terminated (the NUL is not counted in *len).
 */
read_status_t file_read(arena_t *a, const char *path, size_t limit,
                        char **data, size_t *len);

/* Directory part of `path` ("." if none), in the arena. */
char *path_dir(arena_t *a, const char *path);
/* dir/name, or name itself if it is absolute or dir is ".". */
char *path_join(arena_t *a, const char *dir, const char *name);
bool file_exists(const char *path);
