/*
 * The evaluator, part four: object bodies. Each item is checked where it
 * is written; checks that need the whole system are in eval_check.c.
 */
#include "eval_int.h"

#include <assert.h>
#include <string.h>

#include "cairn/capregs.h"

#define PAGE ((uint64_t)CAIRN_PAGE_SIZE)

static const char *const item_words[] = {
    [IT_SIZE] = "size", [IT_AT] = "at", [IT_LINE] = "line",
    [IT_SIGNALS] = "signals", [IT_SLOT] = "slot", [IT_L2V] = "l2v",
    [IT_BACKGROUND] = "background", [IT_KEEPER] = "keeper",
    [IT_PROGRAM] = "program", [IT_PRIORITY] = "priority",
    [IT_STACK] = "stack", [IT_ARGS] = "args", [IT_MAP] = "map",
    [IT_STOPPED] = "stopped", [IT_CAPS] = "caps", [IT_CAPREG] = "register",
};

typedef struct {
    eval_t *e;
    mobj_t *o;
    scope_t *s;
    loc_t seen[IT_CAPREG + 1];     /* first position of each single item */
} body_t;

static void once(body_t *b, const item_t *it)
{
    if (it->kind == IT_SLOT || it->kind == IT_MAP || it->kind == IT_CAPREG)
        return;
    loc_t *first = &b->seen[it->kind];
    if (first->file)
        mki_fail(b->e->m, it->loc, "'%s' is given twice in %s '%s' (first at "
                 "%u:%u)\nkeep one of them", item_words[it->kind],
                 obj_kind_name(b->o->kind), b->o->name, first->line,
                 first->col);
    *first = it->loc;
}

static bool is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

static uint64_t want_size(body_t *b, const item_t *it, bool pow2)
{
    uint64_t v = eval_int(b->e, b->s, it->a, "the size");
    if (v == 0 || v % PAGE || (pow2 && !is_pow2(v)))
        mki_fail(b->e->m, it->a->loc, "size %llu is not %s\nwrite a %s, e.g. "
                 "'size 64 KiB'", (unsigned long long)v,
                 pow2 ? "a power of two of at least one page"
                      : "a whole number of pages",
                 pow2 ? "power of two (4 KiB, 8 KiB, ...)" : "multiple of 4 KiB");
    if (v > (1ull << 40))
        mki_fail(b->e->m, it->a->loc, "size %llu is larger than 1 TiB\n"
                 "use a smaller size", (unsigned long long)v);
    return v;
}

/* A capability stored somewhere other than a process's registers. */
static mcap_t stored_cap(body_t *b, const expr_t *x, const char *what)
{
    mcap_t c = eval_cap(b->e, b->s, x, what);
    if (c.obj && c.obj->ram)
        mki_fail(b->e->m, x->loc, "'ram' can only go in a process's caps "
                 "block\ngive it to the process that manages memory, e.g. "
                 "'caps { pool = ram; }'");
    return c;
}

/* ---- Cappages and GPTs ----------------------------------------------------- */

static void add_slot(body_t *b, uint64_t index, mcap_t cap, loc_t loc,
                     uint64_t limit, const char *limit_why)
{
    if (index >= limit)
        mki_fail(b->e->m, loc, "slot %llu is out of range\n%s",
                 (unsigned long long)index, limit_why);
    for (size_t i = 0; i < b->o->slots.n; i++)
        if (b->o->slots.v[i].index == index)
            mki_fail(b->e->m, loc, "slot %llu is already set (at %u:%u)\n"
                     "each slot holds one capability; use another slot",
                     (unsigned long long)index, b->o->slots.v[i].loc.line,
                     b->o->slots.v[i].loc.col);
    mslot_t sl = { (uint32_t)index, NULL, cap, loc };
    VEC_PUSH(&b->e->m->arena, &b->o->slots, sl);
}

