/*
 * Host suite `cap`: capability values (restrict, guard, weaken, validity)
 * and the capability-space operations through kernel_invoke (copy,
 * restrict, delete, load and store through caplocs, weak loads, Discrim).
 *
 * Register conventions here: 1 root Untyped, 2 the process itself,
 * 3..5 its space (GPT, CapPage, Page).
 */
#include <string.h>

#include "cap/cap.h"
#include "harness.h"
#include "host_env.h"
#include "mem/frame.h"
#include "obj/gpt.h"
#include "obj/untyped.h"

static process_t *world(void)
{
    cap_t ut, self;
    host_env_reset();
    ut = host_untyped(22);
    process_t *p = host_process(&ut, &self);
    p->cap_regs[1] = ut;
    p->cap_regs[2] = self;
    host_space(p, 1, 3);
    return p;
}

static cap_t endpoint_cap(process_t *p)
{
    cap_t c = cap_null();
    if (untyped_retype(&p->cap_regs[1], OBJ_ENDPOINT, 0, 1, &c) != ERR_OK)
        return cap_null();
    return c;
}

static cairn_error_t call2(process_t *p, uint64_t op, uint64_t a, uint64_t b)
{
    uint64_t w[2] = { a, b };
    return host_call(p, 2, op, 2, w, NULL);
}

HOST_TEST(cap, null_is_all_zero_and_invalid)
{
    cap_t z;
    memset(&z, 0, sizeof z);
    CHECK_EQ(sizeof(cap_t), 16);
    CHECK(cap_is_null(&z));
    CHECK_EQ(cap_check(&z), ERR_INVALID_CAP);
    cap_t bogus = { .type = CAP_TYPE_COUNT };
    CHECK_EQ(cap_check(&bogus), ERR_INVALID_CAP);
}

