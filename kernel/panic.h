/*
 * The kernel's three kinds of check (STYLE.md, habit 8):
 *
 *   ASSERT(cond)   a debug-only invariant; compiled out unless CAIRN_DEBUG.
 *   REQUIRE(cond)  always on: a condition that must hold even in release
 *                  builds because continuing would corrupt state.
 *   static_assert  pins object sizes and layouts to the ABI at build time.
 *
 * A failed check calls panic(), which prints the reason and where, then
 * powers the machine off (so QEMU exits) or halts.
 */
#pragma once


__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(const char *file, int line, const char *fmt, ...);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

#define REQUIRE(cond) \
    do { if (!(cond)) panic("requirement failed: %s", #cond); } while (0)

#ifdef CAIRN_DEBUG
#define ASSERT(cond) \
    do { if (!(cond)) panic("assertion failed: %s", #cond); } while (0)
#else
#define ASSERT(cond) ((void)0)
#endif
