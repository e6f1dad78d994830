/*
 * GPT: guarded page table nodes and the software translation walk
 * (states and invariants in gpt.h; semantics in
 * docs/spec/address-spaces.md).
 *
 * The walk keeps: the capability in hand, the remaining address, the
 * accumulated restrictions, the innermost GPT with a background space
 * seen so far, and the keeper candidates. It never recurses, never
 * allocates, and stops after GPT_WALK_MAX steps.
 */
#include "obj/gpt.h"

#include "cap/cspace.h"
#include "lib/kstring.h"
#include "panic.h"

static void nothing_cached(gpt_t *gpt, uint32_t slot_mask)
{
    (void)gpt;
    (void)slot_mask;
}

static gpt_invalidate_hook_t *invalidate_hook = nothing_cached;

void gpt_set_invalidate_hook(gpt_invalidate_hook_t *hook)
{
    invalidate_hook = hook ? hook : nothing_cached;
}

void gpt_init(gpt_t *gpt)
{
    gpt->l2v = CAIRN_L2V_MIN;
}

void gpt_teardown(gpt_t *gpt)
{
    invalidate_hook(gpt, GPT_ALL_SLOTS);
}

void gpt_set_slot(gpt_t *gpt, unsigned slot, cap_t c)
{
    REQUIRE(slot < CAIRN_GPT_SLOTS);
    gpt->slots[slot] = c;
    invalidate_hook(gpt, 1u << slot);
}

/* ---- Translation --------------------------------------------------------- */

typedef struct {
    cap_t     cap;        /* the capability being translated through */
    uint64_t  addr;       /* address left to translate */
    uint8_t   restr;
    gpt_t    *bg;         /* innermost GPT with a background space */
    obj_ref_t bg_ref;
    bool      no_call;    /* a NO_CALL was seen: no keeper from here on */
    bool      no_fix;     /* also READ_ONLY/WEAK: no keeper for ERR_ACCESS */
    obj_ref_t keeper_any, keeper_access;
    uint64_t  keeper_any_addr, keeper_access_addr;
} walk_state_t;

static cairn_error_t walk_fail(gpt_walk_t *w, cairn_error_t err,
                               const char *reason)
{
    w->error = err;
    w->reason = reason;
    return err;
}

/* Match and strip the guard of the capability in hand. */
static bool guard_matches(walk_state_t *s)
{
    unsigned l2g = s->cap.l2g;
    if (l2g >= 64)
        return true;
    if ((s->addr >> l2g) != s->cap.payload)
        return false;
    s->addr &= (1ull << l2g) - 1;
    return true;
}

static void note_keeper(walk_state_t *s, const gpt_t *g, obj_ref_t ref)
{
    if (s->restr & RESTR_NO_CALL)
        s->no_call = true;
    if (s->restr & (RESTR_READ_ONLY | RESTR_WEAK))
        s->no_fix = true;
    if (!(g->flags & CAIRN_GPT_HA) || s->no_call)
        return;
    s->keeper_any = ref;
    s->keeper_any_addr = s->addr;
    if (!s->no_fix) {
        s->keeper_access = ref;
        s->keeper_access_addr = s->addr;
    }
}

static void record(gpt_walk_t *w, obj_ref_t gpt, unsigned slot)
{
    w->path[w->steps].gpt = gpt;
    w->path[w->steps].slot = (uint8_t)slot;
    w->steps++;
}

/* One GPT step: choose the slot and descend. */
static cairn_error_t step_gpt(walk_state_t *s, gpt_walk_t *w)
{
    obj_ref_t ref = s->cap.obj;
    gpt_t *g = obj_ptr(ref);
    unsigned limit = (g->flags & CAIRN_GPT_BG) ? 8u : CAIRN_GPT_SLOTS;
    note_keeper(s, g, ref);
    uint64_t slot = s->addr >> g->l2v;
    if (slot >= limit)
        return walk_fail(w, ERR_INVALID_ADDRESS, "address beyond the GPT's slots");
    if (g->flags & CAIRN_GPT_BG) {
        s->bg = g;
        s->bg_ref = ref;
    }
    s->addr -= slot << g->l2v;
    record(w, ref, (unsigned)slot);
    s->cap = g->slots[slot];
    return ERR_OK;
}

/* One window step: continue in the background space at an offset. */
static cairn_error_t step_window(walk_state_t *s, gpt_walk_t *w)
{
    if (s->bg == NULL)
        return walk_fail(w, ERR_MALFORMED_SPACE, "window with no background GPT above it");
    s->addr |= cap_window_offset(&s->cap);
    record(w, s->bg_ref, CAIRN_GPT_BG_SLOT);
    s->cap = s->bg->slots[CAIRN_GPT_BG_SLOT];
    return ERR_OK;
}

