/*
 * The mkimage pipeline (mkimage.h): evaluate the description, check its
 * assertions, then write what was asked for. Every image is validated
 * with the kernel's own validator before it is written, so a writer bug
 * can never produce an image the kernel would refuse.
 */
#include "mkimage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "eval.h"
#include "graph.h"
#include "abi/image_validate.h"
#include "image_write.h"
#include "layout.h"

static void write_file(mki_t *m, const char *path, const void *data,
                       size_t len)
{
    const char *tmp = arena_printf(&m->arena, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        int err = errno;
        remove(tmp);
        mki_fail(m, (loc_t){ 0 }, "cannot write '%s': %s\ncheck that its "
                 "directory exists and is writable", path, strerror(err));
    }
}

/* The kernel's limits as kernel/abi/abi.h states them; the interrupt
 * lines and the user address range are the platform's, checked at boot. */
static image_limits_t host_limits(uint16_t arch)
{
    image_limits_t lim = { arch, CAIRN_CAP_REGS, CAIRN_CAPPAGE_SLOTS,
                           CAIRN_PRIO_MAX, UINT32_MAX, 0 };
    return lim;
}

static void self_check(mki_t *m, const buf_t *img, uint16_t arch)
{
    image_limits_t lim = host_limits(arch);
    image_result_t r;
    if (image_validate(img->data, img->len, &lim, NULL, &r) != IMG_OK)
        mki_fail(m, (loc_t){ 0 }, "internal error: the image fails "
                 "validation: %s (offset %u, record %u)\nplease report this "
                 "with the description that caused it", r.message, r.offset,
                 r.index);
}

static void print_stats(mki_t *m, const ibuild_t *b, const abi_table_t *abi,
                        size_t image_len, FILE *out)
{
    static const char *const names[OBJ_TYPE_COUNT] = {
#define OBJTYPE(name, code, text) [code] = #name,
#include "abi/objtypes.def"
#undef OBJTYPE
    };
    uint64_t count[OBJ_TYPE_COUNT] = { 0 }, total = 0;
    for (size_t i = 0; i < b->objs.n; i++)
        count[b->objs.v[i].type]++;
    for (int t = 1; t < OBJ_TYPE_COUNT; t++)
        if (count[t] && t != OBJ_UNTYPED)
            total += count[t] * abi_obj_size(m, abi, (obj_type_t)t,
                                             "--stats");
    fprintf(out, "image: %zu bytes\n", image_len);
    for (int t = 1; t < OBJ_TYPE_COUNT; t++)
        if (count[t])
            fprintf(out, "  %-12s %8llu\n", names[t],
                    (unsigned long long)count[t]);
    fprintf(out, "kernel memory for the initial objects: %llu bytes "
            "(untyped grants not counted)\n", (unsigned long long)total);
}

static void run(mki_t *m, const mki_options_t *opt, mki_result_t *res)
{
    abi_table_t abi = { 0 };
    if (opt->abi)
        abi_load(m, opt->abi, &abi);
    eval_options_t eo = { opt->module_dirs, opt->nmodule_dirs,
                          opt->abi ? &abi : NULL, opt->no_imports };
    model_t *md = opt->input_text
        ? eval_text(m, opt->input, opt->input_text, opt->input_len, &eo)
        : eval_file(m, opt->input, &eo);
    authority_t *a = authority_analyse(m, md);
    authority_check(m, md, a);
    if (opt->graph || opt->want_graph) {
        buf_t dot;
        buf_init(&dot, &m->arena);
        graph_write(md, &dot);
        if (opt->graph)
            write_file(m, opt->graph, dot.data, dot.len);
        if (res && opt->want_graph)
            res->graph = strdup(buf_cstr(&dot));
    }
    if (!opt->output && !opt->want_image && !opt->stats)
        return;
    layout_options_t lo = { opt->arch, opt->program_dirs, opt->nprogram_dirs,
                            opt->abi ? &abi : NULL };
    ibuild_t b;
    layout_build(m, md, &lo, &b);
    buf_t img;
    buf_init(&img, &m->arena);
    image_write(m, &b, &img);
    self_check(m, &img, b.arch);
    if (opt->stats)
        print_stats(m, &b, opt->abi ? &abi : NULL, img.len,
                    opt->out ? opt->out : stdout);
    if (opt->output)
        write_file(m, opt->output, img.data, img.len);
    if (res && opt->want_image) {
        res->image = malloc(img.len ? img.len : 1);
        if (res->image)
            memcpy(res->image, img.data, img.len);
        res->image_len = img.len;
    }
}

/* Run with an unwind point. Neither argument changes after setjmp, so
 * both are still valid when an error jumps back here; the context lives
 * on the heap for the same reason. */
static void run_guarded(const mki_options_t *opt, mki_result_t *res)
{
    mki_t *m = calloc(1, sizeof *m);
    jmp_buf unwind;
    memset(res, 0, sizeof *res);
    if (!m) {
        res->status = 1;
        return;
    }
    m->errout = opt->errout;
    m->unwind = &unwind;
    if (setjmp(unwind) == 0) {
        run(m, opt, res);
    } else {
        mki_print_error(m);
        mkimage_result_free(res);
        res->status = 1;
        diag_copy(&res->diag, &m->diag);
    }
    res->warnings = m->warnings;
    arena_release(&m->arena);
    free(m);
}

int mkimage_run(const mki_options_t *opt, mki_result_t *res)
{
    if (res) {
        run_guarded(opt, res);
        return res->status;
    }
    mki_result_t local;
    run_guarded(opt, &local);
    mkimage_result_free(&local);
    return local.status;
}

void mkimage_result_free(mki_result_t *res)
{
    free(res->image);
    free(res->graph);
    res->image = NULL;
    res->graph = NULL;
}
