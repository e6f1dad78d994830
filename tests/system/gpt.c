/*
 * System suite `gpt`: GPT methods from user mode, and the hardware-map
 * cache seen from a running program: mapping through a GPT slot, precise
 * invalidation when the slot changes, guards and l2v
 * (docs/spec/address-spaces.md, docs/spec/objects.md).
 */
#include "systest.h"

/* A fresh Page in register reg with `value` in its first word. */
static cairn_error_t page_with(unsigned reg, unsigned slot, uint64_t value)
{
    cairn_error_t e = cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, R(reg));
    if (e == ERR_OK)
        e = cairn_gpt_set_slot(WINDOW, slot, R(reg));
    if (e == ERR_OK)
        *window_word(slot) = value;
    return e;
}

UTEST(l2v_and_flags)
{
    uint64_t r[2] = { 0, 0 };
    UCHECK_OK(cairn_gpt_get_l2v(WINDOW, r));
    UCHECK_EQ(r[0], 12);
    UCHECK_EQ(r[1], 0);
}

UTEST(map_through_a_slot)
{
    UCHECK_OK(page_with(16, 0, 0xabcdef));
    UCHECK_EQ(*window_word(0), 0xabcdef);
    UCHECK_OK(cairn_gpt_get_slot(WINDOW, 0, R(17)));
    uint64_t same[2] = { 0, 0 };
    UCHECK_OK(cairn_discrim_compare(DISCRIM, R(16), R(17), same));
    UCHECK_EQ(same[0], 1);
}

UTEST(slot_change_invalidates_exactly)
{
    UCHECK_OK(page_with(18, 1, 111));
    UCHECK_OK(page_with(19, 2, 222));
    UCHECK_EQ(*window_word(1), 111);           /* both mapped now */
    UCHECK_EQ(*window_word(2), 222);
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 1, R(19)));
    UCHECK_EQ(*window_word(1), 222);           /* the stale mapping is gone */
    *window_word(1) = 333;                     /* one page, two addresses */
    UCHECK_EQ(*window_word(2), 333);
}

UTEST(read_only_slot_maps_read_only_data)
{
    UCHECK_OK(page_with(20, 3, 444));
    UCHECK_OK(cairn_process_cap_copy(SELF, R(20), R(21)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(21), RESTR_READ_ONLY));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 4, R(21)));
    UCHECK_EQ(*window_word(4), 444);           /* readable through slot 4 */
}

UTEST(slot_range_and_rights)
{
    UCHECK_ERR(cairn_gpt_set_slot(WINDOW, 16, DISCRIM), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_gpt_get_slot(WINDOW, 99, R(22)), ERR_OUT_OF_RANGE);
    UCHECK_OK(cairn_process_cap_copy(SELF, WINDOW, R(22)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(22), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_gpt_set_slot(R(22), 5, DISCRIM), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_process_cap_copy(SELF, WINDOW, R(23)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(23), RESTR_OPAQUE));
    UCHECK_ERR(cairn_gpt_get_slot(R(23), 0, R(24)), ERR_NO_RIGHTS);
}

UTEST(set_l2v_limits)
{
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_GPT, 0, 1, R(25)));
    UCHECK_ERR(cairn_gpt_set_l2v(R(25), 11), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_gpt_set_l2v(R(25), 64), ERR_OUT_OF_RANGE);
    UCHECK_OK(cairn_gpt_set_l2v(R(25), 20));
    uint64_t r[2] = { 0, 0 };
    UCHECK_OK(cairn_gpt_get_l2v(R(25), r));
    UCHECK_EQ(r[0], 20);
}

UTEST(make_guarded_limits)
{
    UCHECK_OK(cairn_gpt_make_guarded(WINDOW, 0, 16, R(26)));
    UCHECK_EQ(cap_type_at(R(26)), CAP_GPT);
    UCHECK_ERR(cairn_gpt_make_guarded(WINDOW, 0, 11, R(27)), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_gpt_make_guarded(WINDOW, 0, 65, R(27)), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_gpt_make_guarded(WINDOW, 1, 64, R(27)), ERR_INVALID_ARGUMENT);
    UCHECK_ERR(cairn_gpt_make_guarded(WINDOW, 1ull << 33, 16, R(27)),
               ERR_INVALID_ARGUMENT);
}

UTEST(nested_gpt_with_guard)
{
    /* Slot 6 holds a second GPT whose slot 1 holds a page: the page
     * appears at WINDOW_VA + 6 * 4096 only if the inner GPT's span and
     * guard line up; an l2g-12 guarded GPT cap spans one page. */
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_GPT, 0, 1, R(28)));
    UCHECK_OK(cairn_gpt_set_l2v(R(28), 12));
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, R(29)));
    UCHECK_OK(cairn_gpt_set_slot(R(28), 0, R(29)));
    UCHECK_OK(cairn_gpt_make_guarded(R(28), 0, 16, R(30)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 6, R(30)));
    *window_word(6) = 0x6666;
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 7, R(29)));   /* same page, directly */
    UCHECK_EQ(*window_word(7), 0x6666);
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("gpt");
}
