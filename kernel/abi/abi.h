/*
 * The kernel's ABI, for the kernel, libsys and mkimage alike: the enums
 * expanded from the .def tables beside this file. This is one of the two
 * doors into kernel/ (the other is kernel/arch.h, for ports).
 */
#pragma once

#include <stdint.h>

#include "faults.h"

/* C11 static_assert without <assert.h>, which bare-metal toolchains
 * (riscv64-unknown-elf without a libc) do not ship. */
#ifndef static_assert
#define static_assert _Static_assert
#endif

typedef enum {
#define CAPTYPE(name, code, obj, text) CAP_##name = code,
#include "captypes.def"
#undef CAPTYPE
    CAP_TYPE_COUNT
} cap_type_t;

typedef enum {
#define OBJTYPE(name, code, text) OBJ_##name = code,
#include "objtypes.def"
#undef OBJTYPE
    OBJ_TYPE_COUNT
} obj_type_t;

enum {
#define RESTR(name, bit, text) RESTR_##name = bit,
#include "restrictions.def"
#undef RESTR
};

typedef enum {
#define ERROR(name, code, text) ERR_##name = code,
#include "errors.def"
#undef ERROR
    ERR_COUNT
} cairn_error_t;

#define CAIRN_PAGE_SIZE     4096u
#define CAIRN_PAGE_BITS     12u

/* ---- Sizes and limits (also in the generated abi.txt) ------------------- */

#define CAIRN_CAP_SIZE        16u   /* bytes in one capability */
#define CAIRN_CAP_REGS        32u   /* capability registers per process */
#define CAIRN_CAPPAGE_SLOTS  256u   /* capabilities in one CapPage */
#define CAIRN_MSG_WORDS_MAX   64u   /* data words in one kernel message */
#define CAIRN_MSG_CAPS_MAX     4u   /* capabilities each way in one message */
#define CAIRN_PRIO_MAX       255u   /* highest scheduling priority */
#define CAIRN_ARCH_REG_WORDS  40u   /* words in a process's register area */
#define CAIRN_RETYPE_MAX     256u   /* objects one retype may make */

/* GPT geometry and flags (docs/spec/address-spaces.md). */
#define CAIRN_GPT_SLOTS       16u
#define CAIRN_GPT_BG_SLOT     14u   /* background space, when CAIRN_GPT_BG */
#define CAIRN_GPT_KEEPER_SLOT 15u   /* memory keeper, when CAIRN_GPT_HA */
#define CAIRN_GPT_BG           1u
#define CAIRN_GPT_HA           2u
#define CAIRN_L2V_MIN         12u
#define CAIRN_L2V_MAX         63u

/* Every restriction bit, ORed together. */
enum {
    CAIRN_RESTR_ALL = 0
#define RESTR(name, bit, text) | bit
#include "restrictions.def"
#undef RESTR
};

/* Process run states, as Process.get_state reports them. */
typedef enum {
    CAIRN_PROC_STOPPED   = 0,   /* made, or stopped; never scheduled */
    CAIRN_PROC_RUNNING   = 1,   /* runnable or waiting in IPC */
    CAIRN_PROC_FAULTED   = 2,   /* stopped by a fault; start resumes it */
    CAIRN_PROC_DESTROYED = 3,   /* its Untyped was revoked (kernel-internal) */
} cairn_proc_state_t;

/*
 * A capability location (caploc): where an invocation finds or puts a
 * capability. Bit 0 clear: capability register (loc >> 1). Bit 0 set: the
 * address loc & ~1 in the process's own address space, which must be
 * 16-byte aligned and reach a CapPage.
 */
typedef uint64_t caploc_t;
#define CAPLOC_REG(n)     ((caploc_t)(n) << 1)
#define CAPLOC_MEM(addr)  ((caploc_t)(addr) | 1u)
#define CAPLOC_IS_MEM(l)  (((l) & 1u) != 0)

/* Method opcodes, one namespace per capability type: OP_<CAPTYPE>_<name>. */
enum {
#define METHOD(ct, name, op, iw, ic, ow, oc, doc) OP_##ct##_##name = op,
#include "methods.def"
#undef METHOD
};

/* A short name for an error code; never NULL. */
static inline const char *cairn_error_name(int err)
{
    switch (err) {
#define ERROR(name, code, text) case code: return #name;
#include "errors.def"
#undef ERROR
    default: return "UNKNOWN_ERROR";
    }
}
