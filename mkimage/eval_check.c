/*
 * The evaluator, part five: checks that need the whole system, run once
 * every object's body is known: duplicate IRQ lines, overlapping device
 * regions, capabilities naming multi-page regions, and the holder of the
 * remaining RAM.
 */
#include "eval_int.h"

/* A capability can name a single page only; larger regions are mapped. */
static void check_cap_target(eval_t *e, const mcap_t *c)
{
    if (c->type == CAP_PAGE && c->obj && c->obj->size > CAIRN_PAGE_SIZE)
        mki_fail(e->m, c->loc, "'%s' is %llu pages; a page capability names "
                 "one page\nmap the region with 'map %s at ADDRESS;', or "
                 "declare single pages", c->obj->name,
                 (unsigned long long)(c->obj->size / CAIRN_PAGE_SIZE),
                 c->obj->name);
}

static void check_caps(eval_t *e, const mobj_t *o)
{
    for (size_t i = 0; i < o->slots.n; i++)
        check_cap_target(e, &o->slots.v[i].cap);
    if (o->kind == OBJ_KIND_PROCESS && o->has_keeper)
        check_cap_target(e, &o->keeper);
}

static void check_irq(eval_t *e, const mobj_t *o, size_t upto)
{
    for (size_t j = 0; j < upto; j++) {
        const mobj_t *p = e->model->objs.v[j];
        if (p->kind == OBJ_KIND_IRQ && p->line == o->line)
            mki_fail(e->m, o->loc, "interrupt line %u is already declared as "
                     "'%s' (at %s:%u:%u)\neach line can be declared once; "
                     "share the capability instead", o->line, p->name,
                     p->loc.file, p->loc.line, p->loc.col);
    }
}

static void check_device(eval_t *e, const mobj_t *o, size_t upto)
{
    if (o->phys + o->size < o->phys)
        mki_fail(e->m, o->loc, "device '%s' wraps past the end of the "
                 "physical address space\ncheck its address and size",
                 o->name);
    for (size_t j = 0; j < upto; j++) {
        const mobj_t *p = e->model->objs.v[j];
        if (p->kind == OBJ_KIND_DEVICE && o->phys < p->phys + p->size &&
            p->phys < o->phys + o->size)
            mki_fail(e->m, o->loc, "device '%s' overlaps device '%s' "
                     "(declared at %s:%u:%u)\ndevice regions must not "
                     "overlap; share one region's capability instead",
                     o->name, p->name, p->loc.file, p->loc.line, p->loc.col);
    }
}

void eval_final_checks(eval_t *e)
{
    model_t *md = e->model;
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        check_caps(e, o);
        if (o->kind == OBJ_KIND_IRQ)
            check_irq(e, o, i);
        if (o->kind == OBJ_KIND_DEVICE)
            check_device(e, o, i);
    }
    if (md->ram && !md->ram_holder)
        mki_fail(e->m, md->ram->loc, "'ram' is never given to a process\n"
                 "put it in the caps block of the process that manages "
                 "memory, e.g. 'caps { pool = ram; }'");
}
