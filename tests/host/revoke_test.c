/*
 * Host suite `revoke`: revocation over derivation trees 10,000 deep and
 * 10,000 wide, nested Untypeds, preemption (restarts, consistent state in
 * between, ERR_BUSY), the teardown hooks, and that afterwards no derived
 * capability works anywhere (registers, CapPages, GPT slots) and the
 * memory can be retyped again.
 *
 * The invoking process always lives in a separate root Untyped (register
 * 30), so revoking the Untyped under test (register 1) never destroys it.
 */
#include <string.h>

#include "harness.h"
#include "host_env.h"
#include "mem/frame.h"
#include "obj/endpoint.h"
#include "obj/gpt.h"
#include "obj/notification.h"
#include "obj/page.h"
#include "obj/untyped.h"

#define N 10000

static process_t *world(unsigned bits)
{
    cap_t self;
    host_env_reset();
    cap_t home = host_untyped(22);
    cap_t ut = host_untyped(bits);
    process_t *p = host_process(&home, &self);
    p->cap_regs[1] = ut;
    p->cap_regs[2] = self;
    p->cap_regs[30] = home;
    host_space(p, 30, 3);          /* GPT 3, CapPage 4, Page 5: outside reg 1 */
    return p;
}

static unsigned counts[OBJ_TYPE_COUNT];

static bool count_endpoint(endpoint_t *e) { (void)e; counts[OBJ_ENDPOINT]++; return true; }
static bool count_notification(notification_t *n) { (void)n; counts[OBJ_NOTIFICATION]++; return true; }
static void count_page(uint32_t f) { (void)f; counts[OBJ_PAGE]++; }
static void count_gpt(gpt_t *g, uint32_t mask) { (void)g; if (mask == GPT_ALL_SLOTS) counts[OBJ_GPT]++; }
static bool count_process(process_t *p) { (void)p; counts[OBJ_PROCESS]++; return true; }

static void count_teardowns(void)
{
    memset(counts, 0, sizeof counts);
    endpoint_set_teardown_hook(count_endpoint);
    notification_set_teardown_hook(count_notification);
    page_set_teardown_hook(count_page);
    gpt_set_invalidate_hook(count_gpt);
    process_set_hooks(&(process_hooks_t){ .teardown = count_process });
}

static cap_t retype1(const cap_t *ut, obj_type_t t, unsigned bits)
{
    cap_t c = cap_null();
    if (untyped_retype(ut, t, bits, 1, &c) != ERR_OK)
        return cap_null();
    return c;
}

static cap_t deep_caps[N];
static cap_t gpts[N];

