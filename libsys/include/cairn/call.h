/*
 * Invoking capabilities: the general call every stub is built on.
 *
 * A message is an opcode, up to CAIRN_MSG_WORDS_MAX data words and up to
 * four capabilities each way, named by capability locations (caploc_t:
 * CAPLOC_REG(n) for register n, CAPLOC_MEM(addr) for a slot in a CapPage
 * of the caller's own address space). The first four words travel in
 * registers; the rest, and the capability locations, go through the
 * process's IPC buffer, which crt0 finds at start-up.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"
#include "abi/ipc.h"
#include "cairn/syscall_arch.h"

typedef struct cairn_msg {
    uint64_t opcode;
    unsigned nwords, ncaps, nrecv;        /* in; nwords is replaced by the reply's */
    uint64_t words[CAIRN_MSG_WORDS_MAX];  /* in, then the reply's words */
    caploc_t caps[CAIRN_MSG_CAPS_MAX];    /* capabilities to send */
    caploc_t recv[CAIRN_MSG_CAPS_MAX];    /* where returned ones go */
} cairn_msg_t;

/* The IPC buffer crt0 was given, or NULL. */
extern cairn_ipc_buffer_t *cairn_ipc_buffer;

/*
 * Call `target` with m: a kernel object's method, or a server through an
 * Entry capability (the same call, CAIRN_IPC_OP_CALL). Returns the error
 * of the call (the kernel's; a server's reply carries its own in its
 * words); on ERR_OK, m->opcode, m->nwords and m->words hold the reply.
 * A message that needs the IPC buffer when the process has none fails
 * with ERR_INVALID_ARGUMENT without entering the kernel. cairn/ipc.h has
 * the rest of IPC: sends, receives, replies, timeouts.
 */
cairn_error_t cairn_call(caploc_t target, cairn_msg_t *m);
