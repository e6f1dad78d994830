/*
 * Host suite `gpt`: translation (guards, l2v, level skipping, restriction
 * accumulation, background windows, keeper selection, malformed spaces,
 * cycles, the step bound, weak capability loads) and the GPT methods with
 * their errors and invalidation hooks.
 */
#include <string.h>

#include "harness.h"
#include "host_env.h"
#include "obj/gpt.h"
#include "obj/untyped.h"

static cap_t ut;

static void fresh(void)
{
    host_env_reset();
    ut = host_untyped(22);
}

static cap_t make(obj_type_t t)
{
    cap_t c = cap_null();
    untyped_retype(&ut, t, 0, 1, &c);
    return c;
}

static cap_t gpt_new(unsigned l2v, unsigned flags)
{
    cap_t c = make(OBJ_GPT);
    gpt_t *g = obj_ptr(c.obj);
    g->l2v = (uint8_t)l2v;
    g->flags = (uint8_t)flags;
    return c;
}

static void put(const cap_t *g, unsigned slot, cap_t c)
{
    gpt_set_slot(obj_ptr(g->obj), slot, c);
}

static cap_t guarded(cap_t c, uint64_t guard, unsigned l2g)
{
    cap_make_guarded(&c, guard, l2g);
    return c;
}

HOST_TEST(gpt, worked_example)
{
    /* docs/spec/address-spaces.md walks this one step by step. */
    fresh();
    cap_t g1 = gpt_new(28, 0), g2 = gpt_new(20, 0), g3 = gpt_new(16, 0);
    cap_t page = make(OBJ_PAGE);
    cap_t root = guarded(g1, 0, 32);
    cap_t g2c = guarded(g2, 0x2, 24);
    cap_restrict(&g2c, RESTR_READ_ONLY);
    cap_t pc = guarded(page, 0x5, 12);
    cap_restrict(&pc, RESTR_NO_EXECUTE);
    put(&g1, 1, g2c);
    put(&g2, 3, guarded(g3, 0, 20));
    put(&g3, 4, pc);
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&root, 0x12345678, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.leaf.obj, page.obj);
    CHECK_EQ(w.offset, 0x678);
    CHECK_EQ(w.restr, RESTR_READ_ONLY | RESTR_NO_EXECUTE);
    CHECK_EQ(w.steps, 3);
    CHECK_EQ(w.path[0].gpt, g1.obj);
    CHECK_EQ(w.path[0].slot, 1);
    CHECK_EQ(w.path[1].slot, 3);
    CHECK_EQ(w.path[2].gpt, g3.obj);
    CHECK_EQ(w.path[2].slot, 4);
    CHECK_EQ(gpt_walk(&root, 0x12345678, WALK_WRITE, &w), ERR_ACCESS);
    CHECK_EQ(gpt_walk(&root, 0x12345678, WALK_EXEC, &w), ERR_ACCESS);
    CHECK_EQ(gpt_walk(&root, 0x12346678, WALK_READ, &w), ERR_INVALID_ADDRESS);  /* page guard */
    CHECK_EQ(gpt_walk(&root, 0x13345678, WALK_READ, &w), ERR_INVALID_ADDRESS);  /* G2 guard */
    CHECK_EQ(gpt_walk(&root, 0x100000000ull, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(gpt_walk(&root, 0x22345678, WALK_READ, &w), ERR_INVALID_ADDRESS);  /* Null slot */
    CHECK(strcmp(w.reason, "Null capability in the space") == 0);
}

HOST_TEST(gpt, slot_limits_and_large_l2v)
{
    fresh();
    cap_t g = gpt_new(12, 0), page = make(OBJ_PAGE);
    for (unsigned i = 0; i < 16; i++)
        put(&g, i, page);
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&g, 15 * 4096 + 8, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.offset, 8);
    CHECK_EQ(gpt_walk(&g, 16 * 4096, WALK_READ, &w), ERR_INVALID_ADDRESS);
    ((gpt_t *)obj_ptr(g.obj))->flags = CAIRN_GPT_BG;
    CHECK_EQ(gpt_walk(&g, 7 * 4096, WALK_READ, &w), ERR_OK);
    CHECK_EQ(gpt_walk(&g, 8 * 4096, WALK_READ, &w), ERR_INVALID_ADDRESS);
    cap_t top = gpt_new(63, 0);                /* two halves of the 2^64 space */
    put(&top, 1, guarded(page, 0x7ffffffffffffull >> 19, 44));
    CHECK_EQ(gpt_walk(&top, 0xffffffffffffffffull, WALK_READ, &w), ERR_INVALID_ADDRESS);
    put(&top, 1, guarded(page, 0xffffffffu, 31));
    CHECK_EQ(gpt_walk(&top, 0xfffffffffffff123ull, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(gpt_walk(&top, 0x8000000000000123ull, WALK_READ, &w), ERR_INVALID_ADDRESS);
}

HOST_TEST(gpt, level_skipping_by_guard)
{
    fresh();
    cap_t top = gpt_new(40, 0), leaf = gpt_new(12, 0), page = make(OBJ_PAGE);
    put(&top, 2, guarded(leaf, 0xabcd, 16));   /* skips 24 bits of levels */
    put(&leaf, 9, page);
    gpt_walk_t w;
    uint64_t addr = (2ull << 40) | (0xabcdull << 16) | 0x9000 | 0x42;
    CHECK_EQ(gpt_walk(&top, addr, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.offset, 0x42);
    CHECK_EQ(w.steps, 2);
    CHECK_EQ(gpt_walk(&top, addr ^ (1ull << 20), WALK_READ, &w), ERR_INVALID_ADDRESS);
}

HOST_TEST(gpt, malformed_spaces)
{
    fresh();
    cap_t g = gpt_new(12, 0);
    put(&g, 0, make(OBJ_ENDPOINT));
    put(&g, 1, (cap_t){ .type = CAP_LOG });
    cap_t bad = make(OBJ_PAGE);
    bad.l2g = 3;
    put(&g, 2, bad);
    cap_t dead = make(OBJ_PAGE);
    dead.gen++;
    put(&g, 3, dead);
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&g, 0x0000, WALK_READ, &w), ERR_MALFORMED_SPACE);
    CHECK_EQ(gpt_walk(&g, 0x1000, WALK_READ, &w), ERR_MALFORMED_SPACE);
    CHECK_EQ(gpt_walk(&g, 0x2000, WALK_READ, &w), ERR_MALFORMED_SPACE);
    CHECK_EQ(gpt_walk(&g, 0x3000, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK(strcmp(w.reason, "revoked capability in the space") == 0);
    cap_t nul = cap_null();
    CHECK_EQ(gpt_walk(&nul, 0, WALK_READ, &w), ERR_INVALID_ADDRESS);
}

HOST_TEST(gpt, cycles_end_in_malformed_space)
{
    fresh();
    cap_t g = gpt_new(12, 0);
    put(&g, 0, g);                              /* contains itself */
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&g, 0x10, WALK_READ, &w), ERR_MALFORMED_SPACE);
    CHECK_EQ(w.steps, GPT_WALK_MAX);
    cap_t a = gpt_new(12, 0), b = gpt_new(12, 0);
    put(&a, 0, b);
    put(&b, 0, a);
    CHECK_EQ(gpt_walk(&a, 0, WALK_READ, &w), ERR_MALFORMED_SPACE);
}

HOST_TEST(gpt, walk_bound_is_32_steps)
{
    fresh();
    cap_t chain[40], page = make(OBJ_PAGE);
    for (unsigned i = 0; i < 40; i++)
        chain[i] = gpt_new(12, 0);
    for (unsigned i = 0; i + 1 < 40; i++)
        put(&chain[i], 0, chain[i + 1]);
    put(&chain[GPT_WALK_MAX - 1], 0, page);    /* 32 GPTs, then the page */
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&chain[0], 0x10, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.steps, GPT_WALK_MAX);
    put(&chain[GPT_WALK_MAX - 1], 0, chain[GPT_WALK_MAX]);
    put(&chain[GPT_WALK_MAX], 0, page);        /* 33 GPTs: too long */
    CHECK_EQ(gpt_walk(&chain[0], 0x10, WALK_READ, &w), ERR_MALFORMED_SPACE);
}

