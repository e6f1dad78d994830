/*
 * Untyped: retype and revoke (states and invariants in untyped.h).
 *
 * Retype. Objects are placed at the watermark, each naturally aligned;
 * child Untypeds take `count` descriptors first and then `count` regions
 * aligned to their size. A candidate placement that touches a retired
 * frame is moved past it (only scanned while some frame is retired). The
 * watermark then moves to the end of the last object. Cost: O(count)
 * plus zeroing the new objects (child regions are not zeroed), plus, only
 * once frames have been retired, a scan of the frames placed.
 *
 * Revoke, in three phases, each resumable from a cursor kept in the
 * descriptor so that every call does at most UNTYPED_REVOKE_BUDGET units
 * and leaves a consistent state:
 *   BUMP      bump the generation of every frame below the watermark, in
 *             ascending order. All capabilities to every object in the
 *             subtree (nested Untypeds' regions lie inside this one) die.
 *             Ascending order matters: a child Untyped's descriptor lies
 *             below its region, so once the sweep has passed the frames
 *             still usable, no live capability can make an object in a
 *             frame already swept.
 *   TEARDOWN  walk the tree of child lists iteratively, post-order
 *             (descend into an Untyped that still has children, climb by
 *             the parent link when one is empty), running each object's
 *             teardown hook and unlinking it. Nobody else can change the
 *             subtree now: every capability into it is stale.
 *   done      watermark = 0; the Untyped can be retyped again.
 * Total cost: O(frames used + objects + nested Untypeds).
 */
#include "obj/untyped.h"

#include "arch.h"
#include "cap/cspace.h"
#include "lib/kstring.h"
#include "mem/frame.h"
#include "obj/process.h"
#include "panic.h"

static untyped_t roots[UNTYPED_ROOTS_MAX] __attribute__((aligned(4096)));

static_assert(sizeof roots % 4096 == 0, "the root array fills whole frames");

void untyped_roots_reset(void)
{
    memset(roots, 0, sizeof roots);
}

const void *untyped_roots_storage(uint64_t *bytes)
{
    *bytes = sizeof roots;
    return roots;
}

/* ---- Roots ---------------------------------------------------------------------- */

static cairn_error_t root_range_ok(uint32_t first, uint64_t frames, bool device)
{
    if (!frame_range_contiguous(first, frames))
        return ERR_INVALID_ARGUMENT;
    for (uint64_t i = 0; i < frames; i++) {
        uint32_t flags = frame_flags(frame_get(first + (uint32_t)i));
        if ((flags & FRAME_KERNEL) || !(flags & FRAME_DEVICE) != !device)
            return ERR_INVALID_ARGUMENT;
    }
    return ERR_OK;
}

cairn_error_t untyped_root_create(uint64_t paddr, unsigned size_bits,
                                  bool device, cap_t *out)
{
    uint32_t first;
    if (size_bits < UNTYPED_MIN_BITS || size_bits > UNTYPED_MAX_BITS)
        return ERR_OUT_OF_RANGE;
    if (paddr & ((1ull << size_bits) - 1))
        return ERR_ALIGNMENT;
    if (!frame_index_of(paddr, &first))
        return ERR_INVALID_ARGUMENT;
    cairn_error_t err = root_range_ok(first, 1ull << (size_bits - FRAME_BITS), device);
    if (err != ERR_OK)
        return err;
    for (unsigned i = 0; i < UNTYPED_ROOTS_MAX; i++) {
        untyped_t *u = &roots[i];
        if (u->hdr.type != OBJ_NONE)
            continue;
        obj_ref_t ref = obj_ref_of(u);
        REQUIRE(ref != OBJ_REF_NONE);   /* the frame table covers the kernel */
        memset(u, 0, sizeof *u);
        u->hdr.type = OBJ_UNTYPED;
        u->hdr.size_bits = UNTYPED_SIZE_BITS;
        u->base_frame = first;
        u->size_bits = (uint8_t)size_bits;
        u->device = device;
        *out = cap_make(CAP_UNTYPED, ref);
        return ERR_OK;
    }
    return ERR_NO_MEMORY;
}

/* ---- Child lists ------------------------------------------------------------------ */

static bool is_page_type(obj_type_t t)
{
    return t == OBJ_PAGE || t == OBJ_CAPPAGE;
}

static obj_ref_t child_next(obj_ref_t ref, obj_type_t type)
{
    if (is_page_type(type))
        return frame_get(obj_ref_frame(ref))->link;
    return ((obj_header_t *)obj_ptr(ref))->next;
}

