/*
 * Layout of one process: find and load its program, lay out its address
 * space and fill its process record and capability block.
 *
 * The address space, from low to high:
 *   the program's PT_LOAD pages, at their link addresses;
 *   one unmapped guard page;
 *   the stack (`stack` bytes, 16 KiB unless given), sp = its top;
 *   one unmapped guard page;
 *   the IPC buffer page;
 * plus every `map` of the description at the address it names. Program
 * pages are read-only unless a segment is writable, and no-execute unless
 * a segment is executable; the stack and IPC buffer are no-execute.
 */
#include "layout_int.h"

#include <string.h>

#include "elf.h"
#include "space.h"


typedef VEC(space_item_t) items_t;

static const char *find_program(layout_t *l, const mobj_t *o)
{
    arena_t *a = &l->m->arena;
    const char *cand = path_join(a, o->program_dir, o->program);
    if (file_exists(cand))
        return cand;
    buf_t tried;
    buf_init(&tried, a);
    buf_printf(&tried, "%s", o->program_dir);
    for (size_t i = 0; i < l->opt->nprogram_dirs && o->program[0] != '/'; i++) {
        cand = path_join(a, l->opt->program_dirs[i], o->program);
        if (file_exists(cand))
            return cand;
        buf_printf(&tried, ", %s", l->opt->program_dirs[i]);
    }
    mki_fail(l->m, o->program_loc, "cannot find program \"%s\" (looked in: "
             "%s)\nbuild the program first, or pass its directory with -L DIR",
             o->program, buf_cstr(&tried));
}

static void check_arch(layout_t *l, const mobj_t *o, uint16_t machine)
{
    uint16_t arch = machine == ELF_EM_X86_64 ? IMG_ARCH_X86_64
                                             : IMG_ARCH_RISCV64;
    if (!l->b->arch)
        l->b->arch = arch;
    if (arch != l->b->arch)
        mki_fail(l->m, o->program_loc, "program \"%s\" is built for %s, but "
                 "the image is for %s\nbuild every program for the same "
                 "architecture (or check --arch)", o->program,
                 arch == IMG_ARCH_X86_64 ? "x86_64" : "riscv64",
                 arch == IMG_ARCH_X86_64 ? "riscv64" : "x86_64");
}

static void load_program(layout_t *l, const mobj_t *o, elf_program_t *prog)
{
    if (!o->program)
        mki_fail(l->m, o->loc, "process '%s' has no program\nadd "
                 "'program \"FILE.elf\";' to it", o->name);
    const char *path = find_program(l, o);
    char *data;
    size_t len;
    read_status_t st = file_read(&l->m->arena, path, ELF_FILE_MAX, &data, &len);
    if (st != READ_OK)
        mki_fail(l->m, o->program_loc, "cannot read program \"%s\"%s\n"
                 "check the file", path,
                 st == READ_TOO_BIG ? " (larger than 256 MiB)" : "");
    elf_load(l->m, o->program_loc, o->program, (const uint8_t *)data, len,
             prog);
    check_arch(l, o, prog->machine);
}

static void push_item(layout_t *l, items_t *items, uint64_t addr,
                      unsigned bits, icap_t cap, loc_t loc, const char *what)
{
    space_item_t it = { addr, bits, cap, loc, what };
    VEC_PUSH(&l->m->arena, items, it);
}

/* A fresh page object owned by process `o`, mapped at `va`. */
static void push_page(layout_t *l, const mobj_t *o, items_t *items,
                      uint64_t va, const uint8_t *data, uint8_t restr,
                      loc_t loc, const char *what)
{
    uint32_t i = layout_add_object(l->b, OBJ_PAGE,
        arena_printf(&l->m->arena, "%s@0x%llx", o->name,
                     (unsigned long long)va));
    if (data) {
        l->b->objs.v[i].flags = IMG_OBJF_DATA;
        l->b->objs.v[i].data = data;
    }
    icap_t c = { .type = CAP_PAGE, .restr = restr, .object = i };
    push_item(l, items, va, CAIRN_PAGE_BITS, c, loc, what);
}

static uint32_t device_page(layout_t *l, const mobj_t *dev, uint64_t k)
{
    uint32_t **pages = &l->device_pages[dev->id];
    uint64_t n = dev->size / PAGE;
    if (!*pages) {
        *pages = arena_alloc(&l->m->arena, n * sizeof **pages);
        for (uint64_t j = 0; j < n; j++) {
            uint32_t i = layout_add_object(l->b, OBJ_PAGE,
                arena_printf(&l->m->arena, "%s[%llu]", dev->name,
                             (unsigned long long)j));
            l->b->objs.v[i].flags = IMG_OBJF_DEVICE;
            l->b->objs.v[i].b = dev->phys + j * PAGE;
            (*pages)[j] = i;
        }
    }
    return (*pages)[k];
}

