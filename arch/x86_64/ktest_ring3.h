/*
 * The x86_64 tests' ring-3 harness (test kernel only): a small pool of
 * page-table frames, a user address space built with the arch_pt_*
 * hooks, and a way to run a user context until its next kernel entry.
 *
 * r3_run resumes the context with arch_user_resume and installs the
 * user.c test hooks; the hook for the next syscall or fault records what
 * arrived and leaves for the test with ktest_longjmp. Timer interrupts
 * in ring 3 just resume the context (counted), unless the test asks to
 * stop at one. The test itself runs on the boot stack; every entry from
 * ring 3 starts the per-CPU kernel stack afresh, so the two never meet.
 *
 * The space: code at R3_CODE_VA (the ktest_user page, read+execute),
 * an RW stack below R3_STACK_TOP, a read-only data page at R3_RO_VA and
 * a read-write one at R3_DATA_VA (both NX); R3_HOLE_VA is unmapped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "abi/faults.h"

#define R3_CODE_VA   0x400000ull
#define R3_HOLE_VA   0x401000ull
#define R3_STACK_VA  0x402000ull
#define R3_STACK_TOP 0x403000ull
#define R3_RO_VA     0x404000ull
#define R3_DATA_VA   0x405000ull

/* Values the harness puts in the data pages' first word. */
#define R3_RO_WORD   0x0ddba11c0ffee001ull
#define R3_DATA_WORD 0x5ca1ab1e0000d00dull

#define ULL(x) ((unsigned long long)(x))

/* ---- setjmp / longjmp (ktest_jmp.S) ---------------------------------- */

typedef struct {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
} ktest_jmp_t;

__attribute__((returns_twice)) uint64_t ktest_setjmp(ktest_jmp_t *j);
__attribute__((noreturn)) void ktest_longjmp(const ktest_jmp_t *j, uint64_t value);

/* ---- The frame pool ---------------------------------------------------- */

/*
 * Frames for page tables, handed out zeroed by r3_pool_alloc (an
 * arch_pt_alloc_t) and taken back by r3_pool_release. A release of a
 * frame that is not out, or not the pool's, is recorded as an error.
 */
uint64_t r3_pool_alloc(void *cookie);
void r3_pool_release(uint64_t pa, void *cookie);
/* Frames out now, and the first misuse seen (NULL if none). */
unsigned r3_pool_out(void);
const char *r3_pool_error(void);
/* Let only `n` more allocations succeed (~0u: no limit). */
void r3_pool_limit(unsigned n);

/* A data frame of the harness (index 0 .. R3_DATA_FRAMES-1), and its pa. */
#define R3_DATA_FRAMES 4
uint64_t *r3_frame(unsigned i);
uint64_t r3_frame_pa(unsigned i);

/* ---- A user space and a context in it ----------------------------------- */

typedef struct {
    uint64_t root;                          /* physical, from the pool */
    uint64_t ctx[CAIRN_ARCH_REG_WORDS];     /* the context ring 3 runs in */
} r3_space_t;

/* Build the space described above and an initial context (rip 0). */
const char *r3_space_build(r3_space_t *s);

/*
 * Tear it down: arch_pt_clear, then the root back to the pool. Checks
 * that CR3 is the kernel's again, that the pool got every frame back,
 * and that the kernel root's user half is still empty.
 */
const char *r3_space_destroy(r3_space_t *s);

/*
 * Build a space, run body on it, destroy it: body's failure, else the
 * teardown's.
 */
const char *r3_with_space(const char *(*body)(r3_space_t *s));

/* The user address of a label in the ktest_user page. */
uint64_t r3_va(const char *label);

/* ---- Running ------------------------------------------------------------ */

typedef enum { R3_SYSCALL = 1, R3_FAULT, R3_INTERRUPT } r3_what_t;

/* One kernel entry from ring 3, as the hook saw it. */
typedef struct {
    r3_what_t what;
    fault_kind_t kind;          /* R3_FAULT: as user_fault was given */
    uint64_t addr;
    unsigned access;
    const uint64_t *ctx;        /* the context the entry saved into */
    uint64_t handler_sp;        /* the hook's stack pointer */
    uint64_t handler_rflags;    /* the kernel's rflags in the hook */
    unsigned interrupts;        /* timer interrupts resumed through */
} r3_entry_t;

/* Resume s->ctx in s->root and return the next entry that stops it. */
const r3_entry_t *r3_run(r3_space_t *s, bool stop_at_interrupt);

/* Set rip to `label` (ktest_user.S), then r3_run. */
const r3_entry_t *r3_call(r3_space_t *s, const char *label);

/*
 * The entry was a syscall or fault as expected, saved into s->ctx, and
 * handled on the fresh kernel stack with AC and DF clear.
 */
const char *r3_check_entry(const r3_space_t *s, const r3_entry_t *e,
                           r3_what_t what);

/*
 * `why` (a reason from ktest_fail, or NULL) with `where` in front.
 * ktest_fail's buffer cannot be its own argument, hence the copy.
 */
const char *r3_fail_in(const char *where, const char *why);

/* The entry was a fault of `kind` at addr with `access`. */
const char *r3_check_fault(const r3_space_t *s, const r3_entry_t *e,
                           fault_kind_t kind, uint64_t addr, unsigned access);
