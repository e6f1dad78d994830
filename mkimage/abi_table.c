/*
 * Reader for the kernel's ABI table. Unknown keys are ignored (the table
 * serves libsys too); a malformed line or a key given twice is an error,
 * because a silently misread size would build a wrong image.
 */
#include "abi_table.h"

#include <string.h>

static const char *const obj_upper[OBJ_TYPE_COUNT] = {
#define OBJTYPE(name, code, text) [code] = #name,
#include "abi/objtypes.def"
#undef OBJTYPE
};

/* Lower-case, with '.' and '-' turned into '_'. */
static void normalize(char *dst, size_t cap, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++) {
        char c = src[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c == '.' || c == '-')
            c = '_';
        dst[i] = c;
    }
    dst[i] = 0;
}

/* Which object type's size does `key` name? -1 if none. */
static int obj_size_key(const char *key)
{
    static const char *const forms[] = {
        "obj_size_%s", "object_size_%s",
    };
    for (int t = 0; t < OBJ_TYPE_COUNT; t++) {
        char low[32], want[64];
        normalize(low, sizeof low, obj_upper[t], strlen(obj_upper[t]));
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            snprintf(want, sizeof want, forms[f], low);
            if (strcmp(key, want) == 0)
                return t;
        }
    }
    return -1;
}

/* Constants mkimage also has from kernel/abi/abi.h: the table must agree. */
static const struct { const char *key; uint64_t value; } shared_consts[] = {
    { "cap_regs", CAIRN_CAP_REGS }, { "cappage_slots", CAIRN_CAPPAGE_SLOTS },
    { "cap_size", CAIRN_CAP_SIZE }, { "prio_max", CAIRN_PRIO_MAX },
    { "page_size", CAIRN_PAGE_SIZE }, { "page_bits", CAIRN_PAGE_BITS },
    { "gpt_slots", CAIRN_GPT_SLOTS }, { "l2v_min", CAIRN_L2V_MIN },
    { "l2v_max", CAIRN_L2V_MAX },
};

static void abi_set(mki_t *m, loc_t loc, abi_table_t *t, const char *key,
                    uint64_t v)
{
    int type = obj_size_key(key);
    if (type >= 0) {
        if (t->has_obj_size[type])
            mki_fail(m, loc, "ABI key '%s' given twice\nthe kernel build "
                     "writes each key once; regenerate the table", key);
        t->has_obj_size[type] = true;
        t->obj_size[type] = v;
        return;
    }
    for (size_t i = 0; i < sizeof shared_consts / sizeof shared_consts[0]; i++)
        if (strcmp(key, shared_consts[i].key) == 0 && v != shared_consts[i].value)
            mki_fail(m, loc, "the ABI table says %s is %llu, but "
                     "kernel/abi/abi.h, which mkimage was built with, says "
                     "%llu\nthe table is stale or from another tree: rebuild "
                     "the kernel and mkimage together", key,
                     (unsigned long long)v,
                     (unsigned long long)shared_consts[i].value);
}

static bool parse_number(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == n)
        return false;
    for (; i < n; i++) {
        int c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

static size_t span(const char *p, const char *end, bool word)
{
    size_t n = 0;
    while (p + n < end && p[n] != '\n' &&
           ((p[n] == ' ' || p[n] == '\t' || p[n] == '\r') != word))
        n++;
    return n;
}

static void abi_line(mki_t *m, const char *name, uint32_t line,
                     const char *p, const char *end, abi_table_t *t)
{
    const char *start = p;
    p += span(p, end, false);
    if (p == end || *p == '\n' || *p == '#')
        return;
    loc_t loc = { name, line, (uint32_t)(p - start) + 1 };
    size_t klen = span(p, end, true);
    const char *key = p;
    p += klen;
    p += span(p, end, false);
    size_t vlen = span(p, end, true);
    uint64_t v;
    if (vlen == 0 || !parse_number(p, vlen, &v))
        mki_fail(m, loc, "ABI table line is not 'key number'\n"
                 "the kernel build writes lines like 'obj_size_endpoint "
                 "64'; regenerate %s", name);
    char norm[64];
    normalize(norm, sizeof norm, key, klen);
    abi_set(m, loc, t, norm, v);
}

void abi_parse(mki_t *m, const char *name, const char *text, size_t len,
               abi_table_t *out)
{
    memset(out, 0, sizeof *out);
    out->path = name;
    const char *p = text, *end = text + len;
    uint32_t line = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        abi_line(m, name, line++, p, e, out);
        p = nl ? nl + 1 : end;
    }
    out->loaded = true;
}

void abi_load(mki_t *m, const char *path, abi_table_t *out)
{
    char *text;
    size_t len;
    read_status_t st = file_read(&m->arena, path, 1u << 20, &text, &len);
    if (st != READ_OK)
        mki_fail(m, (loc_t){ 0 }, "cannot read the ABI table '%s'%s\n"
                 "build the kernel first (make kernel ARCH=...), which writes "
                 "build/<arch>/abi/abi.txt, and pass that file to --abi", path,
                 st == READ_TOO_BIG ? " (larger than 1 MiB)" : "");
    mki_add_source(m, path, text, len);
    abi_parse(m, path, text, len, out);
}

uint64_t abi_obj_size(mki_t *m, const abi_table_t *t, obj_type_t type,
                      const char *why)
{
    if (!t || !t->loaded)
        mki_fail(m, (loc_t){ 0 }, "%s needs the kernel's object sizes, and "
                 "no ABI table was given\npass --abi build/<arch>/abi/abi.txt "
                 "(the kernel build writes it); mkimage never guesses sizes",
                 why);
    if (!t->has_obj_size[type])
        mki_fail(m, (loc_t){ 0 }, "the ABI table %s has no size for %s "
                 "objects\n%s needs it; the table should have a line "
                 "'obj_size_%s BYTES' (regenerate it with the kernel "
                 "build)", t->path, obj_upper[type], why, obj_upper[type]);
    return t->obj_size[type];
}
