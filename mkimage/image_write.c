/*
 * The image writer. Sections are written in kind order after the header
 * and the section table; optional sections (IRQS, DEVICES, DATA) appear
 * only when they have records. Capability blocks and page data are
 * assigned in object order, which is the order the validator demands.
 */
#include "image_write.h"

#include <string.h>

#include "abi/image_validate.h"

typedef struct {
    uint32_t kind, offset, size, count, entsize;
} section_t;

static void put_cap(buf_t *o, const icap_t *c)
{
    uint8_t head[4] = { c->type, c->restr, c->l2g, 0 };
    buf_put(o, head, 4);
    buf_put_le32(o, c->payload);
    buf_put_le32(o, c->object);
    buf_put_le32(o, 0);
}

/* Objects, with each owner's first capability and each page's data
 * offset assigned in order. */
static void put_objects(const ibuild_t *b, buf_t *o)
{
    uint64_t next_cap = 0, next_data = 0;
    for (size_t i = 0; i < b->objs.n; i++) {
        const iobj_t *x = &b->objs.v[i];
        uint64_t a = x->a, bb = x->b;
        if (x->type == OBJ_CAPPAGE || x->type == OBJ_GPT) {
            a = next_cap;
            if (x->type == OBJ_CAPPAGE)
                bb = x->ncaps;
            next_cap += x->ncaps;
        } else if (x->type == OBJ_PROCESS) {
            a = x->proc;
            next_cap += x->ncaps;
        } else if (x->type == OBJ_PAGE && (x->flags & IMG_OBJF_DATA)) {
            a = next_data;
            next_data += CAIRN_PAGE_SIZE;
        }
        uint8_t head[4] = { x->type, x->flags, 0, 0 };
        buf_put(o, head, 4);
        buf_put_le32(o, x->name);
        buf_put_le64(o, a);
        buf_put_le64(o, bb);
    }
}

static size_t count_caps(const ibuild_t *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->objs.n; i++)
        n += b->objs.v[i].ncaps;
    return n;
}

static void put_caps(const ibuild_t *b, buf_t *o)
{
    for (size_t i = 0; i < b->objs.n; i++)
        for (uint32_t k = 0; k < b->objs.v[i].ncaps; k++)
            put_cap(o, &b->objs.v[i].caps[k]);
}

/* Process records; their capability blocks start where put_objects put
 * them, recomputed here in the same order. */
static void put_processes(const ibuild_t *b, buf_t *o)
{
    uint32_t *first = arena_alloc(b->strings.arena,
                                  (b->procs.n + 1) * sizeof *first);
    uint64_t next_cap = 0;
    for (size_t i = 0; i < b->objs.n; i++) {
        if (b->objs.v[i].type == OBJ_PROCESS)
            first[b->objs.v[i].proc] = (uint32_t)next_cap;
        next_cap += b->objs.v[i].ncaps;
    }
    for (size_t i = 0; i < b->procs.n; i++) {
        const iproc_t *p = &b->procs.v[i];
        buf_put_le32(o, p->object);
        buf_put_le32(o, first[i]);
        buf_put_le32(o, p->nregs);
        buf_put_le32(o, p->priority);
        buf_put_le32(o, p->flags);
        buf_put_le32(o, 0);
        buf_put_le64(o, p->pc);
        buf_put_le64(o, p->sp);
        buf_put_le64(o, p->ipc_buffer);
        for (int k = 0; k < IMG_PROC_ARGS; k++)
            buf_put_le64(o, p->args[k]);
    }
}

static void put_irqs_devices(const ibuild_t *b, buf_t *irqs, buf_t *devs)
{
    for (size_t i = 0; i < b->irqs.n; i++) {
        buf_put_le32(irqs, b->irqs.v[i].line);
        buf_put_le32(irqs, b->irqs.v[i].notify);
        buf_put_le32(irqs, b->irqs.v[i].bits);
        buf_put_le32(irqs, b->irqs.v[i].name);
    }
    for (size_t i = 0; i < b->devs.n; i++) {
        buf_put_le64(devs, b->devs.v[i].base);
        buf_put_le64(devs, b->devs.v[i].size);
        buf_put_le32(devs, b->devs.v[i].name);
        buf_put_le32(devs, 0);
    }
}

