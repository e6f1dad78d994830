/*
 * Capability operations on values (see cap.h). Validity is a generation
 * compare against the frame table; derivation only ever adds
 * restrictions.
 */
#include "cap/cap.h"

#include "mem/frame.h"

obj_type_t cap_object_type(cap_type_t type)
{
    switch (type) {
#define CAPTYPE(name, code, obj, text) case CAP_##name: return OBJ_##obj;
#include "abi/captypes.def"
#undef CAPTYPE
    default: return OBJ_NONE;
    }
}

bool cap_is_memory(cap_type_t type)
{
    return type == CAP_PAGE || type == CAP_CAPPAGE || type == CAP_GPT;
}

cairn_error_t cap_check(const cap_t *c)
{
    if (c->type == CAP_NULL || c->type >= CAP_TYPE_COUNT)
        return ERR_INVALID_CAP;
    if (cap_object_type(c->type) == OBJ_NONE)
        return ERR_OK;
    const frame_t *f = frame_get(cap_obj_frame(c));
    if (f == NULL || (frame_flags(f) & FRAME_RETIRED) || f->gen != c->gen)
        return ERR_REVOKED;
    return ERR_OK;
}

bool cap_is_live(const cap_t *c)
{
    return cap_check(c) == ERR_OK;
}

cap_t cap_make(cap_type_t type, uint32_t ref)
{
    cap_t c = cap_null();
    const frame_t *f = frame_get(ref >> CAP_OBJ_SLOT_BITS);
    c.type = (uint8_t)type;
    c.obj = ref;
    c.gen = f ? f->gen : 0;
    if (cap_is_memory(type))
        c.l2g = 64;
    return c;
}

cairn_error_t cap_restrict(cap_t *c, unsigned restr)
{
    if (restr & ~(unsigned)CAIRN_RESTR_ALL)
        return ERR_INVALID_ARGUMENT;
    if (restr & RESTR_WEAK)
        restr |= RESTR_READ_ONLY;
    c->restr |= (uint8_t)restr;
    return ERR_OK;
}

static cairn_error_t guard_check(uint64_t guard, unsigned l2g)
{
    if (l2g < CAIRN_PAGE_BITS || l2g > 64)
        return ERR_OUT_OF_RANGE;
    if (guard > UINT32_MAX)
        return ERR_INVALID_ARGUMENT;
    if (l2g == 64 ? guard != 0 : (guard >> (64 - l2g)) != 0)
        return ERR_INVALID_ARGUMENT;
    return ERR_OK;
}

cairn_error_t cap_make_guarded(cap_t *c, uint64_t guard, unsigned l2g)
{
    if (!cap_is_memory(c->type) && c->type != CAP_WINDOW)
        return ERR_WRONG_TYPE;
    cairn_error_t err = guard_check(guard, l2g);
    if (err != ERR_OK)
        return err;
    c->l2g = (uint8_t)l2g;
    c->payload = (uint32_t)guard;
    return ERR_OK;
}

cap_t cap_weaken(cap_t c)
{
    switch (c.type) {
    case CAP_PAGE:
        c.restr |= RESTR_READ_ONLY;
        return c;
    case CAP_GPT:
    case CAP_CAPPAGE:
        c.restr |= RESTR_READ_ONLY | RESTR_WEAK;
        return c;
    case CAP_NULL:
    case CAP_DISCRIM:
    case CAP_WINDOW:
        return c;
    default:
        return cap_null();
    }
}

bool cap_is_discreet(const cap_t *c)
{
    switch (c->type) {
    case CAP_NULL:
    case CAP_DISCRIM:
    case CAP_WINDOW:
        return true;
    case CAP_PAGE:
    case CAP_CAPPAGE:
    case CAP_GPT:
        return (c->restr & RESTR_WEAK) != 0;
    default:
        return false;
    }
}

bool cap_same_object(const cap_t *a, const cap_t *b)
{
    obj_type_t ta = cap_object_type(a->type), tb = cap_object_type(b->type);
    if (ta == OBJ_NONE || tb == OBJ_NONE)
        return a->type == b->type;
    return ta == tb && a->obj == b->obj && a->gen == b->gen;
}

cairn_error_t cap_make_window(uint64_t offset, uint64_t guard, unsigned l2g,
                              unsigned restr, cap_t *out)
{
    cap_t w = cap_null();
    w.type = CAP_WINDOW;
    cairn_error_t err = cap_make_guarded(&w, guard, l2g);
    if (err != ERR_OK)
        return err;
    if (l2g < 64 && (offset & ((1ull << l2g) - 1)) != 0)
        return ERR_ALIGNMENT;
    if (l2g == 64 && offset != 0)
        return ERR_ALIGNMENT;
    err = cap_restrict(&w, restr);
    if (err != ERR_OK)
        return err;
    w.obj = (uint32_t)offset;
    w.gen = (uint32_t)(offset >> 32);
    *out = w;
    return ERR_OK;
}