static void cappage_item(body_t *b, const item_t *it)
{
    uint64_t limit = CAIRN_CAPPAGE_SLOTS;
    uint64_t index = eval_int(b->e, b->s, it->a, "a slot number");
    add_slot(b, index, stored_cap(b, it->b, "a cappage slot"), it->a->loc,
             limit, arena_printf(&b->e->m->arena, "a cappage has %llu slots, "
                                 "numbered from 0", (unsigned long long)limit));
}

static void gpt_item(body_t *b, const item_t *it)
{
    static const char range[] = "a gpt has 16 slots, numbered 0 to 15";
    static_assert(CAIRN_GPT_SLOTS == 16, "the range text above");
    switch (it->kind) {
    case IT_L2V: {
        uint64_t v = eval_int(b->e, b->s, it->a, "l2v");
        if (v < CAIRN_L2V_MIN || v > CAIRN_L2V_MAX)
            mki_fail(b->e->m, it->a->loc, "l2v %llu is out of range\nl2v is "
                     "log2 of the span of one slot: %u to %u",
                     (unsigned long long)v, CAIRN_L2V_MIN, CAIRN_L2V_MAX);
        b->o->l2v = (uint32_t)v;
        return;
    }
    case IT_BACKGROUND:
        b->o->background = true;
        add_slot(b, CAIRN_GPT_BG_SLOT, stored_cap(b, it->a, "the background "
                 "space"), it->loc, CAIRN_GPT_SLOTS, range);
        return;
    case IT_KEEPER: {
        mcap_t k = stored_cap(b, it->a, "a keeper");
        if (k.type != CAP_ENTRY)
            mki_fail(b->e->m, it->a->loc, "a keeper must be an entry "
                     "capability, not %s\nwrite 'keeper entry(ENDPOINT);'",
                     model_cap_str(&b->e->m->arena, &k));
        b->o->has_keeper = true;
        add_slot(b, CAIRN_GPT_KEEPER_SLOT, k, it->loc, CAIRN_GPT_SLOTS, range);
        return;
    }
    default: {
        uint64_t index = eval_int(b->e, b->s, it->a, "a slot number");
        add_slot(b, index, stored_cap(b, it->b, "a gpt slot"), it->a->loc,
                 CAIRN_GPT_SLOTS, range);
        return;
    }
    }
}

/* ---- Processes ---------------------------------------------------------------- */

static void capreg_item(body_t *b, const item_t *it, uint32_t *next)
{
    eval_t *e = b->e;
    uint64_t index = it->has_index ? it->index : *next;
    loc_t at = it->has_index ? it->index_loc : it->loc;
    if (index == CAIRN_CR_NULL)
        mki_fail(e->m, at, "capability register 0 always reads as Null\n"
                 "use registers 1 to %u (by convention 8 and up for the "
                 "program's own, libsys/include/cairn/capregs.h)",
                 CAIRN_CAP_REGS - 1);
    if (index >= CAIRN_CAP_REGS)
        mki_fail(e->m, at, "capability register %llu is out of range\n"
                 "a process has %u capability registers, numbered 0 to %u",
                 (unsigned long long)index, CAIRN_CAP_REGS,
                 CAIRN_CAP_REGS - 1);
    for (size_t i = 0; i < b->o->slots.n; i++) {
        const mslot_t *r = &b->o->slots.v[i];
        if (r->index == index)
            mki_fail(e->m, at, "capability register %llu already holds '%s' "
                     "(at %u:%u)\ngive this one another number",
                     (unsigned long long)index, r->name, r->loc.line,
                     r->loc.col);
        if (strcmp(r->name, it->str) == 0)
            mki_fail(e->m, it->loc, "capability register name '%s' is used "
                     "twice in process '%s'\nname each register differently",
                     it->str, b->o->name);
    }
    mcap_t c = eval_cap(e, b->s, it->a, "a capability register");
    if (c.obj && c.obj->ram) {
        if (e->model->ram_holder)
            mki_fail(e->m, it->a->loc, "the remaining RAM is already given "
                     "to '%s'\nit can go to one process only (normally the "
                     "space bank)", e->model->ram_holder->name);
        e->model->ram_holder = b->o;
    }
    mslot_t r = { (uint32_t)index, it->str, c, it->loc };
    VEC_PUSH(&e->m->arena, &b->o->slots, r);
    *next = (uint32_t)index + 1;
}