static cairn_error_t finish_leaf(walk_state_t *s, unsigned access, gpt_walk_t *w)
{
    if (s->addr >= CAIRN_PAGE_SIZE)
        return walk_fail(w, ERR_INVALID_ADDRESS, "address beyond the end of the page");
    w->leaf = s->cap;
    w->offset = s->addr;
    w->restr = s->restr;
    if ((access & WALK_CAP) && s->cap.type == CAP_PAGE)
        return walk_fail(w, ERR_WRONG_TYPE, "capability access to a data page");
    if (!(access & WALK_CAP) && s->cap.type == CAP_CAPPAGE)
        return walk_fail(w, ERR_WRONG_TYPE, "data access to a capability page");
    if ((access & WALK_WRITE) && (s->restr & (RESTR_READ_ONLY | RESTR_WEAK)))
        return walk_fail(w, ERR_ACCESS, "store through a read-only or weak path");
    if ((access & WALK_EXEC) && (s->restr & RESTR_NO_EXECUTE))
        return walk_fail(w, ERR_ACCESS, "execute through a no-execute path");
    w->error = ERR_OK;
    return ERR_OK;
}

/* Translate until a leaf, a failure, or the step bound. */
static cairn_error_t walk_loop(walk_state_t *s, unsigned access, gpt_walk_t *w)
{
    for (;;) {
        if (!cap_is_live(&s->cap))
            return walk_fail(w, ERR_INVALID_ADDRESS,
                             s->cap.type == CAP_NULL ? "Null capability in the space"
                                                     : "revoked capability in the space");
        bool guarded = cap_is_memory(s->cap.type) || s->cap.type == CAP_WINDOW;
        if (!guarded)
            return walk_fail(w, ERR_MALFORMED_SPACE, "non-memory capability in the space");
        if (s->cap.l2g < CAIRN_PAGE_BITS || s->cap.l2g > 64)
            return walk_fail(w, ERR_MALFORMED_SPACE, "capability with an invalid l2g");
        if (!guard_matches(s))
            return walk_fail(w, ERR_INVALID_ADDRESS, "guard mismatch");
        s->restr |= s->cap.restr;
        if (s->cap.type == CAP_PAGE || s->cap.type == CAP_CAPPAGE)
            return finish_leaf(s, access, w);
        if (w->steps == GPT_WALK_MAX)
            return walk_fail(w, ERR_MALFORMED_SPACE, "walk longer than GPT_WALK_MAX steps");
        cairn_error_t err = s->cap.type == CAP_GPT ? step_gpt(s, w)
                                                   : step_window(s, w);
        if (err != ERR_OK)
            return err;
    }
}

cairn_error_t gpt_walk(const cap_t *root, uint64_t addr, unsigned access,
                       gpt_walk_t *w)
{
    walk_state_t s;
    memset(&s, 0, sizeof s);
    s.cap = *root;
    s.addr = addr;
    w->steps = 0;
    w->leaf = cap_null();
    w->offset = 0;
    w->reason = NULL;
    cairn_error_t err = walk_loop(&s, access, w);
    w->restr = s.restr;
    bool access_fault = err == ERR_ACCESS;
    w->keeper_gpt = err == ERR_OK ? OBJ_REF_NONE
                  : access_fault ? s.keeper_access : s.keeper_any;
    w->keeper_addr = err == ERR_OK ? 0
                   : access_fault ? s.keeper_access_addr : s.keeper_any_addr;
    return err;
}

/* ---- Methods --------------------------------------------------------------- */

typedef struct {
    gpt_t   *gpt;
    unsigned slot;
    uint64_t value;
} gpt_args_t;

static cairn_error_t need_structure_rights(const invocation_t *inv, bool write)
{
    if (inv->target.restr & RESTR_OPAQUE)
        return REFUSE(ERR_NO_RIGHTS, "the GPT capability is opaque");
    if (write && (inv->target.restr & RESTR_READ_ONLY))
        return REFUSE(ERR_NO_RIGHTS, "the GPT capability is read-only");
    return ERR_OK;
}

static cairn_error_t decode_slot(invocation_t *inv, gpt_args_t *a, bool write)
{
    cairn_error_t err = need_structure_rights(inv, write);
    if (err != ERR_OK)
        return err;
    if (inv->msg->words[0] >= CAIRN_GPT_SLOTS)
        return REFUSE(ERR_OUT_OF_RANGE, "slot %llu: a GPT has 16 slots",
                      (unsigned long long)inv->msg->words[0]);
    a->gpt = inv->obj;
    a->slot = (unsigned)inv->msg->words[0];
    return ERR_OK;
}

static void gpt_invoke_get_slot(invocation_t *inv, const gpt_args_t *a)
{
    cap_t c = a->gpt->slots[a->slot];
    if (inv->target.restr & RESTR_WEAK)
        c = cap_weaken(c);
    invoke_put_cap(inv, 0, c);
}

