/*
 * The evaluator, part one: files, imports, declarations and instances.
 *
 * Evaluation runs in two passes so that a name may be used before the
 * line that declares it:
 *   1. declare: every file is loaded once (imports first), and every
 *      statement binds its name in its scope; instances are expanded,
 *      creating the objects their definitions declare;
 *   2. define: every object's body is evaluated, every constant and
 *      argument is forced (so an unused one still has its errors found),
 *      and the assertions are resolved.
 */
#include "eval_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* "a constant", "an instance", "an endpoint" (objects by their kind). */
static const char *kind_word(eval_t *e, const entity_t *ent)
{
    static const char *const words[] = {
        [ENT_CONST] = "constant", [ENT_PARAM] = "parameter",
        [ENT_DEF] = "definition", [ENT_INSTANCE] = "instance",
        [ENT_MODULE] = "module", [ENT_OBJECT] = "object",
    };
    const char *noun = ent->kind == ENT_OBJECT ? obj_kind_name(ent->obj->kind)
                                               : words[ent->kind];
    return arena_printf(&e->m->arena, "%s %s",
                        strchr("aeiou", noun[0]) ? "an" : "a", noun);
}

static size_t name_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static size_t table_slot(const scope_t *s, const char *name)
{
    size_t i = name_hash(name) & (s->table_cap - 1);
    while (s->table[i] && strcmp(s->table[i]->name, name) != 0)
        i = (i + 1) & (s->table_cap - 1);
    return i;
}

entity_t *scope_find(scope_t *s, const char *name)
{
    return s->table_cap ? s->table[table_slot(s, name)] : NULL;
}

/* Keep the index at most half full, so lookups stay short. */
static void scope_index(eval_t *e, scope_t *s, entity_t *ent)
{
    if (2 * (s->ents.n + 1) > s->table_cap) {
        size_t cap = s->table_cap ? 2 * s->table_cap : 16;
        s->table = arena_alloc(&e->m->arena, cap * sizeof *s->table);
        s->table_cap = cap;
        for (size_t i = 0; i < s->ents.n; i++)
            s->table[table_slot(s, s->ents.v[i]->name)] = s->ents.v[i];
    }
    s->table[table_slot(s, ent->name)] = ent;
}

static entity_t *scope_add(eval_t *e, scope_t *s, ent_kind_t kind,
                           const char *name, loc_t loc)
{
    entity_t *old = scope_find(s, name);
    if (old)
        mki_fail(e->m, loc, "'%s' is already declared (%s, at %s:%u:%u)\n"
                 "choose another name for this one", name, kind_word(e, old),
                 old->loc.file, old->loc.line, old->loc.col);
    entity_t *ent = arena_alloc(&e->m->arena, sizeof *ent);
    ent->kind = kind;
    ent->name = name;
    ent->loc = loc;
    scope_index(e, s, ent);
    VEC_PUSH(&e->m->arena, &s->ents, ent);
    return ent;
}

static scope_t *scope_new(eval_t *e, scope_t *parent, const char *prefix,
                          const char *dir)
{
    scope_t *s = arena_alloc(&e->m->arena, sizeof *s);
    s->parent = parent;
    s->prefix = prefix;
    s->dir = dir;
    return s;
}

mobj_t *eval_new_object(eval_t *e, obj_kind_t kind, const char *name,
                        loc_t loc)
{
    model_t *md = e->model;
    if (md->objs.n >= MKI_MAX_OBJECTS)
        mki_fail(e->m, loc, "the system declares more than %d objects\n"
                 "check for a definition instantiated far more often than "
                 "intended", MKI_MAX_OBJECTS);
    mobj_t *o = arena_alloc(&e->m->arena, sizeof *o);
    o->kind = kind;
    o->name = name;
    o->loc = loc;
    o->id = (uint32_t)md->objs.n;
    VEC_PUSH(&e->m->arena, &md->objs, o);
    return o;
}