static void child_set_next(obj_ref_t ref, obj_type_t type, obj_ref_t next)
{
    if (is_page_type(type))
        frame_get(obj_ref_frame(ref))->link = next;
    else
        ((obj_header_t *)obj_ptr(ref))->next = next;
}

/* ---- Retype: placement -------------------------------------------------------------- */

typedef struct {
    untyped_t *ut;
    obj_ref_t  ut_ref;
    obj_type_t type;
    unsigned   obj_bits;      /* size of each object (descriptor for Untyped) */
    unsigned   region_bits;   /* Untyped children: size of each region */
    unsigned   count;
    uint64_t   first;         /* offset of the first object */
    uint64_t   regions;       /* offset of the first child region */
    uint64_t   end;           /* the new watermark */
} retype_plan_t;

static uint64_t align_up(uint64_t v, unsigned bits)
{
    uint64_t mask = (1ull << bits) - 1;
    return (v + mask) & ~mask;
}

/* If a frame in [from, to) of the Untyped is retired, set *resume past the
 * highest such frame and return true. */
static bool retired_in(const untyped_t *ut, uint64_t from, uint64_t to, uint64_t *resume)
{
    if (frame_retired_count() == 0 || from >= to)
        return false;
    for (uint64_t off = (to - 1) & ~(uint64_t)(FRAME_SIZE - 1);; off -= FRAME_SIZE) {
        const frame_t *f = frame_get(ut->base_frame + (uint32_t)(off / FRAME_SIZE));
        if (frame_flags(f) & FRAME_RETIRED) {
            *resume = off + FRAME_SIZE;
            return true;
        }
        if (off < FRAME_SIZE || off - FRAME_SIZE < (from & ~(uint64_t)(FRAME_SIZE - 1)))
            return false;
    }
}

static cairn_error_t plan_place(retype_plan_t *pl)
{
    uint64_t size = 1ull << pl->ut->size_bits, from = pl->ut->watermark;
    for (;;) {
        uint64_t first = align_up(from, pl->obj_bits);
        uint64_t objs_end = first + ((uint64_t)pl->count << pl->obj_bits);
        uint64_t regions = objs_end, end = objs_end, resume;
        if (pl->type == OBJ_UNTYPED) {
            regions = align_up(objs_end, pl->region_bits);
            end = regions + ((uint64_t)pl->count << pl->region_bits);
        }
        if (end > size)
            return REFUSE(ERR_NO_MEMORY, "%u object(s) need up to offset 0x%llx; the Untyped "
                          "has 0x%llx bytes, 0x%llx in use", pl->count,
                          (unsigned long long)end, (unsigned long long)size,
                          (unsigned long long)pl->ut->watermark);
        if (!retired_in(pl->ut, first, objs_end, &resume) &&
            !retired_in(pl->ut, regions, end, &resume)) {
            pl->first = first;
            pl->regions = regions;
            pl->end = end;
            return ERR_OK;
        }
        from = resume;
    }
}

/* ---- Retype: checks shared by the method and kernel callers ------------------------ */

static cairn_error_t check_type_and_size(retype_plan_t *pl, uint64_t type, uint64_t bits)
{
    if (type == OBJ_NONE || type >= OBJ_TYPE_COUNT)
        return REFUSE(ERR_INVALID_ARGUMENT, "object type %llu does not exist",
                      (unsigned long long)type);
    pl->type = (obj_type_t)type;
    pl->obj_bits = obj_size_bits(pl->type);
    if (pl->type == OBJ_UNTYPED) {
        if (bits < UNTYPED_MIN_BITS || bits > pl->ut->size_bits)
            return REFUSE(ERR_OUT_OF_RANGE, "Untyped size_bits %llu outside %u..%u",
                          (unsigned long long)bits, UNTYPED_MIN_BITS, pl->ut->size_bits);
        pl->region_bits = (unsigned)bits;
    } else if (bits != 0 && bits != pl->obj_bits) {
        return REFUSE(ERR_OUT_OF_RANGE, "size_bits %llu: this type's size is fixed at %u "
                      "(pass 0 or %u)", (unsigned long long)bits, pl->obj_bits, pl->obj_bits);
    }
    return ERR_OK;
}

