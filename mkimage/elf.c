/*
 * ELF64 loading for x86_64 and riscv64. Only what a statically linked
 * program needs: the file header, the program headers and the PT_LOAD
 * segments. Each multi-byte field is read little-endian byte by byte, so
 * the loader works on any host and never reads an unaligned field; every
 * offset and size from the file is checked against the file's length in
 * 64-bit arithmetic before it is used.
 */
#include "elf.h"

#include <string.h>

#include "abi/abi.h"

#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define PT_LOAD     1
#define PT_DYNAMIC  2
#define PT_INTERP   3
#define PF_X        1
#define PF_W        2
#define MAX_PHDRS   256
#define PAGE        ((uint64_t)CAIRN_PAGE_SIZE)

typedef struct {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz;
} phdr_t;

typedef struct {
    mki_t *m;
    loc_t at;
    const char *path;
    const uint8_t *file;
    size_t size;
} loader_t;

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#define ELF_FAIL(l, ...) \
    mki_fail((l)->m, (l)->at, "program \"%s\": " __VA_ARGS__)

static void check_header(loader_t *l, elf_program_t *out, uint64_t *phoff,
                         uint32_t *phnum)
{
    const uint8_t *h = l->file;
    if (l->size < EHDR_SIZE || memcmp(h, "\x7f" "ELF", 4) != 0)
        ELF_FAIL(l, "not an ELF file\nname the linked program (an ELF "
                 "executable), not a source or object file", l->path);
    if (h[4] != 2)
        ELF_FAIL(l, "a 32-bit ELF file\nCairn programs are 64-bit; build "
                 "for x86_64 or riscv64", l->path);
    if (h[5] != 1 || h[6] != 1 || le(h + 20, 4) != 1)
        ELF_FAIL(l, "not a little-endian ELF version 1 file\nrebuild it "
                 "with the project's toolchain", l->path);
    uint64_t type = le(h + 16, 2);
    if (type == 3)
        ELF_FAIL(l, "position-independent (ET_DYN)\nlink it as a static "
                 "executable: -static -no-pie", l->path);
    if (type != 2)
        ELF_FAIL(l, "not an executable (ELF type %llu)\nlink it into an "
                 "executable first", l->path, (unsigned long long)type);
    out->machine = (uint16_t)le(h + 18, 2);
    if (out->machine != ELF_EM_X86_64 && out->machine != ELF_EM_RISCV)
        ELF_FAIL(l, "built for ELF machine %u\nCairn runs x86_64 (62) and "
                 "riscv64 (243) programs", l->path, out->machine);
    out->entry = le(h + 24, 8);
    *phoff = le(h + 32, 8);
    *phnum = (uint32_t)le(h + 56, 2);
    if (le(h + 54, 2) != PHDR_SIZE || *phnum == 0 || *phnum > MAX_PHDRS ||
        *phoff > l->size || (uint64_t)*phnum * PHDR_SIZE > l->size - *phoff)
        ELF_FAIL(l, "bad program header table (offset %llu, %u entries)\n"
                 "the file is truncated or corrupt; rebuild it", l->path,
                 (unsigned long long)*phoff, *phnum);
}

static phdr_t read_phdr(const loader_t *l, uint64_t at)
{
    const uint8_t *p = l->file + at;
    return (phdr_t){ (uint32_t)le(p, 4), (uint32_t)le(p + 4, 4), le(p + 8, 8),
                     le(p + 16, 8), le(p + 32, 8), le(p + 40, 8) };
}

static void check_segment(loader_t *l, const phdr_t *p, uint32_t i)
{
    if (p->type == PT_INTERP || p->type == PT_DYNAMIC)
        ELF_FAIL(l, "dynamically linked\nlink it with -static", l->path);
    if (p->type != PT_LOAD)
        return;
    if (p->filesz > p->memsz)
        ELF_FAIL(l, "segment %u has more file bytes than memory bytes\n"
                 "the file is corrupt; rebuild it", l->path, i);
    if (p->offset > l->size || p->filesz > l->size - p->offset)
        ELF_FAIL(l, "segment %u extends past the end of the file\nthe file "
                 "is truncated; rebuild it", l->path, i);
    if (p->memsz > (uint64_t)ELF_PAGES_MAX * PAGE ||
        p->vaddr + p->memsz < p->vaddr || p->vaddr + p->memsz > (1ull << 56))
        ELF_FAIL(l, "segment %u at 0x%llx is too large or too high\nlink the "
                 "program at a user address with segments under 256 MiB",
                 l->path, i, (unsigned long long)p->vaddr);
    if (p->memsz && p->vaddr < PAGE)
        ELF_FAIL(l, "segment %u maps page zero (0x%llx)\nlink the program "
                 "above 0x1000 so that null pointers fault", l->path, i,
                 (unsigned long long)p->vaddr);
    if ((p->flags & (PF_W | PF_X)) == (PF_W | PF_X))
        mki_warn(l->m, l->at, "program \"%s\": segment %u is writable and "
                 "executable\nlink with separate code and data segments "
                 "(e.g. -z separate-code)", l->path, i);
}

