/*
 * Small queries on the system model shared by the analysis, the graph
 * writer and the image layout, and the spelling of capabilities in
 * messages and graph labels.
 */
#include "model.h"

#include <string.h>

obj_type_t model_obj_type(const mobj_t *o)
{
    switch (o->kind) {
    case OBJ_KIND_ENDPOINT:     return OBJ_ENDPOINT;
    case OBJ_KIND_NOTIFICATION: return OBJ_NOTIFICATION;
    case OBJ_KIND_PAGE:         return OBJ_PAGE;
    case OBJ_KIND_CAPPAGE:      return OBJ_CAPPAGE;
    case OBJ_KIND_GPT:          return OBJ_GPT;
    case OBJ_KIND_UNTYPED:      return OBJ_UNTYPED;
    case OBJ_KIND_DEVICE:       return OBJ_UNTYPED;
    case OBJ_KIND_PROCESS:      return OBJ_PROCESS;
    default:                    return OBJ_NONE;
    }
}

cap_type_t model_default_cap(obj_kind_t k)
{
    switch (k) {
    case OBJ_KIND_ENDPOINT:     return CAP_ENDPOINT;
    case OBJ_KIND_NOTIFICATION: return CAP_NOTIFICATION;
    case OBJ_KIND_PAGE:         return CAP_PAGE;
    case OBJ_KIND_CAPPAGE:      return CAP_CAPPAGE;
    case OBJ_KIND_GPT:          return CAP_GPT;
    case OBJ_KIND_UNTYPED:      return CAP_UNTYPED;
    case OBJ_KIND_DEVICE:       return CAP_UNTYPED;
    case OBJ_KIND_IRQ:          return CAP_IRQ_HANDLER;
    case OBJ_KIND_PROCESS:      return CAP_PROCESS;
    default:                    return CAP_NULL;
    }
}

/* Lower-case a .def name once into a static table. */
static const char *lower_name(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
    dst[i] = 0;
    return dst;
}

const char *cap_type_name(cap_type_t t)
{
    static const char *const upper[CAP_TYPE_COUNT] = {
#define CAPTYPE(name, code, obj, text) [code] = #name,
#include "abi/captypes.def"
#undef CAPTYPE
    };
    static char lower[CAP_TYPE_COUNT][24];
    if ((unsigned)t >= CAP_TYPE_COUNT || !upper[t])
        return "?";
    return lower_name(lower[t], sizeof lower[t], upper[t]);
}

const char *restr_str(arena_t *a, unsigned restr)
{
    static const struct { unsigned bit; const char *name; } r[] = {
#define RESTR(name, bit, text) { bit, #name },
#include "abi/restrictions.def"
#undef RESTR
    };
    buf_t b;
    buf_init(&b, a);
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (restr & r[i].bit) {
            char low[24];
            buf_printf(&b, "%s%s", b.len ? "," : "",
                       lower_name(low, sizeof low, r[i].name));
        }
    return buf_cstr(&b);
}

const char *model_cap_str(arena_t *a, const mcap_t *c)
{
    buf_t b;
    buf_init(&b, a);
    const char *obj = c->obj ? c->obj->name : NULL;
    switch (c->type) {
    case CAP_ENTRY:
        buf_printf(&b, "entry(%s)", obj);
        if (c->payload)
            buf_printf(&b, " payload %u", c->payload);
        break;
    case CAP_NOTIFICATION:
        buf_printf(&b, "signal(%s)", obj);
        if (c->payload)
            buf_printf(&b, " bits 0x%x", c->payload);
        break;
    case CAP_SCHEDULE:
        buf_printf(&b, "schedule(%u)", c->payload);
        break;
    default:
        if (obj)
            buf_printf(&b, "%s(%s)", cap_type_name(c->type), obj);
        else
            buf_printf(&b, "%s", cap_type_name(c->type));
        break;
    }
    if (c->restr)
        buf_printf(&b, " %s", restr_str(a, c->restr));
    return buf_cstr(&b);
}
