/*
 * The syntax tree of a .mki file, as the parser builds it. Nothing here
 * is resolved: names are strings with positions. Nodes live in the run's
 * arena and are never changed after parsing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lexer.h"

/* A dotted name: a, a.b, a.b.c */
typedef struct {
    const char **parts;
    loc_t *locs;
    size_t n;
} path_t;

typedef enum {
    EX_INT,          /* num */
    EX_STRING,       /* str */
    EX_NAME,         /* path */
    EX_BINARY,       /* op, lhs, rhs */
    EX_NOT,          /* ~lhs */
    EX_UNIT,         /* lhs * unit multiplier; kw says which unit */
    EX_RESTRICT,     /* lhs with restriction kw added */
    EX_BUILTIN,      /* kw: log, discrim, irq_control, null, ram, self */
    EX_CALL,         /* kw: entry, signal, schedule, guard; args */
} expr_kind_t;

typedef struct expr expr_t;
struct expr {
    expr_kind_t kind;
    loc_t loc;
    uint64_t num;
    const char *str;
    path_t path;
    tok_kind_t op;
    keyword_t kw;
    expr_t *lhs, *rhs;
    expr_t **args;
    size_t nargs;
};

/* Items inside an object's braces (and a few inline clauses). */
typedef enum {
    IT_SIZE,        /* size EXPR (page, untyped, device) */
    IT_AT,          /* at EXPR (device) */
    IT_LINE,        /* line EXPR (irq) */
    IT_SIGNALS,     /* signals EXPR (irq) */
    IT_SLOT,        /* EXPR = EXPR; (cappage, gpt): index, value */
    IT_L2V,         /* l2v EXPR; (gpt) */
    IT_BACKGROUND,  /* background EXPR; (gpt) */
    IT_KEEPER,      /* keeper EXPR; (gpt, process) */
    IT_PROGRAM,     /* program "file"; */
    IT_PRIORITY,    /* priority EXPR; */
    IT_STACK,       /* stack EXPR; */
    IT_ARGS,        /* args EXPR, ...; */
    IT_MAP,         /* map EXPR at EXPR; value, address */
    IT_STOPPED,     /* stopped; */
    IT_CAPS,        /* caps { ... } : children are IT_CAPREG */
    IT_CAPREG,      /* [NUMBER] NAME = EXPR; */
} item_kind_t;

typedef struct item item_t;
struct item {
    item_kind_t kind;
    loc_t loc;
    expr_t *a, *b;          /* operands, by kind (see above) */
    const char *str;        /* PROGRAM: file; CAPREG: register name */
    bool has_index;         /* CAPREG: an explicit register number */
    uint64_t index;
    loc_t index_loc;
    expr_t **list;          /* ARGS */
    size_t nlist;
    item_t *children;       /* CAPS */
    size_t nchildren;
};

typedef enum {
    OBJ_KIND_ENDPOINT,
    OBJ_KIND_NOTIFICATION,
    OBJ_KIND_PAGE,
    OBJ_KIND_CAPPAGE,
    OBJ_KIND_GPT,
    OBJ_KIND_UNTYPED,
    OBJ_KIND_DEVICE,
    OBJ_KIND_IRQ,
    OBJ_KIND_PROCESS,
    OBJ_KIND_COUNT
} obj_kind_t;

typedef enum {
    ST_CONST, ST_DEF, ST_INSTANCE, ST_OBJECT, ST_ASSERT,
    ST_POOL,          /* page_table_pool EXPR; (value) */
} stmt_kind_t;

typedef struct stmt stmt_t;
struct stmt {
    stmt_kind_t kind;
    loc_t loc;                  /* the statement's first token */
    const char *name;           /* CONST, DEF, INSTANCE, OBJECT */
    loc_t name_loc;
    expr_t *value;              /* CONST, POOL */
    const char **params;        /* DEF */
    loc_t *param_locs;
    size_t nparams;
    stmt_t *body;               /* DEF */
    size_t nbody;
    path_t target;              /* INSTANCE: the definition; ASSERT: from */
    expr_t **args;              /* INSTANCE */
    size_t nargs;
    obj_kind_t obj;             /* OBJECT */
    item_t *items;
    size_t nitems;
    bool positive;              /* ASSERT: path (true) or no_path (false) */
    path_t to;                  /* ASSERT */
};

typedef struct {
    path_t name;
    const char *alias;          /* the name it is bound to */
    loc_t loc;
} import_t;

typedef struct {
    const char *file;           /* as shown in messages */
    bool is_system;             /* 'system NAME;' rather than 'module NAME;' */
    path_t name;
    loc_t loc;
    import_t *imports;
    size_t nimports;
    stmt_t *stmts;
    size_t nstmts;
} file_ast_t;

const char *obj_kind_name(obj_kind_t k);
/* "a.b.c" in the arena */
const char *path_str(arena_t *a, const path_t *p);
