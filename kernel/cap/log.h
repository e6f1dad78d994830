/*
 * Log: a stateless capability that writes text to the kernel debug
 * console, so user programs (and system tests) can report. Output is not
 * interpreted: bytes are written as given. Restrictions mean nothing.
 */
#pragma once

#include "invoke.h"

/* Most bytes one write may carry: all words after the length word. */
#define LOG_WRITE_MAX ((CAIRN_MSG_WORDS_MAX - 1u) * 8u)

/* Methods on Log capabilities (methods.def rows for LOG). */
cairn_error_t log_dispatch(invocation_t *inv);
