/*
 * Message transfer: copying a message from one process to another, and
 * writing the results of a finished operation into a process's saved
 * registers (docs/spec/ipc.md, "Message layout").
 *
 * A message lives in its sender's saved registers (control word, opcode,
 * W0-W3) and IPC buffer (words 4 and up, the locations of the
 * capabilities sent); it is copied straight into the receiver's saved
 * registers and IPC buffer, frame to frame through the physical map,
 * never through either process's own mappings. A sender that blocked
 * keeps its message where it was, so the copy happens when a receiver
 * comes, from whatever the registers and buffer hold then.
 *
 * Counts are clamped on delivery (a blocked process's registers may have
 * been rewritten meanwhile), so transfer never fails and never reads or
 * writes outside a message: what cannot be delivered is dropped, the
 * receiver's counts say what arrived and CAIRN_RESULT_TRUNCATED says
 * that something did not.
 */
#pragma once

#include <stdint.h>

#include "abi/ipc.h"
#include "obj/process.h"

/* p's IPC buffer through the physical map, or NULL if it has no live,
 * writable Page for one. */
cairn_ipc_buffer_t *ipc_buffer_of(process_t *p);

/*
 * Can p send the message its control word `info` describes? Errors:
 * INVALID_ARGUMENT (more than 64 words or 4 capabilities; a buffer is
 * needed and p has none), the caploc errors of a send location (see
 * cspace_locate). No side effects.
 */
cairn_error_t transfer_check_send(process_t *p, uint64_t info);

/* Can p receive into the slots `info` names? INVALID_ARGUMENT (more than
 * 4; no buffer to name them in), or a caploc error of a slot (located
 * for writing). No side effects. */
cairn_error_t transfer_check_recv(process_t *p, uint64_t info);

/*
 * Copy from's message to `to`, which is waiting to receive (or for a
 * reply): words, opcode, capabilities, then to's result word with
 * `flags` (CAIRN_RESULT_RECV_*) and TARGET = payload. Capability i goes
 * to to's receive slot i for i < min(sent, named); a sent capability
 * that is Null, revoked or cannot be read arrives as Null; a slot that
 * cannot be located ends the transfer there (the count says so).
 */
void transfer_message(process_t *from, process_t *to, uint32_t flags,
                      uint32_t payload);

/* Give `to` the fault message of `from` (its fault record and pc) as a
 * call, TARGET = payload. */
void transfer_fault(process_t *from, process_t *to, uint32_t payload);

/* End p's receive with the bound notification's bits (RECV_NOTIFY). */
void transfer_bits(process_t *p, uint64_t bits);

/* End p's operation with one result word (Notification.wait). */
void transfer_word(process_t *p, uint64_t word);

/* End p's operation with err (ERR_OK: no words, no capabilities). */
void transfer_result(process_t *p, cairn_error_t err);
