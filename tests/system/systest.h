/*
 * What every system-test program shares: the capability registers its
 * image gives it (tests/system/common.mki) and small helpers.
 *
 * Layout of every test process:
 *   register 2  SELF      its own Process
 *   register 3  LOG       the kernel log
 *   register 8  POOL      a 1 MiB Untyped to retype from
 *   register 9  WINDOW    a GPT (l2v 12) mapped at WINDOW_VA: slot i is the
 *                         4 KiB page at WINDOW_VA + i * 4096
 *   register 10 SCRATCH   a CapPage mapped at SCRATCH_VA: slot i is the
 *                         capability location CAPLOC_MEM(SCRATCH_VA + 16 i);
 *                         also mapped read-only at SCRATCH_RO_VA and weak
 *                         at SCRATCH_WEAK_VA
 *   register 11 DISCRIM   the Discrim capability
 *   registers 16..31      free for the tests
 */
#pragma once

#include "../user/utest.h"

#define SELF      CAPLOC_REG(CAIRN_CR_SELF)
#define POOL      CAPLOC_REG(8)
#define WINDOW    CAPLOC_REG(9)
#define SCRATCH   CAPLOC_REG(10)
#define DISCRIM   CAPLOC_REG(11)
#define R(n)      CAPLOC_REG(n)

#define WINDOW_VA  0x40000000ull
#define SCRATCH_VA 0x50000000ull
#define SCRATCH_RO_VA   0x51000000ull
#define SCRATCH_WEAK_VA 0x52000000ull
#define SLOT(i)    CAPLOC_MEM(SCRATCH_VA + 16u * (i))
#define RO_SLOT(i) CAPLOC_MEM(SCRATCH_RO_VA + 16u * (i))
#define WEAK_SLOT(i) CAPLOC_MEM(SCRATCH_WEAK_VA + 16u * (i))

/* The capability type at loc (CAP_NULL if empty or revoked), or 255. */
static inline uint64_t cap_type_at(caploc_t loc)
{
    uint64_t t = 255;
    if (cairn_discrim_type(DISCRIM, loc, &t) != ERR_OK)
        return 255;
    return t;
}

/* A fresh child Untyped of 2^bits bytes from POOL into register reg. */
static inline cairn_error_t new_untyped(unsigned bits, unsigned reg)
{
    return cairn_untyped_retype(POOL, OBJ_UNTYPED, bits, 1, R(reg));
}

/* Revoke, repeating while the kernel reports a revoke under way. */
static inline cairn_error_t revoke(caploc_t ut)
{
    cairn_error_t e;
    do
        e = cairn_untyped_revoke(ut);
    while (e == ERR_BUSY);
    return e;
}

static inline volatile uint64_t *window_word(unsigned slot)
{
    return (volatile uint64_t *)(uintptr_t)(WINDOW_VA + slot * 4096ull);
}
