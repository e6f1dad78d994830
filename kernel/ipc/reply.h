/*
 * Reply capabilities and call generations (docs/spec/ipc.md, "Replies").
 *
 * Every process has a 48-bit call generation: bits 0-31 in
 * process_t.reply_gen, bits 32-47 in ipc.call_gen_hi. When a call (or a
 * fault, which is delivered as a call) reaches a receiver, the kernel
 * gives the receiver a Reply capability naming the caller: obj = the
 * caller, gen = the generation its frame had when the caller was made
 * (self_gen: so a Reply capability made while the caller's Untyped
 * is being revoked is dead from the start, and can never name an object
 * made later in the same memory), and the call generation in payload
 * (bits 0-31), l2g (bits 32-39) and flags (bits 40-47).
 *
 * A Reply capability works only while its caller waits (REPLY_WAIT) for
 * exactly that call generation. Every way a call ends — the reply, a
 * timeout, an abandoning signal, Process.stop — bumps the generation, so
 * each Reply capability answers at most once and none outlives its call.
 * A destroyed caller's frame generation has moved on: its Reply
 * capabilities report ERR_REVOKED. A process whose generation reaches
 * CALL_GEN_LAST can make no more calls (ERR_EXHAUSTED), so a generation
 * never comes round again: no stale Reply capability can ever answer a
 * later call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"
#include "obj/process.h"

#define CALL_GEN_LAST (((uint64_t)1 << 48) - 1)

/* p's current call generation. */
static inline uint64_t call_gen(const process_t *p)
{
    return (uint64_t)p->ipc.call_gen_hi << 32 | p->reply_gen;
}

/* Advance it (a call of p has ended). Stops at CALL_GEN_LAST. */
static inline void call_gen_bump(process_t *p)
{
    if (p->reply_gen != UINT32_MAX) {    /* the usual case: no carry */
        p->reply_gen++;
        return;
    }
    uint64_t g = call_gen(p);
    if (g == CALL_GEN_LAST)
        return;
    g++;
    p->reply_gen = (uint32_t)g;
    p->ipc.call_gen_hi = (uint16_t)(g >> 32);
}

/* May p make another call? False once the generation is exhausted. */
static inline bool call_gen_available(const process_t *p)
{
    return call_gen(p) != CALL_GEN_LAST;
}

/* A Reply capability to the call `caller` waits in now. */
static inline cap_t reply_make(const process_t *caller)
{
    return (cap_t){ .type = CAP_REPLY, .payload = caller->reply_gen,
                    .l2g = (uint8_t)caller->ipc.call_gen_hi,
                    .flags = (uint8_t)(caller->ipc.call_gen_hi >> 8),
                    .obj = caller->self,
                    .gen = caller->self_gen };  /* dead already if the
                                                       caller is dying */
}

/* The call generation a Reply capability answers. */
static inline uint64_t reply_cap_gen(const cap_t *c)
{
    return (uint64_t)c->flags << 40 | (uint64_t)c->l2g << 32 | c->payload;
}

/*
 * The caller a Reply capability may answer now. Errors: INVALID_CAP
 * (Null), WRONG_TYPE (not a Reply capability), REVOKED (the caller was
 * destroyed), REPLY_STALE (that call was answered or abandoned). No side
 * effects.
 */
cairn_error_t reply_resolve(const cap_t *c, process_t **caller);
