/*
 * System suite `cap`: capability copy, restrict, delete, addressing
 * through registers and CapPages, weakening, and Discrim, from user mode
 * (docs/spec/capabilities.md).
 */
#include "systest.h"

static uint64_t discreet(caploc_t c)
{
    uint64_t v = 99;
    return cairn_discrim_is_discreet(DISCRIM, c, &v) == ERR_OK ? v : 99;
}

UTEST(copy_between_registers)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, DISCRIM, R(16)));
    UCHECK_EQ(cap_type_at(R(16)), CAP_DISCRIM);
}

UTEST(copy_to_cappage_and_back)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, POOL, SLOT(1)));
    UCHECK_EQ(cap_type_at(SLOT(1)), CAP_UNTYPED);
    UCHECK_OK(cairn_process_cap_copy(SELF, SLOT(1), R(17)));
    uint64_t same[2] = { 0, 0 };
    UCHECK_OK(cairn_discrim_compare(DISCRIM, POOL, R(17), same));
    UCHECK_EQ(same[0], 1);
    UCHECK_EQ(same[1], 1);
}

UTEST(cappage_methods_see_the_same_slots)
{
    UCHECK_OK(cairn_cappage_set_slot(SCRATCH, 2, DISCRIM));
    UCHECK_EQ(cap_type_at(SLOT(2)), CAP_DISCRIM);
    UCHECK_OK(cairn_cappage_get_slot(SCRATCH, 2, R(18)));
    UCHECK_EQ(cap_type_at(R(18)), CAP_DISCRIM);
    UCHECK_ERR(cairn_cappage_set_slot(SCRATCH, 256, DISCRIM), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_cappage_get_slot(SCRATCH, 300, R(18)), ERR_OUT_OF_RANGE);
}

UTEST(copy_overwrites_and_delete_frees_nothing)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, DISCRIM, SLOT(3)));
    UCHECK_OK(cairn_process_cap_copy(SELF, POOL, SLOT(3)));
    UCHECK_EQ(cap_type_at(SLOT(3)), CAP_UNTYPED);
    UCHECK_OK(cairn_process_cap_delete(SELF, SLOT(3)));
    UCHECK_EQ(cap_type_at(SLOT(3)), CAP_NULL);
    UCHECK_EQ(cap_type_at(POOL), CAP_UNTYPED);   /* the original lives on */
}

UTEST(register_zero_is_always_null)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, DISCRIM, R(0)));
    UCHECK_EQ(cap_type_at(R(0)), CAP_NULL);
}

UTEST(restrictions_only_accumulate)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, SCRATCH, R(19)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(19), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_cappage_set_slot(R(19), 4, DISCRIM), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(19), 0));
    UCHECK_OK(cairn_process_cap_copy(SELF, R(19), R(20)));
    UCHECK_ERR(cairn_cappage_set_slot(R(20), 4, DISCRIM), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_cappage_set_slot(SCRATCH, 4, DISCRIM));  /* original keeps its rights */
}

UTEST(weak_implies_read_only)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, SCRATCH, R(21)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(21), RESTR_WEAK));
    UCHECK_ERR(cairn_cappage_set_slot(R(21), 5, DISCRIM), ERR_NO_RIGHTS);
    UCHECK_EQ(discreet(R(21)), 1);
}

UTEST(restrict_refuses_unknown_bits_and_null)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, SCRATCH, R(22)));
    UCHECK_ERR(cairn_process_cap_restrict(SELF, R(22), 0x80), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(cairn_process_cap_restrict(SELF, R(23), RESTR_READ_ONLY),
               ERR_INVALID_CAP);
}

UTEST(weak_path_weakens_loads)
{
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, 1, SLOT(6)));
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_GPT, 0, 1, SLOT(7)));
    UCHECK_OK(cairn_process_cap_copy(SELF, WEAK_SLOT(6), R(24)));
    UCHECK_EQ(cap_type_at(R(24)), CAP_NULL);          /* Endpoint -> Null */
    UCHECK_OK(cairn_process_cap_copy(SELF, WEAK_SLOT(7), R(25)));
    UCHECK_EQ(cap_type_at(R(25)), CAP_GPT);           /* GPT -> weak GPT */
    UCHECK_EQ(discreet(R(25)), 1);
    UCHECK_EQ(discreet(SLOT(7)), 0);
}

UTEST(read_only_path_refuses_stores)
{
    UCHECK_ERR(cairn_process_cap_copy(SELF, DISCRIM, RO_SLOT(8)), ERR_ACCESS);
    UCHECK_ERR(cairn_process_cap_copy(SELF, DISCRIM, WEAK_SLOT(8)), ERR_ACCESS);
    UCHECK_EQ(cap_type_at(SLOT(8)), CAP_NULL);
    UCHECK_OK(cairn_process_cap_copy(SELF, RO_SLOT(7), R(26)));  /* loads are fine */
    UCHECK_EQ(cap_type_at(R(26)), CAP_GPT);
}

UTEST(caploc_errors)
{
    UCHECK_ERR(cairn_process_cap_copy(SELF, DISCRIM, CAPLOC_MEM(SCRATCH_VA + 8)),
               ERR_ALIGNMENT);
    UCHECK_ERR(cairn_process_cap_copy(SELF, DISCRIM, CAPLOC_MEM(0x60000000)),
               ERR_INVALID_ADDRESS);
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, R(27)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 1, R(27)));
    UCHECK_ERR(cairn_process_cap_copy(SELF, DISCRIM, CAPLOC_MEM(WINDOW_VA + 4096)),
               ERR_WRONG_TYPE);                        /* a data page */
    UCHECK_ERR(cairn_process_cap_copy(SELF, R(32), R(28)), ERR_INVALID_CAP);
}

UTEST(discrim_compare_and_identity)
{
    uint64_t r[2] = { 9, 9 };
    UCHECK_OK(cairn_process_cap_copy(SELF, SCRATCH, R(29)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(29), RESTR_READ_ONLY));
    UCHECK_OK(cairn_discrim_compare(DISCRIM, SCRATCH, R(29), r));
    UCHECK_EQ(r[0], 1);      /* same object */
    UCHECK_EQ(r[1], 0);      /* not the same capability */
    UCHECK_OK(cairn_discrim_compare(DISCRIM, SCRATCH, WINDOW, r));
    UCHECK_EQ(r[0], 0);
}

UTEST(entries_carry_payloads)
{
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, 1, R(30)));
    UCHECK_OK(cairn_endpoint_make_entry(R(30), 42, R(31)));
    UCHECK_EQ(cap_type_at(R(31)), CAP_ENTRY);
    uint64_t r[2] = { 0, 0 };
    UCHECK_OK(cairn_discrim_compare(DISCRIM, R(30), R(31), r));
    UCHECK_EQ(r[0], 1);      /* the Entry designates the endpoint */
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("cap");
}
