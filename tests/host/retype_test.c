/*
 * Host suite `retype`: placement and alignment, exhaustion, device rules,
 * destinations, size and type arguments, rights, zeroing, retyping again
 * after revoke, retired frames skipped. Everything goes through
 * kernel_invoke unless a test says otherwise.
 *
 * Registers: 1 the Untyped under test, 2 the process, 3.. results.
 */
#include <string.h>

#include "harness.h"
#include "host_env.h"
#include "mem/frame.h"
#include "obj/untyped.h"

static process_t *world(unsigned ut_bits)
{
    cap_t ut, self, big;
    host_env_reset();
    big = host_untyped(20);                  /* the process lives elsewhere */
    ut = host_untyped(ut_bits);
    process_t *p = host_process(&big, &self);
    p->cap_regs[1] = ut;
    p->cap_regs[2] = self;
    p->cap_regs[30] = big;
    return p;
}

static uint64_t paddr_of(const cap_t *c)
{
    return frame_paddr(frame_get(cap_obj_frame(c))) + cap_obj_slot(c) * 64u;
}

static uint64_t ut_base(process_t *p)
{
    msg_t m;
    host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m);
    return m.words[3];
}

HOST_TEST(retype, natural_alignment_at_the_watermark)
{
    process_t *p = world(16);
    uint64_t base = ut_base(p);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_GPT, 0, 1, CAPLOC_REG(4)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_PROCESS, 0, 1, CAPLOC_REG(5)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(6)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_NOTIFICATION, 0, 2, CAPLOC_REG(7)), ERR_OK);
    CHECK_EQ(paddr_of(&p->cap_regs[3]), base);
    CHECK_EQ(paddr_of(&p->cap_regs[4]), base + 512);
    CHECK_EQ(paddr_of(&p->cap_regs[5]), base + 1024);
    CHECK_EQ(paddr_of(&p->cap_regs[6]), base + 4096);
    CHECK_EQ(paddr_of(&p->cap_regs[7]), base + 8192);
    CHECK_EQ(paddr_of(&p->cap_regs[8]), base + 8192 + 64);
    CHECK_EQ(p->cap_regs[4].type, CAP_GPT);
    CHECK_EQ(p->cap_regs[4].l2g, 64);
    CHECK_EQ(p->cap_regs[7].type, CAP_NOTIFICATION);
    msg_t m;
    CHECK_EQ(host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.nwords, 4);
    CHECK_EQ(m.words[0], 16);
    CHECK_EQ(m.words[1], 8192 + 128);
    CHECK_EQ(m.words[2], 0);
}

HOST_TEST(retype, child_untyped_carves_descriptor_then_region)
{
    process_t *p = world(16);
    uint64_t base = ut_base(p);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 13, 2, CAPLOC_REG(4)), ERR_OK);
    CHECK_EQ(paddr_of(&p->cap_regs[4]), base + 64);        /* descriptors first */
    CHECK_EQ(paddr_of(&p->cap_regs[5]), base + 128);
    msg_t m;
    CHECK_EQ(host_call(p, 4, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[0], 13);
    CHECK_EQ(m.words[3], base + 8192);                      /* region aligned */
    CHECK_EQ(host_call(p, 5, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[3], base + 16384);
    CHECK_EQ(host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[1], 24576);
    /* The child is an Untyped of its own. */
    CHECK_EQ(host_retype(p, 4, OBJ_PAGE, 0, 2, CAPLOC_REG(6)), ERR_OK);
    CHECK_EQ(paddr_of(&p->cap_regs[6]), base + 8192);
    CHECK_EQ(host_retype(p, 4, OBJ_PAGE, 0, 1, CAPLOC_REG(8)), ERR_NO_MEMORY);
}

HOST_TEST(retype, exhaustion)
{
    process_t *p = world(12);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 20, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(23)), ERR_NO_MEMORY);
    CHECK(cap_is_null(&p->cap_regs[23]));
    msg_t m;
    host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m);
    CHECK_EQ(m.words[1], 20 * 64);                          /* unchanged by the refusal */
    CHECK_EQ(host_retype(p, 1, OBJ_GPT, 0, 5, CAPLOC_REG(23)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(28)), ERR_NO_MEMORY);
    CHECK(strstr(invoke_last_refusal(), "UNTYPED.retype: NO_MEMORY") != NULL);
}

