/*
 * The ELF64 loader: turns a statically linked x86_64 or riscv64 program
 * into the pages of its address space. Everything in the file is checked
 * before use (header, program-header table, every segment's bounds and
 * sizes); an error names the file and the problem and is reported at
 * the 'program' line that named it.
 *
 * Pages shared by two segments get the union of their permissions, as
 * the hardware can only give one permission per page.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "mki.h"

#define ELF_EM_X86_64 62
#define ELF_EM_RISCV  243

#define ELF_FILE_MAX   (256u << 20)    /* largest program file */
#define ELF_PAGES_MAX  65536u          /* largest program: 256 MiB */

typedef struct {
    uint64_t vaddr;          /* page aligned */
    bool write, exec;
    uint8_t *data;           /* 4 KiB of contents, or NULL if all zero */
} elf_page_t;

typedef struct {
    uint16_t machine;        /* ELF_EM_* */
    uint64_t entry;
    uint64_t end;            /* just past the highest page */
    VEC(elf_page_t) pages;   /* ascending vaddr */
} elf_program_t;

/*
 * Load `size` bytes of ELF file `path`. `at` is the 'program' item, for
 * positions. Fails the run on any problem.
 */
void elf_load(mki_t *m, loc_t at, const char *path, const uint8_t *file,
              size_t size, elf_program_t *out);
