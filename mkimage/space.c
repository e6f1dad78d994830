/*
 * GPT tree construction (space.h).
 *
 * build() works on items sorted by address, all inside one slot of span
 * 2^span (2^64 at the root). If one item remains and its guard fits in a
 * capability, the item's own capability is placed, guarded. Otherwise a
 * GPT is made whose l2v is the smallest that puts the items' highest
 * differing address bit inside its 16 slots (and no item is larger than
 * a slot); its capability's guard holds the address bits the items share
 * above the GPT. Each level's l2v is at least 4 below its parent's, so
 * the recursion is at most 13 deep.
 */
#include "space.h"

#include <stdlib.h>

typedef struct {
    ibuild_t *b;
    const char *owner;
} space_t;

static int item_cmp(const void *pa, const void *pb)
{
    const space_item_t *a = pa, *b = pb;
    if (a->addr != b->addr)
        return a->addr < b->addr ? -1 : 1;
    /* Equal addresses: keep the order given, so errors are stable. */
    return a->loc.line != b->loc.line ? (a->loc.line < b->loc.line ? -1 : 1)
         : a->loc.col != b->loc.col ? (a->loc.col < b->loc.col ? -1 : 1) : 0;
}

static uint64_t relative(uint64_t addr, unsigned span)
{
    return span >= 64 ? addr : addr & ((1ull << span) - 1);
}

/* Can a capability with this l2g carry this guard? (kernel/cap/cap.h) */
static bool guard_fits(uint64_t guard, unsigned l2g)
{
    if (l2g >= 64)
        return guard == 0;
    return (guard >> 32) == 0 && (l2g <= 32 || (guard >> (64 - l2g)) == 0);
}

static unsigned top_bit(uint64_t x)
{
    unsigned b = 0;
    while (x >>= 1)
        b++;
    return b;
}

static icap_t build(space_t *s, space_item_t *it, size_t n, unsigned span);

static icap_t make_gpt(space_t *s, space_item_t *it, size_t n, unsigned span,
                       unsigned l2v)
{
    unsigned l2g = l2v + 4;
    uint64_t r0 = relative(it[0].addr, span);
    uint64_t guard = l2g >= 64 ? 0 : r0 >> l2g;
    if (!guard_fits(guard, l2g))
        mki_fail(s->b->m, it[0].loc, "%s at 0x%llx is too high for a guarded "
                 "address space\nuse addresses below 2^%u",
                 it[0].what, (unsigned long long)it[0].addr, l2g + 32);
    uint64_t base = l2g >= 64 ? 0 : it[0].addr & ~((1ull << l2g) - 1);
    uint32_t gi = layout_add_object(s->b, OBJ_GPT,
        arena_printf(&s->b->m->arena, "%s.space@0x%llx", s->owner,
                     (unsigned long long)base));
    icap_t *slots = arena_alloc(&s->b->m->arena, 16 * sizeof *slots);
    for (int k = 0; k < 16; k++)
        slots[k] = (icap_t){ .type = CAP_NULL, .object = IMG_NONE };
    for (size_t i = 0; i < n;) {
        uint64_t slot = (relative(it[i].addr, span) >> l2v) & 15;
        size_t j = i;
        while (j < n && ((relative(it[j].addr, span) >> l2v) & 15) == slot)
            j++;
        slots[slot] = build(s, it + i, j - i, l2v);
        i = j;
    }
    iobj_t *g = &s->b->objs.v[gi];
    g->b = l2v;
    g->caps = slots;
    g->ncaps = 16;
    return (icap_t){ .type = CAP_GPT, .l2g = (uint8_t)l2g,
                     .payload = (uint32_t)guard, .object = gi };
}

static icap_t build(space_t *s, space_item_t *it, size_t n, unsigned span)
{
    uint64_t r0 = relative(it[0].addr, span), diff = 0;
    unsigned biggest = CAIRN_PAGE_BITS;
    for (size_t i = 0; i < n; i++) {
        diff |= relative(it[i].addr, span) ^ r0;
        if (it[i].bits > biggest)
            biggest = it[i].bits;
    }
    if (n == 1 && guard_fits(r0 >> it[0].bits, it[0].bits)) {
        icap_t c = it[0].cap;
        c.l2g = (uint8_t)it[0].bits;
        c.payload = it[0].bits >= 64 ? 0 : (uint32_t)(r0 >> it[0].bits);
        return c;
    }
    unsigned l2v = biggest;
    if (n > 1 && top_bit(diff) >= 3 && top_bit(diff) - 3 > l2v)
        l2v = top_bit(diff) - 3;
    return make_gpt(s, it, n, span, l2v);
}

icap_t space_build(ibuild_t *b, const char *owner, space_item_t *items,
                   size_t n)
{
    space_t s = { b, owner };
    if (n == 0)
        return (icap_t){ .type = CAP_NULL, .object = IMG_NONE };
    qsort(items, n, sizeof *items, item_cmp);
    for (size_t i = 1; i < n; i++) {
        const space_item_t *p = &items[i - 1], *q = &items[i];
        uint64_t p_end = p->addr + (1ull << p->bits);
        if (q->addr < p_end)
            mki_fail(b->m, q->loc, "%s at 0x%llx overlaps %s at 0x%llx in "
                     "the address space of '%s'\nmove one of them to a free "
                     "address", q->what, (unsigned long long)q->addr, p->what,
                     (unsigned long long)p->addr, owner);
    }
    return build(&s, items, n, 64);
}