static cairn_error_t check_retype(const cap_t *cap, uint64_t type, uint64_t bits,
                                  uint64_t count, retype_plan_t *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->ut_ref = cap->obj;
    pl->ut = obj_ptr(cap->obj);
    if (cap->restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the Untyped capability is read-only");
    cairn_error_t err = check_type_and_size(pl, type, bits);
    if (err != ERR_OK)
        return err;
    if (count == 0 || count > CAIRN_RETYPE_MAX)
        return REFUSE(ERR_OUT_OF_RANGE, "count %llu outside 1..%u",
                      (unsigned long long)count, CAIRN_RETYPE_MAX);
    pl->count = (unsigned)count;
    if (pl->ut->device && pl->type != OBJ_PAGE)
        return REFUSE(ERR_DEVICE_MEMORY, "device memory can only become Pages");
    if (pl->ut->revoke_phase != REVOKE_IDLE)
        return REFUSE(ERR_BUSY, "a revoke of this Untyped is under way; finish it first");
    return ERR_OK;
}

static cairn_error_t check_empty(const cap_t *dest, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (!cspace_slot_empty(&dest[i]))
            return REFUSE(ERR_SLOT_OCCUPIED, "destination slot %u holds a live capability", i);
    return ERR_OK;
}

/* ---- Retype: the change ---------------------------------------------------------------- */

static cap_type_t cap_type_for(obj_type_t t)
{
    switch (t) {
    case OBJ_UNTYPED:      return CAP_UNTYPED;
    case OBJ_PAGE:         return CAP_PAGE;
    case OBJ_CAPPAGE:      return CAP_CAPPAGE;
    case OBJ_GPT:          return CAP_GPT;
    case OBJ_ENDPOINT:     return CAP_ENDPOINT;
    case OBJ_PROCESS:      return CAP_PROCESS;
    case OBJ_NOTIFICATION: return CAP_NOTIFICATION;
    default:               return CAP_NULL;
    }
}

static obj_ref_t ref_at(const untyped_t *ut, uint64_t off)
{
    return obj_ref_make(ut->base_frame + (uint32_t)(off / FRAME_SIZE),
                        (unsigned)(off % FRAME_SIZE) / 64u);
}

static void make_child_untyped(const retype_plan_t *pl, obj_ref_t ref, unsigned i)
{
    untyped_t *c = obj_ptr(ref);
    frame_set_kind(frame_get(obj_ref_frame(ref)), 0);
    memset(c, 0, sizeof *c);
    c->hdr.type = OBJ_UNTYPED;
    c->hdr.size_bits = UNTYPED_SIZE_BITS;
    c->base_frame = pl->ut->base_frame +
        (uint32_t)((pl->regions + ((uint64_t)i << pl->region_bits)) / FRAME_SIZE);
    c->size_bits = (uint8_t)pl->region_bits;
    c->device = pl->ut->device;
    c->parent = pl->ut_ref;
}

static void retype_apply(const retype_plan_t *pl, cap_t *dest)
{
    for (unsigned i = 0; i < pl->count; i++) {
        obj_ref_t ref = ref_at(pl->ut, pl->first + ((uint64_t)i << pl->obj_bits));
        if (pl->type == OBJ_UNTYPED)
            make_child_untyped(pl, ref, i);
        else
            obj_create(ref, pl->type);
        child_set_next(ref, pl->type, pl->ut->first_child);
        pl->ut->first_child = ref;
        dest[i] = cap_make(cap_type_for(pl->type), ref);
    }
    pl->ut->watermark = pl->end;
}

cairn_error_t untyped_retype(const cap_t *ut, obj_type_t type, unsigned size_bits,
                             unsigned count, cap_t *dest)
{
    retype_plan_t pl;
    cairn_error_t err = cap_check(ut);
    if (err == ERR_OK && ut->type != CAP_UNTYPED)
        err = ERR_WRONG_TYPE;
    if (err == ERR_OK)
        err = check_retype(ut, type, size_bits, count, &pl);
    if (err == ERR_OK)
        err = check_empty(dest, count);
    if (err == ERR_OK)
        err = plan_place(&pl);
    if (err == ERR_OK)
        retype_apply(&pl, dest);
    return err;
}

/* ---- Revoke ---------------------------------------------------------------------------- */

static bool revoke_bump(untyped_t *u, obj_ref_t uref, unsigned *budget)
{
    uint64_t used = (u->watermark + FRAME_SIZE - 1) / FRAME_SIZE;
    while (u->revoke_cursor < used) {
        if (*budget == 0)
            return false;
        frame_bump_gen(u->base_frame + (uint32_t)u->revoke_cursor);
        u->revoke_cursor++;
        --*budget;
    }
    u->revoke_phase = REVOKE_TEARDOWN;
    u->revoke_cursor = uref;
    return true;
}

/* One unit of the post-order walk. Returns true when the whole subtree
 * below `uref` is gone. */
static bool teardown_unit(untyped_t *u, obj_ref_t uref)
{
    obj_ref_t cursor = (obj_ref_t)u->revoke_cursor;
    untyped_t *cur = obj_ptr(cursor);
    obj_ref_t child = cur->first_child;
    if (child == OBJ_REF_NONE) {
        if (cursor == uref)
            return true;
        u->revoke_cursor = cur->parent;        /* climb; cur dies next */
        return false;
    }
    obj_type_t type = obj_type_of(child);
    if (type == OBJ_UNTYPED && ((untyped_t *)obj_ptr(child))->first_child != OBJ_REF_NONE) {
        u->revoke_cursor = child;              /* descend */
        return false;
    }
    if (obj_teardown(child, type))
        cur->first_child = child_next(child, type);
    return false;
}

static bool revoke_teardown(untyped_t *u, obj_ref_t uref, unsigned *budget)
{
    for (;;) {
        if (*budget == 0)
            return false;
        --*budget;
        if (teardown_unit(u, uref))
            return true;
    }
}

bool untyped_revoke_step(const cap_t *ut, unsigned budget)
{
    obj_ref_t uref = ut->obj;
    untyped_t *u = obj_ptr(uref);
    if (u->revoke_phase == REVOKE_IDLE) {
        if (u->watermark == 0)
            return true;
        u->revoke_phase = REVOKE_BUMP;
        u->revoke_cursor = 0;
    }
    if (u->revoke_phase == REVOKE_BUMP && !revoke_bump(u, uref, &budget))
        return false;
    if (!revoke_teardown(u, uref, &budget))
        return false;
    u->first_child = OBJ_REF_NONE;
    u->watermark = 0;
    u->revoke_phase = REVOKE_IDLE;
    u->revoke_cursor = 0;
    return true;
}

/* ---- Methods ----------------------------------------------------------------------------- */

typedef struct {
    retype_plan_t plan;
    cap_t        *dest;   /* first of plan.count consecutive slots */
} retype_args_t;

/* Resolve the destination range: consecutive registers, or consecutive
 * slots of one CapPage. */
static cairn_error_t decode_destination(invocation_t *inv, retype_args_t *a)
{
    cspace_slot_t s;
    caploc_t loc = inv->msg->words[3];
    cairn_error_t err = cspace_locate(inv->invoker, loc, true, "destination", &s);
    if (err != ERR_OK)
        return err;
    if (s.reg0)
        return REFUSE(ERR_INVALID_ARGUMENT, "register 0 cannot receive new objects");
    uint64_t start = s.in_cappage ? s.index : loc >> 1;
    uint64_t limit = s.in_cappage ? CAIRN_CAPPAGE_SLOTS : CAIRN_CAP_REGS;
    if (start + a->plan.count > limit)
        return REFUSE(ERR_OUT_OF_RANGE, "%u destinations from slot %llu pass the end "
                      "of the %s", a->plan.count, (unsigned long long)start,
                      s.in_cappage ? "CapPage" : "register file");
    a->dest = s.slot;
    return check_empty(a->dest, a->plan.count);
}

static cairn_error_t untyped_decode_retype(invocation_t *inv, retype_args_t *a)
{
    const uint64_t *w = inv->msg->words;
    cairn_error_t err = check_retype(&inv->target, w[0], w[1], w[2], &a->plan);
    if (err == ERR_OK)
        err = decode_destination(inv, a);
    if (err == ERR_OK)
        err = plan_place(&a->plan);
    return err;
}

static void untyped_invoke_retype(invocation_t *inv, const retype_args_t *a)
{
    (void)inv;
    retype_apply(&a->plan, a->dest);
}

static cairn_error_t untyped_decode_revoke(invocation_t *inv)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the Untyped capability is read-only");
    return ERR_OK;
}

static void untyped_invoke_revoke(invocation_t *inv)
{
    inv->restart = !untyped_revoke_step(&inv->target, UNTYPED_REVOKE_BUDGET);
}

static void untyped_invoke_info(invocation_t *inv)
{
    const untyped_t *u = inv->obj;
    invoke_put_word(inv, u->size_bits);
    invoke_put_word(inv, u->watermark);
    invoke_put_word(inv, u->device);
    invoke_put_word(inv, frame_paddr(frame_get(u->base_frame)));
}

cairn_error_t untyped_dispatch(invocation_t *inv)
{
    retype_args_t a;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_UNTYPED_retype:
        if ((err = untyped_decode_retype(inv, &a)) == ERR_OK)
            untyped_invoke_retype(inv, &a);
        return err;
    case OP_UNTYPED_revoke:
        if ((err = untyped_decode_revoke(inv)) == ERR_OK)
            untyped_invoke_revoke(inv);
        return err;
    case OP_UNTYPED_info:
        untyped_invoke_info(inv);
        return ERR_OK;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Untyped method");
    }
}
