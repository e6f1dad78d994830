/*
 * mkimage image tests: images built from real programs of both ports,
 * read back through the kernel's validator; reproducibility; the address
 * space built from ELF segments; and ELF files that must be refused,
 * each with the message at the 'program' line.
 */
#include "mki_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char two_programs[] =
    "system pair;\n"
    "endpoint pipe;\n"
    "page shared;\n"
    "process a { program \"tiny-%s.elf\"; priority 7;\n"
    "            caps { out = entry(pipe, 5) no_call; }\n"
    "            map shared at 0x7000_0000; }\n"
    "process b { program \"tiny-%s.elf\"; args 1, 2, 3;\n"
    "            caps { in = pipe read_only; }\n"
    "            map shared read_only at 0x7000_0000; }\n";

static int build_pair(const char *arch, mki_result_t *r)
{
    char text[1024];
    snprintf(text, sizeof text, two_programs, arch, arch);
    return mt_run(text, MT_IMAGE, r);
}

HOST_TEST(mkimage, image_reproducible)
{
    mki_result_t a, b;
    build_pair("x86_64", &a);
    build_pair("x86_64", &b);
    bool same = a.status == 0 && b.status == 0 && a.image_len == b.image_len &&
                memcmp(a.image, b.image, a.image_len) == 0;
    mkimage_result_free(&a);
    mkimage_result_free(&b);
    CHECK(same);
}

HOST_TEST(mkimage, image_reproducible_files)
{
    /* Two runs of the command-line path write identical files. */
    const char *paths[2] = { MKI_TEST_TMP "/one.img", MKI_TEST_TMP "/two.img" };
    uint8_t *data[2] = { NULL, NULL };
    long len[2] = { 0, 0 };
    for (int i = 0; i < 2; i++) {
        mki_options_t o = { .input = MKI_TEST_DIR "/good/features.mki",
                            .output = paths[i] };
        o.program_dirs[0] = MKI_TEST_PROGS;
        o.nprogram_dirs = 1;
        CHECK_EQ(mkimage_run(&o, NULL), 0);
        FILE *f = fopen(paths[i], "rb");
        CHECK(f);
        fseek(f, 0, SEEK_END);
        len[i] = ftell(f);
        rewind(f);
        data[i] = malloc((size_t)len[i]);
        size_t got = data[i] ? fread(data[i], 1, (size_t)len[i], f) : 0;
        fclose(f);
        CHECK(got == (size_t)len[i]);
    }
    bool same = len[0] == len[1] && memcmp(data[0], data[1], (size_t)len[0]) == 0;
    free(data[0]);
    free(data[1]);
    CHECK(same);
}

/* Check the pair image for one architecture. */
static const char *check_pair(const char *arch, uint16_t img_arch,
                              uint16_t machine_entry_check)
{
    static char why[200];
    mki_result_t r;
    image_t im;
    image_result_t v;
    build_pair(arch, &r);
    if (r.status) {
        snprintf(why, sizeof why, "%.150s", r.diag.message);
        return why;
    }
    image_limits_t lim = mt_limits(img_arch);
    const char *fail = NULL;
    if (image_validate(r.image, r.image_len, &lim, &im, &v) != IMG_OK)
        fail = v.message;
    else if (im.arch != img_arch || im.count[IMG_SEC_PROCESSES] != 2)
        fail = "wrong arch or process count";
    image_process_t a, b;
    if (!fail) {
        image_process(&im, 0, &a);
        image_process(&im, 1, &b);
        if (a.priority != 7 || b.args[2] != 3 || !(a.flags & IMG_PROCF_RUN))
            fail = "process records";
        else if (a.pc != b.pc || a.pc == 0 || a.sp % 4096 || a.ipc_buffer % 4096)
            fail = "entry, stack or IPC buffer";
    }
    /* Every page the program fills has its bytes in the data section. */
    uint32_t data_pages = 0;
    for (uint32_t i = 0; !fail && i < im.count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(&im, i, &o);
        if (o.type == OBJ_PAGE && (o.flags & IMG_OBJF_DATA))
            data_pages++;
    }
    if (!fail && data_pages != im.count[IMG_SEC_DATA])
        fail = "data pages";
    (void)machine_entry_check;
    mkimage_result_free(&r);
    return fail;
}

