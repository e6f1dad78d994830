/*
 * The DOT writer for the capability graph. Objects appear in creation
 * order and edges in declaration order, so two runs on the same input
 * write the same bytes.
 */
#include "graph.h"

#include <string.h>

static void put_escaped(buf_t *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_put(b, "\\", 1);
        buf_put(b, s, 1);
    }
}

static const char *node_style(obj_kind_t k)
{
    switch (k) {
    case OBJ_KIND_PROCESS:
        return "shape=box, style=\"rounded,filled\", fillcolor=\"#dbe7f7\"";
    case OBJ_KIND_ENDPOINT:
        return "shape=ellipse, style=filled, fillcolor=\"#fdf0c8\"";
    case OBJ_KIND_NOTIFICATION:
        return "shape=diamond, style=filled, fillcolor=\"#fde2cf\"";
    case OBJ_KIND_PAGE:
    case OBJ_KIND_CAPPAGE:
        return "shape=note, style=filled, fillcolor=\"#e4f2dc\"";
    case OBJ_KIND_GPT:
        return "shape=component, style=filled, fillcolor=\"#e4f2dc\"";
    case OBJ_KIND_UNTYPED:
    case OBJ_KIND_DEVICE:
        return "shape=cylinder, style=filled, fillcolor=\"#ececec\"";
    default:
        return "shape=octagon, style=filled, fillcolor=\"#f4d9e6\"";
    }
}

static void object_label(buf_t *b, const mobj_t *o)
{
    put_escaped(b, o->name);
    buf_printf(b, "\\n%s", o->ram ? "cappage: remaining RAM"
                                  : obj_kind_name(o->kind));
    switch (o->kind) {
    case OBJ_KIND_PROCESS:
        if (o->program) {
            buf_printf(b, "\\nprogram ");
            put_escaped(b, o->program);
        }
        buf_printf(b, "\\npriority %u%s", o->priority,
                   o->stopped ? ", stopped" : "");
        break;
    case OBJ_KIND_PAGE:
        if (o->size > CAIRN_PAGE_SIZE)
            buf_printf(b, " x%llu",
                       (unsigned long long)(o->size / CAIRN_PAGE_SIZE));
        break;
    case OBJ_KIND_UNTYPED:
        buf_printf(b, " %llu KiB", (unsigned long long)(o->size >> 10));
        break;
    case OBJ_KIND_DEVICE:
        buf_printf(b, "\\n0x%llx +0x%llx", (unsigned long long)o->phys,
                   (unsigned long long)o->size);
        break;
    case OBJ_KIND_IRQ:
        buf_printf(b, " line %u", o->line);
        break;
    case OBJ_KIND_GPT:
        buf_printf(b, " l2v %u", o->l2v);
        break;
    default:
        break;
    }
}

/* Node id of a capability's target; NULL for the null capability. */
static const char *target_id(arena_t *a, const mcap_t *c)
{
    if (c->obj)
        return c->obj->name;
    if (c->type == CAP_NULL)
        return NULL;
    return arena_printf(a, "#%s", cap_type_name((cap_type_t)c->type));
}

static void cap_label(buf_t *b, const char *where, const mcap_t *c)
{
    arena_t *a = b->arena;
    buf_printf(b, "%s: %s", where, cap_type_name((cap_type_t)c->type));
    if (c->type == CAP_ENTRY && c->payload)
        buf_printf(b, " payload %u", c->payload);
    else if (c->type == CAP_NOTIFICATION && c->payload)
        buf_printf(b, " bits 0x%x", c->payload);
    else if (c->type == CAP_SCHEDULE)
        buf_printf(b, " up to %u", c->payload);
    if (c->restr)
        buf_printf(b, " %s", restr_str(a, c->restr));
}

static void edge(buf_t *b, const char *from, const char *where,
                 const mcap_t *c, const char *style)
{
    const char *to = target_id(b->arena, c);
    if (!to)
        return;
    buf_printf(b, "  \"");
    put_escaped(b, from);
    buf_printf(b, "\" -> \"");
    put_escaped(b, to);
    buf_printf(b, "\" [label=\"");
    buf_t label;
    buf_init(&label, b->arena);
    cap_label(&label, where, c);
    put_escaped(b, buf_cstr(&label));
    buf_printf(b, "\"%s%s];\n", style ? ", " : "", style ? style : "");
}

static void kernel_nodes(const model_t *md, buf_t *b)
{
    bool used[CAP_TYPE_COUNT] = { false };
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        for (size_t j = 0; j < o->slots.n; j++)
            if (!o->slots.v[j].cap.obj)
                used[o->slots.v[j].cap.type] = true;
    }
    for (int t = 1; t < CAP_TYPE_COUNT; t++)
        if (used[t])
            buf_printf(b, "  \"#%s\" [shape=hexagon, style=filled, "
                       "fillcolor=\"#e9e0f5\", label=\"%s\\n(kernel)\"];\n",
                       cap_type_name((cap_type_t)t),
                       cap_type_name((cap_type_t)t));
}

static void object_edges(const mobj_t *o, buf_t *b)
{
    arena_t *a = b->arena;
    for (size_t j = 0; j < o->slots.n; j++) {
        const mslot_t *s = &o->slots.v[j];
        const char *where = s->name
            ? arena_printf(a, "%u %s", s->index, s->name)
            : arena_printf(a, "slot %u", s->index);
        edge(b, o->name, where, &s->cap, NULL);
    }
    if (o->kind == OBJ_KIND_PROCESS && o->has_keeper)
        edge(b, o->name, "keeper", &o->keeper, "style=dashed");
    for (size_t j = 0; j < o->maps.n; j++)
        edge(b, o->name, arena_printf(a, "map 0x%llx",
                                      (unsigned long long)o->maps.v[j].addr),
             &o->maps.v[j].cap, "style=bold");
    if (o->kind == OBJ_KIND_IRQ && o->has_signals)
        edge(b, o->name, "signals", &o->signals, "style=dotted");
}

void graph_write(const model_t *md, buf_t *b)
{
    buf_printf(b, "digraph \"");
    put_escaped(b, md->name);
    buf_printf(b, "\" {\n  graph [rankdir=LR, fontname=\"Helvetica\", "
               "labelloc=t, label=\"system ");
    put_escaped(b, md->name);
    buf_printf(b, "\"];\n  node [fontname=\"Helvetica\", fontsize=11];\n"
               "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t i = 0; i < md->objs.n; i++) {
        const mobj_t *o = md->objs.v[i];
        buf_printf(b, "  \"");
        put_escaped(b, o->name);
        buf_printf(b, "\" [%s, label=\"", node_style(o->kind));
        object_label(b, o);
        buf_printf(b, "\"];\n");
    }
    kernel_nodes(md, b);
    for (size_t i = 0; i < md->objs.n; i++)
        object_edges(md->objs.v[i], b);
    buf_printf(b, "}\n");
}
