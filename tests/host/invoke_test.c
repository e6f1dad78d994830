/* Host suite `invoke`: the generic steps of kernel_invoke and the table. */
#include <string.h>

#include "harness.h"
#include "host_env.h"
#include "obj/untyped.h"

HOST_TEST(invoke, method_table_is_consistent)
{
    for (unsigned i = 0; i < method_table_count; i++)
        for (unsigned j = i + 1; j < method_table_count; j++)
            CHECK_MSG(method_table[i].captype != method_table[j].captype ||
                      method_table[i].opcode != method_table[j].opcode,
                      "%s and %s share an opcode", method_table[i].name, method_table[j].name);
    CHECK(method_find(CAP_UNTYPED, OP_UNTYPED_retype) != NULL);
    CHECK(method_find(CAP_UNTYPED, 0) == NULL);
}

HOST_TEST(invoke, generic_refusals)
{
    cap_t ut, self;
    host_env_reset();
    ut = host_untyped(20);
    process_t *p = host_process(&ut, &self);
    p->cap_regs[1] = ut;
    p->cap_regs[2] = self;
    untyped_retype(&ut, OBJ_ENDPOINT, 0, 1, &p->cap_regs[5]);
    p->cap_regs[3] = cap_make(CAP_ENTRY, p->cap_regs[5].obj);  /* IPC only */
    p->cap_regs[4] = (cap_t){ .type = CAP_LOG };
    msg_t m = host_msg(OP_UNTYPED_info, 0);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(9), &m, NULL), ERR_INVALID_CAP);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(40), &m, NULL), ERR_INVALID_CAP);
    CHECK_EQ(host_invoke(p, CAPLOC_MEM(0x1000), &m, NULL), ERR_INVALID_ADDRESS);
    m = host_msg(99, 0);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(1), &m, NULL), ERR_BAD_OPCODE);
    m = host_msg(1, 0);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(3), &m, NULL), ERR_BAD_OPCODE);
    CHECK(strstr(invoke_last_refusal(), "IPC") != NULL);
    m = host_msg(OP_UNTYPED_retype, 2, 1ull, 2ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(1), &m, NULL), ERR_INVALID_ARGUMENT);
    m = host_msg(OP_LOG_write, 2, 3ull, 0x0a6968ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(4), &m, NULL), ERR_OK);
    CHECK(strcmp(host_console(), "hi\n") == 0);
    m = host_msg(OP_LOG_write, 2, 9ull, 0ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(4), &m, NULL), ERR_INVALID_ARGUMENT);
    m = host_msg(OP_LOG_write, 1, 600ull);
    CHECK_EQ(host_invoke(p, CAPLOC_REG(4), &m, NULL), ERR_MESSAGE_TOO_LONG);
    m = host_msg(OP_UNTYPED_info, 0);
    m.nwords = 65;
    CHECK_EQ(host_invoke(p, CAPLOC_REG(1), &m, NULL), ERR_MESSAGE_TOO_LONG);
}
