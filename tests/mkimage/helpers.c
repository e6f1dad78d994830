/* Helpers for the mkimage host tests (mki_test.h). */
#include "mki_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_common(mki_options_t *o, unsigned flags)
{
    o->want_graph = flags & MT_GRAPH;
    o->want_image = flags & MT_IMAGE;
    o->program_dirs[0] = MKI_TEST_PROGS;
    o->nprogram_dirs = 1;
    o->errout = NULL;
}

int mt_run_bytes(const void *data, size_t len, unsigned flags,
                 mki_result_t *r)
{
    mki_options_t o = { .input = MKI_TEST_DIR "/good/inline.mki",
                        .input_text = data, .input_len = len };
    set_common(&o, flags);
    return mkimage_run(&o, r);
}

int mt_run(const char *text, unsigned flags, mki_result_t *r)
{
    return mt_run_bytes(text, strlen(text), flags, r);
}

int mt_run_file(const char *rel, unsigned flags, mki_result_t *r)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", MKI_TEST_DIR, rel);
    mki_options_t o = { .input = path };
    set_common(&o, flags);
    return mkimage_run(&o, r);
}

const char *mt_error_mismatch(const mki_result_t *r, unsigned line,
                              unsigned col, const char *frags)
{
    static char why[600];
    if (r->status == 0)
        return "no error was reported";
    if (r->diag.loc.line != line || r->diag.loc.col != col) {
        snprintf(why, sizeof why, "error at %u:%u, expected %u:%u: %.400s",
                 r->diag.loc.line, r->diag.loc.col, line, col,
                 r->diag.message);
        return why;
    }
    const char *p = frags;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        while (n && p[n - 1] == ' ')
            n--;
        char want[256];
        snprintf(want, sizeof want, "%.*s", (int)n, p);
        if (n && !strstr(r->diag.message, want) && !strstr(r->diag.hint, want)) {
            snprintf(why, sizeof why, "'%.100s' not in: %.200s / %.200s", want,
                     r->diag.message, r->diag.hint);
            return why;
        }
        p = bar ? bar + 1 : p + strlen(p);
    }
    return NULL;
}

bool mt_dot_edge(const char *dot, const char *from, const char *to,
                 const char *label)
{
    char head[300];
    snprintf(head, sizeof head, "\"%s\" -> \"%s\" [label=\"", from, to);
    for (const char *p = strstr(dot, head); p; p = strstr(p + 1, head)) {
        const char *lab = p + strlen(head);
        const char *end = strchr(lab, '"');
        if (!end)
            return false;
        if (!label || (size_t)(end - lab) >= strlen(label)) {
            char text[300];
            snprintf(text, sizeof text, "%.*s", (int)(end - lab), lab);
            if (!label || strstr(text, label))
                return true;
        }
    }
    return false;
}

int mt_dot_edges(const char *dot)
{
    int n = 0;
    for (const char *p = strstr(dot, "\" -> \""); p; p = strstr(p + 1, "\" -> \""))
        n++;
    return n;
}

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

size_t mt_elf(uint8_t *out, uint16_t machine, uint64_t entry,
              const mt_seg_t *segs, unsigned n)
{
    memset(out, 0, 0x1000 * (n + 1));
    memcpy(out, "\x7f" "ELF", 4);
    out[4] = 2;                        /* 64-bit */
    out[5] = 1;                        /* little-endian */
    out[6] = 1;                        /* version */
    put(out + 16, 2, 2);               /* ET_EXEC */
    put(out + 18, machine, 2);
    put(out + 20, 1, 4);
    put(out + 24, entry, 8);
    put(out + 32, 64, 8);              /* program headers right after */
    put(out + 52, 64, 2);
    put(out + 54, 56, 2);
    put(out + 56, n, 2);
    size_t size = 0x1000;
    for (unsigned i = 0; i < n; i++) {
        uint8_t *ph = out + 64 + 56 * i;
        uint64_t off = 0x1000 * (i + 1);
        put(ph, segs[i].type, 4);
        put(ph + 4, segs[i].flags, 4);
        put(ph + 8, off, 8);
        put(ph + 16, segs[i].vaddr, 8);
        put(ph + 24, segs[i].vaddr, 8);
        put(ph + 32, segs[i].filesz, 8);
        put(ph + 40, segs[i].memsz, 8);
        put(ph + 48, 0x1000, 8);
        if (segs[i].data && segs[i].filesz)
            memcpy(out + off, segs[i].data, segs[i].filesz);
        size = off + 0x1000;
    }
    return size;
}

const char *mt_tmp(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 512, "%s/%s", MKI_TEST_TMP, name);
    return p;
}

bool mt_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

image_limits_t mt_limits(uint16_t arch)
{
    return (image_limits_t){ arch, CAIRN_CAP_REGS, CAIRN_CAPPAGE_SLOTS,
                             CAIRN_PRIO_MAX, 64, 1ull << 47 };
}

void mt_fix_crc(uint8_t *img, size_t len)
{
    mt_wr32(img + IMG_OFF_CHECKSUM, 0);
    mt_wr32(img + IMG_OFF_CHECKSUM, image_crc32(img, len));
}

uint32_t mt_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

void mt_wr32(uint8_t *p, uint32_t v)
{
    put(p, v, 4);
}

void mt_wr64(uint8_t *p, uint64_t v)
{
    put(p, v, 8);
}