HOST_TEST(mkimage, image_x86_64_programs)
{
    const char *fail = check_pair("x86_64", IMG_ARCH_X86_64, 62);
    CHECK_MSG(!fail, "%s", fail);
}

HOST_TEST(mkimage, image_riscv64_programs)
{
    const char *fail = check_pair("riscv64", IMG_ARCH_RISCV64, 243);
    CHECK_MSG(!fail, "%s", fail);
}

HOST_TEST(mkimage, image_mixed_architectures_refused)
{
    mki_result_t r;
    mt_run("system s;\n"
           "process a { program \"tiny-x86_64.elf\"; }\n"
           "process b { program \"tiny-riscv64.elf\"; }\n", MT_IMAGE, &r);
    const char *why = mt_error_mismatch(&r, 3, 13, "built for riscv64, but the "
                                        "image is for x86_64");
    char m[300] = "";
    if (why)
        snprintf(m, sizeof m, "%.250s", why);
    mkimage_result_free(&r);
    CHECK_MSG(!why, "%s", m);
}

HOST_TEST(mkimage, image_arch_option_must_match)
{
    mki_options_t o = { .input = MKI_TEST_DIR "/good/inline.mki",
                        .input_text = "system s;\nprocess a { program "
                                      "\"tiny-x86_64.elf\"; }\n",
                        .arch = "riscv64", .want_image = true };
    o.input_len = strlen(o.input_text);
    o.program_dirs[0] = MKI_TEST_PROGS;
    o.nprogram_dirs = 1;
    mki_result_t r;
    mkimage_run(&o, &r);
    const char *why = mt_error_mismatch(&r, 2, 13, "built for x86_64");
    mkimage_result_free(&r);
    CHECK(!why);
}

HOST_TEST(mkimage, image_no_programs_needs_arch)
{
    mki_result_t r;
    mt_run("system s;\nendpoint e;\n", MT_IMAGE, &r);
    bool ok = r.status == 1 && strstr(r.diag.hint, "--arch");
    mkimage_result_free(&r);
    CHECK(ok);
}

/* ---- Address spaces ------------------------------------------------------ */

/* Walk the image's GPT tree for `va` as the kernel would; returns the
 * leaf capability's object, or IMG_NONE. Accumulates restrictions. */
static uint32_t walk(const image_t *im, image_cap_t c, uint64_t va,
                     uint8_t *restr)
{
    *restr = 0;
    for (int depth = 0; depth < 32; depth++) {
        uint64_t guard = (uint64_t)c.payload;
        if (c.l2g < 64) {
            if ((va >> c.l2g) != guard)
                return IMG_NONE;
            va &= (1ull << c.l2g) - 1;
        }
        *restr |= c.restr;
        if (c.type != CAP_GPT)
            return c.type == CAP_PAGE ? c.object : IMG_NONE;
        image_object_t g;
        image_object(im, c.object, &g);
        uint64_t slot = va >> g.b;
        if (slot >= 16)
            return IMG_NONE;
        va -= slot << g.b;
        image_cap(im, (uint32_t)g.a + (uint32_t)slot, &c);
    }
    return IMG_NONE;
}

/* A riscv64 program: two text pages at 0x10000, three data pages (one
 * with file bytes) at 0x200000. */
static bool write_space_elf(void)
{
    static uint8_t elf[1 << 16];
    static uint8_t text[5000], data[100];
    memset(text, 0xcc, sizeof text);
    memset(data, 0x5a, sizeof data);
    mt_seg_t segs[2] = {
        { 1, 4 | 1, 0x10000, sizeof text, text, sizeof text },
        { 1, 4 | 2, 0x200000, 0x3000, data, sizeof data },
    };
    size_t n = mt_elf(elf, 243, 0x10010, segs, 2);
    return mt_write(MKI_TEST_PROGS "/space.elf", elf, n);
}

