/*
 * What the riscv64 user-mode tests share (test kernel only): a small
 * pool of table frames for the arch_pt_* callbacks, and one user address
 * space, its root and pages in the kernel image, reached by the tables
 * through the physical map like any frame.
 *
 * The space, as uspace_build leaves it:
 *
 *   CODE_VA      the program, read + execute
 *   RO_VA        read-only, every word RO_MARKER
 *   UNMAPPED_VA  nothing (in the same leaf table as CODE_VA)
 *   DATA_VA      read + write, no execute (the second GiB)
 *   STACK_VA     read + write: the last page below the user limit
 *
 * State: written only by the running test and its hooks (one CPU).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "layout.h"
#include "mmu.h"

#define CODE_VA      0x10000ull
#define RO_VA        0x20000ull
#define UNMAPPED_VA  0x30000ull
#define DATA_VA      0x40000000ull
#define STACK_VA     (USER_VA_LIMIT - PAGE_SIZE)
#define RO_MARKER    0x5eed5eed5eed5eedull

#define POOL_FRAMES  8

typedef struct {
    bool used[POOL_FRAMES];
    unsigned budget;           /* allocations still allowed */
    unsigned bad_releases;     /* frames released twice, or not ours */
} frame_pool_t;

/* Page-sized members of a page-aligned struct: each page is aligned. */
typedef struct {
    pte_t root[PT_ENTRIES];
    uint8_t code[PAGE_SIZE];
    uint8_t stack[PAGE_SIZE];
    uint64_t ro[PAGE_SIZE / 8];
    uint8_t data[PAGE_SIZE];
} __attribute__((aligned(PAGE_SIZE))) uspace_pages_t;

extern frame_pool_t uspace_pool;
extern uspace_pages_t uspace;

/* xn's index for arch_context_get/set (see context.c). */
static inline unsigned ctx_x(unsigned n)
{
    return n - 1;
}

static inline uint64_t va_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Table frames the pool has handed out and not had back. */
unsigned uspace_pool_in_use(void);

/* Every frame free again, and POOL_FRAMES allocations allowed. */
void uspace_pool_reset(void);

uint64_t uspace_root(void);

/* The valid leaf for va in the space's tables, or 0. */
pte_t uspace_lookup(uint64_t va);

/* arch_pt_map of `page` (one of uspace's) at va, from the pool. */
bool uspace_map(uint64_t va, const void *page, unsigned perms);

/* A fresh root from an empty pool with the program at CODE_VA and the
 * other pages as listed above. NULL, or why not. */
const char *uspace_build(const char *prog, const char *prog_end);

/* arch_pt_clear of the space. NULL if every table frame came back, the
 * user half is empty and the CPU is on kernel_root; else why not. */
const char *uspace_clear(uint64_t kernel_root);
