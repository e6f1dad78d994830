/*
 * The error vocabulary every Cairn program shares with the kernel. The
 * codes come from kernel/abi/errors.def, the same table the kernel uses,
 * so the two can never disagree.
 */
#pragma once

#include "abi/abi.h"

/*
 * cairn_error_name(err), from kernel/abi/abi.h: "INVALID_CAP", "REVOKED",
 * ...; "UNKNOWN_ERROR" for a code not in the table.
 */

/* One sentence saying what the error means; never NULL. */
const char *cairn_error_text(cairn_error_t err);