HOST_TEST(gpt, background_window)
{
    fresh();
    cap_t top = gpt_new(20, CAIRN_GPT_BG), child = gpt_new(12, 0), bg = gpt_new(12, 0);
    cap_t p3 = make(OBJ_PAGE), own = make(OBJ_PAGE);
    put(&top, CAIRN_GPT_BG_SLOT, bg);
    put(&top, 0, child);
    put(&bg, 3, p3);
    put(&child, 1, own);
    cap_t win;
    CHECK_EQ(cap_make_window(0x3000, 0, 12, 0, &win), ERR_OK);
    put(&child, 2, win);
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&top, 0x2010, WALK_WRITE, &w), ERR_OK);
    CHECK_EQ(w.leaf.obj, p3.obj);
    CHECK_EQ(w.offset, 0x10);
    CHECK_EQ(w.steps, 4);
    CHECK_EQ(w.path[2].gpt, top.obj);
    CHECK_EQ(w.path[2].slot, CAIRN_GPT_BG_SLOT);
    CHECK_EQ(gpt_walk(&top, 0x1010, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.leaf.obj, own.obj);
    /* Restrictions on the window accumulate. */
    CHECK_EQ(cap_make_window(0x3000, 0, 12, RESTR_READ_ONLY, &win), ERR_OK);
    put(&child, 2, win);
    CHECK_EQ(gpt_walk(&top, 0x2010, WALK_WRITE, &w), ERR_ACCESS);
    /* No background GPT above the window: malformed. */
    ((gpt_t *)obj_ptr(top.obj))->flags = 0;
    CHECK_EQ(gpt_walk(&top, 0x2010, WALK_READ, &w), ERR_MALFORMED_SPACE);
    /* A window that leads back to itself hits the bound. */
    ((gpt_t *)obj_ptr(top.obj))->flags = CAIRN_GPT_BG;
    CHECK_EQ(cap_make_window(0x100000, 0, 20, 0, &win), ERR_OK);
    put(&top, CAIRN_GPT_BG_SLOT, top);
    put(&top, 1, win);
    CHECK_EQ(gpt_walk(&top, 0x100000, WALK_READ, &w), ERR_MALFORMED_SPACE);
    CHECK_EQ(cap_make_window(0x3001, 0, 12, 0, &win), ERR_ALIGNMENT);
    CHECK_EQ(cap_make_window(1, 0, 64, 0, &win), ERR_ALIGNMENT);
}