HOST_TEST(cap, restrict_only_adds)
{
    cap_t c = { .type = CAP_GPT, .l2g = 64 };
    CHECK_EQ(cap_restrict(&c, RESTR_NO_EXECUTE), ERR_OK);
    CHECK_EQ(c.restr, RESTR_NO_EXECUTE);
    CHECK_EQ(cap_restrict(&c, 0), ERR_OK);
    CHECK_EQ(c.restr, RESTR_NO_EXECUTE);
    CHECK_EQ(cap_restrict(&c, RESTR_WEAK), ERR_OK);
    CHECK_EQ(c.restr, RESTR_NO_EXECUTE | RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(cap_restrict(&c, 0x40), ERR_INVALID_ARGUMENT);
    CHECK_EQ(c.restr, RESTR_NO_EXECUTE | RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(cap_restrict(&c, CAIRN_RESTR_ALL), ERR_OK);
    CHECK_EQ(c.restr, CAIRN_RESTR_ALL);
}

HOST_TEST(cap, guard_rules)
{
    cap_t c = { .type = CAP_PAGE, .restr = RESTR_READ_ONLY, .l2g = 64 };
    CHECK_EQ(cap_make_guarded(&c, 0, 11), ERR_OUT_OF_RANGE);
    CHECK_EQ(cap_make_guarded(&c, 0, 65), ERR_OUT_OF_RANGE);
    CHECK_EQ(cap_make_guarded(&c, 1, 64), ERR_INVALID_ARGUMENT);
    CHECK_EQ(cap_make_guarded(&c, 1ull << 24, 40), ERR_INVALID_ARGUMENT);
    CHECK_EQ(cap_make_guarded(&c, 1ull << 32, 12), ERR_INVALID_ARGUMENT);
    CHECK_EQ(c.l2g, 64);   /* failures change nothing */
    CHECK_EQ(cap_make_guarded(&c, (1ull << 24) - 1, 40), ERR_OK);
    CHECK_EQ(c.l2g, 40);
    CHECK_EQ(c.payload, (1u << 24) - 1);
    CHECK_EQ(c.restr, RESTR_READ_ONLY);
    CHECK_EQ(cap_make_guarded(&c, 0xffffffffu, 12), ERR_OK);
    CHECK_EQ(cap_make_guarded(&c, 0, 64), ERR_OK);
    cap_t e = { .type = CAP_ENDPOINT };
    CHECK_EQ(cap_make_guarded(&e, 0, 20), ERR_WRONG_TYPE);
}

HOST_TEST(cap, weaken_follows_coyotos)
{
    cap_t page = { .type = CAP_PAGE }, gpt = { .type = CAP_GPT },
          cp = { .type = CAP_CAPPAGE }, d = { .type = CAP_DISCRIM },
          w = { .type = CAP_WINDOW, .obj = 5 };
    CHECK_EQ(cap_weaken(page).restr, RESTR_READ_ONLY);
    CHECK_EQ(cap_weaken(gpt).restr, RESTR_READ_ONLY | RESTR_WEAK);
    CHECK_EQ(cap_weaken(cp).restr, RESTR_READ_ONLY | RESTR_WEAK);
    CHECK_EQ(cap_weaken(d).type, CAP_DISCRIM);
    CHECK_EQ(cap_weaken(w).obj, 5);
    CHECK_EQ(cap_weaken(cap_null()).type, CAP_NULL);
    static const cap_type_t gone[] = { CAP_UNTYPED, CAP_ENDPOINT, CAP_ENTRY, CAP_PROCESS,
        CAP_NOTIFICATION, CAP_REPLY, CAP_IRQ_CONTROL, CAP_IRQ_HANDLER, CAP_SCHEDULE, CAP_LOG };
    for (unsigned i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        cap_t c = { .type = (uint8_t)gone[i], .obj = 77, .gen = 1 };
        CHECK_MSG(cap_weaken(c).type == CAP_NULL && cap_weaken(c).obj == 0,
                  "type %u survives weakening", gone[i]);
    }
}

HOST_TEST(cap, validity_is_the_frame_generation)
{
    process_t *p = world();
    cap_t e = endpoint_cap(p);
    CHECK_EQ(cap_check(&e), ERR_OK);
    cap_t stateless = { .type = CAP_LOG };
    CHECK_EQ(cap_check(&stateless), ERR_OK);
    frame_bump_gen(cap_obj_frame(&e));
    CHECK_EQ(cap_check(&e), ERR_REVOKED);
    cap_t fresh = cap_make(CAP_ENDPOINT, e.obj);
    CHECK_EQ(cap_check(&fresh), ERR_OK);
    cap_t nowhere = { .type = CAP_ENDPOINT, .obj = 0xffffffc0u, .gen = 1 };
    CHECK_EQ(cap_check(&nowhere), ERR_REVOKED);
}

HOST_TEST(cap, copy_between_registers_and_cappages)
{
    process_t *p = world();
    cap_t *slots = host_cappage(&p->cap_regs[4]);
    p->cap_regs[6] = endpoint_cap(p);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_REG(7)), ERR_OK);
    CHECK(memcmp(&p->cap_regs[6], &p->cap_regs[7], sizeof(cap_t)) == 0);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(7), CAPLOC_MEM(0x20)), ERR_OK);
    CHECK(memcmp(&slots[2], &p->cap_regs[6], sizeof(cap_t)) == 0);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_MEM(0x20), CAPLOC_MEM(0xff0)), ERR_OK);
    CHECK(memcmp(&slots[255], &p->cap_regs[6], sizeof(cap_t)) == 0);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_MEM(0xff0), CAPLOC_REG(8)), ERR_OK);
    CHECK(memcmp(&p->cap_regs[8], &p->cap_regs[6], sizeof(cap_t)) == 0);
}

HOST_TEST(cap, register_zero_reads_null_and_ignores_writes)
{
    process_t *p = world();
    p->cap_regs[6] = endpoint_cap(p);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_REG(0)), ERR_OK);
    CHECK(cap_is_null(&p->cap_regs[0]));
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(0), CAPLOC_REG(6)), ERR_OK);
    CHECK(cap_is_null(&p->cap_regs[6]));
    msg_t m = host_msg(OP_DISCRIM_type, 0);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(0), &m, NULL), ERR_INVALID_CAP);
}

HOST_TEST(cap, copy_errors)
{
    process_t *p = world();
    p->cap_regs[6] = endpoint_cap(p);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(32), CAPLOC_REG(7)), ERR_INVALID_CAP);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_REG(99)), ERR_INVALID_CAP);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_MEM(0x18), CAPLOC_REG(7)), ERR_ALIGNMENT);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_MEM(0x2000)), ERR_INVALID_ADDRESS);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_MEM(0x1010)), ERR_WRONG_TYPE);
    CHECK(strstr(invoke_last_refusal(), "capability access to a data page") != NULL);
    frame_bump_gen(cap_obj_frame(&p->cap_regs[6]));
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_REG(7)), ERR_REVOKED);
    CHECK(cap_is_null(&p->cap_regs[7]));
}

