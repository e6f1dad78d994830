/*
 * Layout: from the system model to the concrete contents of a boot
 * image (image_format.h), before serialisation.
 *
 * Every model object becomes one or more image objects, in model order;
 * each process is followed by the objects of its address space (program
 * pages, stack, IPC buffer and the GPT tree over them). Capabilities name
 * objects by their image index. Programs are read here, so only image
 * output needs the ELF files; the graph and the assertions do not.
 */
#pragma once

#include "abi_table.h"
#include "abi/image_format.h"
#include "model.h"

/* A capability in image form (image_format.h, "Capabilities"). */
typedef struct {
    uint8_t type, restr, l2g;
    uint32_t payload;
    uint32_t object;           /* image object index, or IMG_NONE */
} icap_t;

typedef struct {
    uint8_t type, flags;       /* obj_type_t, IMG_OBJF_* */
    uint32_t name;             /* string offset */
    uint64_t a, b;             /* type fields not derived from caps/data */
    icap_t *caps;              /* cappage: slots; gpt: 16; process: 2+regs */
    uint32_t ncaps;
    const uint8_t *data;       /* PAGE with IMG_OBJF_DATA: 4 KiB */
    uint32_t proc;             /* PROCESS: its record */
} iobj_t;

typedef struct {
    uint32_t object, nregs, priority, flags;
    uint64_t pc, sp, ipc_buffer;
    uint64_t args[IMG_PROC_ARGS];
} iproc_t;

typedef struct {
    uint32_t line, notify, bits, name;
} iirq_t;

typedef struct {
    uint64_t base, size;
    uint32_t name;
} idev_t;

typedef struct {
    mki_t *m;
    uint16_t arch;             /* IMG_ARCH_* */
    uint32_t name;             /* the system's name */
    uint32_t pool;             /* page_table_pool frames, 0: default */
    buf_t strings;
    VEC(iobj_t) objs;
    VEC(iproc_t) procs;
    VEC(iirq_t) irqs;          /* sorted by line */
    VEC(idev_t) devs;          /* sorted by base */
} ibuild_t;

typedef struct {
    const char *arch;                 /* "x86_64", "riscv64" or NULL */
    const char *const *program_dirs;  /* -L: where programs are searched */
    size_t nprogram_dirs;
    const abi_table_t *abi;           /* may be NULL */
} layout_options_t;

/* Lay out the whole image. Fails the run on any error. */
void layout_build(mki_t *m, const model_t *md, const layout_options_t *opt,
                  ibuild_t *out);

/* Shared with space.c: append an object, and a string. */
uint32_t layout_add_object(ibuild_t *b, uint8_t type, const char *name);
uint32_t layout_string(ibuild_t *b, const char *s);