HOST_TEST(retype, counts_and_sizes_out_of_range)
{
    process_t *p = world(16);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 0, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 257, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 11, 1, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 17, 1, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_UNTYPED, 16, 1, CAPLOC_REG(3)), ERR_NO_MEMORY);
    CHECK_EQ(host_retype(p, 1, OBJ_GPT, 10, 1, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 13, 1, CAPLOC_REG(3)), ERR_OUT_OF_RANGE);
    CHECK(cap_is_null(&p->cap_regs[3]));
    CHECK_EQ(host_retype(p, 1, OBJ_GPT, 9, 1, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 12, 1, CAPLOC_REG(4)), ERR_OK);
}

HOST_TEST(retype, object_type_must_exist)
{
    process_t *p = world(16);
    CHECK_EQ(host_retype(p, 1, OBJ_NONE, 0, 1, CAPLOC_REG(3)), ERR_INVALID_ARGUMENT);
    CHECK_EQ(host_retype(p, 1, OBJ_TYPE_COUNT, 0, 1, CAPLOC_REG(3)), ERR_INVALID_ARGUMENT);
    CHECK_EQ(host_retype(p, 1, (obj_type_t)99, 0, 1, CAPLOC_REG(3)), ERR_INVALID_ARGUMENT);
    /* The kernel-internal entry refuses a non-Untyped source. */
    cap_t dest = cap_null();
    CHECK_EQ(untyped_retype(&p->cap_regs[2], OBJ_PAGE, 0, 1, &dest), ERR_WRONG_TYPE);
    cap_t null = cap_null();
    CHECK_EQ(untyped_retype(&null, OBJ_PAGE, 0, 1, &dest), ERR_INVALID_CAP);
}

HOST_TEST(retype, device_memory_only_becomes_pages)
{
    process_t *p = world(16);
    p->cap_regs[9] = host_device_untyped(14);
    memset(host_dev(), 0xa5, 4096);
    static const obj_type_t banned[] = { OBJ_UNTYPED, OBJ_CAPPAGE, OBJ_GPT, OBJ_ENDPOINT,
                                         OBJ_PROCESS, OBJ_NOTIFICATION };
    for (unsigned i = 0; i < sizeof banned / sizeof banned[0]; i++)
        CHECK_EQ(host_retype(p, 9, banned[i], banned[i] == OBJ_UNTYPED ? 12 : 0, 1,
                             CAPLOC_REG(3)), ERR_DEVICE_MEMORY);
    CHECK_EQ(host_retype(p, 9, OBJ_PAGE, 0, 4, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(((unsigned char *)host_dev())[100], 0xa5);     /* device pages keep contents */
    msg_t m;
    host_call(p, 9, OP_UNTYPED_info, 0, NULL, &m);
    CHECK_EQ(m.words[2], 1);
    CHECK_EQ(m.words[3], HOST_DEV_BASE);
    cap_t c;
    CHECK_EQ(untyped_root_create(HOST_DEV_BASE + 65536, 12, false, &c), ERR_INVALID_ARGUMENT);
}

HOST_TEST(retype, new_objects_are_zeroed)
{
    process_t *p = world(16);
    memset((unsigned char *)host_ram() + (ut_base(p) - HOST_RAM_BASE), 0x5a, 65536);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_CAPPAGE, 0, 1, CAPLOC_REG(4)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_GPT, 0, 1, CAPLOC_REG(5)), ERR_OK);
    const unsigned char *pg = obj_ptr(p->cap_regs[3].obj);
    for (unsigned i = 0; i < 4096; i++)
        CHECK_EQ(pg[i], 0);
    const cap_t *slots = host_cappage(&p->cap_regs[4]);
    for (unsigned i = 0; i < 256; i++)
        CHECK(cap_is_null(&slots[i]));
    msg_t m;
    CHECK_EQ(host_call(p, 5, OP_GPT_get_l2v, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[0], 12);
    CHECK_EQ(m.words[1], 0);
}

HOST_TEST(retype, destinations)
{
    process_t *p = world(16);
    host_space(p, 30, 20);                     /* GPT 20, CapPage 21, Page 22 */
    p->cap_regs[5] = p->cap_regs[2];
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 3, CAPLOC_REG(3)), ERR_SLOT_OCCUPIED);
    CHECK(cap_is_null(&p->cap_regs[3]));
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(0)), ERR_INVALID_ARGUMENT);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 2, CAPLOC_REG(31)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(32)), ERR_INVALID_CAP);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(31)), ERR_OK);
    /* Into a CapPage through the address space. */
    cap_t *slots = host_cappage(&p->cap_regs[21]);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 16, CAPLOC_MEM(0xf00)), ERR_OK);
    CHECK_EQ(slots[240].type, CAP_ENDPOINT);
    CHECK_EQ(slots[255].type, CAP_ENDPOINT);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 2, CAPLOC_MEM(0x100)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 2, CAPLOC_MEM(0xff0)), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_MEM(0x100)), ERR_SLOT_OCCUPIED);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_MEM(0x1000)), ERR_WRONG_TYPE);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_MEM(0x108)), ERR_ALIGNMENT);
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_MEM(0x5000)), ERR_INVALID_ADDRESS);
    /* A revoked capability counts as empty. */
    p->cap_regs[10] = p->cap_regs[31];
    frame_bump_gen(cap_obj_frame(&p->cap_regs[10]));
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(10)), ERR_OK);
    CHECK_EQ(p->cap_regs[10].type, CAP_PAGE);
}