HOST_TEST(mkimage, image_space_maps_every_page)
{
    CHECK(write_space_elf());
    mki_result_t r;
    mt_run("system s;\npage far;\n"
           "process p { program \"space.elf\"; stack 8 KiB;\n"
           "            map far read_only at 0x7fff_ffff_f000; }\n", MT_IMAGE, &r);
    CHECK_MSG(r.status == 0, "%s", r.diag.message);
    image_t im;
    image_limits_t lim = mt_limits(IMG_ARCH_RISCV64);
    CHECK(image_validate(r.image, r.image_len, &lim, &im, NULL) == IMG_OK);
    image_process_t p;
    image_process(&im, 0, &p);
    image_cap_t root;
    image_cap(&im, p.caps, &root);
    uint8_t restr;
    /* Text: two pages, read-only, executable, bytes from the file. */
    uint32_t pg = walk(&im, root, 0x10000, &restr);
    CHECK(pg != IMG_NONE);
    CHECK_EQ(restr, RESTR_READ_ONLY);
    image_object_t o;
    image_object(&im, pg, &o);
    CHECK(o.flags & IMG_OBJF_DATA);
    CHECK_EQ(image_page_data(&im, o.a)[0], 0xcc);
    CHECK(walk(&im, root, 0x11000, &restr) != IMG_NONE);
    CHECK(walk(&im, root, 0x12000, &restr) == IMG_NONE);
    /* Data: three pages, writable, not executable; bss pages are zero. */
    CHECK(walk(&im, root, 0x200000, &restr) != IMG_NONE);
    CHECK_EQ(restr, RESTR_NO_EXECUTE);
    pg = walk(&im, root, 0x202000, &restr);
    image_object(&im, pg, &o);
    CHECK_EQ(o.flags, 0);
    /* Stack after a guard page; IPC buffer after another. */
    CHECK_EQ(p.sp, 0x203000 + 0x1000 + 0x2000);
    CHECK(walk(&im, root, 0x203000, &restr) == IMG_NONE);
    CHECK(walk(&im, root, p.sp - 0x1000, &restr) != IMG_NONE);
    CHECK(walk(&im, root, p.sp, &restr) == IMG_NONE);
    CHECK(walk(&im, root, p.ipc_buffer, &restr) != IMG_NONE);
    /* The far mapping, read-only, reached through guards. */
    pg = walk(&im, root, 0x7ffffffff000ull, &restr);
    CHECK_EQ(pg, 0);
    CHECK(restr & RESTR_READ_ONLY);
    CHECK(walk(&im, root, 0x7fffffffe000ull, &restr) == IMG_NONE);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, image_map_overlapping_program_refused)
{
    CHECK(write_space_elf());
    mki_result_t r;
    mt_run("system s;\npage pg;\n"
           "process p { program \"space.elf\";\n"
           "            map pg at 0x10000; }\n", MT_IMAGE, &r);
    const char *why = mt_error_mismatch(&r, 4, 13, "map pg at 0x10000 overlaps "
                                        "program page at 0x10000");
    char m[400] = "";
    if (why)
        snprintf(m, sizeof m, "%.250s", why);
    mkimage_result_free(&r);
    CHECK_MSG(!why, "%s", m);
}

HOST_TEST(mkimage, image_missing_program)
{
    mki_result_t r;
    mt_run("system s;\nprocess p {\n    program \"nope.elf\";\n}\n", MT_IMAGE, &r);
    const char *why = mt_error_mismatch(&r, 3, 5, "cannot find program "
                                        "\"nope.elf\" | -L DIR");
    mkimage_result_free(&r);
    CHECK(!why);
}

/* ---- ELF files that must be refused ------------------------------------ */

typedef void (*elf_patch_t)(uint8_t *elf, size_t *len);