static void put_data(const ibuild_t *b, buf_t *o)
{
    for (size_t i = 0; i < b->objs.n; i++)
        if (b->objs.v[i].type == OBJ_PAGE &&
            (b->objs.v[i].flags & IMG_OBJF_DATA))
            buf_put(o, b->objs.v[i].data, CAIRN_PAGE_SIZE);
}

static void put_header(buf_t *out, const ibuild_t *b, uint32_t total,
                       uint32_t nsec)
{
    buf_put(out, IMG_MAGIC_TEXT, IMG_MAGIC_LEN);
    buf_put_le16(out, IMG_VERSION_MAJOR);
    buf_put_le16(out, IMG_VERSION_MINOR);
    buf_put_le16(out, b->arch);
    buf_put_le16(out, IMG_HEADER_SIZE);
    buf_put_le32(out, total);
    buf_put_le32(out, 0);                  /* checksum, patched last */
    buf_put_le32(out, IMG_HEADER_SIZE);    /* the section table follows */
    buf_put_le32(out, nsec);
    buf_put_le32(out, 0);                  /* flags */
    buf_put_le32(out, b->name);
    buf_put_le32(out, b->pool);
    buf_zero(out, IMG_HEADER_SIZE - 44);
}

void image_write(mki_t *m, const ibuild_t *b, buf_t *out)
{
    buf_t body[IMG_SEC_KIND_MAX + 1];
    for (int k = 1; k <= IMG_SEC_KIND_MAX; k++)
        buf_init(&body[k], &m->arena);
    buf_put(&body[IMG_SEC_STRINGS], b->strings.data, b->strings.len);
    put_objects(b, &body[IMG_SEC_OBJECTS]);
    put_caps(b, &body[IMG_SEC_CAPS]);
    put_processes(b, &body[IMG_SEC_PROCESSES]);
    put_irqs_devices(b, &body[IMG_SEC_IRQS], &body[IMG_SEC_DEVICES]);
    put_data(b, &body[IMG_SEC_DATA]);
    static const uint32_t entsize[IMG_SEC_KIND_MAX + 1] = {
        0, 1, IMG_OBJECT_SIZE, IMG_CAP_SIZE, IMG_PROCESS_SIZE, IMG_IRQ_SIZE,
        IMG_DEVICE_SIZE, CAIRN_PAGE_SIZE,
    };
    section_t sec[IMG_SEC_KIND_MAX];
    uint32_t nsec = 0;
    for (uint32_t k = 1; k <= IMG_SEC_KIND_MAX; k++)
        if (k <= IMG_SEC_PROCESSES || body[k].len)
            sec[nsec++] = (section_t){ k, 0, (uint32_t)body[k].len,
                                       (uint32_t)(body[k].len / entsize[k]),
                                       entsize[k] };
    uint64_t at = IMG_HEADER_SIZE + (uint64_t)nsec * IMG_SECTION_SIZE;
    for (uint32_t i = 0; i < nsec; i++) {
        uint64_t align = sec[i].kind == IMG_SEC_DATA ? IMG_DATA_ALIGN
                                                     : IMG_SECTION_ALIGN;
        at = (at + align - 1) & ~(align - 1);
        sec[i].offset = (uint32_t)at;
        at += body[sec[i].kind].len;
    }
    if (at > UINT32_MAX || count_caps(b) >= IMG_NONE ||
        b->objs.n >= IMG_NONE)
        mki_fail(m, (loc_t){ 0 }, "the image would be %llu bytes; the format "
                 "holds at most 4 GiB\nmake the programs or the system "
                 "smaller", (unsigned long long)at);
    put_header(out, b, (uint32_t)at, nsec);
    for (uint32_t i = 0; i < nsec; i++) {
        buf_put_le32(out, sec[i].kind);
        buf_put_le32(out, sec[i].offset);
        buf_put_le32(out, sec[i].size);
        buf_put_le32(out, sec[i].count);
        buf_put_le32(out, sec[i].entsize);
        buf_put_le32(out, 0);
    }
    for (uint32_t i = 0; i < nsec; i++) {
        buf_zero(out, sec[i].offset - out->len);
        buf_put(out, body[sec[i].kind].data, body[sec[i].kind].len);
    }
    uint32_t crc = image_crc32(out->data, out->len);
    for (int k = 0; k < 4; k++)
        out->data[IMG_OFF_CHECKSUM + k] = (uint8_t)(crc >> (8 * k));
}