static elf_page_t *page_for(loader_t *l, elf_program_t *out, uint64_t va)
{
    if (out->pages.n && out->pages.v[out->pages.n - 1].vaddr == va)
        return &out->pages.v[out->pages.n - 1];
    if (out->pages.n && out->pages.v[out->pages.n - 1].vaddr > va)
        ELF_FAIL(l, "segments overlap or are out of order at 0x%llx\nlink "
                 "with the default linker script, or fix the overlap",
                 l->path, (unsigned long long)va);
    if (out->pages.n >= ELF_PAGES_MAX)
        ELF_FAIL(l, "more than %u pages\nprograms are limited to 256 MiB",
                 l->path, ELF_PAGES_MAX);
    elf_page_t pg = { .vaddr = va };
    VEC_PUSH(&l->m->arena, &out->pages, pg);
    return &out->pages.v[out->pages.n - 1];
}

static void load_segment(loader_t *l, elf_program_t *out, const phdr_t *p,
                         uint64_t *prev_end)
{
    if (p->type != PT_LOAD || p->memsz == 0)
        return;
    if (p->vaddr < *prev_end)
        ELF_FAIL(l, "segments overlap or are out of order at 0x%llx\nlink "
                 "with the default linker script, or fix the overlap",
                 l->path, (unsigned long long)p->vaddr);
    *prev_end = p->vaddr + p->memsz;
    uint64_t first = p->vaddr & ~(PAGE - 1);
    for (uint64_t va = first; va < p->vaddr + p->memsz; va += PAGE) {
        elf_page_t *pg = page_for(l, out, va);
        pg->write |= (p->flags & PF_W) != 0;
        pg->exec |= (p->flags & PF_X) != 0;
        /* File bytes of this segment that land in this page. */
        uint64_t lo = va > p->vaddr ? va : p->vaddr;
        uint64_t hi = va + PAGE < p->vaddr + p->filesz ? va + PAGE
                                                       : p->vaddr + p->filesz;
        if (hi <= lo)
            continue;
        if (!pg->data)
            pg->data = arena_alloc(&l->m->arena, PAGE);
        memcpy(pg->data + (lo - va), l->file + p->offset + (lo - p->vaddr),
               hi - lo);
    }
}

static bool all_zero(const uint8_t *p)
{
    for (uint64_t i = 0; i < PAGE; i++)
        if (p[i])
            return false;
    return true;
}

void elf_load(mki_t *m, loc_t at, const char *path, const uint8_t *file,
              size_t size, elf_program_t *out)
{
    loader_t l = { m, at, path, file, size };
    uint64_t phoff;
    uint32_t phnum;
    memset(out, 0, sizeof *out);
    check_header(&l, out, &phoff, &phnum);
    uint64_t prev_end = 0;
    bool entry_ok = false;
    for (uint32_t i = 0; i < phnum; i++) {
        phdr_t p = read_phdr(&l, phoff + (uint64_t)i * PHDR_SIZE);
        check_segment(&l, &p, i);
        load_segment(&l, out, &p, &prev_end);
        if (p.type == PT_LOAD && (p.flags & PF_X) && out->entry >= p.vaddr &&
            out->entry - p.vaddr < p.memsz)
            entry_ok = true;
    }
    if (out->pages.n == 0)
        ELF_FAIL(&l, "has no loadable segment\nlink it into an executable "
                 "with code", path);
    if (!entry_ok)
        ELF_FAIL(&l, "entry point 0x%llx is not in an executable segment\n"
                 "check the program's entry symbol (_start)", path,
                 (unsigned long long)out->entry);
    for (size_t i = 0; i < out->pages.n; i++)
        if (out->pages.v[i].data && all_zero(out->pages.v[i].data))
            out->pages.v[i].data = NULL;
    out->end = out->pages.v[out->pages.n - 1].vaddr + PAGE;
}
