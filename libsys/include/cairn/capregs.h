/*
 * Conventions for capability registers (the kernel gives register 0 a
 * meaning; the rest are conventions between mkimage descriptions, the
 * constructor and libsys, written down here once):
 *
 *   0  always Null
 *   1  REPLY    where a received call's reply capability is delivered
 *   2  SELF     the program's own Process capability
 *   3  LOG      the kernel debug console, if granted
 *   4  BANK     the space bank (or an Untyped for the bank itself)
 *   5..7        reserved for the runtime
 *   8..31       the application's own
 */
#pragma once

#include "abi/abi.h"

enum {
    CAIRN_CR_NULL = 0,
    CAIRN_CR_REPLY = 1,
    CAIRN_CR_SELF = 2,
    CAIRN_CR_LOG = 3,
    CAIRN_CR_BANK = 4,
    CAIRN_CR_APP = 8,
};