/* map OBJECT [restrictions] at ADDRESS: restrictions apply to the mapping. */
static void map_item(body_t *b, const item_t *it)
{
    eval_t *e = b->e;
    const expr_t *x = it->a;
    unsigned restr = 0;
    for (; x->kind == EX_RESTRICT; x = x->lhs)
        restr |= x->kw == KW_READ_ONLY ? RESTR_READ_ONLY
               : x->kw == KW_WEAK ? RESTR_WEAK | RESTR_READ_ONLY
               : x->kw == KW_NO_EXECUTE ? RESTR_NO_EXECUTE
               : x->kw == KW_OPAQUE ? RESTR_OPAQUE : RESTR_NO_CALL;
    value_t v = eval_expr(e, b->s, x);
    mcap_t c = v.kind == VAL_OBJECT && v.obj->kind == OBJ_KIND_PAGE
             ? (mcap_t){ .type = CAP_PAGE, .obj = v.obj, .l2g = CAIRN_PAGE_BITS }
             : value_to_cap(e, v, x->loc, "a mapped object");
    bool device = c.obj && c.obj->kind == OBJ_KIND_DEVICE;
    if (!device && c.type != CAP_PAGE && c.type != CAP_CAPPAGE &&
        c.type != CAP_GPT)
        mki_fail(e->m, x->loc, "only pages, devices, cappages and gpts can be "
                 "mapped, not %s\nmap a memory object, or put this capability "
                 "in the caps block", model_cap_str(&e->m->arena, &c));
    if (c.obj && c.obj->ram)
        mki_fail(e->m, x->loc, "'ram' cannot be mapped\ngive it in the caps "
                 "block instead");
    if (restr & (RESTR_OPAQUE | RESTR_NO_CALL) && c.type != CAP_GPT)
        mki_fail(e->m, it->a->loc, "opaque and no_call apply to gpts only\n"
                 "use read_only, weak or no_execute here");
    c.restr |= (uint8_t)restr;
    c.loc = x->loc;
    uint64_t addr = eval_int(e, b->s, it->b, "the address");
    if (addr % PAGE)
        mki_fail(e->m, it->b->loc, "address 0x%llx is not page aligned\n"
                 "use a multiple of 0x1000", (unsigned long long)addr);
    mmap_t mp = { c, addr, it->loc };
    VEC_PUSH(&e->m->arena, &b->o->maps, mp);
}

static void process_item(body_t *b, const item_t *it, uint32_t *next)
{
    eval_t *e = b->e;
    mobj_t *o = b->o;
    uint64_t v;
    switch (it->kind) {
    case IT_PROGRAM:
        o->program = it->str;
        o->program_dir = b->s->dir;
        o->program_loc = it->loc;
        return;
    case IT_PRIORITY:
        v = eval_int(e, b->s, it->a, "the priority");
        if (v > CAIRN_PRIO_MAX)
            mki_fail(e->m, it->a->loc, "priority %llu is above the kernel's "
                     "highest\nuse a priority from 0 to %u",
                     (unsigned long long)v, CAIRN_PRIO_MAX);
        o->priority = (uint32_t)v;
        return;
    case IT_STACK:
        v = eval_int(e, b->s, it->a, "the stack size");
        if (v == 0 || v % PAGE || v > MKI_MAX_STACK)
            mki_fail(e->m, it->a->loc, "stack size %llu is not a whole "
                     "number of pages up to 64 MiB\nwrite e.g. 'stack 16 KiB;'",
                     (unsigned long long)v);
        o->stack = v;
        return;
    case IT_KEEPER:
        o->keeper = eval_cap(e, b->s, it->a, "a keeper");
        if (o->keeper.type != CAP_ENTRY)
            mki_fail(e->m, it->a->loc, "a keeper must be an entry capability, "
                     "not %s\nwrite 'keeper entry(ENDPOINT);'",
                     model_cap_str(&e->m->arena, &o->keeper));
        o->has_keeper = true;
        return;
    case IT_ARGS:
        if (it->nlist > MKI_MAX_ARGS)
            mki_fail(e->m, it->list[MKI_MAX_ARGS]->loc, "a process takes at "
                     "most %d start arguments\nremove the extra ones",
                     MKI_MAX_ARGS);
        for (size_t i = 0; i < it->nlist; i++)
            o->args[i] = eval_int(e, b->s, it->list[i], "a start argument");
        o->nargs = (uint32_t)it->nlist;
        return;
    case IT_MAP:
        map_item(b, it);
        return;
    case IT_STOPPED:
        o->stopped = true;
        return;
    default:
        for (size_t i = 0; i < it->nchildren; i++)
            capreg_item(b, &it->children[i], next);
        return;
    }
}

