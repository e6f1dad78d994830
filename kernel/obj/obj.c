/*
 * Object references, sizes, creation and teardown: the per-type steps
 * retype and revoke share. Each type's own rules stay in its file.
 */
#include "obj/obj.h"

#include "arch.h"
#include "lib/kstring.h"
#include "mem/frame.h"
#include "obj/cappage.h"
#include "obj/endpoint.h"
#include "obj/gpt.h"
#include "obj/notification.h"
#include "obj/page.h"
#include "obj/process.h"
#include "obj/untyped.h"
#include "panic.h"

obj_ref_t obj_ref_of(const void *p)
{
    uint64_t pa = arch_virt_to_phys(p);
    uint32_t index;
    if (!frame_index_of(pa, &index))
        return OBJ_REF_NONE;
    return obj_ref_make(index, (unsigned)(pa % FRAME_SIZE) / 64u);
}

obj_type_t obj_type_of(obj_ref_t ref)
{
    frame_t *f = frame_get(obj_ref_frame(ref));
    REQUIRE(f != NULL);
    if ((ref & 63u) == 0 && frame_kind(f) != 0)
        return (obj_type_t)frame_kind(f);
    return (obj_type_t)((obj_header_t *)obj_ptr(ref))->type;
}

unsigned obj_size_bits(obj_type_t type)
{
    switch (type) {
    case OBJ_UNTYPED:      return UNTYPED_SIZE_BITS;
    case OBJ_PAGE:         return PAGE_SIZE_BITS;
    case OBJ_CAPPAGE:      return CAPPAGE_SIZE_BITS;
    case OBJ_GPT:          return GPT_SIZE_BITS;
    case OBJ_ENDPOINT:     return ENDPOINT_SIZE_BITS;
    case OBJ_PROCESS:      return PROCESS_SIZE_BITS;
    case OBJ_NOTIFICATION: return NOTIFICATION_SIZE_BITS;
    default:               return 0;
    }
}

void obj_create(obj_ref_t ref, obj_type_t type)
{
    frame_t *f = frame_get(obj_ref_frame(ref));
    void *p = obj_ptr(ref);
    REQUIRE(f != NULL && type != OBJ_NONE && type < OBJ_TYPE_COUNT);
    if (type == OBJ_PAGE || type == OBJ_CAPPAGE) {
        if (!(frame_flags(f) & FRAME_DEVICE))
            memset(p, 0, FRAME_SIZE);
        frame_set_kind(f, type);
        f->link = OBJ_REF_NONE;
        return;
    }
    frame_set_kind(f, 0);
    memset(p, 0, 1u << obj_size_bits(type));
    obj_header_t *h = p;
    h->type = (uint8_t)type;
    h->size_bits = (uint8_t)obj_size_bits(type);
    if (type == OBJ_GPT)
        gpt_init(p);
    else if (type == OBJ_PROCESS)
        process_init(p);
}

bool obj_teardown(obj_ref_t ref, obj_type_t type)
{
    switch (type) {
    case OBJ_PAGE:         page_teardown(obj_ref_frame(ref));    return true;
    case OBJ_CAPPAGE:      cappage_teardown(obj_ref_frame(ref)); return true;
    case OBJ_GPT:          gpt_teardown(obj_ptr(ref));           return true;
    case OBJ_ENDPOINT:     return endpoint_teardown(obj_ptr(ref));
    case OBJ_NOTIFICATION: return notification_teardown(obj_ptr(ref));
    case OBJ_PROCESS:      return process_teardown(obj_ptr(ref));
    case OBJ_UNTYPED:      return true;
    default:               panic("teardown of unknown type %u", (unsigned)type);
    }
}