static void gpt_invoke_set_slot(invocation_t *inv, const gpt_args_t *a)
{
    gpt_set_slot(a->gpt, a->slot, inv->in[0]);
}

static cairn_error_t gpt_decode_get_l2v(invocation_t *inv, gpt_args_t *a)
{
    a->gpt = inv->obj;
    return ERR_OK;
}

static void gpt_invoke_get_l2v(invocation_t *inv, const gpt_args_t *a)
{
    invoke_put_word(inv, a->gpt->l2v);
    invoke_put_word(inv, a->gpt->flags);
}

static cairn_error_t gpt_decode_set_l2v(invocation_t *inv, gpt_args_t *a)
{
    cairn_error_t err = need_structure_rights(inv, true);
    if (err != ERR_OK)
        return err;
    a->value = inv->msg->words[0];
    if (a->value < CAIRN_L2V_MIN || a->value > CAIRN_L2V_MAX)
        return REFUSE(ERR_OUT_OF_RANGE, "l2v %llu outside %u..%u",
                      (unsigned long long)a->value, CAIRN_L2V_MIN, CAIRN_L2V_MAX);
    a->gpt = inv->obj;
    return ERR_OK;
}

static void gpt_invoke_set_l2v(invocation_t *inv, const gpt_args_t *a)
{
    (void)inv;
    a->gpt->l2v = (uint8_t)a->value;
    invalidate_hook(a->gpt, GPT_ALL_SLOTS);
}

static cairn_error_t gpt_decode_set_flags(invocation_t *inv, gpt_args_t *a)
{
    cairn_error_t err = need_structure_rights(inv, true);
    if (err != ERR_OK)
        return err;
    a->value = inv->msg->words[0];
    if (a->value & ~(uint64_t)(CAIRN_GPT_BG | CAIRN_GPT_HA))
        return REFUSE(ERR_INVALID_ARGUMENT, "flags 0x%llx: only BG (1) and HA (2) exist",
                      (unsigned long long)a->value);
    a->gpt = inv->obj;
    return ERR_OK;
}

static void gpt_invoke_set_flags(invocation_t *inv, const gpt_args_t *a)
{
    (void)inv;
    a->gpt->flags = (uint8_t)a->value;
    invalidate_hook(a->gpt, GPT_ALL_SLOTS);
}

typedef struct { cap_t window; } window_args_t;

static cairn_error_t gpt_decode_make_window(invocation_t *inv, window_args_t *a)
{
    const uint64_t *w = inv->msg->words;
    if (w[2] > 64)
        return REFUSE(ERR_OUT_OF_RANGE, "l2g %llu above 64", (unsigned long long)w[2]);
    if (w[3] > CAIRN_RESTR_ALL)
        return REFUSE(ERR_INVALID_ARGUMENT, "unknown restriction bits 0x%llx",
                      (unsigned long long)w[3]);
    cairn_error_t err = cap_make_window(w[0], w[1], (unsigned)w[2], (unsigned)w[3],
                                        &a->window);
    if (err != ERR_OK)
        return REFUSE(err, "window offset 0x%llx, guard 0x%llx, l2g %llu rejected",
                      (unsigned long long)w[0], (unsigned long long)w[1],
                      (unsigned long long)w[2]);
    return ERR_OK;
}

static void gpt_invoke_make_window(invocation_t *inv, const window_args_t *a)
{
    invoke_put_cap(inv, 0, a->window);
}

cairn_error_t gpt_dispatch(invocation_t *inv)
{
    gpt_args_t a;
    window_args_t wa;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_GPT_make_guarded:
        return cspace_method_make_guarded(inv);
    case OP_GPT_get_slot:
        if ((err = decode_slot(inv, &a, false)) == ERR_OK)
            gpt_invoke_get_slot(inv, &a);
        return err;
    case OP_GPT_set_slot:
        if ((err = decode_slot(inv, &a, true)) == ERR_OK)
            gpt_invoke_set_slot(inv, &a);
        return err;
    case OP_GPT_get_l2v:
        if ((err = gpt_decode_get_l2v(inv, &a)) == ERR_OK)
            gpt_invoke_get_l2v(inv, &a);
        return err;
    case OP_GPT_set_l2v:
        if ((err = gpt_decode_set_l2v(inv, &a)) == ERR_OK)
            gpt_invoke_set_l2v(inv, &a);
        return err;
    case OP_GPT_set_flags:
        if ((err = gpt_decode_set_flags(inv, &a)) == ERR_OK)
            gpt_invoke_set_flags(inv, &a);
        return err;
    case OP_GPT_make_window:
        if ((err = gpt_decode_make_window(inv, &wa)) == ERR_OK)
            gpt_invoke_make_window(inv, &wa);
        return err;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such GPT method");
    }
}
