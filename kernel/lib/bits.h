/*
 * Bit scanning without libgcc: rv64gc has no count-zeros instruction, so
 * GCC's builtins would call helper routines the freestanding kernel does
 * not link. These are branch-light binary searches.
 */
#pragma once

#include <stdint.h>

/* Index of the highest set bit (0..63). Pre: v != 0. */
static inline unsigned bits_high(uint64_t v)
{
    unsigned n = 0;
    if (v >> 32) { n += 32; v >>= 32; }
    if (v >> 16) { n += 16; v >>= 16; }
    if (v >> 8)  { n += 8;  v >>= 8; }
    if (v >> 4)  { n += 4;  v >>= 4; }
    if (v >> 2)  { n += 2;  v >>= 2; }
    if (v >> 1)  { n += 1; }
    return n;
}

/* Index of the lowest set bit (0..63). Pre: v != 0. */
static inline unsigned bits_low(uint64_t v)
{
    return bits_high(v & -v);
}