static void declare_block(eval_t *e, scope_t *s, const stmt_t *stmts,
                          size_t n);

/* ---- Instances --------------------------------------------------------- */

static const char *expansion_chain(eval_t *e, const stmt_t *last)
{
    buf_t b;
    buf_init(&b, &e->m->arena);
    size_t i = 0;
    while (i < e->expanding.n && e->expanding.v[i] != last)
        i++;
    for (; i < e->expanding.n; i++)
        buf_printf(&b, "%s -> ", e->expanding.v[i]->name);
    buf_printf(&b, "%s", last->name);
    return buf_cstr(&b);
}

static void check_expansion(eval_t *e, const stmt_t *inst, const stmt_t *def)
{
    for (size_t i = 0; i < e->expanding.n; i++)
        if (e->expanding.v[i] == def)
            mki_fail(e->m, inst->loc, "definition '%s' instantiates itself "
                     "(%s)\nrecursive definitions never end; write the "
                     "repeated part out, or instantiate it a fixed number of "
                     "times", def->name, expansion_chain(e, def));
    if (e->expanding.n >= MKI_MAX_EXPANSION)
        mki_fail(e->m, inst->loc, "definitions are instantiated more than %d "
                 "levels deep\nflatten the nesting of definitions",
                 MKI_MAX_EXPANSION);
    if (++e->instances > MKI_MAX_INSTANCES)
        mki_fail(e->m, inst->loc, "more than %d instances\ncheck for a "
                 "definition that instantiates another several times at "
                 "every level", MKI_MAX_INSTANCES);
}