HOST_TEST(retype, read_only_untyped_cannot_retype_or_revoke)
{
    process_t *p = world(16);
    cap_restrict(&p->cap_regs[1], RESTR_READ_ONLY);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(3)), ERR_NO_RIGHTS);
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_NO_RIGHTS);
    msg_t m;
    CHECK_EQ(host_call(p, 1, OP_UNTYPED_info, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[0], 16);
}

HOST_TEST(retype, retype_again_after_revoke)
{
    process_t *p = world(14);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 4, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(7)), ERR_NO_MEMORY);
    cap_t old = p->cap_regs[3];
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_OK);
    CHECK_EQ(cap_check(&old), ERR_REVOKED);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 4, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(p->cap_regs[3].obj, old.obj);                   /* same memory ... */
    CHECK(p->cap_regs[3].gen != old.gen);                    /* ... new generation */
    CHECK_EQ(cap_check(&old), ERR_REVOKED);
}

HOST_TEST(retype, retired_frames_are_skipped)
{
    process_t *p = world(14);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(3)), ERR_OK);
    uint32_t f = cap_obj_frame(&p->cap_regs[3]);
    frame_get(f)->gen = FRAME_GEN_LAST - 2;
    p->cap_regs[3] = cap_make(CAP_PAGE, p->cap_regs[3].obj);
    cap_t at_last = p->cap_regs[3];
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_OK);               /* gen LAST - 1 */
    CHECK(!(frame_flags(frame_get(f)) & FRAME_RETIRED));
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 1, CAPLOC_REG(3)), ERR_OK);
    CHECK_EQ(cap_obj_frame(&p->cap_regs[3]), f);
    cap_t last_life = p->cap_regs[3];
    CHECK_EQ(host_revoke(p, 1, NULL), ERR_OK);               /* would wrap: retired */
    CHECK(frame_flags(frame_get(f)) & FRAME_RETIRED);
    CHECK_EQ(frame_retired_count(), 1);
    CHECK_EQ(cap_check(&at_last), ERR_REVOKED);
    CHECK_EQ(cap_check(&last_life), ERR_REVOKED);
    /* The retired frame is never used again: new objects start past it. */
    CHECK_EQ(host_retype(p, 1, OBJ_ENDPOINT, 0, 1, CAPLOC_REG(4)), ERR_OK);
    CHECK_EQ(cap_obj_frame(&p->cap_regs[4]), f + 1);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 3, CAPLOC_REG(5)), ERR_NO_MEMORY);
    CHECK_EQ(host_retype(p, 1, OBJ_PAGE, 0, 2, CAPLOC_REG(5)), ERR_OK);
    cap_t forged = last_life;
    forged.gen = FRAME_GEN_LAST;
    CHECK_EQ(cap_check(&forged), ERR_REVOKED);
}
