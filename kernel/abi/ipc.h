/*
 * The invocation ABI: the control word and the IPC buffer, shared by the
 * kernel and libsys (docs/spec/ipc.md).
 *
 * One system call does everything. Its registers (kernel/arch.h,
 * ARCH_SYS_*) carry the control word, the target capability location,
 * the opcode and data words 0..3. Anything more lives in the caller's IPC
 * buffer, a Page the process names with Process.set_ipc_buffer and maps
 * where it likes; the kernel reads and writes it through its physical
 * address, never through the process's own mapping.
 */
#pragma once

#include <stdint.h>

#include "abi.h"

/* ---- The control word (ARCH_SYS_INFO on entry) ---------------------------- */

#define CAIRN_INFO_WORDS_MASK   0x7fu     /* bits 0-6: data words sent */
#define CAIRN_INFO_CAPS_SHIFT   8u        /* bits 8-10: capabilities sent */
#define CAIRN_INFO_RECV_SHIFT   12u       /* bits 12-14: receive slots */
#define CAIRN_INFO_COUNT_MASK   0x7u

/* Data words that travel in registers; the rest are in the IPC buffer. */
#define CAIRN_REG_WORDS         4u

static inline uint64_t cairn_info(unsigned nwords, unsigned ncaps,
                                  unsigned nrecv)
{
    return (uint64_t)(nwords & CAIRN_INFO_WORDS_MASK) |
           (uint64_t)(ncaps & CAIRN_INFO_COUNT_MASK) << CAIRN_INFO_CAPS_SHIFT |
           (uint64_t)(nrecv & CAIRN_INFO_COUNT_MASK) << CAIRN_INFO_RECV_SHIFT;
}

/* ---- The result word (ARCH_SYS_INFO on return) ----------------------------- */

/* bits 0-6: data words returned; bits 32-47: the cairn_error_t. */
#define CAIRN_RESULT_ERROR_SHIFT 32u

static inline unsigned cairn_result_words(uint64_t r)
{
    return (unsigned)(r & CAIRN_INFO_WORDS_MASK);
}

static inline cairn_error_t cairn_result_error(uint64_t r)
{
    return (cairn_error_t)((r >> CAIRN_RESULT_ERROR_SHIFT) & 0xffffu);
}

/* ---- The IPC buffer ----------------------------------------------------------- */

typedef struct cairn_ipc_buffer {
    /* Data words by message index; indices below CAIRN_REG_WORDS travel
     * in registers and these entries are ignored. */
    uint64_t words[CAIRN_MSG_WORDS_MAX];
    caploc_t send_caps[CAIRN_MSG_CAPS_MAX];   /* capabilities to send */
    caploc_t recv_caps[CAIRN_MSG_CAPS_MAX];   /* where received ones go */
} cairn_ipc_buffer_t;

_Static_assert(sizeof(cairn_ipc_buffer_t) <= CAIRN_PAGE_SIZE,
               "the IPC buffer fits in one page");
