/*
 * cairn_call: marshal a message into the invocation registers and the
 * IPC buffer (kernel/abi/ipc.h), make the system call, unmarshal the
 * reply.
 */
#include "cairn/call.h"

cairn_ipc_buffer_t *cairn_ipc_buffer;

cairn_error_t cairn_call(caploc_t target, cairn_msg_t *m)
{
    if (m->nwords > CAIRN_MSG_WORDS_MAX || m->ncaps > CAIRN_MSG_CAPS_MAX ||
        m->nrecv > CAIRN_MSG_CAPS_MAX)
        return ERR_INVALID_ARGUMENT;
    bool needs_buffer = m->nwords > CAIRN_REG_WORDS || m->ncaps || m->nrecv;
    cairn_ipc_buffer_t *buf = cairn_ipc_buffer;
    if (needs_buffer && !buf)
        return ERR_INVALID_ARGUMENT;
    for (unsigned i = CAIRN_REG_WORDS; i < m->nwords; i++)
        buf->words[i] = m->words[i];
    for (unsigned i = 0; i < m->ncaps; i++)
        buf->send_caps[i] = m->caps[i];
    for (unsigned i = 0; i < m->nrecv; i++)
        buf->recv_caps[i] = m->recv[i];

    cairn_regs_t r = {
        .info = cairn_info(m->nwords, m->ncaps, m->nrecv),
        .target = target,
        .opcode = m->opcode,
    };
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        r.w[i] = m->words[i];
    cairn_syscall(&r);

    unsigned n = cairn_result_words(r.info);
    if (n > CAIRN_MSG_WORDS_MAX || (n > CAIRN_REG_WORDS && !buf))
        n = 0;
    m->nwords = n;
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        m->words[i] = r.w[i];
    for (unsigned i = CAIRN_REG_WORDS; i < n; i++)
        m->words[i] = buf->words[i];
    return cairn_result_error(r.info);
}
