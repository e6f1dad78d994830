/*
 * System suite `retype`: Untyped.retype and Untyped.info from user mode,
 * one test per success case and per documented error
 * (docs/spec/objects.md).
 */
#include "systest.h"

static uint64_t watermark(caploc_t ut)
{
    uint64_t info[4] = { 0 };
    if (cairn_untyped_info(ut, info) != ERR_OK)
        return ~0ull;
    return info[1];
}

UTEST(info_reports_the_grant)
{
    uint64_t info[4] = { 0 };
    UCHECK_OK(cairn_untyped_info(POOL, info));
    UCHECK_EQ(info[0], 20);          /* 1 MiB */
    UCHECK_EQ(info[2], 0);           /* not device memory */
    UCHECK_EQ(info[3] % (1u << 20), 0);   /* naturally aligned */
}

UTEST(page_into_register)
{
    UCHECK_OK(new_untyped(16, 16));
    UCHECK_OK(cairn_untyped_retype(R(16), OBJ_PAGE, 0, 1, R(17)));
    UCHECK_EQ(cap_type_at(R(17)), CAP_PAGE);
    UCHECK_EQ(watermark(R(16)), 4096);
}

UTEST(every_object_type)
{
    static const struct { uint64_t obj, cap; } kinds[] = {
        { OBJ_PAGE, CAP_PAGE }, { OBJ_CAPPAGE, CAP_CAPPAGE },
        { OBJ_GPT, CAP_GPT }, { OBJ_ENDPOINT, CAP_ENDPOINT },
        { OBJ_PROCESS, CAP_PROCESS }, { OBJ_NOTIFICATION, CAP_NOTIFICATION },
    };
    UCHECK_OK(new_untyped(16, 18));
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        UCHECK_OK(cairn_untyped_retype(R(18), kinds[i].obj, 0, 1, R(19 + i)));
        UCHECK_EQ(cap_type_at(R(19 + i)), kinds[i].cap);
    }
}

UTEST(many_into_cappage_slots)
{
    UCHECK_OK(new_untyped(16, 25));
    UCHECK_OK(cairn_untyped_retype(R(25), OBJ_ENDPOINT, 0, 5, SLOT(10)));
    for (unsigned i = 10; i < 15; i++)
        UCHECK_EQ(cap_type_at(SLOT(i)), CAP_ENDPOINT);
    UCHECK_EQ(cap_type_at(SLOT(15)), CAP_NULL);
}

UTEST(natural_alignment)
{
    uint64_t before, after;
    UCHECK_OK(new_untyped(14, 26));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_ENDPOINT, 0, 1, R(27)));
    before = watermark(R(26));
    UCHECK_EQ(before, 64);
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_PAGE, 0, 1, R(28)));
    after = watermark(R(26));
    UCHECK_EQ(after, 8192);          /* the page went to the next 4 KiB */
}

UTEST(exhaustion)
{
    UCHECK_OK(new_untyped(14, 29));  /* 16 KiB: room for four pages */
    UCHECK_OK(cairn_untyped_retype(R(29), OBJ_PAGE, 0, 4, SLOT(20)));
    UCHECK_ERR(cairn_untyped_retype(R(29), OBJ_PAGE, 0, 1, SLOT(24)),
               ERR_NO_MEMORY);
    UCHECK_EQ(cap_type_at(SLOT(24)), CAP_NULL);   /* nothing half made */
}

UTEST(occupied_destination)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, DISCRIM, SLOT(30)));
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, SLOT(30)),
               ERR_SLOT_OCCUPIED);
    UCHECK_EQ(cap_type_at(SLOT(30)), CAP_DISCRIM);
}

UTEST(register_zero_refused)
{
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, R(0)),
               ERR_INVALID_ARGUMENT);
}

UTEST(unknown_type_refused)
{
    UCHECK_ERR(cairn_untyped_retype(POOL, 99, 0, 1, SLOT(31)),
               ERR_INVALID_ARGUMENT);
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_NONE, 0, 1, SLOT(31)),
               ERR_INVALID_ARGUMENT);
}

UTEST(size_out_of_range)
{
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_UNTYPED, 11, 1, SLOT(31)),
               ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_UNTYPED, 21, 1, SLOT(31)),
               ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_PAGE, 13, 1, SLOT(31)),
               ERR_OUT_OF_RANGE);
}

UTEST(count_out_of_range)
{
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, 0, SLOT(31)),
               ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, 257, SLOT(31)),
               ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, 2, R(31)),
               ERR_OUT_OF_RANGE);    /* runs past register 31 */
}

UTEST(read_only_untyped_cannot_retype)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, POOL, R(30)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(30), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_untyped_retype(R(30), OBJ_PAGE, 0, 1, SLOT(32)),
               ERR_NO_RIGHTS);
}

UTEST(invalid_target)
{
    UCHECK_ERR(cairn_untyped_retype(R(0), OBJ_PAGE, 0, 1, SLOT(33)),
               ERR_INVALID_CAP);
    UCHECK_ERR(cairn_untyped_retype(R(40), OBJ_PAGE, 0, 1, SLOT(33)),
               ERR_INVALID_CAP);
}

UTEST(retyped_page_is_zero_and_usable)
{
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, SLOT(40)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 0, SLOT(40)));
    volatile uint64_t *w = window_word(0);
    UCHECK_EQ(w[0], 0);
    UCHECK_EQ(w[511], 0);
    w[7] = 0x1234;
    UCHECK_EQ(w[7], 0x1234);
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("retype");
}
