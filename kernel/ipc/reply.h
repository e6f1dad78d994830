/*
 * Reply capabilities and call generations (docs/spec/ipc.md, "Replies").
 *
 * Every process has a 48-bit call generation: bits 0-31 in
 * process_t.reply_gen, bits 32-47 in ipc.call_gen_hi. When a call (or a
 * fault, which is delivered as a call) reaches a receiver, the kernel
 * gives the receiver a Reply capability naming the caller: obj = the
 * caller, gen = the generation its frame had when the caller was made
 * (ipc.self_gen: so a Reply capability made while the caller's Untyped
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
uint64_t call_gen(const process_t *p);

/* Advance it (a call of p has ended). Stops at CALL_GEN_LAST. */
void call_gen_bump(process_t *p);

/* May p make another call? False once the generation is exhausted. */
bool call_gen_available(const process_t *p);

/* A Reply capability to the call `caller` waits in now. */
cap_t reply_make(process_t *caller);

/*
 * The caller a Reply capability may answer now. Errors: INVALID_CAP
 * (Null), WRONG_TYPE (not a Reply capability), REVOKED (the caller was
 * destroyed), REPLY_STALE (that call was answered or abandoned). No side
 * effects.
 */
cairn_error_t reply_resolve(const cap_t *c, process_t **caller);