static const char *param_list(eval_t *e, const stmt_t *def)
{
    buf_t b;
    buf_init(&b, &e->m->arena);
    for (size_t i = 0; i < def->nparams; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", def->params[i]);
    return buf_cstr(&b);
}

static void expand_instance(eval_t *e, scope_t *s, entity_t *ent)
{
    const stmt_t *inst = ent->inst;
    entity_t *d = eval_resolve(e, s, &inst->target);
    if (d->kind != ENT_DEF)
        mki_fail(e->m, inst->target.locs[0], "'%s' is %s, not a "
                 "definition\nan instance is made from a 'def NAME(...)'",
                 path_str(&e->m->arena, &inst->target), kind_word(e, d));
    const stmt_t *def = d->def;
    if (inst->nargs != def->nparams)
        mki_fail(e->m, inst->loc, "'%s' takes %zu argument%s (%s), %zu given\n"
                 "write %s(%s)", def->name, def->nparams,
                 def->nparams == 1 ? "" : "s", param_list(e, def),
                 inst->nargs, def->name, param_list(e, def));
    check_expansion(e, inst, def);
    scope_t *ms = scope_new(e, d->def_scope,
                            arena_printf(&e->m->arena, "%s%s.", s->prefix,
                                         inst->name), d->def_scope->dir);
    for (size_t i = 0; i < def->nparams; i++) {
        entity_t *p = scope_add(e, ms, ENT_PARAM, def->params[i],
                                def->param_locs[i]);
        p->expr = inst->args[i];
        p->expr_scope = s;
        VEC_PUSH(&e->m->arena, &e->lazies, p);
    }
    ent->members = ms;
    VEC_PUSH(&e->m->arena, &e->expanding, def);
    declare_block(e, ms, def->body, def->nbody);
    e->expanding.n--;
}

/* ---- Declarations ------------------------------------------------------ */

/* page_table_pool: a system-wide setting, so only in the system file.
 * Its value is evaluated with the other values, after declarations. */
static void declare_pool(eval_t *e, scope_t *s, const stmt_t *st)
{
    if (s != e->modules.v[0]->scope)
        mki_fail(e->m, st->loc, "'page_table_pool' sets the whole system's "
                 "pool, so it belongs in the system file\nmove it to the top "
                 "level of the file that starts with 'system'");
    if (e->pool)
        mki_fail(e->m, st->loc, "'page_table_pool' is given twice (first at "
                 "%u:%u)\nkeep one of them", e->pool->loc.line,
                 e->pool->loc.col);
    e->pool = st;
}

static void define_pool(eval_t *e)
{
    if (!e->pool)
        return;
    const stmt_t *st = e->pool;
    uint64_t v = eval_int(e, e->modules.v[0]->scope, st->value,
                          "the page-table pool");
    if (v == 0 || v > (1u << 20))
        mki_fail(e->m, st->value->loc, "page_table_pool %llu is out of range\n"
                 "give the number of 4 KiB frames, 1 to 1048576 (or leave it "
                 "out for the kernel's default)", (unsigned long long)v);
    e->model->page_table_pool = (uint32_t)v;
}

static void declare_stmt(eval_t *e, scope_t *s, const stmt_t *st)
{
    entity_t *ent;
    switch (st->kind) {
    case ST_CONST:
        ent = scope_add(e, s, ENT_CONST, st->name, st->name_loc);
        ent->expr = st->value;
        ent->expr_scope = s;
        VEC_PUSH(&e->m->arena, &e->lazies, ent);
        break;
    case ST_DEF:
        ent = scope_add(e, s, ENT_DEF, st->name, st->name_loc);
        ent->def = st;
        ent->def_scope = s;
        break;
    case ST_INSTANCE:
        ent = scope_add(e, s, ENT_INSTANCE, st->name, st->name_loc);
        ent->inst = st;
        break;
    case ST_OBJECT:
        ent = scope_add(e, s, ENT_OBJECT, st->name, st->name_loc);
        ent->obj = eval_new_object(e, st->obj,
                                   arena_printf(&e->m->arena, "%s%s",
                                                s->prefix, st->name),
                                   st->name_loc);
        ent->obj->decl = st;
        ent->obj->scope = s;
        break;
    case ST_ASSERT: {
        pending_assert_t pa = { st, s };
        VEC_PUSH(&e->m->arena, &e->asserts, pa);
        break;
    }
    case ST_POOL:
        declare_pool(e, s, st);
        break;
    }
}

static void declare_block(eval_t *e, scope_t *s, const stmt_t *stmts,
                          size_t n)
{
    for (size_t i = 0; i < n; i++)
        declare_stmt(e, s, &stmts[i]);
    for (size_t i = 0; i < n; i++)
        if (stmts[i].kind == ST_INSTANCE)
            expand_instance(e, s, scope_find(s, stmts[i].name));
}

/* ---- Files and imports ------------------------------------------------- */

static void declare_module(eval_t *e, module_t *mod);

static const char *read_source(eval_t *e, const char *path, loc_t from,
                               size_t *len)
{
    char *text;
    read_status_t st = file_read(&e->m->arena, path, MKI_SOURCE_MAX, &text,
                                 len);
    if (st == READ_TOO_BIG)
        mki_fail(e->m, from.file ? from : (loc_t){ path, 1, 1 },
                 "'%s' is larger than %u MiB\nsplit the description into "
                 "modules", path, MKI_SOURCE_MAX >> 20);
    if (st != READ_OK)
        mki_fail(e->m, from, "cannot read '%s'\ncheck the path and that it "
                 "is a regular file", path);
    return text;
}

/*
 * Where `import a.b;` looks for a/b.mki: beside the importing file, then
 * beside the system file (the root of the description's modules), then
 * in each -I directory, in order.
 */
static const char *find_module_file(eval_t *e, const import_t *im,
                                    const char *dir)
{
    char *rel = arena_strdup(&e->m->arena, path_str(&e->m->arena, &im->name));
    for (char *c = rel; *c; c++)
        if (*c == '.')
            *c = '/';
    rel = arena_printf(&e->m->arena, "%s.mki", rel);
    const char *root = e->modules.v[0]->scope->dir;
    buf_t tried;
    buf_init(&tried, &e->m->arena);
    for (size_t i = 0; i < e->opt->nmodule_dirs + 2; i++) {
        const char *d = i == 0 ? dir : i == 1 ? root
                      : e->opt->module_dirs[i - 2];
        if (i == 1 && strcmp(root, dir) == 0)
            continue;
        const char *cand = path_join(&e->m->arena, d, rel);
        if (file_exists(cand))
            return cand;
        buf_printf(&tried, "%s%s", tried.len ? ", " : "", d);
    }
    mki_fail(e->m, im->loc, "cannot find module '%s' (looked for %s in: %s)\n"
             "check the module's name, or pass its directory with -I DIR",
             path_str(&e->m->arena, &im->name), rel, buf_cstr(&tried));
}

static const char *import_chain(eval_t *e, const module_t *again)
{
    buf_t b;
    buf_init(&b, &e->m->arena);
    size_t i = 0;
    while (i < e->loading.n && e->loading.v[i] != again)
        i++;
    for (; i < e->loading.n; i++)
        buf_printf(&b, "%s -> ", e->loading.v[i]->name);
    buf_printf(&b, "%s", again->name);
    return buf_cstr(&b);
}

static module_t *module_cached(eval_t *e, const char *real)
{
    for (size_t i = 0; i < e->modules.n; i++)
        if (strcmp(e->modules.v[i]->path, real) == 0)
            return e->modules.v[i];
    return NULL;
}

static module_t *load_import(eval_t *e, const import_t *im, const char *dir)
{
    if (e->opt->no_imports)
        mki_fail(e->m, im->loc, "imports are disabled here\nremove the "
                 "import");
    const char *file = find_module_file(e, im, dir);
    char *real = realpath(file, NULL);
    const char *key = real ? arena_strdup(&e->m->arena, real) : file;
    free(real);
    module_t *mod = module_cached(e, key);
    if (mod && !mod->done)
        mki_fail(e->m, im->loc, "import cycle: %s\nmodules may not import "
                 "each other in a circle; move what both need into a third "
                 "module", import_chain(e, mod));
    if (mod)
        return mod;
    if (e->modules.n >= MKI_MAX_FILES)
        mki_fail(e->m, im->loc, "more than %d files imported\nimport fewer "
                 "modules", MKI_MAX_FILES);
    size_t len;
    const char *text = read_source(e, file, im->loc, &len);
    mki_add_source(e->m, file, text, len);
    mod = arena_alloc(&e->m->arena, sizeof *mod);
    mod->path = key;
    mod->ast = parse_file(e->m, file, text, len);
    const char *want = path_str(&e->m->arena, &im->name);
    mod->name = path_str(&e->m->arena, &mod->ast->name);
    if (mod->ast->is_system || strcmp(mod->name, want) != 0)
        mki_fail(e->m, mod->ast->loc, "'%s' is imported as module '%s', but "
                 "starts with '%s %s;'\nwrite 'module %s;' as its first line",
                 file, want, mod->ast->is_system ? "system" : "module",
                 mod->name, want);
    mod->scope = scope_new(e, NULL, arena_printf(&e->m->arena, "%s.",
                                                 mod->name),
                           path_dir(&e->m->arena, file));
    VEC_PUSH(&e->m->arena, &e->modules, mod);
    declare_module(e, mod);
    return mod;
}

static void declare_module(eval_t *e, module_t *mod)
{
    VEC_PUSH(&e->m->arena, &e->loading, mod);
    const file_ast_t *f = mod->ast;
    for (size_t i = 0; i < f->nimports; i++) {
        module_t *dep = load_import(e, &f->imports[i], mod->scope->dir);
        entity_t *ent = scope_add(e, mod->scope, ENT_MODULE,
                                  f->imports[i].alias, f->imports[i].loc);
        ent->members = dep->scope;
    }
    declare_block(e, mod->scope, f->stmts, f->nstmts);
    e->loading.n--;
    mod->done = true;
}

/* ---- The driver --------------------------------------------------------- */

/* The object an assertion names: an object, or a constant or parameter
 * whose value is one (or a capability to one). NULL if none. */
static mobj_t *assert_object(eval_t *e, scope_t *s, const path_t *p)
{
    entity_t *ent = eval_resolve(e, s, p);
    if (ent->kind == ENT_OBJECT)
        return ent->obj;
    if (ent->kind != ENT_CONST && ent->kind != ENT_PARAM)
        return NULL;
    value_t v = eval_entity(e, ent, p->locs[0]);
    return v.kind == VAL_OBJECT ? v.obj : v.kind == VAL_CAP ? v.cap.obj : NULL;
}

static void resolve_asserts(eval_t *e)
{
    for (size_t i = 0; i < e->asserts.n; i++) {
        const stmt_t *st = e->asserts.v[i].stmt;
        scope_t *s = e->asserts.v[i].scope;
        mobj_t *from = assert_object(e, s, &st->target);
        mobj_t *to = assert_object(e, s, &st->to);
        if (!from || from->kind != OBJ_KIND_PROCESS)
            mki_fail(e->m, st->target.locs[0], "an assertion starts at a "
                     "process; '%s' is not one\nname a process: 'assert "
                     "no_path(PROCESS -> TARGET);'",
                     path_str(&e->m->arena, &st->target));
        if (!to)
            mki_fail(e->m, st->to.locs[0], "'%s' is not a process or an "
                     "object\nan assertion ends at a process or an object",
                     path_str(&e->m->arena, &st->to));
        massert_t a = { st->positive, from, to, st->loc };
        VEC_PUSH(&e->m->arena, &e->model->asserts, a);
    }
}

static model_t *eval_run(eval_t *e, const char *name, const char *text,
                         size_t len)
{
    module_t *root = arena_alloc(&e->m->arena, sizeof *root);
    root->path = name;
    root->ast = parse_file(e->m, name, text, len);
    if (!root->ast->is_system)
        mki_fail(e->m, root->ast->loc, "'%s' is a module, not a system\n"
                 "build a file that starts with 'system NAME;' and imports "
                 "this module", name);
    root->name = path_str(&e->m->arena, &root->ast->name);
    root->scope = scope_new(e, NULL, "", path_dir(&e->m->arena, name));
    e->model->name = root->name;
    e->model->file = name;
    VEC_PUSH(&e->m->arena, &e->modules, root);
    declare_module(e, root);
    for (size_t i = 0; i < e->model->objs.n; i++)
        eval_object_body(e, e->model->objs.v[i]);
    for (size_t i = 0; i < e->lazies.n; i++)
        eval_entity(e, e->lazies.v[i], e->lazies.v[i]->loc);
    define_pool(e);
    resolve_asserts(e);
    eval_final_checks(e);
    return e->model;
}

model_t *eval_text(mki_t *m, const char *name, const char *text, size_t len,
                   const eval_options_t *opt)
{
    static const eval_options_t none;
    eval_t e = { .m = m, .opt = opt ? opt : &none };
    e.model = arena_alloc(&m->arena, sizeof *e.model);
    if (len > MKI_SOURCE_MAX)
        mki_fail(m, (loc_t){ name, 1, 1 }, "the description is larger than "
                 "%u MiB\nsplit it into modules", MKI_SOURCE_MAX >> 20);
    mki_add_source(m, name, text, len);
    return eval_run(&e, name, text, len);
}

model_t *eval_file(mki_t *m, const char *path, const eval_options_t *opt)
{
    size_t len;
    eval_t e = { .m = m };
    const char *text = read_source(&e, path, (loc_t){ 0 }, &len);
    return eval_text(m, path, text, len, opt);
}
