/*
 * The kernel's ABI, for the kernel, libsys and mkimage alike: the enums
 * expanded from the .def tables beside this file. This is one of the two
 * doors into kernel/ (the other is kernel/arch.h, for ports).
 */
#pragma once

#include "faults.h"

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
