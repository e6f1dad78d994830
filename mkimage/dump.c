/*
 * mkimage --dump IMAGE: validate a boot image with the kernel's
 * validator and print what it holds, for review and debugging. Reads the
 * image only through the validator's readers.
 */
#include "mkimage.h"

#include <stdlib.h>
#include <string.h>

#include "abi/image_validate.h"
#include "model.h"

static const char *obj_type_name(uint8_t t)
{
    static const char *const names[OBJ_TYPE_COUNT] = {
#define OBJTYPE(name, code, text) [code] = #name,
#include "abi/objtypes.def"
#undef OBJTYPE
    };
    return t < OBJ_TYPE_COUNT ? names[t] : "?";
}

static void print_cap(const image_t *im, uint32_t i, FILE *out)
{
    image_cap_t c;
    image_cap(im, i, &c);
    arena_t a = { 0 };
    fprintf(out, "%s", cap_type_name((cap_type_t)c.type));
    if (c.object != IMG_NONE) {
        image_object_t o;
        image_object(im, c.object, &o);
        fprintf(out, " -> #%u %s", c.object, image_string(im, o.name));
    }
    if (c.payload)
        fprintf(out, " payload 0x%x", c.payload);
    if (c.l2g)
        fprintf(out, " l2g %u", c.l2g);
    if (c.restr)
        fprintf(out, " %s", restr_str(&a, c.restr));
    fputc('\n', out);
    arena_release(&a);
}

static void print_objects(const image_t *im, FILE *out)
{
    fprintf(out, "objects (%u):\n", im->count[IMG_SEC_OBJECTS]);
    for (uint32_t i = 0; i < im->count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(im, i, &o);
        fprintf(out, "  #%-5u %-12s %-28s", i, obj_type_name(o.type),
                image_string(im, o.name));
        if (o.type == OBJ_UNTYPED || o.type == OBJ_PAGE)
            fprintf(out, " a=0x%llx b=0x%llx", (unsigned long long)o.a,
                    (unsigned long long)o.b);
        else if (o.type == OBJ_CAPPAGE || o.type == OBJ_GPT)
            fprintf(out, " caps=%llu %s=%llu", (unsigned long long)o.a,
                    o.type == OBJ_GPT ? "l2v" : "slots",
                    (unsigned long long)o.b);
        fprintf(out, "%s\n", o.flags ? " (flags)" : "");
    }
}

static void print_processes(const image_t *im, FILE *out)
{
    for (uint32_t i = 0; i < im->count[IMG_SEC_PROCESSES]; i++) {
        image_process_t p;
        image_object_t o;
        image_process(im, i, &p);
        image_object(im, p.object, &o);
        fprintf(out, "process %s: pc 0x%llx sp 0x%llx ipc 0x%llx priority "
                "%u%s\n", image_string(im, o.name), (unsigned long long)p.pc,
                (unsigned long long)p.sp, (unsigned long long)p.ipc_buffer,
                p.priority, p.flags & IMG_PROCF_RUN ? "" : " stopped");
        fprintf(out, "  space   ");
        print_cap(im, p.caps, out);
        fprintf(out, "  keeper  ");
        print_cap(im, p.caps + 1, out);
        for (uint32_t r = 0; r < p.nregs; r++) {
            fprintf(out, "  reg %-3u ", r);
            print_cap(im, p.caps + 2 + r, out);
        }
    }
}

int mkimage_dump(const char *path, FILE *out, FILE *err)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t len = 0, cap = 0;
    if (!f) {
        fprintf(err, "mkimage: cannot open '%s'\n", path);
        return 1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *d = realloc(data, cap = cap ? cap * 2 : 65536);
            if (!d || cap > (1ull << 32)) {
                free(d ? d : data);
                fclose(f);
                fprintf(err, "mkimage: '%s' is too large\n", path);
                return 1;
            }
            data = d;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    uint16_t arch = len >= IMG_HEADER_SIZE
        ? (uint16_t)(data[IMG_OFF_ARCH] | data[IMG_OFF_ARCH + 1] << 8) : 0;
    /* The kernel's own limits; the platform's (lines, user range) are
     * checked at boot. */
    image_limits_t lim = { arch, CAIRN_CAP_REGS, CAIRN_CAPPAGE_SLOTS,
                           CAIRN_PRIO_MAX, UINT32_MAX, 0 };
    image_t im;
    image_result_t r;
    int status = 0;
    if (image_validate(data, len, &lim, &im, &r) != IMG_OK) {
        fprintf(err, "%s: invalid image: %s (offset %u, record %u)\n", path,
                r.message, r.offset, r.index);
        status = 1;
    } else {
        fprintf(out, "image %s: system %s, %s, %u bytes, valid\n", path,
                image_string(&im, im.name),
                arch == IMG_ARCH_X86_64 ? "x86_64" : "riscv64", im.size);
        print_objects(&im, out);
        print_processes(&im, out);
    }
    free(data);
    return status;
}