HOST_TEST(cap, store_through_read_only_path_fails)
{
    process_t *p = world();
    cap_t *slots = host_cappage(&p->cap_regs[4]);
    gpt_t *g = obj_ptr(p->cap_regs[3].obj);
    p->cap_regs[6] = endpoint_cap(p);
    g->slots[0].restr = RESTR_READ_ONLY;          /* the CapPage, read-only */
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_MEM(0x30)), ERR_ACCESS);
    CHECK(cap_is_null(&slots[3]));
    slots[3] = p->cap_regs[6];
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_MEM(0x30), CAPLOC_REG(7)), ERR_OK);
    CHECK_EQ(p->cap_regs[7].type, CAP_ENDPOINT);   /* read-only is not weak */
    g->slots[0].restr = 0;
    p->space.restr = RESTR_READ_ONLY;               /* the root, read-only */
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_MEM(0x30)), ERR_ACCESS);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_delete, 1, (uint64_t[]){ CAPLOC_MEM(0x30) }, NULL),
             ERR_ACCESS);
}

HOST_TEST(cap, weak_path_weakens_loads)
{
    process_t *p = world();
    cap_t *slots = host_cappage(&p->cap_regs[4]);
    slots[0] = endpoint_cap(p);
    slots[1] = p->cap_regs[3];                      /* a GPT */
    slots[2] = p->cap_regs[5];                      /* a Page */
    slots[3] = (cap_t){ .type = CAP_DISCRIM };
    slots[4] = p->cap_regs[2];                      /* a Process */
    p->space.restr = RESTR_WEAK | RESTR_READ_ONLY;
    for (unsigned i = 0; i < 5; i++)
        CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_MEM(16 * i), CAPLOC_REG(10 + i)), ERR_OK);
    CHECK_EQ(p->cap_regs[10].type, CAP_NULL);
    CHECK_EQ(p->cap_regs[11].type, CAP_GPT);
    CHECK_EQ(p->cap_regs[11].restr, RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(p->cap_regs[12].type, CAP_PAGE);
    CHECK_EQ(p->cap_regs[12].restr, RESTR_READ_ONLY);
    CHECK_EQ(p->cap_regs[13].type, CAP_DISCRIM);
    CHECK_EQ(p->cap_regs[14].type, CAP_NULL);
    /* The weak CapPage capability itself weakens what CapPage.get_slot reads. */
    p->space.restr = 0;
    cap_restrict(&p->cap_regs[4], RESTR_WEAK);
    msg_t m = host_msg(OP_CAPPAGE_get_slot, 1, 2ull);
    m.recv[0] = CAPLOC_REG(15);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(4), &m, NULL), ERR_OK);
    CHECK_EQ(p->cap_regs[15].restr, RESTR_READ_ONLY);
    CHECK_EQ(p->cap_regs[5].restr, 0);              /* the original is untouched */
}

HOST_TEST(cap, restrict_in_place)
{
    process_t *p = world();
    p->cap_regs[6] = p->cap_regs[3];
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(6), RESTR_WEAK), ERR_OK);
    CHECK_EQ(p->cap_regs[6].restr, RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(6), 0), ERR_OK);
    CHECK_EQ(p->cap_regs[6].restr, RESTR_WEAK | RESTR_READ_ONLY);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(6), 0x100), ERR_INVALID_ARGUMENT);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(6), 0x20), ERR_INVALID_ARGUMENT);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(20), RESTR_WEAK), ERR_INVALID_CAP);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_MEM(0x40), RESTR_WEAK), ERR_INVALID_CAP);
    p->cap_regs[7] = endpoint_cap(p);
    frame_bump_gen(cap_obj_frame(&p->cap_regs[7]));
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(7), RESTR_WEAK), ERR_REVOKED);
}

