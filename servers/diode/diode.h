/*
 * The diode's protocol: what the sender, the diode and the receiver of
 * servers/diode/diode.mki agree on, and what the system suite `diode`
 * (tests/system/diode.c) checks. Every message is a send of data words
 * only: never a call, never a capability.
 *
 *   DIODE_OP_CHECK  what a program found when it tried to open a way back
 *                   (words: DIODE_CHECK_*; a sender sends the first two)
 *   DIODE_OP_DATA   words[0] = sequence number i (from 0), then
 *                   diode_data_words(i) data words diode_word(i, 1..)
 *   DIODE_OP_END    words[0] = the number of DATA messages sent
 *
 * The stream the receiver sees: the diode's CHECK, the sender's CHECK,
 * DIODE_MESSAGES DATA messages in order, END.
 */
#pragma once

#include <stdint.h>

enum {
    DIODE_OP_CHECK = 1,
    DIODE_OP_DATA = 2,
    DIODE_OP_END = 3,
};

/* The words of a CHECK message: who sends it, then the error the kernel
 * gave each attempt (cairn_error_t values). */
enum {
    DIODE_CHECK_WHO,         /* DIODE_FROM_SENDER or DIODE_FROM_DIODE */
    DIODE_CHECK_CALL,        /* a call through its send-only Entry: NO_RIGHTS */
    DIODE_CHECK_MAKE_ENTRY,  /* (diode) an Entry from its read-only Endpoint: NO_RIGHTS */
    DIODE_CHECK_REPLY,       /* (diode) a reply after a message came: INVALID_CAP,
                                for a send brings no Reply capability */
    DIODE_CHECK_WORDS,
};

enum {
    DIODE_FROM_SENDER = 1,
    DIODE_FROM_DIODE = 2,
};

#define DIODE_MESSAGES 16u

/* DATA message i carries 0 to 7 data words after its sequence number, so
 * the stream has messages in registers only and through the IPC buffer. */
static inline unsigned diode_data_words(uint64_t i)
{
    return (unsigned)(i % 8);
}

/* Data word j (1..7) of message i. */
static inline uint64_t diode_word(uint64_t i, unsigned j)
{
    return (i << 8 | j) * 0x9e3779b97f4a7c15ull;
}
