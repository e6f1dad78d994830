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

/*
 * Phase flags, bits 16-22 (docs/spec/ipc.md has the valid combinations).
 * A kernel object takes 0 or a call (CALL, with or without SEND and
 * RECEIVE), both meaning "invoke the method".
 */
#define CAIRN_IPC_SEND      (1u << 16)  /* send phase to the Entry in TARGET */
#define CAIRN_IPC_RECEIVE   (1u << 17)  /* receive phase (open: the Endpoint in TARGET) */
#define CAIRN_IPC_CALL      (1u << 18)  /* send + closed wait for the reply */
#define CAIRN_IPC_NONBLOCK  (1u << 19)  /* fail with WOULD_BLOCK rather than wait */
#define CAIRN_IPC_REPLY     (1u << 20)  /* send phase to the Reply capability in
                                           register CAIRN_REPLY_REG; never blocks */
#define CAIRN_IPC_TIMEOUT   (1u << 21)  /* abandon after buffer.timeout_ticks */
#define CAIRN_IPC_ABANDON   (1u << 22)  /* abandon on a signal of buffer.abandon */
#define CAIRN_IPC_FLAGS_MASK (0x7fu << 16)

/* Every bit the control word may have; the others must be zero. */
#define CAIRN_INFO_VALID_MASK                                              \
    ((uint64_t)CAIRN_INFO_WORDS_MASK |                                     \
     (uint64_t)CAIRN_INFO_COUNT_MASK << CAIRN_INFO_CAPS_SHIFT |            \
     (uint64_t)CAIRN_INFO_COUNT_MASK << CAIRN_INFO_RECV_SHIFT |            \
     (uint64_t)CAIRN_IPC_FLAGS_MASK)

/* The usual operations. */
#define CAIRN_IPC_OP_SEND          CAIRN_IPC_SEND
#define CAIRN_IPC_OP_CALL          (CAIRN_IPC_SEND | CAIRN_IPC_RECEIVE | CAIRN_IPC_CALL)
#define CAIRN_IPC_OP_RECEIVE       CAIRN_IPC_RECEIVE
#define CAIRN_IPC_OP_REPLY         CAIRN_IPC_REPLY
#define CAIRN_IPC_OP_REPLY_RECEIVE (CAIRN_IPC_REPLY | CAIRN_IPC_RECEIVE)

/* The capability register a call's reply capability is delivered to. */
#define CAIRN_REPLY_REG         1u

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

/*
 * bits 0-6: data words received; bits 8-10: capabilities received;
 * bits 16-19: how the message came (below); bits 32-47: the cairn_error_t.
 * On a received message TARGET holds the protected payload of the Entry
 * the sender invoked (0 for replies and notifications) and OPCODE the
 * sender's opcode.
 */
#define CAIRN_RESULT_CAPS_SHIFT   8u
#define CAIRN_RESULT_RECV_CALL    (1u << 16)  /* a call: its reply capability
                                                 is in CAIRN_REPLY_REG */
#define CAIRN_RESULT_RECV_NOTIFY  (1u << 17)  /* woken by the bound
                                                 notification: bits in W0 */
#define CAIRN_RESULT_RECV_FAULT   (1u << 18)  /* made by the kernel for a
                                                 fault (with RECV_CALL) */
#define CAIRN_RESULT_TRUNCATED    (1u << 19)  /* words or capabilities sent
                                                 were not all delivered */
#define CAIRN_RESULT_ERROR_SHIFT 32u

static inline unsigned cairn_result_words(uint64_t r)
{
    return (unsigned)(r & CAIRN_INFO_WORDS_MASK);
}

static inline unsigned cairn_result_caps(uint64_t r)
{
    return (unsigned)((r >> CAIRN_RESULT_CAPS_SHIFT) & CAIRN_INFO_COUNT_MASK);
}

static inline cairn_error_t cairn_result_error(uint64_t r)
{
    return (cairn_error_t)((r >> CAIRN_RESULT_ERROR_SHIFT) & 0xffffu);
}

/* ---- Fault messages (docs/spec/faults.md) ------------------------------------- */

/*
 * A fault reaches the keeper as a call from the faulting process with
 * this opcode, CAIRN_RESULT_RECV_FAULT set, no capabilities, and four
 * words; replying resumes the process at the faulting instruction.
 * Opcodes with bit 63 set are reserved for messages the kernel makes.
 */
#define CAIRN_OP_FAULT        ((uint64_t)1 << 63 | 1u)
#define CAIRN_FAULT_W_KIND    0u   /* fault_kind_t (faults.def) */
#define CAIRN_FAULT_W_ADDR    1u   /* address: relative to the keeper's GPT
                                      for a memory keeper, else absolute */
#define CAIRN_FAULT_W_PC      2u   /* the faulting instruction */
#define CAIRN_FAULT_W_ACCESS  3u   /* the access (ARCH_ACCESS_* bits: read 1,
                                      write 2, execute 4), 0 if none */
#define CAIRN_FAULT_WORDS     4u

/* ---- The IPC buffer ----------------------------------------------------------- */

typedef struct cairn_ipc_buffer {
    /* Data words by message index; indices below CAIRN_REG_WORDS travel
     * in registers and these entries are ignored. */
    uint64_t words[CAIRN_MSG_WORDS_MAX];
    caploc_t send_caps[CAIRN_MSG_CAPS_MAX];   /* capabilities to send */
    caploc_t recv_caps[CAIRN_MSG_CAPS_MAX];   /* where received ones go */
    uint64_t timeout_ticks;   /* with CAIRN_IPC_TIMEOUT: ticks, at least 1 */
    caploc_t abandon;         /* with CAIRN_IPC_ABANDON: a Notification */
} cairn_ipc_buffer_t;

_Static_assert(sizeof(cairn_ipc_buffer_t) <= CAIRN_PAGE_SIZE,
               "the IPC buffer fits in one page");
