/*
 * Discrim: a stateless capability that classifies and compares other
 * capabilities without exercising them. A revoked capability is reported
 * as Null (it is Null in effect). Restrictions on a Discrim capability
 * mean nothing; weakening keeps it, so it is discreet.
 */
#pragma once

#include "invoke.h"

/* Methods on Discrim capabilities (methods.def rows for DISCRIM). */
cairn_error_t discrim_dispatch(invocation_t *inv);
