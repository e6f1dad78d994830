/*
 * IPC between programs: send, call, receive, reply and reply-and-receive
 * through Entry, Endpoint and Reply capabilities (docs/spec/ipc.md,
 * docs/libsys.md).
 *
 * Every helper takes a cairn_msg_t (call.h). What it sends is m->opcode,
 * m->words[0 .. nwords) and the capabilities at m->caps[0 .. ncaps); a
 * helper that receives names where received capabilities go in
 * m->recv[0 .. nrecv) and, once a message has come (ERR_OK), leaves its
 * opcode and words in m->opcode, m->nwords and m->words; on an error m is
 * left as it was, ready to be sent again (m->ncaps and m->recv are never
 * changed). A message with more than four words, or with
 * capabilities either way, needs the IPC buffer; without one the helper
 * fails with ERR_INVALID_ARGUMENT before entering the kernel.
 *
 * `flags` adds any of CAIRN_IPC_NONBLOCK, CAIRN_IPC_TIMEOUT and
 * CAIRN_IPC_ABANDON to an operation that may wait; the last two use the
 * values set with cairn_ipc_set_timeout and cairn_ipc_set_abandon.
 */
#pragma once

#include "cairn/call.h"

/* What a receive, a call's reply or a reply-and-receive delivered. */
typedef struct cairn_ipc_result {
    cairn_error_t error;   /* ERR_OK, or why nothing (more) was received */
    uint32_t flags;        /* CAIRN_RESULT_RECV_CALL, _RECV_NOTIFY,
                              _RECV_FAULT, _TRUNCATED */
    uint64_t payload;      /* the protected payload of the Entry the sender
                              invoked; 0 for a reply or a notification */
    unsigned ncaps;        /* capabilities stored at m->recv[0 .. ncaps) */
} cairn_ipc_result_t;

/*
 * Send m through `entry` without waiting for an answer. Returns ERR_OK
 * once a receiver has taken it; with CAIRN_IPC_NONBLOCK, ERR_WOULD_BLOCK
 * (nothing sent) when no receiver is waiting.
 */
cairn_error_t cairn_ipc_send(caploc_t entry, const cairn_msg_t *m, uint32_t flags);

/* A send that never waits: ERR_WOULD_BLOCK if no receiver is waiting. */
static inline cairn_error_t cairn_ipc_try_send(caploc_t entry, const cairn_msg_t *m)
{
    return cairn_ipc_send(entry, m, CAIRN_IPC_NONBLOCK);
}

/*
 * Call through `entry` (send m, then wait for its reply) and leave the
 * reply in m. CAIRN_IPC_NONBLOCK applies to the send only. A kernel
 * object may be called the same way (its method's results come back as
 * the reply). The result's payload is 0.
 */
cairn_ipc_result_t cairn_ipc_call(caploc_t entry, cairn_msg_t *m, uint32_t flags);

/*
 * Open receive on `endpoint`: the oldest waiting sender's message, or
 * (RECV_NOTIFY) the bits of the notification bound to this process, in
 * W0. A call's Reply capability is in CAIRN_CR_REPLY (RECV_CALL).
 */
cairn_ipc_result_t cairn_ipc_receive(caploc_t endpoint, cairn_msg_t *m, uint32_t flags);

/*
 * Answer the call whose Reply capability is in CAIRN_CR_REPLY with m;
 * never waits. ERR_REPLY_STALE: that call was answered or abandoned
 * already, and nothing was sent.
 */
cairn_error_t cairn_ipc_reply(const cairn_msg_t *m);

/*
 * Reply with m (as cairn_ipc_reply), then receive on `endpoint` into m.
 * If the reply is refused nothing is received; with CAIRN_IPC_NONBLOCK,
 * ERR_WOULD_BLOCK means the reply went and nothing was waiting.
 */
cairn_ipc_result_t cairn_ipc_reply_receive(caploc_t endpoint, cairn_msg_t *m,
                                           uint32_t flags);

/*
 * The limits CAIRN_IPC_TIMEOUT and CAIRN_IPC_ABANDON apply, kept in the
 * IPC buffer until changed: a timeout of `ticks` timer ticks (at least
 * 1), and the Notification whose signal abandons the operation. Both fail
 * with ERR_INVALID_ARGUMENT if the process has no IPC buffer.
 */
cairn_error_t cairn_ipc_set_timeout(uint64_t ticks);
cairn_error_t cairn_ipc_set_abandon(caploc_t notification);

/*
 * A server's handler: it gets each message in m (as received, with r),
 * and leaves the answer in m (m->ncaps is 0 on entry). It returns true
 * to reply, which is done only for a call; false to send nothing back
 * (say, it kept the Reply capability to answer later).
 */
typedef bool cairn_ipc_handler_t(void *ctx, const cairn_ipc_result_t *r, cairn_msg_t *m);

/*
 * Serve `endpoint`: receive, hand each message to `handler`, reply with
 * reply-and-receive. A refused reply (a caller that died or abandoned
 * its call) is dropped and serving goes on. Returns the first error of a
 * receive (ERR_REVOKED when the endpoint is destroyed, say).
 */
cairn_error_t cairn_ipc_serve(caploc_t endpoint, cairn_msg_t *m,
                              cairn_ipc_handler_t *handler, void *ctx);