HOST_TEST(revoke, derivation_10000_deep)
{
    process_t *p = world(24);
    count_teardowns();
    /* A chain of 10,000 derivations of one endpoint capability, each made
     * from the previous through kernel_invoke and kept in a CapPage. */
    /* Objects in the root come first: the nested chain takes its top half. */
    cap_t cps[N / 256 + 1];
    for (unsigned i = 0; i <= N / 256; i++)
        cps[i] = retype1(&p->cap_regs[1], OBJ_CAPPAGE, 0);
    for (unsigned i = 0; i < N; i++)
        gpts[i] = retype1(&p->cap_regs[1], OBJ_GPT, 0);
    CHECK(cap_is_live(&gpts[N - 1]));
    /* Nested Untypeds as deep as the sizes allow: 2^23 down to 2^13. */
    cap_t level[12];
    level[0] = p->cap_regs[1];
    for (unsigned i = 1; i < 12; i++) {
        level[i] = retype1(&level[i - 1], OBJ_UNTYPED, 24 - i);
        CHECK(cap_is_live(&level[i]));
        cap_t e = retype1(&level[i], OBJ_ENDPOINT, 0);
        CHECK(cap_is_live(&e));
    }
    p->cap_regs[10] = retype1(&level[11], OBJ_ENDPOINT, 0);
    for (unsigned i = 0; i < N; i++) {
        cap_t *slots = host_cappage(&cps[i / 256]);
        p->cap_regs[11] = cps[i / 256];
        uint64_t w[2] = { CAPLOC_REG(10), RESTR_NO_CALL };
        if (i % 2)
            CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_restrict, 2, w, NULL), ERR_OK);
        msg_t m = host_msg(OP_CAPPAGE_set_slot, 1, (uint64_t)(i % 256));
        m.ncaps = 1;
        m.caps[0] = CAPLOC_REG(10);
        CHECK_EQ(host_invoke(p, CAPLOC_REG(11), &m, NULL), ERR_OK);
        m = host_msg(OP_CAPPAGE_get_slot, 1, (uint64_t)(i % 256));
        m.recv[0] = CAPLOC_REG(10);
        CHECK_EQ(host_invoke(p, CAPLOC_REG(11), &m, NULL), ERR_OK);
        deep_caps[i] = slots[i % 256];
    }
    /* A GPT chain 10,000 deep: GPT i holds GPT i+1 in slot 0. */
    for (unsigned i = 0; i + 1 < N; i++)
        gpt_set_slot(obj_ptr(gpts[i].obj), 0, gpts[i + 1]);
    /* Copies kept outside the tree: registers, our CapPage, our GPT. */
    p->cap_regs[12] = deep_caps[N - 1];
    p->cap_regs[13] = gpts[0];
    host_cappage(&p->cap_regs[4])[7] = deep_caps[N / 2];
    gpt_set_slot(obj_ptr(p->cap_regs[3].obj), 2, gpts[0]);
    CHECK_EQ(p->cap_regs[12].restr, RESTR_NO_CALL);
    msg_t m = host_msg(OP_ENDPOINT_make_entry, 1, 1ull);
    m.recv[0] = CAPLOC_REG(14);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(12), &m, NULL), ERR_OK);

    unsigned restarts = 0;
    CHECK_EQ(host_revoke(p, 1, &restarts), ERR_OK);
    CHECK(restarts > 10);                     /* it really was preempted */

    for (unsigned i = 0; i < N; i++) {
        CHECK_EQ(cap_check(&deep_caps[i]), ERR_REVOKED);
        CHECK_EQ(cap_check(&gpts[i]), ERR_REVOKED);
    }
    for (unsigned i = 1; i < 12; i++)
        CHECK_EQ(cap_check(&level[i]), ERR_REVOKED);
    m = host_msg(OP_ENDPOINT_make_entry, 1, 1ull);
    m.recv[0] = CAPLOC_REG(15);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(12), &m, NULL), ERR_REVOKED);
    CHECK_EQ(host_call(p, 13, OP_GPT_get_l2v, 0, NULL, NULL), ERR_REVOKED);
    m = host_msg(OP_DISCRIM_type, 0);      /* the Entry made from it is dead too */
    p->cap_regs[16] = (cap_t){ .type = CAP_DISCRIM };
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(14);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(16), &m, NULL), ERR_OK);
    CHECK_EQ(m.words[0], CAP_NULL);
    /* Loaded from our own CapPage: still dead. */
    uint64_t w[2] = { CAPLOC_MEM(0x70), CAPLOC_REG(17) };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_cap_copy, 2, w, NULL), ERR_REVOKED);
    /* Translating through our GPT's slot 2 now meets a revoked GPT. */
    gpt_walk_t walk;
    CHECK_EQ(gpt_walk(&p->space, 0x2000, WALK_READ, &walk), ERR_INVALID_ADDRESS);
    CHECK_EQ(counts[OBJ_GPT], N);
    CHECK_EQ(counts[OBJ_ENDPOINT], 12);
    /* And the whole region can be retyped again. */
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 23, 1, CAPLOC_REG(20)), ERR_OK);
    CHECK_EQ(host_retype(p, 20, OBJ_PAGE, 0, 8, CAPLOC_MEM(0x70)), ERR_OK);  /* over a dead cap */
    CHECK_EQ(host_cappage(&p->cap_regs[4])[7].type, CAP_PAGE);
    CHECK_EQ(host_retype(p, 20, OBJ_PAGE, 0, 1, CAPLOC_MEM(0x70)), ERR_SLOT_OCCUPIED);
}

static cap_t wide[N];

HOST_TEST(revoke, derivation_10000_wide)
{
    process_t *p = world(24);
    count_teardowns();
    static const obj_type_t kinds[] = { OBJ_ENDPOINT, OBJ_NOTIFICATION, OBJ_GPT,
                                        OBJ_PROCESS, OBJ_PAGE, OBJ_CAPPAGE };
    unsigned made[OBJ_TYPE_COUNT] = { 0 };
    for (unsigned i = 0; i < N; i++) {
        obj_type_t t = kinds[i % 6];
        if ((t == OBJ_PAGE || t == OBJ_CAPPAGE || t == OBJ_PROCESS) && i % 60 >= 6)
            t = OBJ_ENDPOINT;
        wide[i] = retype1(&p->cap_regs[1], t, 0);
        CHECK(cap_is_live(&wide[i]));
        made[t]++;
    }
    /* Copies in our registers, CapPage and GPT. */
    cap_t *ours = host_cappage(&p->cap_regs[4]);
    for (unsigned i = 0; i < 200; i++)
        ours[i] = wide[i * 50];
    for (unsigned i = 0; i < 16; i++)
        p->cap_regs[10 + i] = wide[N - 1 - i];
    gpt_set_slot(obj_ptr(p->cap_regs[3].obj), 3, wide[4]);   /* a Page */
    gpt_walk_t walk;
    CHECK_EQ(gpt_walk(&p->space, 0x3000, WALK_READ, &walk), ERR_OK);

    unsigned restarts = 0;
    CHECK_EQ(host_revoke(p, 1, &restarts), ERR_OK);
    CHECK(restarts >= N / UNTYPED_REVOKE_BUDGET);
    for (unsigned i = 0; i < N; i++)
        CHECK_MSG(cap_check(&wide[i]) == ERR_REVOKED, "object %u survived", i);
    for (unsigned i = 0; i < 200; i++)
        CHECK_EQ(cap_check(&ours[i]), ERR_REVOKED);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(host_call(p, 10 + i, 1, 0, NULL, NULL), ERR_REVOKED);
    CHECK_EQ(gpt_walk(&p->space, 0x3000, WALK_READ, &walk), ERR_INVALID_ADDRESS);
    /* Every teardown hook ran exactly once per object. */
    for (unsigned t = OBJ_PAGE; t < OBJ_TYPE_COUNT; t++)
        if (t != OBJ_CAPPAGE)
            CHECK_MSG(counts[t] == made[t], "type %u: %u teardowns for %u objects",
                      t, counts[t], made[t]);
    msg_t m;
    CHECK_EQ(host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[1], 0);
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 23, 1, CAPLOC_REG(10)), ERR_OK);
}

