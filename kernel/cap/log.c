/* Log: the debug console capability (see log.h). */
#include "cap/log.h"

#include "arch.h"

typedef struct { unsigned length; } log_args_t;

static cairn_error_t log_decode_write(invocation_t *inv, log_args_t *a)
{
    uint64_t len = inv->msg->words[0];
    if (len > LOG_WRITE_MAX)
        return REFUSE(ERR_MESSAGE_TOO_LONG, "%llu bytes; one write carries at most %u",
                      (unsigned long long)len, LOG_WRITE_MAX);
    if (len > (uint64_t)(inv->msg->nwords - 1) * 8u)
        return REFUSE(ERR_INVALID_ARGUMENT, "%llu bytes announced but only %u words follow",
                      (unsigned long long)len, inv->msg->nwords - 1);
    a->length = (unsigned)len;
    return ERR_OK;
}

static void log_invoke_write(invocation_t *inv, const log_args_t *a)
{
    for (unsigned i = 0; i < a->length; i++)
        arch_console_putc((char)(inv->msg->words[1 + i / 8] >> (8 * (i % 8))));
}

cairn_error_t log_dispatch(invocation_t *inv)
{
    log_args_t a;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_LOG_write:
        if ((err = log_decode_write(inv, &a)) == ERR_OK)
            log_invoke_write(inv, &a);
        return err;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Log method");
    }
}
