/*
 * cairn_call: every kernel method, and a call to a server, is one call
 * (CAIRN_IPC_OP_CALL): the kernel takes a call to a kernel object as the
 * method's invocation (docs/spec/ipc.md), so one marshalling serves both.
 */
#include "cairn/call.h"

#include "cairn/ipc.h"

cairn_ipc_buffer_t *cairn_ipc_buffer;

cairn_error_t cairn_call(caploc_t target, cairn_msg_t *m)
{
    return cairn_ipc_call(target, m, 0).error;
}
