/*
 * Capability addressing and the capability-space methods (see cspace.h).
 */
#include "cap/cspace.h"

#include "obj/cappage.h"
#include "obj/gpt.h"
#include "obj/process.h"

/* Writes to register 0 land here and are never read back. */
static cap_t discard_sink;

static cairn_error_t locate_register(process_t *p, uint64_t reg, const char *what,
                                     cspace_slot_t *out)
{
    if (reg >= CAIRN_CAP_REGS)
        return REFUSE(ERR_INVALID_CAP, "%s: capability register %llu does not exist",
                      what, (unsigned long long)reg);
    out->reg0 = reg == 0;
    out->slot = reg == 0 ? &discard_sink : &p->cap_regs[reg];
    return ERR_OK;
}

static cairn_error_t locate_memory(process_t *p, uint64_t addr, bool write,
                                   const char *what, cspace_slot_t *out)
{
    gpt_walk_t w;
    if (addr % sizeof(cap_t))
        return REFUSE(ERR_ALIGNMENT, "%s: capability address 0x%llx is not 16-byte aligned",
                      what, (unsigned long long)addr);
    cairn_error_t err = gpt_walk(&p->space, addr, WALK_CAP | (write ? WALK_WRITE : WALK_READ), &w);
    if (err != ERR_OK)
        return REFUSE(err, "%s: address 0x%llx: %s", what, (unsigned long long)addr, w.reason);
    out->in_cappage = true;
    out->frame = cap_obj_frame(&w.leaf);
    out->index = (unsigned)(w.offset / sizeof(cap_t));
    out->slot = &cappage_slots(out->frame)[out->index];
    out->restr = w.restr;
    return ERR_OK;
}

cairn_error_t cspace_locate(process_t *p, caploc_t loc, bool write,
                            const char *what, cspace_slot_t *out)
{
    *out = (cspace_slot_t){ 0 };
    if (CAPLOC_IS_MEM(loc))
        return locate_memory(p, loc & ~(caploc_t)1, write, what, out);
    return locate_register(p, loc >> 1, what, out);
}

cap_t cspace_read(const cspace_slot_t *s)
{
    if (s->reg0)
        return cap_null();
    return (s->restr & RESTR_WEAK) ? cap_weaken(*s->slot) : *s->slot;
}

cairn_error_t cspace_fetch(process_t *p, caploc_t loc, const char *what, cap_t *out)
{
    cspace_slot_t s;
    cairn_error_t err = cspace_locate(p, loc, false, what, &s);
    if (err == ERR_OK)
        *out = cspace_read(&s);
    return err;
}

bool cspace_slot_empty(const cap_t *slot)
{
    return cap_check(slot) != ERR_OK;
}

/* ---- make_guarded: every memory capability ---------------------------------- */

cairn_error_t cspace_method_make_guarded(invocation_t *inv)
{
    cap_t c = inv->target;
    uint64_t guard = inv->msg->words[0], l2g = inv->msg->words[1];
    if (l2g > 64)
        return REFUSE(ERR_OUT_OF_RANGE, "l2g %llu above 64", (unsigned long long)l2g);
    cairn_error_t err = cap_make_guarded(&c, guard, (unsigned)l2g);
    if (err != ERR_OK)
        return REFUSE(err, "guard 0x%llx with l2g %llu: need 12 <= l2g <= 64 and a guard "
                      "that fits in 32 bits above l2g", (unsigned long long)guard,
                      (unsigned long long)l2g);
    invoke_put_cap(inv, 0, c);
    return ERR_OK;
}

/* ---- Process capability-space methods ---------------------------------------- */

static cairn_error_t need_full_process(const invocation_t *inv)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the Process capability is read-only");
    return ERR_OK;
}

typedef struct {
    cspace_slot_t src, dst;
    cap_t value;
} copy_args_t;

static cairn_error_t cspace_decode_copy(invocation_t *inv, copy_args_t *a)
{
    process_t *p = inv->obj;
    cairn_error_t err = need_full_process(inv);
    if (err == ERR_OK)
        err = cspace_locate(p, inv->msg->words[0], false, "source", &a->src);
    if (err == ERR_OK)
        err = cspace_locate(p, inv->msg->words[1], true, "destination", &a->dst);
    if (err != ERR_OK)
        return err;
    a->value = cspace_read(&a->src);
    if (cap_check(&a->value) == ERR_REVOKED)
        return REFUSE(ERR_REVOKED, "the source capability was revoked");
    return ERR_OK;
}

static void cspace_invoke_copy(invocation_t *inv, const copy_args_t *a)
{
    (void)inv;
    *a->dst.slot = a->value;
}

cairn_error_t cspace_method_copy(invocation_t *inv)
{
    copy_args_t a;
    cairn_error_t err = cspace_decode_copy(inv, &a);
    if (err == ERR_OK)
        cspace_invoke_copy(inv, &a);
    return err;
}

typedef struct {
    cspace_slot_t slot;
    cap_t value;
} restrict_args_t;

static cairn_error_t cspace_decode_restrict(invocation_t *inv, restrict_args_t *a)
{
    process_t *p = inv->obj;
    cairn_error_t err = need_full_process(inv);
    if (err == ERR_OK)
        err = cspace_locate(p, inv->msg->words[0], true, "location", &a->slot);
    if (err != ERR_OK)
        return err;
    a->value = cspace_read(&a->slot);
    if ((err = cap_check(&a->value)) != ERR_OK)
        return REFUSE(err, "nothing to restrict: the slot holds a %s capability",
                      err == ERR_REVOKED ? "revoked" : "Null");
    if (cap_restrict(&a->value, (unsigned)inv->msg->words[1] & 0xffu) != ERR_OK ||
        inv->msg->words[1] > 0xffu)
        return REFUSE(ERR_INVALID_ARGUMENT, "unknown restriction bits 0x%llx",
                      (unsigned long long)inv->msg->words[1]);
    return ERR_OK;
}

static void cspace_invoke_restrict(invocation_t *inv, const restrict_args_t *a)
{
    (void)inv;
    *a->slot.slot = a->value;
}

cairn_error_t cspace_method_restrict(invocation_t *inv)
{
    restrict_args_t a;
    cairn_error_t err = cspace_decode_restrict(inv, &a);
    if (err == ERR_OK)
        cspace_invoke_restrict(inv, &a);
    return err;
}

static cairn_error_t cspace_decode_delete(invocation_t *inv, cspace_slot_t *s)
{
    cairn_error_t err = need_full_process(inv);
    if (err != ERR_OK)
        return err;
    return cspace_locate(inv->obj, inv->msg->words[0], true, "location", s);
}

static void cspace_invoke_delete(invocation_t *inv, const cspace_slot_t *s)
{
    (void)inv;
    *s->slot = cap_null();
}

cairn_error_t cspace_method_delete(invocation_t *inv)
{
    cspace_slot_t s;
    cairn_error_t err = cspace_decode_delete(inv, &s);
    if (err == ERR_OK)
        cspace_invoke_delete(inv, &s);
    return err;
}
