/*
 * What ping (the client) and pong (the server) agree on. Every message
 * is a call through an Entry to pong's endpoint; pong answers each with
 * one word.
 *
 *   PINGPONG_OP_PING  words[0] = the counter      -> PONG, pingpong_answer(counter)
 *   PINGPONG_OP_DONE  (no words)                  -> PONG, the number of pings answered
 *   anything else                                 -> PINGPONG_OP_BAD
 */
#pragma once

#include <stdint.h>

enum {
    PINGPONG_OP_PING = 1,
    PINGPONG_OP_DONE = 2,
    PINGPONG_OP_PONG = 3,
    PINGPONG_OP_BAD = 4,
};

/* Pong's answer to counter n: n + 1, so a lost or repeated call shows. */
static inline uint64_t pingpong_answer(uint64_t n)
{
    return n + 1;
}
