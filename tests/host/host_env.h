/*
 * The host test environment for the object model: a simulated physical
 * memory (arch_host.c) and helpers to build the frame table, root
 * Untypeds, processes and messages the tests invoke through kernel_invoke.
 *
 * Physical layout the shim simulates:
 *   HOST_KIMG_BASE  the "kernel image": the static root Untyped array
 *   HOST_RAM_BASE   RAM, HOST_RAM_SIZE bytes (a 2 MiB aligned host buffer)
 *   HOST_DEV_BASE   a device region, HOST_DEV_SIZE bytes
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"
#include "obj/process.h"

#define HOST_KIMG_BASE 0x00100000ull
#define HOST_RAM_BASE  0x40000000ull
#define HOST_RAM_SIZE  (64ull << 20)
#define HOST_DEV_BASE  0xf0000000ull
#define HOST_DEV_SIZE  (1ull << 20)

/* The shim's host register file: HOST_CONTEXT_REGS registers; register
 * HOST_REG_FLAGS refuses values with HOST_FLAG_PRIVILEGED set. */
#define HOST_CONTEXT_REGS    32u
#define HOST_REG_FLAGS       2u
#define HOST_FLAG_PRIVILEGED 0x3000u

/*
 * The shim's register layout for the IPC seam: pc, sp, flags, then the
 * invocation registers ARCH_SYS_INFO..ARCH_SYS_W3 from HOST_REG_SYS. The
 * host "system-call instruction" is HOST_SYSCALL_LEN bytes long:
 * arch_syscall_restart moves pc back by that much.
 */
#define HOST_REG_PC          0u
#define HOST_REG_SP          1u
#define HOST_REG_SYS         3u
#define HOST_SYSCALL_LEN     4u

/* The shim's register access (installed by host_env_reset). */
uint64_t host_context_get(const uint64_t *ctx, unsigned i);
bool host_context_set(uint64_t *ctx, unsigned i, uint64_t value);

/* Simulated memory, for the shim. */
void *host_ram(void);
void *host_dev(void);

/* Console bytes written since the last reset (NUL-terminated). */
const char *host_console(void);

/* Echo console output to stdout or not (the default, unless the
 * environment says CAIRN_HOST_ECHO=1). */
void host_console_echo(bool on);

/*
 * The simulated CPU. host_kernel_enter runs `entry` (a kernel entry that
 * never returns, such as kernel_syscall) until the kernel leaves it:
 * arch_user_resume (HOST_EXIT_RESUMED; *resumed is the context resumed),
 * the idle loop's arch_wait_for_interrupt (HOST_EXIT_IDLE) or
 * arch_poweroff (HOST_EXIT_POWEROFF). Entries may nest no deeper than
 * one level.
 */
typedef enum {
    HOST_EXIT_RESUMED = 1,
    HOST_EXIT_IDLE,
    HOST_EXIT_POWEROFF,
} host_exit_t;

host_exit_t host_kernel_enter(void (*entry)(void *), void *arg, uint64_t **resumed);

/* Fresh world: frame table, no roots, default hooks, empty console. */
void host_env_reset(void);

/* A new root Untyped of 2^size_bits bytes carved from RAM (or the device
 * region), aligned to its size. Aborts if there is no room. */
cap_t host_untyped(unsigned size_bits);
cap_t host_device_untyped(unsigned size_bits);

/* A new process made from *ut; *self receives a full capability to it. */
process_t *host_process(const cap_t *ut, cap_t *self);

/* A message with `opcode` and `nwords` data words (the variadic args,
 * each a uint64_t). Capability fields start at register 0. */
msg_t host_msg(uint64_t opcode, unsigned nwords, ...);

/* kernel_invoke, repeated while it asks to be restarted. Returns the
 * error; *restarts (if not NULL) counts the restarts. */
cairn_error_t host_invoke(process_t *p, caploc_t target, msg_t *m, unsigned *restarts);

/* Shorthand: invoke with words only, results in *out (may be NULL). */
cairn_error_t host_call(process_t *p, unsigned reg, uint64_t opcode,
                        unsigned nwords, const uint64_t *words, msg_t *out);

/* Revoke an Untyped in register `reg` of p to completion. */
cairn_error_t host_revoke(process_t *p, unsigned reg, unsigned *restarts);

/* Retype through the method: count objects of type into registers from
 * dest_reg. */
cairn_error_t host_retype(process_t *p, unsigned ut_reg, obj_type_t type,
                          unsigned size_bits, unsigned count, caploc_t dest);

/*
 * A small address space for p, made from the Untyped in register ut_reg:
 * a GPT (l2v 12) in register first_reg whose slot 0 holds a CapPage
 * (register first_reg + 1) and slot 1 a data Page (register first_reg + 2).
 * So capability addresses 0..0xff0 are the CapPage's slots and 0x1000 is
 * data. p's space becomes the GPT.
 */
void host_space(process_t *p, unsigned ut_reg, unsigned first_reg);

/* The slots of the CapPage a capability names. */
cap_t *host_cappage(const cap_t *c);
