/*
 * Faults to keepers (docs/spec/faults.md).
 *
 * A user fault the hardware-map cache cannot resolve (or any fault that
 * is not a memory access) becomes a call from the faulting process to a
 * keeper: for a memory fault the memory keeper of the innermost GPT with
 * a keeper on the failed walk (slot 15, an Entry), else the process's own
 * keeper (process_t.keeper). The message (kernel/abi/ipc.h,
 * CAIRN_OP_FAULT) is kind, address (relative to that GPT for a memory
 * keeper), pc and access; the keeper receives it with a Reply
 * capability. The process stays RUNNING, waiting for the reply, with
 * fault_code and fault_info recording the fault; the reply clears them
 * and resumes it at the faulting instruction. A keeper that is not
 * receiving just has the fault queue like any sender.
 *
 * With no usable keeper (none, not a live Entry, a send-only Entry, or
 * its endpoint destroyed while the fault waited) the process stops FAULTED and the
 * kernel prints a report; Process.start resumes it.
 */
#pragma once

#include <stdint.h>

#include "abi/abi.h"
#include "obj/gpt.h"
#include "obj/process.h"

/*
 * p (the current process) took fault `kind` at addr with `access`
 * (ARCH_ACCESS_*, 0 if none); w is the failed walk for a memory fault,
 * else NULL; `why` says what went wrong, for the report. Sends the fault
 * to the keeper, or stops p FAULTED. Either way p is off the CPU.
 */
void fault_raise(process_t *p, fault_kind_t kind, uint64_t addr, unsigned access,
                 const gpt_walk_t *w, const char *why);

/* Stop p FAULTED with the fault it has recorded, and report it. */
void fault_stop(process_t *p, const char *why);