static void p_truncate(uint8_t *e, size_t *n) { (void)e; *n = 100; }
static void p_class32(uint8_t *e, size_t *n) { (void)n; e[4] = 1; }
static void p_big_endian(uint8_t *e, size_t *n) { (void)n; e[5] = 2; }
static void p_dyn(uint8_t *e, size_t *n) { (void)n; e[16] = 3; }
static void p_relocatable(uint8_t *e, size_t *n) { (void)n; e[16] = 1; }
static void p_machine(uint8_t *e, size_t *n) { (void)n; e[18] = 40; }
static void p_phoff(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 32, 1ull << 40); }
static void p_phnum(uint8_t *e, size_t *n) { (void)n; e[56] = 0xff; e[57] = 0xff; }
static void p_phentsize(uint8_t *e, size_t *n) { (void)n; e[54] = 32; }
static void p_filesz(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 32, 0x10000); }
static void p_offset(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 8, ~0ull - 5); }
static void p_memsz(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 40, 1ull << 40); }
static void p_wrap(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 16, ~0ull - 0xfff); }
static void p_page0(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 16, 0); mt_wr64(e + 24, 0); }
static void p_entry(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 24, 0x900000); }
static void p_interp(uint8_t *e, size_t *n) { (void)n; e[64 + 56] = 3; }
static void p_noload(uint8_t *e, size_t *n) { (void)n; e[64] = 4; e[64 + 56] = 4; }
static void p_overlap(uint8_t *e, size_t *n) { (void)n; mt_wr64(e + 64 + 56 + 16, 0x400800); }
static void p_magic(uint8_t *e, size_t *n) { (void)n; e[1] = 'X'; }

static const struct {
    const char *name;
    elf_patch_t patch;
    const char *words;
} bad_elves[] = {
    { "truncated",     p_truncate,    "bad program header table" },
    { "class32",       p_class32,     "a 32-bit ELF file" },
    { "big_endian",    p_big_endian,  "not a little-endian" },
    { "dynamic",       p_dyn,         "position-independent | -static -no-pie" },
    { "relocatable",   p_relocatable, "not an executable" },
    { "machine",       p_machine,     "built for ELF machine 40" },
    { "phoff",         p_phoff,       "bad program header table" },
    { "phnum",         p_phnum,       "bad program header table" },
    { "phentsize",     p_phentsize,   "bad program header table" },
    { "filesz",        p_filesz,      "more file bytes than memory bytes" },
    { "offset",        p_offset,      "extends past the end of the file" },
    { "memsz",         p_memsz,       "too large or too high" },
    { "wrap",          p_wrap,        "too large or too high" },
    { "page_zero",     p_page0,       "maps page zero" },
    { "entry",         p_entry,       "entry point 0x900000 is not in an executable" },
    { "interp",        p_interp,      "dynamically linked | -static" },
    { "no_load",       p_noload,      "has no loadable segment" },
    { "overlap",       p_overlap,     "segments overlap or are out of order" },
    { "magic",         p_magic,       "not an ELF file" },
};

HOST_TEST(mkimage, image_bad_elf_files)
{
    static uint8_t elf[1 << 16];
    static const uint8_t code[64] = { 0x90 };
    mt_seg_t segs[2] = {
        { 1, 4 | 1, 0x400000, 0x1000, code, sizeof code },
        { 1, 4 | 2, 0x401000, 0x1000, code, sizeof code },
    };
    for (size_t i = 0; i < sizeof bad_elves / sizeof bad_elves[0]; i++) {
        size_t n = mt_elf(elf, 62, 0x400000, segs, 2);
        bad_elves[i].patch(elf, &n);
        CHECK(mt_write(MKI_TEST_PROGS "/bad.elf", elf, n));
        mki_result_t r;
        mt_run("system s;\nprocess p {\n  program \"bad.elf\";\n}\n",
               MT_IMAGE, &r);
        const char *why = mt_error_mismatch(&r, 3, 3, bad_elves[i].words);
        char m[500] = "";
        if (why)
            snprintf(m, sizeof m, "%.250s", why);
        mkimage_result_free(&r);
        CHECK_MSG(!why, "%s: %s", bad_elves[i].name, m);
    }
}
