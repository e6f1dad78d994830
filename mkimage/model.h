/*
 * The system model: what a description means once every name is
 * resolved, every definition instantiated and every value checked.
 *
 * The evaluator (eval.h) builds it; the authority analysis, the graph
 * writer and the image layout read it and never change it. Objects are
 * listed in creation order (declaration order, depth first through
 * imports and instances), which is what makes every output of mkimage
 * deterministic.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "ast.h"

typedef struct mobj mobj_t;

/*
 * A capability as the description wrote it. For memory capabilities
 * (page, cappage, gpt) `payload` is the guard and `l2g` its span, as in
 * the kernel's capability; for entries the protected payload; for
 * notifications the signal bits; for schedule the priority bound.
 */
typedef struct {
    uint8_t type;          /* cap_type_t */
    uint8_t restr;         /* RESTR_* bits */
    uint8_t l2g;           /* memory capabilities only */
    uint32_t payload;
    mobj_t *obj;           /* NULL for the stateless kernel capabilities */
    loc_t loc;             /* where it was written */
} mcap_t;

/* A numbered slot: a capability register, a cappage or gpt slot. */
typedef struct {
    uint32_t index;
    const char *name;      /* capability registers only */
    mcap_t cap;
    loc_t loc;
} mslot_t;

/* `map OBJECT at ADDRESS` in a process. */
typedef struct {
    mcap_t cap;            /* the object mapped, with its restrictions */
    uint64_t addr;
    loc_t loc;
} mmap_t;

#define MKI_MAX_ARGS 3       /* start arguments, as the image holds */

struct mobj {
    obj_kind_t kind;
    const char *name;          /* qualified: "inst.pipe" */
    loc_t loc;                 /* the declaration */
    uint32_t id;               /* creation order, from 0 */
    const stmt_t *decl;        /* NULL for the remaining-RAM cappage */
    struct scope *scope;       /* where its items are evaluated */
    bool ram;                  /* the cappage that receives remaining RAM */

    uint64_t size;             /* page, untyped, device: bytes */
    uint64_t phys;             /* device: physical base */

    uint32_t l2v;              /* gpt */
    bool background;           /* gpt: slot 14 is the background space */
    bool has_keeper;           /* gpt: slot 15; process: its keeper */
    mcap_t keeper;             /* process */
    VEC(mslot_t) slots;        /* cappage, gpt: slots; process: registers */

    const char *program;       /* process: ELF path as written */
    const char *program_dir;   /* directory of the description naming it */
    loc_t program_loc;
    uint32_t priority;
    uint64_t stack;            /* bytes */
    uint64_t args[MKI_MAX_ARGS];
    uint32_t nargs;
    bool stopped;
    VEC(mmap_t) maps;

    uint32_t line;             /* irq */
    bool has_signals;
    mcap_t signals;            /* irq: the notification it signals */
};

typedef struct {
    bool positive;             /* path(A -> B) rather than no_path(A -> B) */
    mobj_t *from, *to;
    loc_t loc;
} massert_t;

typedef struct {
    const char *name;          /* the system's name */
    const char *file;          /* the top description */
    VEC(mobj_t *) objs;        /* creation order */
    VEC(massert_t) asserts;
    mobj_t *ram;               /* the remaining-RAM cappage, or NULL */
    mobj_t *ram_holder;        /* the process holding it */
    uint32_t page_table_pool;  /* frames for hardware page tables; 0: the
                                  kernel's default */
} model_t;

/* Defaults the language gives (not kernel constants). */
#define MKI_DEFAULT_PRIORITY 1
#define MKI_DEFAULT_STACK    (16u * 1024u)
#define MKI_MAX_STACK        (64ull << 20)

/* The object type (objtypes.def) a model object becomes. */
obj_type_t model_obj_type(const mobj_t *o);
/* The capability an object's bare name stands for. */
cap_type_t model_default_cap(obj_kind_t k);
/* Human spelling of a capability: "entry(pipe) payload 1 no_call". */
const char *model_cap_str(arena_t *a, const mcap_t *c);
const char *cap_type_name(cap_type_t t);
/* "read_only,no_execute" or "" */
const char *restr_str(arena_t *a, unsigned restr);
