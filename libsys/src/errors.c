/* Meanings of the shared error codes, expanded from errors.def. */
#include "cairn/errors.h"

const char *cairn_error_text(cairn_error_t err)
{
    switch (err) {
#define ERROR(name, code, text) case ERR_##name: return text;
#include "abi/errors.def"
#undef ERROR
    default: return "not a Cairn error code";
    }
}
