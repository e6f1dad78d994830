/*
 * Fault kinds, expanded from faults.def. Shared with user level through
 * kernel/abi/ (libsys includes this header).
 */
#pragma once

typedef enum {
#define FAULT(name, code, text) FAULT_##name = code,
#include "faults.def"
#undef FAULT
    FAULT_KIND_COUNT
} fault_kind_t;

/* A short description of `kind` for reports; never NULL. */
static inline const char *fault_kind_name(fault_kind_t kind)
{
    switch (kind) {
#define FAULT(name, code, text) case FAULT_##name: return text;
#include "faults.def"
#undef FAULT
    default: return "unknown fault";
    }
}
