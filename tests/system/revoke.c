/*
 * System suite `revoke`: after Untyped.revoke no capability derived from
 * the Untyped works anywhere — registers, CapPage slots, GPT slots,
 * Entries made from its endpoints — and the memory can be retyped again
 * (docs/spec/capabilities.md, docs/spec/objects.md).
 */
#include "systest.h"
#include "cairn/ipc.h"

UTEST(derived_caps_die_everywhere)
{
    UCHECK_OK(new_untyped(16, 16));
    UCHECK_OK(cairn_untyped_retype(R(16), OBJ_ENDPOINT, 0, 1, R(17)));
    UCHECK_OK(cairn_endpoint_make_entry(R(17), 7, R(18)));
    UCHECK_OK(cairn_process_cap_copy(SELF, R(18), SLOT(1)));
    UCHECK_OK(cairn_untyped_retype(R(16), OBJ_PAGE, 0, 1, SLOT(2)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 8, SLOT(2)));
    UCHECK_OK(revoke(R(16)));
    UCHECK_EQ(cap_type_at(R(17)), CAP_NULL);
    UCHECK_EQ(cap_type_at(R(18)), CAP_NULL);
    UCHECK_EQ(cap_type_at(SLOT(1)), CAP_NULL);
    UCHECK_EQ(cap_type_at(SLOT(2)), CAP_NULL);
    UCHECK_OK(cairn_gpt_get_slot(WINDOW, 8, R(19)));
    UCHECK_EQ(cap_type_at(R(19)), CAP_NULL);
    UCHECK_ERR(cairn_endpoint_make_entry(R(17), 1, R(20)), ERR_REVOKED);
    UCHECK_EQ(cap_type_at(R(16)), CAP_UNTYPED);     /* the Untyped itself lives */
}

UTEST(nested_untypeds_die_too)
{
    UCHECK_OK(new_untyped(18, 21));
    UCHECK_OK(cairn_untyped_retype(R(21), OBJ_UNTYPED, 16, 1, R(22)));
    UCHECK_OK(cairn_untyped_retype(R(22), OBJ_UNTYPED, 14, 1, R(23)));
    UCHECK_OK(cairn_untyped_retype(R(23), OBJ_GPT, 0, 1, R(24)));
    UCHECK_OK(revoke(R(21)));
    UCHECK_EQ(cap_type_at(R(22)), CAP_NULL);
    UCHECK_EQ(cap_type_at(R(23)), CAP_NULL);
    UCHECK_EQ(cap_type_at(R(24)), CAP_NULL);
}

UTEST(memory_can_be_retyped_again)
{
    uint64_t info[4] = { 0 };
    UCHECK_OK(new_untyped(14, 25));
    UCHECK_OK(cairn_untyped_retype(R(25), OBJ_PAGE, 0, 4, SLOT(10)));
    UCHECK_ERR(cairn_untyped_retype(R(25), OBJ_PAGE, 0, 1, SLOT(14)), ERR_NO_MEMORY);
    UCHECK_OK(revoke(R(25)));
    UCHECK_OK(cairn_untyped_info(R(25), info));
    UCHECK_EQ(info[1], 0);                          /* watermark reset */
    UCHECK_OK(cairn_untyped_retype(R(25), OBJ_PAGE, 0, 4, SLOT(10)));
    UCHECK_EQ(cap_type_at(SLOT(10)), CAP_PAGE);     /* revoked slots reusable */
}

UTEST(reused_memory_is_zeroed_and_unmapped)
{
    UCHECK_OK(new_untyped(12, 26));                 /* exactly one page */
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_PAGE, 0, 1, R(27)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 9, R(27)));
    *window_word(9) = 0x5ec7e7;
    UCHECK_OK(revoke(R(26)));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_PAGE, 0, 1, R(28)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 10, R(28)));
    UCHECK_EQ(*window_word(10), 0);                 /* no secret survives */
}

UTEST(revoke_needs_rights)
{
    UCHECK_OK(cairn_process_cap_copy(SELF, POOL, R(29)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(29), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_untyped_revoke(R(29)), ERR_NO_RIGHTS);
}

UTEST(revoke_of_empty_untyped_is_fine)
{
    UCHECK_OK(new_untyped(12, 30));
    UCHECK_OK(revoke(R(30)));
    UCHECK_OK(revoke(R(30)));
}

UTEST(wide_revoke_of_many_objects)
{
    /* 256 KiB holds thousands of small objects; revoke must take them all. */
    UCHECK_OK(new_untyped(18, 31));
    for (unsigned i = 0; i < 16; i++)
        UCHECK_OK(cairn_untyped_retype(R(31), OBJ_NOTIFICATION, 0, 256, SLOT(0)) == ERR_OK
                  ? cairn_process_cap_delete(SELF, SLOT(0)) : ERR_OK);
    UCHECK_OK(cairn_untyped_retype(R(31), OBJ_ENDPOINT, 0, 200, SLOT(30)));
    UCHECK_OK(revoke(R(31)));
    for (unsigned i = 30; i < 230; i++)
        UCHECK_EQ(cap_type_at(SLOT(i)), CAP_NULL);
}

/* ---- Hardware mappings of revoked pages ------------------------------------ */

#define NOTES ((volatile uint64_t *)(uintptr_t)0x60000000ull)

/*
 * The keeper: for each fault, note its address and count, map the spare
 * page into the faulting window slot, and reply so the access runs again.
 */
static int keeper(void)
{
    cairn_msg_t m = { .nwords = 0 };
    cairn_ipc_result_t r = cairn_ipc_receive(R(8), &m, 0);
    while (r.error == ERR_OK) {
        if (m.opcode == CAIRN_OP_FAULT) {
            NOTES[0] = m.words[1];
            NOTES[1]++;
            unsigned slot = (unsigned)((m.words[1] - WINDOW_VA) / 4096) & 15;
            cairn_gpt_set_slot(R(9), slot, R(10));
        }
        m = (cairn_msg_t){ .nwords = 0 };
        r = cairn_ipc_reply_receive(R(8), &m, 0);
    }
    return 1;
}

UTEST(revoked_page_leaves_no_stale_mapping)
{
    /* exactly one frame */
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_UNTYPED, 12, 1, SLOT(100)));
    UCHECK_OK(cairn_untyped_retype(SLOT(100), OBJ_PAGE, 0, 1, SLOT(101)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 11, SLOT(101)));
    *window_word(11) = 0x5ec7e7;                    /* now in the hardware tables */
    UCHECK_OK(revoke(SLOT(100)));
    UCHECK_OK(cairn_untyped_retype(SLOT(100), OBJ_PAGE, 0, 1, SLOT(102)));
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 12, SLOT(102)));
    *window_word(12) = 777;                         /* the same frame, reused */
    uint64_t faults = NOTES[1];
    uint64_t seen = *window_word(11);               /* must fault, not alias */
    UCHECK_EQ(NOTES[1], faults + 1);
    UCHECK_EQ(NOTES[0], WINDOW_VA + 11 * 4096);
    UCHECK(seen != 777);
    UCHECK_EQ(seen, 0);                             /* the keeper's spare page */
}

int main(uint64_t arg)
{
    if (arg == 1)
        return keeper();
    return utest_run("revoke");
}
