/*
 * The IPC helpers (ipc.h): each marshals the part of a message its
 * operation sends or names into the invocation registers and the IPC
 * buffer (kernel/abi/ipc.h), makes the one system call, and unmarshals
 * what came back.
 */
#include "cairn/ipc.h"

/* Which parts of m an operation uses. */
enum {
    PART_SEND = 1,   /* opcode, words and capabilities go out */
    PART_RECV = 2,   /* receive slots are named; a message comes back */
};

#define RESULT_FLAGS (CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_RECV_NOTIFY | \
                      CAIRN_RESULT_RECV_FAULT | CAIRN_RESULT_TRUNCATED)

/* Put words 4.., the capabilities to send and the receive slots in the
 * buffer. False if they need one and there is none. */
static bool marshal(unsigned nwords, unsigned ncaps, unsigned nrecv,
                    const cairn_msg_t *m)
{
    if (nwords <= CAIRN_REG_WORDS && ncaps == 0 && nrecv == 0)
        return true;
    cairn_ipc_buffer_t *buf = cairn_ipc_buffer;
    if (!buf)
        return false;
    for (unsigned i = CAIRN_REG_WORDS; i < nwords; i++)
        buf->words[i] = m->words[i];
    for (unsigned i = 0; i < ncaps; i++)
        buf->send_caps[i] = m->caps[i];
    for (unsigned i = 0; i < nrecv; i++)
        buf->recv_caps[i] = m->recv[i];
    return true;
}

/* The message that came back: opcode, count and words. */
static void unmarshal(const cairn_regs_t *r, cairn_msg_t *m)
{
    unsigned n = cairn_result_words(r->info);
    if (n > CAIRN_MSG_WORDS_MAX || (n > CAIRN_REG_WORDS && !cairn_ipc_buffer))
        n = 0;
    m->opcode = r->opcode;
    m->nwords = n;
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        m->words[i] = r->w[i];
    for (unsigned i = CAIRN_REG_WORDS; i < n; i++)
        m->words[i] = cairn_ipc_buffer->words[i];
}

static cairn_ipc_result_t ipc_invoke(uint32_t flags, caploc_t target,
                                     cairn_msg_t *m, unsigned parts)
{
    cairn_ipc_result_t res = { .error = ERR_INVALID_ARGUMENT };
    unsigned nwords = (parts & PART_SEND) ? m->nwords : 0;
    unsigned ncaps = (parts & PART_SEND) ? m->ncaps : 0;
    unsigned nrecv = (parts & PART_RECV) ? m->nrecv : 0;
    if (nwords > CAIRN_MSG_WORDS_MAX || ncaps > CAIRN_MSG_CAPS_MAX ||
        nrecv > CAIRN_MSG_CAPS_MAX || !marshal(nwords, ncaps, nrecv, m))
        return res;

    cairn_regs_t r = {
        .info = cairn_info(nwords, ncaps, nrecv) | flags,
        .target = target,
        .opcode = m->opcode,
    };
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        r.w[i] = i < nwords ? m->words[i] : 0;
    cairn_syscall(&r);

    res.error = cairn_result_error(r.info);
    res.flags = (uint32_t)(r.info & RESULT_FLAGS);
    res.ncaps = cairn_result_caps(r.info);
    /* TARGET is a payload only for a message an open receive took. */
    bool open_receive = (flags & CAIRN_IPC_RECEIVE) && !(flags & CAIRN_IPC_CALL);
    res.payload = open_receive && res.error == ERR_OK ? r.target : 0;
    /* A failed operation leaves m as it was, so it can be sent again. */
    if ((parts & PART_RECV) && res.error == ERR_OK)
        unmarshal(&r, m);
    return res;
}

/* The flags a caller may add to an operation that can wait. */
static uint32_t waiting_flags(uint32_t flags)
{
    return flags & (CAIRN_IPC_NONBLOCK | CAIRN_IPC_TIMEOUT | CAIRN_IPC_ABANDON);
}

cairn_error_t cairn_ipc_send(caploc_t entry, const cairn_msg_t *m, uint32_t flags)
{
    /* Only the send part is used: m is not written. */
    return ipc_invoke(CAIRN_IPC_OP_SEND | waiting_flags(flags), entry,
                      (cairn_msg_t *)m, PART_SEND).error;
}

cairn_ipc_result_t cairn_ipc_call(caploc_t entry, cairn_msg_t *m, uint32_t flags)
{
    return ipc_invoke(CAIRN_IPC_OP_CALL | waiting_flags(flags), entry, m,
                      PART_SEND | PART_RECV);
}

cairn_ipc_result_t cairn_ipc_receive(caploc_t endpoint, cairn_msg_t *m, uint32_t flags)
{
    return ipc_invoke(CAIRN_IPC_OP_RECEIVE | waiting_flags(flags), endpoint, m,
                      PART_RECV);
}

cairn_error_t cairn_ipc_reply(const cairn_msg_t *m)
{
    return ipc_invoke(CAIRN_IPC_OP_REPLY, CAPLOC_REG(0), (cairn_msg_t *)m,
                      PART_SEND).error;
}

cairn_ipc_result_t cairn_ipc_reply_receive(caploc_t endpoint, cairn_msg_t *m,
                                           uint32_t flags)
{
    return ipc_invoke(CAIRN_IPC_OP_REPLY_RECEIVE | waiting_flags(flags), endpoint,
                      m, PART_SEND | PART_RECV);
}

cairn_error_t cairn_ipc_set_timeout(uint64_t ticks)
{
    if (!cairn_ipc_buffer)
        return ERR_INVALID_ARGUMENT;
    cairn_ipc_buffer->timeout_ticks = ticks;
    return ERR_OK;
}

cairn_error_t cairn_ipc_set_abandon(caploc_t notification)
{
    if (!cairn_ipc_buffer)
        return ERR_INVALID_ARGUMENT;
    cairn_ipc_buffer->abandon = notification;
    return ERR_OK;
}

cairn_error_t cairn_ipc_serve(caploc_t endpoint, cairn_msg_t *m,
                              cairn_ipc_handler_t *handler, void *ctx)
{
    cairn_ipc_result_t r = cairn_ipc_receive(endpoint, m, 0);
    for (;;) {
        if (r.error != ERR_OK)
            return r.error;
        m->ncaps = 0;
        bool answer = handler(ctx, &r, m) && (r.flags & CAIRN_RESULT_RECV_CALL);
        if (!answer) {
            r = cairn_ipc_receive(endpoint, m, 0);
            continue;
        }
        r = cairn_ipc_reply_receive(endpoint, m, 0);
        /* A refused reply receives nothing: drop it and receive. A receive
         * that fails fails again here and ends the loop. */
        if (r.error != ERR_OK)
            r = cairn_ipc_receive(endpoint, m, 0);
    }
}
