/*
 * Layout (layout.h). Two passes over the model:
 *   1. every declared object gets its image objects, in model order, so
 *      any capability can name any object by index;
 *   2. capabilities are filled in (cappage and gpt slots, IRQ records),
 *      and each process's program is loaded and its address space built;
 *      the space objects are appended, process by process.
 * IRQ records are then sorted by line and device regions by base, as
 * the validator requires.
 */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

uint32_t layout_string(ibuild_t *b, const char *s)
{
    uint32_t off = (uint32_t)b->strings.len;
    buf_put(&b->strings, s, strlen(s) + 1);
    return off;
}

uint32_t layout_add_object(ibuild_t *b, uint8_t type, const char *name)
{
    iobj_t o = { .type = type, .name = layout_string(b, name),
                 .proc = IMG_NONE };
    VEC_PUSH(&b->m->arena, &b->objs, o);
    return (uint32_t)b->objs.n - 1;
}

const icap_t layout_null_cap = { .type = CAP_NULL, .object = IMG_NONE };

icap_t layout_icap(layout_t *l, const mcap_t *c)
{
    icap_t k = { .type = c->type, .restr = c->restr, .l2g = c->l2g,
                 .payload = c->payload, .object = IMG_NONE };
    if (!c->obj)
        return k;
    if (c->type == CAP_IRQ_HANDLER) {
        k.payload = c->obj->line;
        return k;
    }
    k.object = l->first[c->obj->id];
    if (c->type == CAP_GPT && k.l2g == 0)      /* its natural span, at most 2^64 */
        k.l2g = (uint8_t)(c->obj->l2v + 4 > 64 ? 64 : c->obj->l2v + 4);
    return k;
}

/* ---- Pass 1: declared objects ------------------------------------------------ */

static void declare_object(layout_t *l, const mobj_t *o)
{
    ibuild_t *b = l->b;
    uint32_t i;
    switch (o->kind) {
    case OBJ_KIND_IRQ:
        l->first[o->id] = IMG_NONE;
        return;
    case OBJ_KIND_PAGE:
        l->first[o->id] = (uint32_t)b->objs.n;
        for (uint64_t k = 0; k < o->size / PAGE; k++)
            layout_add_object(b, OBJ_PAGE, o->size == PAGE ? o->name
                              : arena_printf(&l->m->arena, "%s[%llu]", o->name,
                                             (unsigned long long)k));
        return;
    default:
        break;
    }
    i = layout_add_object(b, (uint8_t)model_obj_type(o), o->name);
    l->first[o->id] = i;
    iobj_t *io = &b->objs.v[i];
    if (o->kind == OBJ_KIND_UNTYPED) {
        io->a = o->size;
    } else if (o->kind == OBJ_KIND_DEVICE) {
        io->flags = IMG_OBJF_DEVICE;
        io->a = o->size;
        io->b = o->phys;
        idev_t d = { o->phys, o->size, io->name };
        VEC_PUSH(&l->m->arena, &b->devs, d);
    } else if (o->kind == OBJ_KIND_CAPPAGE && o->ram) {
        io->flags = IMG_OBJF_RAM;
    } else if (o->kind == OBJ_KIND_GPT) {
        io->b = o->l2v;
        io->flags = (uint8_t)((o->background ? IMG_OBJF_BACKGROUND : 0) |
                              (o->has_keeper ? IMG_OBJF_KEEPER : 0));
    } else if (o->kind == OBJ_KIND_PROCESS) {
        iproc_t p = { .object = i };
        io->proc = (uint32_t)b->procs.n;
        VEC_PUSH(&l->m->arena, &b->procs, p);
    }
}

/* ---- Pass 2: slots and IRQs ------------------------------------------------------ */

static icap_t *slot_array(layout_t *l, const mobj_t *o, uint32_t n)
{
    icap_t *caps = arena_alloc(&l->m->arena, (n ? n : 1) * sizeof *caps);
    for (uint32_t k = 0; k < n; k++)
        caps[k] = layout_null_cap;
    for (size_t j = 0; j < o->slots.n; j++)
        caps[o->slots.v[j].index] = layout_icap(l, &o->slots.v[j].cap);
    return caps;
}

static void fill_slots(layout_t *l, const mobj_t *o)
{
    iobj_t *io = &l->b->objs.v[l->first[o->id]];
    uint32_t n = 0;
    if (o->kind == OBJ_KIND_GPT)
        n = 16;
    else
        for (size_t j = 0; j < o->slots.n; j++)
            if (o->slots.v[j].index + 1 > n)
                n = o->slots.v[j].index + 1;
    io->caps = slot_array(l, o, n);
    io->ncaps = n;
}

static void add_irq(layout_t *l, const mobj_t *o)
{
    iirq_t q = { .line = o->line, .notify = IMG_NONE,
                 .name = layout_string(l->b, o->name) };
    if (o->has_signals) {
        q.notify = l->first[o->signals.obj->id];
        q.bits = o->signals.payload;
    }
    VEC_PUSH(&l->m->arena, &l->b->irqs, q);
}

static int irq_cmp(const void *a, const void *b)
{
    uint32_t x = ((const iirq_t *)a)->line, y = ((const iirq_t *)b)->line;
    return x < y ? -1 : x > y;
}

static int dev_cmp(const void *a, const void *b)
{
    uint64_t x = ((const idev_t *)a)->base, y = ((const idev_t *)b)->base;
    return x < y ? -1 : x > y;
}

static uint16_t arch_from_name(mki_t *m, const char *name)
{
    if (strcmp(name, "x86_64") == 0)
        return IMG_ARCH_X86_64;
    if (strcmp(name, "riscv64") == 0)
        return IMG_ARCH_RISCV64;
    mki_fail(m, (loc_t){ 0 }, "unknown architecture '%s'\nuse --arch x86_64 "
             "or --arch riscv64", name);
}

void layout_build(mki_t *m, const model_t *md, const layout_options_t *opt,
                  ibuild_t *out)
{
    layout_t l = { m, md, opt, out, NULL, NULL };
    memset(out, 0, sizeof *out);
    out->m = m;
    buf_init(&out->strings, &m->arena);
    buf_put(&out->strings, "", 1);          /* offset 0 is the empty name */
    out->name = layout_string(out, md->name);
    out->pool = md->page_table_pool;
    if (opt->arch)
        out->arch = arch_from_name(m, opt->arch);
    l.first = arena_alloc(&m->arena, (md->objs.n + 1) * sizeof *l.first);
    l.device_pages = arena_alloc(&m->arena,
                                 (md->objs.n + 1) * sizeof *l.device_pages);
    for (size_t i = 0; i < md->objs.n; i++)
        declare_object(&l, md->objs.v[i]);
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        if (o->kind == OBJ_KIND_CAPPAGE || o->kind == OBJ_KIND_GPT)
            fill_slots(&l, o);
        else if (o->kind == OBJ_KIND_IRQ)
            add_irq(&l, o);
        else if (o->kind == OBJ_KIND_PROCESS)
            layout_process(&l, o);
    }
    if (!out->arch)
        mki_fail(m, (loc_t){ md->file, 1, 1 }, "cannot tell which "
                 "architecture to build for: the system has no programs\n"
                 "pass --arch x86_64 or --arch riscv64");
    if (out->irqs.n)
        qsort(out->irqs.v, out->irqs.n, sizeof *out->irqs.v, irq_cmp);
    if (out->devs.n)
        qsort(out->devs.v, out->devs.n, sizeof *out->devs.v, dev_cmp);
}