static void add_map(layout_t *l, items_t *items, const mmap_t *mp)
{
    const mobj_t *t = mp->cap.obj;
    const char *what = arena_printf(&l->m->arena, "map %s", t->name);
    icap_t c = layout_icap(l, &mp->cap);
    if (t->kind == OBJ_KIND_PAGE || t->kind == OBJ_KIND_DEVICE) {
        for (uint64_t k = 0; k < t->size / PAGE; k++) {
            icap_t pc = { .type = CAP_PAGE, .restr = c.restr,
                          .object = t->kind == OBJ_KIND_PAGE
                                  ? l->first[t->id] + (uint32_t)k
                                  : device_page(l, t, k) };
            push_item(l, items, mp->addr + k * PAGE, CAIRN_PAGE_BITS, pc,
                      mp->loc, what);
        }
        return;
    }
    unsigned bits = t->kind == OBJ_KIND_GPT ? t->l2v + 4 : CAIRN_PAGE_BITS;
    if (bits > 48 || mp->addr & ((1ull << bits) - 1))
        mki_fail(l->m, mp->loc, "gpt '%s' spans 2^%u bytes, so it must be "
                 "mapped at a multiple of 0x%llx\nmove it, or lower its l2v",
                 t->name, bits, bits > 48 ? 0ull : (unsigned long long)(1ull << bits));
    push_item(l, items, mp->addr, bits, c, mp->loc, what);
}

static void fill_record(layout_t *l, const mobj_t *o, uint64_t entry,
                        uint64_t sp, uint64_t ipc, icap_t space)
{
    iobj_t *io = &l->b->objs.v[l->first[o->id]];
    iproc_t *p = &l->b->procs.v[io->proc];
    uint32_t nregs = 0;
    for (size_t j = 0; j < o->slots.n; j++)
        if (o->slots.v[j].index + 1 > nregs)
            nregs = o->slots.v[j].index + 1;
    icap_t *caps = arena_alloc(&l->m->arena, (2 + nregs) * sizeof *caps);
    caps[0] = space;
    caps[1] = o->has_keeper ? layout_icap(l, &o->keeper) : layout_null_cap;
    for (uint32_t k = 0; k < nregs; k++)
        caps[2 + k] = layout_null_cap;
    for (size_t j = 0; j < o->slots.n; j++)
        caps[2 + o->slots.v[j].index] = layout_icap(l, &o->slots.v[j].cap);
    io->caps = caps;
    io->ncaps = 2 + nregs;
    p->nregs = nregs;
    p->priority = o->priority;
    p->flags = o->stopped ? 0 : IMG_PROCF_RUN;
    p->pc = entry;
    p->sp = sp;
    p->ipc_buffer = ipc;
    for (uint32_t k = 0; k < o->nargs; k++)
        p->args[k] = o->args[k];
}

void layout_process(layout_t *l, const mobj_t *o)
{
    elf_program_t prog;
    items_t items = { 0 };
    load_program(l, o, &prog);
    for (size_t i = 0; i < prog.pages.n; i++) {
        const elf_page_t *pg = &prog.pages.v[i];
        uint8_t restr = (uint8_t)((pg->write ? 0 : RESTR_READ_ONLY) |
                                  (pg->exec ? 0 : RESTR_NO_EXECUTE));
        push_page(l, o, &items, pg->vaddr, pg->data, restr, o->program_loc,
                  "program page");
    }
    uint64_t stack = prog.end + PAGE;
    for (uint64_t va = stack; va < stack + o->stack; va += PAGE)
        push_page(l, o, &items, va, NULL, RESTR_NO_EXECUTE, o->loc, "stack");
    uint64_t ipc = stack + o->stack + PAGE;
    push_page(l, o, &items, ipc, NULL, RESTR_NO_EXECUTE, o->loc,
              "IPC buffer");
    for (size_t i = 0; i < o->maps.n; i++)
        add_map(l, &items, &o->maps.v[i]);
    icap_t space = space_build(l->b, o->name, items.v, items.n);
    fill_record(l, o, prog.entry, stack + o->stack, ipc, space);
}