HOST_TEST(gpt, keeper_selection)
{
    fresh();
    cap_t g1 = gpt_new(20, CAIRN_GPT_HA), g2 = gpt_new(12, CAIRN_GPT_HA);
    cap_t page = make(OBJ_PAGE), entry = cap_make(CAP_ENTRY, make(OBJ_ENDPOINT).obj);
    put(&g1, CAIRN_GPT_KEEPER_SLOT, entry);
    put(&g2, CAIRN_GPT_KEEPER_SLOT, entry);
    put(&g1, 3, g2);
    put(&g2, 1, page);
    gpt_walk_t w;
    CHECK_EQ(gpt_walk(&g1, 0x302000, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(w.keeper_gpt, g2.obj);                 /* innermost */
    CHECK_EQ(w.keeper_addr, 0x2000);                /* relative to G2 */
    cap_t g2nc = g2;
    cap_restrict(&g2nc, RESTR_NO_CALL);
    put(&g1, 3, g2nc);
    CHECK_EQ(gpt_walk(&g1, 0x302000, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(w.keeper_gpt, g1.obj);                 /* NO_CALL hides G2 */
    CHECK_EQ(w.keeper_addr, 0x302000);
    cap_t g2ro = g2;
    cap_restrict(&g2ro, RESTR_READ_ONLY);
    put(&g1, 3, g2ro);
    CHECK_EQ(gpt_walk(&g1, 0x301000, WALK_READ, &w), ERR_OK);
    CHECK_EQ(w.keeper_gpt, OBJ_REF_NONE);
    CHECK_EQ(gpt_walk(&g1, 0x301000, WALK_WRITE, &w), ERR_ACCESS);
    CHECK_EQ(w.keeper_gpt, g1.obj);                 /* G2 cannot fix a read-only path */
    CHECK_EQ(gpt_walk(&g1, 0x302000, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(w.keeper_gpt, g2.obj);                 /* ... but may fix a missing page */
    cap_t g1nc = g1;
    cap_restrict(&g1nc, RESTR_NO_CALL);
    CHECK_EQ(gpt_walk(&g1nc, 0x302000, WALK_READ, &w), ERR_INVALID_ADDRESS);
    CHECK_EQ(w.keeper_gpt, OBJ_REF_NONE);
    CHECK_EQ(gpt_walk(&g1, 0xf00000, WALK_READ, &w), ERR_MALFORMED_SPACE);  /* keeper slot */
}

HOST_TEST(gpt, weak_levels_weaken_capability_loads)
{
    fresh();
    cap_t self;
    process_t *p = host_process(&ut, &self);
    cap_t top = gpt_new(16, 0), mid = gpt_new(12, 0), cp = make(OBJ_CAPPAGE);
    cap_t midw = mid;
    cap_restrict(&midw, RESTR_WEAK);
    put(&top, 1, midw);
    put(&mid, 2, cp);
    host_cappage(&cp)[1] = make(OBJ_GPT);
    host_cappage(&cp)[2] = self;
    p->space = top;
    p->cap_regs[2] = self;
    uint64_t w1[2] = { CAPLOC_MEM(0x12010), CAPLOC_REG(5) }, w2[2] = { CAPLOC_MEM(0x12020), CAPLOC_REG(6) };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_copy, 2, w1, NULL), ERR_OK);
    CHECK_EQ(p->cap_regs[5].restr, RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_copy, 2, w2, NULL), ERR_OK);
    CHECK_EQ(p->cap_regs[6].type, CAP_NULL);
    uint64_t w3[2] = { CAPLOC_REG(2), CAPLOC_MEM(0x12030) };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_copy, 2, w3, NULL), ERR_ACCESS);
}

static unsigned hook_calls;
static uint32_t hook_mask;
static void record_hook(gpt_t *g, uint32_t mask) { (void)g; hook_calls++; hook_mask = mask; }

HOST_TEST(gpt, methods_and_invalidation)
{
    fresh();
    cap_t self;
    process_t *p = host_process(&ut, &self);
    gpt_set_invalidate_hook(record_hook);
    p->cap_regs[3] = make(OBJ_GPT);
    p->cap_regs[4] = make(OBJ_PAGE);
    msg_t m = host_msg(OP_GPT_set_slot, 1, 5ull);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(4);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OK);
    CHECK_EQ(hook_calls, 1);
    CHECK_EQ(hook_mask, 1u << 5);
    m = host_msg(OP_GPT_get_slot, 1, 5ull);
    m.recv[0] = CAPLOC_REG(6);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OK);
    CHECK(cap_same_object(&p->cap_regs[6], &p->cap_regs[4]));
    m = host_msg(OP_GPT_get_slot, 1, 16ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_call(p, 3, OP_GPT_set_l2v, 1, (uint64_t[]){ 11 }, NULL), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_call(p, 3, OP_GPT_set_l2v, 1, (uint64_t[]){ 64 }, NULL), ERR_OUT_OF_RANGE);
    CHECK_EQ(hook_calls, 1);
    CHECK_EQ(host_call(p, 3, OP_GPT_set_l2v, 1, (uint64_t[]){ 30 }, NULL), ERR_OK);
    CHECK_EQ(hook_calls, 2);
    CHECK_EQ(hook_mask, GPT_ALL_SLOTS);
    CHECK_EQ(host_call(p, 3, OP_GPT_set_flags, 1, (uint64_t[]){ 4 }, NULL), ERR_INVALID_ARGUMENT);
    CHECK_EQ(host_call(p, 3, OP_GPT_set_flags, 1, (uint64_t[]){ 3 }, NULL), ERR_OK);
    CHECK_EQ(hook_calls, 3);
    CHECK_EQ(host_call(p, 3, OP_GPT_get_l2v, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.nwords, 2);
    CHECK_EQ(m.words[0], 30);
    CHECK_EQ(m.words[1], 3);
    /* Read-only: no changes. Opaque: no slot or structure access at all. */
    p->cap_regs[7] = p->cap_regs[3];
    cap_restrict(&p->cap_regs[7], RESTR_READ_ONLY);
    CHECK_EQ(host_call(p, 7, OP_GPT_set_l2v, 1, (uint64_t[]){ 20 }, NULL), ERR_NO_RIGHTS);
    CHECK_EQ(host_call(p, 7, OP_GPT_set_flags, 1, (uint64_t[]){ 0 }, NULL), ERR_NO_RIGHTS);
    m = host_msg(OP_GPT_set_slot, 1, 5ull);
    m.ncaps = 1;
    CHECK_EQ(host_invoke(p, CAPLOC_REG(7), &m, NULL), ERR_NO_RIGHTS);
    m = host_msg(OP_GPT_get_slot, 1, 5ull);
    m.recv[0] = CAPLOC_REG(8);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(7), &m, NULL), ERR_OK);
    p->cap_regs[9] = p->cap_regs[3];
    cap_restrict(&p->cap_regs[9], RESTR_OPAQUE);
    m = host_msg(OP_GPT_get_slot, 1, 5ull);
    m.recv[0] = CAPLOC_REG(8);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_NO_RIGHTS);
    CHECK_EQ(host_call(p, 9, OP_GPT_set_l2v, 1, (uint64_t[]){ 20 }, NULL), ERR_NO_RIGHTS);
    CHECK_EQ(host_call(p, 9, OP_GPT_get_l2v, 0, NULL, NULL), ERR_OK);
    m = host_msg(OP_GPT_make_guarded, 2, 0ull, 40ull);
    m.recv[0] = CAPLOC_REG(10);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(p->cap_regs[10].restr, RESTR_OPAQUE);
    CHECK_EQ(hook_calls, 3);
    /* Windows. */
    m = host_msg(OP_GPT_make_window, 4, 0x100000ull, 0ull, 20ull, (uint64_t)RESTR_READ_ONLY);
    m.recv[0] = CAPLOC_REG(11);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OK);
    CHECK_EQ(p->cap_regs[11].type, CAP_WINDOW);
    CHECK_EQ(cap_window_offset(&p->cap_regs[11]), 0x100000);
    CHECK_EQ(p->cap_regs[11].restr, RESTR_READ_ONLY);
    m = host_msg(OP_GPT_make_window, 4, 0x1000ull, 0ull, 20ull, 0ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_ALIGNMENT);
    m = host_msg(OP_GPT_make_window, 4, 0ull, 0ull, 65ull, 0ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OUT_OF_RANGE);
    m = host_msg(OP_GPT_make_window, 4, 0ull, 0ull, 20ull, 0x80ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_INVALID_ARGUMENT);
    m = host_msg(OP_GPT_make_window, 4, 0ull, 1ull, 64ull, 0ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_INVALID_ARGUMENT);
    /* Destroying the GPT invalidates everything derived from it. */
    CHECK_EQ(untyped_revoke_step(&ut, 100000), true);
    CHECK_EQ(hook_mask, GPT_ALL_SLOTS);
}