HOST_TEST(cap, delete_does_not_free)
{
    process_t *p = world();
    untyped_t *u = obj_ptr(p->cap_regs[1].obj);
    p->cap_regs[6] = endpoint_cap(p);
    p->cap_regs[7] = p->cap_regs[6];
    uint64_t wm = u->watermark;
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_delete, 1, (uint64_t[]){ CAPLOC_REG(6) }, NULL), ERR_OK);
    CHECK(cap_is_null(&p->cap_regs[6]));
    CHECK_EQ(u->watermark, wm);
    CHECK_EQ(cap_check(&p->cap_regs[7]), ERR_OK);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_delete, 1, (uint64_t[]){ CAPLOC_REG(7) }, NULL), ERR_OK);
    CHECK_EQ(u->watermark, wm);       /* last capability gone, memory still in use */
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_delete, 1, (uint64_t[]){ CAPLOC_REG(40) }, NULL),
             ERR_INVALID_CAP);
}

HOST_TEST(cap, read_only_process_cap_cannot_edit_space)
{
    process_t *p = world();
    cap_restrict(&p->cap_regs[2], RESTR_READ_ONLY);
    p->cap_regs[6] = endpoint_cap(p);
    CHECK_EQ(call2(p, OP_PROCESS_cap_copy, CAPLOC_REG(6), CAPLOC_REG(7)), ERR_NO_RIGHTS);
    CHECK_EQ(call2(p, OP_PROCESS_cap_restrict, CAPLOC_REG(6), 1), ERR_NO_RIGHTS);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_delete, 1, (uint64_t[]){ CAPLOC_REG(6) }, NULL),
             ERR_NO_RIGHTS);
    CHECK(cap_is_live(&p->cap_regs[6]));
}

HOST_TEST(cap, make_guarded_through_invoke)
{
    process_t *p = world();
    static const unsigned regs[] = { 3, 4, 5 };     /* GPT, CapPage, Page */
    for (unsigned i = 0; i < 3; i++) {
        msg_t m = host_msg(regs[i] == 3 ? OP_GPT_make_guarded : regs[i] == 4 ?
                           OP_CAPPAGE_make_guarded : OP_PAGE_make_guarded, 2, 5ull, 20ull);
        m.recv[0] = CAPLOC_REG(10 + i);
        CHECK_EQ(host_invoke(p, CAPLOC_REG(regs[i]), &m, NULL), ERR_OK);
        CHECK_EQ(p->cap_regs[10 + i].l2g, 20);
        CHECK_EQ(p->cap_regs[10 + i].payload, 5);
        CHECK(cap_same_object(&p->cap_regs[10 + i], &p->cap_regs[regs[i]]));
        CHECK_EQ(p->cap_regs[regs[i]].l2g, 64);     /* the original keeps its guard */
    }
    msg_t m = host_msg(OP_GPT_make_guarded, 2, 1ull, 64ull);
    m.recv[0] = CAPLOC_REG(13);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_INVALID_ARGUMENT);
    m = host_msg(OP_GPT_make_guarded, 2, 0ull, 100ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OUT_OF_RANGE);
    m = host_msg(OP_GPT_make_guarded, 2, 0ull, 8ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_OUT_OF_RANGE);
    CHECK(cap_is_null(&p->cap_regs[13]));
}

HOST_TEST(cap, discrim_classifies_and_compares)
{
    process_t *p = world();
    p->cap_regs[9] = (cap_t){ .type = CAP_DISCRIM };
    p->cap_regs[6] = endpoint_cap(p);
    p->cap_regs[7] = p->cap_regs[6];
    cap_restrict(&p->cap_regs[7], RESTR_READ_ONLY);
    msg_t m = host_msg(OP_DISCRIM_type, 0);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(6);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(m.nwords, 1);
    CHECK_EQ(m.words[0], CAP_ENDPOINT);
    m = host_msg(OP_DISCRIM_compare, 0);
    m.ncaps = 2;
    m.caps[0] = CAPLOC_REG(6);
    m.caps[1] = CAPLOC_REG(7);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(m.words[0], 1);   /* same object */
    CHECK_EQ(m.words[1], 0);   /* not identical */
    m = host_msg(OP_DISCRIM_is_discreet, 0);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(3);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(m.words[0], 0);
    cap_restrict(&p->cap_regs[3], RESTR_WEAK);
    m = host_msg(OP_DISCRIM_is_discreet, 0);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(3);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(m.words[0], 1);
    frame_bump_gen(cap_obj_frame(&p->cap_regs[6]));
    m = host_msg(OP_DISCRIM_type, 0);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(6);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_OK);
    CHECK_EQ(m.words[0], CAP_NULL);      /* a revoked capability is Null */
    m = host_msg(OP_DISCRIM_type, 0);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_INVALID_ARGUMENT);
}
