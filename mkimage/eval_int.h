/*
 * Internal to the evaluator: scopes, entities, values and the state of
 * one evaluation, shared by eval.c (files, imports, declarations,
 * instances), eval_value.c (names, expressions, capabilities) and
 * eval_object.c (object bodies and the final checks).
 */
#pragma once

#include "eval.h"
#include "parser.h"

typedef enum {
    ENT_CONST,       /* const NAME = EXPR; */
    ENT_PARAM,       /* a definition's parameter, bound to an argument */
    ENT_DEF,         /* def NAME(...) { ... } */
    ENT_INSTANCE,    /* instance NAME = DEF(...); */
    ENT_MODULE,      /* import a.b [as NAME]; */
    ENT_OBJECT,      /* an object declaration */
} ent_kind_t;

typedef enum { VAL_INT, VAL_STRING, VAL_OBJECT, VAL_CAP } val_kind_t;

typedef struct {
    val_kind_t kind;
    uint64_t num;
    const char *str;
    mobj_t *obj;
    mcap_t cap;
} value_t;

typedef enum { LAZY_TODO, LAZY_BUSY, LAZY_DONE } lazy_state_t;

typedef struct scope scope_t;
typedef struct entity entity_t;

struct entity {
    ent_kind_t kind;
    const char *name;
    loc_t loc;
    /* CONST, PARAM: evaluated on first use, in expr_scope */
    const expr_t *expr;
    scope_t *expr_scope;
    lazy_state_t state;
    value_t value;
    /* DEF: the statement and the scope it was written in */
    const stmt_t *def;
    scope_t *def_scope;
    /* INSTANCE: its statement, until expanded */
    const stmt_t *inst;
    /* INSTANCE, MODULE: the names inside */
    scope_t *members;
    /* OBJECT */
    mobj_t *obj;
};

struct scope {
    scope_t *parent;        /* lexical parent; NULL at a file's top */
    const char *prefix;     /* prepended to object names: "inst." */
    const char *dir;        /* directory of the file, for program paths */
    VEC(entity_t *) ents;   /* declaration order, for suggestions */
    entity_t **table;       /* open-addressing index by name */
    size_t table_cap;       /* a power of two, or 0 */
};

typedef struct module module_t;
struct module {
    const char *path;        /* file path as opened */
    const char *name;        /* declared module name */
    file_ast_t *ast;
    scope_t *scope;
    bool done;               /* fully declared */
};

typedef struct {
    const stmt_t *stmt;
    scope_t *scope;
} pending_assert_t;

typedef struct {
    mki_t *m;
    const eval_options_t *opt;
    model_t *model;
    VEC(module_t *) modules;         /* every file loaded, for reuse */
    VEC(module_t *) loading;         /* the import chain being loaded */
    VEC(const stmt_t *) expanding;   /* definitions being instantiated */
    VEC(entity_t *) forcing;         /* constants being evaluated */
    VEC(entity_t *) lazies;          /* every const and param */
    VEC(pending_assert_t) asserts;   /* resolved after declarations */
    size_t instances;
    mobj_t *current_process;         /* whose body is being evaluated */
    const stmt_t *pool;              /* the page_table_pool statement */
} eval_t;

/* eval.c */
entity_t *scope_find(scope_t *s, const char *name);   /* this scope only */
mobj_t *eval_new_object(eval_t *e, obj_kind_t kind, const char *name,
                        loc_t loc);

/* eval_value.c */
value_t eval_expr(eval_t *e, scope_t *s, const expr_t *x);
value_t eval_entity(eval_t *e, entity_t *ent, loc_t use);
entity_t *eval_resolve(eval_t *e, scope_t *s, const path_t *p);
uint64_t eval_int(eval_t *e, scope_t *s, const expr_t *x, const char *what);
mcap_t eval_cap(eval_t *e, scope_t *s, const expr_t *x, const char *what);
mcap_t value_to_cap(eval_t *e, value_t v, loc_t loc, const char *what);
const char *value_describe(eval_t *e, const value_t *v);

/* eval_call.c: a built-in capability or a capability function */
mcap_t eval_call(eval_t *e, scope_t *s, const expr_t *x);

/* eval_object.c */
void eval_object_body(eval_t *e, mobj_t *o);
void eval_final_checks(eval_t *e);
