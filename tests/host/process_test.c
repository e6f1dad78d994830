/* Host suite `process`: Process and Endpoint methods and their errors. */
#include <string.h>

#include "harness.h"
#include "host_env.h"
#include "obj/untyped.h"

static process_t *world(void)
{
    cap_t ut, self;
    host_env_reset();
    ut = host_untyped(20);
    process_t *p = host_process(&ut, &self);
    p->cap_regs[1] = ut;
    p->cap_regs[2] = self;
    untyped_retype(&ut, OBJ_ENDPOINT, 0, 1, &p->cap_regs[3]);
    untyped_retype(&ut, OBJ_PAGE, 0, 1, &p->cap_regs[4]);
    p->cap_regs[5] = (cap_t){ .type = CAP_SCHEDULE, .payload = 100 };
    return p;
}

static cairn_error_t with_cap(process_t *p, unsigned target, uint64_t op, unsigned cap_reg,
                              unsigned nwords, uint64_t w0)
{
    msg_t m = host_msg(op, nwords, w0);
    m.ncaps = 1;
    m.caps[0] = CAPLOC_REG(cap_reg);
    m.recv[0] = CAPLOC_REG(20);
    return host_invoke(p, CAPLOC_REG(target), &m, NULL);
}

HOST_TEST(process, start_stop_state)
{
    process_t *p = world();
    msg_t m;
    CHECK_EQ(host_call(p, 2, OP_PROCESS_get_state, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.words[0], CAIRN_PROC_STOPPED);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_stop, 0, NULL, NULL), ERR_BUSY);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_start, 0, NULL, NULL), ERR_OK);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_start, 0, NULL, NULL), ERR_BUSY);
    CHECK_EQ(p->state, CAIRN_PROC_RUNNING);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_stop, 0, NULL, NULL), ERR_OK);
    p->cap_regs[6] = p->cap_regs[2];
    cap_restrict(&p->cap_regs[6], RESTR_READ_ONLY);
    CHECK_EQ(host_call(p, 6, OP_PROCESS_start, 0, NULL, NULL), ERR_NO_RIGHTS);
    CHECK_EQ(host_call(p, 6, OP_PROCESS_get_state, 0, NULL, &m), ERR_OK);
    CHECK_EQ(m.nwords, 4);
}

HOST_TEST(process, registers)
{
    process_t *p = world();
    uint64_t w[4] = { 1, 2, 11, 22 };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_write_regs, 4, w, NULL), ERR_OK);
    msg_t m;
    CHECK_EQ(host_call(p, 2, OP_PROCESS_read_regs, 2, (uint64_t[]){ 1, 2 }, &m), ERR_OK);
    CHECK_EQ(m.nwords, 2);
    CHECK_EQ(m.words[0], 11);
    CHECK_EQ(m.words[1], 22);
    uint64_t bad[3] = { HOST_REG_FLAGS, 1, HOST_FLAG_PRIVILEGED };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_write_regs, 3, bad, NULL), ERR_INVALID_ARGUMENT);
    uint64_t mixed[4] = { 1, 2, 99, HOST_FLAG_PRIVILEGED };
    CHECK_EQ(host_call(p, 2, OP_PROCESS_write_regs, 4, mixed, NULL), ERR_INVALID_ARGUMENT);
    CHECK_EQ(p->arch_regs[1], 11);                 /* all or nothing */
    CHECK_EQ(host_call(p, 2, OP_PROCESS_write_regs, 3, (uint64_t[]){ 0, 2, 5 }, NULL),
             ERR_INVALID_ARGUMENT);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_read_regs, 2, (uint64_t[]){ 31, 2 }, NULL), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_read_regs, 2, (uint64_t[]){ 0, 0 }, NULL), ERR_OUT_OF_RANGE);
    process_set_context_ops(0, NULL, NULL);
    CHECK_EQ(host_call(p, 2, OP_PROCESS_read_regs, 2, (uint64_t[]){ 0, 1 }, NULL), ERR_BAD_OPCODE);
}

HOST_TEST(process, cap_registers_and_configuration)
{
    process_t *p = world();
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_cap_reg, 3, 1, 9), ERR_OK);
    CHECK(cap_same_object(&p->cap_regs[9], &p->cap_regs[3]));
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_cap_reg, 3, 1, 0), ERR_OK);
    CHECK(cap_is_null(&p->cap_regs[0]));
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_get_cap_reg, 0, 1, 9), ERR_OK);
    CHECK(cap_same_object(&p->cap_regs[20], &p->cap_regs[3]));
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_get_cap_reg, 0, 1, 32), ERR_OUT_OF_RANGE);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_space, 3, 0, 0), ERR_WRONG_TYPE);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_space, 4, 0, 0), ERR_OK);
    CHECK_EQ(p->space.type, CAP_PAGE);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_keeper, 4, 0, 0), ERR_WRONG_TYPE);
    CHECK_EQ(with_cap(p, 3, OP_ENDPOINT_make_entry, 0, 1, 77), ERR_OK);
    CHECK_EQ(p->cap_regs[20].type, CAP_ENTRY);
    CHECK_EQ(p->cap_regs[20].payload, 77);
    CHECK_EQ(with_cap(p, 3, OP_ENDPOINT_make_entry, 0, 1, 1ull << 32), ERR_OUT_OF_RANGE);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_keeper, 20, 0, 0), ERR_OK);
    CHECK_EQ(p->keeper.type, CAP_ENTRY);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_ipc_buffer, 3, 0, 0), ERR_WRONG_TYPE);
    cap_restrict(&p->cap_regs[4], RESTR_READ_ONLY);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_ipc_buffer, 4, 0, 0), ERR_NO_RIGHTS);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_ipc_buffer, 0, 0, 0), ERR_OK);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_priority, 5, 1, 100), ERR_OK);
    CHECK_EQ(p->priority, 100);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_priority, 5, 1, 101), ERR_NO_RIGHTS);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_priority, 5, 1, 256), ERR_OUT_OF_RANGE);
    CHECK_EQ(with_cap(p, 2, OP_PROCESS_set_priority, 3, 1, 1), ERR_WRONG_TYPE);
    cap_restrict(&p->cap_regs[3], RESTR_READ_ONLY);
    CHECK_EQ(with_cap(p, 3, OP_ENDPOINT_make_entry, 0, 1, 1), ERR_NO_RIGHTS);
}