/* ---- Simple objects ------------------------------------------------------------ */

static void simple_item(body_t *b, const item_t *it)
{
    eval_t *e = b->e;
    mobj_t *o = b->o;
    switch (it->kind) {
    case IT_SIZE:
        o->size = want_size(b, it, o->kind != OBJ_KIND_PAGE);
        return;
    case IT_AT:
        o->phys = eval_int(e, b->s, it->a, "the physical address");
        if (o->phys % PAGE)
            mki_fail(e->m, it->a->loc, "device address 0x%llx is not page "
                     "aligned\nuse a multiple of 0x1000",
                     (unsigned long long)o->phys);
        return;
    case IT_LINE: {
        uint64_t v = eval_int(e, b->s, it->a, "the interrupt line");
        if (v > UINT32_MAX)
            mki_fail(e->m, it->a->loc, "interrupt line %llu is too large\n"
                     "use the platform's line number",
                     (unsigned long long)v);
        o->line = (uint32_t)v;
        return;
    }
    default:
        o->signals = stored_cap(b, it->a, "the notification an irq signals");
        if (o->signals.type != CAP_NOTIFICATION)
            mki_fail(e->m, it->a->loc, "an irq signals a notification, not "
                     "%s\nwrite 'signals signal(N, BITS)'",
                     model_cap_str(&e->m->arena, &o->signals));
        if (o->signals.payload == 0)
            mki_fail(e->m, it->a->loc, "an irq must say which bits it "
                     "signals\nwrite 'signals signal(N, BITS)' with BITS "
                     "not 0");
        o->has_signals = true;
        return;
    }
}

void eval_object_body(eval_t *e, mobj_t *o)
{
    if (!o->decl)
        return;
    body_t b = { .e = e, .o = o, .s = o->scope };
    uint32_t next_reg = CAIRN_CR_APP;
    o->priority = MKI_DEFAULT_PRIORITY;
    o->stack = MKI_DEFAULT_STACK;
    if (o->kind == OBJ_KIND_PAGE)
        o->size = PAGE;
    for (size_t i = 0; i < o->decl->nitems; i++) {
        const item_t *it = &o->decl->items[i];
        once(&b, it);
        e->current_process = o->kind == OBJ_KIND_PROCESS ? o : NULL;
        if (o->kind == OBJ_KIND_PROCESS)
            process_item(&b, it, &next_reg);
        else if (o->kind == OBJ_KIND_GPT)
            gpt_item(&b, it);
        else if (o->kind == OBJ_KIND_CAPPAGE)
            cappage_item(&b, it);
        else
            simple_item(&b, it);
    }
    e->current_process = NULL;
    if (o->kind == OBJ_KIND_GPT && !b.seen[IT_L2V].file)
        mki_fail(e->m, o->loc, "gpt '%s' has no l2v\nadd 'l2v N;' (log2 of "
                 "the span of one slot, at least %u)", o->name,
                 CAIRN_PAGE_BITS);
    if (o->kind == OBJ_KIND_DEVICE && o->phys & (o->size - 1))
        mki_fail(e->m, o->decl->items[0].a->loc, "device at 0x%llx is not "
                 "aligned to its size 0x%llx\na device region is naturally "
                 "aligned; split it into aligned regions",
                 (unsigned long long)o->phys, (unsigned long long)o->size);
}
