/*
 * Program start-up and exit. crt0 passes the IPC buffer address and the
 * argument word the process was started with.
 */
#include "cairn/cairn.h"

__attribute__((noreturn)) void cairn_start(uint64_t ipc_buffer, uint64_t arg);

void cairn_exit(int status)
{
    (void)status;
    cairn_process_stop(CAPLOC_REG(CAIRN_CR_SELF));
    /* No Process capability for ourselves: stop by faulting, on purpose. */
    for (;;)
        __builtin_trap();
}

void cairn_start(uint64_t ipc_buffer, uint64_t arg)
{
    cairn_ipc_buffer = (cairn_ipc_buffer_t *)(uintptr_t)ipc_buffer;
    cairn_exit(main(arg));
}