HOST_TEST(revoke, preemption_leaves_consistent_state)
{
    process_t *p = world(20);
    for (unsigned i = 0; i < 3000; i++) {
        wide[i] = retype1(&p->cap_regs[1], OBJ_ENDPOINT, 0);
        CHECK(cap_is_live(&wide[i]));
    }
    msg_t m = host_msg(OP_UNTYPED_revoke, 0);
    CHECK_EQ(kernel_invoke(p, CAPLOC_REG(1), &m), INVOKE_RESTART);
    CHECK_EQ(m.opcode, OP_UNTYPED_revoke);           /* message untouched */
    /* Mid-revoke: retype refuses, the Untyped still answers info. */
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(10)), ERR_BUSY);
    CHECK(strstr(invoke_last_refusal(), "revoke") != NULL);
    CHECK_EQ(host_call(p, 1, OP_UNTYPED_info, 0, NULL, NULL), ERR_OK);
    unsigned more = 0;
    while (kernel_invoke(p, CAPLOC_REG(1), &m) == INVOKE_RESTART)
        more++;
    CHECK_EQ(m.error, ERR_OK);
    CHECK(more >= 1);
    for (unsigned i = 0; i < 3000; i++)
        CHECK_EQ(cap_check(&wide[i]), ERR_REVOKED);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(10)), ERR_OK);
    /* Revoking an unused Untyped is immediate. */
    CHECK_EQ(host_revoke(p, 30, NULL), ERR_OK);      /* reg 30 was used... */
    CHECK_EQ(p->state, CAIRN_PROC_DESTROYED);        /* ... by us: we are gone */
}

HOST_TEST(revoke, bounded_work_per_step)
{
    process_t *p = world(22);
    for (unsigned i = 0; i < 3000; i++)
        wide[i] = retype1(&p->cap_regs[1], OBJ_NOTIFICATION, 0);
    untyped_t *u = obj_ptr(p->cap_regs[1].obj);
    unsigned steps = 0;
    while (!untyped_revoke_step(&p->cap_regs[1], 10)) {
        steps++;
        CHECK(u->revoke_phase != REVOKE_IDLE);
    }
    /* 3000 objects in 47 frames, plus the walk: at least (3000 + 47) / 10 steps. */
    CHECK(steps >= 304);
    CHECK_EQ(u->watermark, 0);
    CHECK_EQ(u->first_child, OBJ_REF_NONE);
}

static bool slow_endpoint(endpoint_t *e)
{
    /* Pretend to release one waiter per call, three waiters each. */
    return ++e->reserved[0] >= 3;
}

HOST_TEST(revoke, teardown_hooks_may_ask_to_continue)
{
    process_t *p = world(16);
    endpoint_set_teardown_hook(slow_endpoint);
    cap_t e[5];
    for (unsigned i = 0; i < 5; i++)
        e[i] = retype1(&p->cap_regs[1], OBJ_ENDPOINT, 0);
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_OK);
    for (unsigned i = 0; i < 5; i++) {
        endpoint_t *ep = obj_ptr(e[i].obj);
        CHECK_EQ(ep->reserved[0], 3);
        CHECK_EQ(cap_check(&e[i]), ERR_REVOKED);
    }
}

HOST_TEST(revoke, generation_retirement_at_wrap)
{
    process_t *p = world(12);
    cap_t e = retype1(&p->cap_regs[1], OBJ_ENDPOINT, 0);
    uint32_t f = cap_obj_frame(&e);
    frame_get(f)->gen = FRAME_GEN_LAST - 1;
    e = cap_make(CAP_ENDPOINT, e.obj);
    CHECK_EQ(cap_check(&e), ERR_OK);
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_OK);
    CHECK(frame_flags(frame_get(f)) & FRAME_RETIRED);
    CHECK_EQ(frame_get(f)->gen, FRAME_GEN_LAST);
    CHECK_EQ(cap_check(&e), ERR_REVOKED);
    e.gen = FRAME_GEN_LAST;                         /* even a forged match fails */
    CHECK_EQ(cap_check(&e), ERR_REVOKED);
    CHECK(!frame_bump_gen(f));                       /* retired stays retired */
    /* The only frame is retired: this Untyped can make nothing any more. */
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(10)), ERR_NO_MEMORY);
}
