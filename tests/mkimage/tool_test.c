/*
 * mkimage tool tests: the kernel's ABI table (--abi, --stats), checking
 * it against kernel/abi/abi.h, and --dump of good and bad images.
 */
#include "mki_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char abi_good[] =
    "# Cairn ABI constants for x86_64: <name> <value>, one a line.\n"
    "obj_size_untyped 64\nobj_size_page 4096\nobj_size_cappage 4096\n"
    "obj_size_gpt 192\nobj_size_endpoint 64\nobj_size_process 1024\n"
    "obj_size_notification 64\n"
    "cap_size 16\ncap_regs 32\ncappage_slots 256\nprio_max 255\n"
    "page_size 4096\nmsg_words_max 64\n";

static int run_stats(const char *abi_text, FILE *out, mki_result_t *r)
{
    const char *abi = NULL;
    if (abi_text) {
        abi = mt_tmp("abi.txt");
        if (!mt_write(abi, abi_text, strlen(abi_text)))
            return -1;
    }
    mki_options_t o = { .input = MT_DIODE_MKI, .abi = abi,
                        .stats = true, .arch = "x86_64", .out = out };
    /* The diode's programs do not exist: use the tiny one instead. */
    static const char text[] =
        "system s;\nendpoint e;\n"
        "process p { program \"tiny-x86_64.elf\"; caps { e = entry(e); } }\n";
    o.input = MKI_TEST_DIR "/good/inline.mki";
    o.input_text = text;
    o.input_len = strlen(text);
    o.program_dirs[0] = MKI_TEST_PROGS;
    o.nprogram_dirs = 1;
    return mkimage_run(&o, r);
}

HOST_TEST(mkimage, tool_stats_need_the_abi_table)
{
    mki_result_t r;
    run_stats(NULL, NULL, &r);
    bool ok = r.status == 1 &&
              strstr(r.diag.message, "needs the kernel's object sizes") &&
              strstr(r.diag.hint, "--abi build/<arch>/abi/abi.txt");
    mkimage_result_free(&r);
    CHECK(ok);
}

HOST_TEST(mkimage, tool_stats_with_the_abi_table)
{
    FILE *out = tmpfile();
    CHECK(out);
    mki_result_t r;
    run_stats(abi_good, out, &r);
    int status = r.status;
    mkimage_result_free(&r);
    char text[2048] = "";
    rewind(out);
    size_t n = fread(text, 1, sizeof text - 1, out);
    text[n] = 0;
    fclose(out);
    CHECK_EQ(status, 0);
    CHECK(strstr(text, "PROCESS"));
    CHECK(strstr(text, "kernel memory for the initial objects"));
}

HOST_TEST(mkimage, tool_abi_table_must_match_abi_h)
{
    char bad[1024];
    snprintf(bad, sizeof bad, "%s", abi_good);
    char *p = strstr(bad, "cap_regs 32");
    CHECK(p);
    memcpy(p, "cap_regs 64", 11);
    mki_result_t r;
    run_stats(bad, NULL, &r);
    const char *why = mt_error_mismatch(&r, 10, 1, "says cap_regs is 64 | "
                                        "rebuild the kernel and mkimage");
    mkimage_result_free(&r);
    CHECK(!why);
}

HOST_TEST(mkimage, tool_abi_table_malformed)
{
    mki_result_t r;
    run_stats("obj_size_page 4096\n  obj_size_gpt lots\n", NULL, &r);
    const char *why = mt_error_mismatch(&r, 2, 3, "not 'key number'");
    mkimage_result_free(&r);
    CHECK(!why);
}

HOST_TEST(mkimage, tool_abi_table_missing_size)
{
    mki_result_t r;
    run_stats("obj_size_page 4096\n", NULL, &r);
    bool ok = r.status == 1 && strstr(r.diag.message, "has no size for") &&
              strstr(r.diag.hint, "obj_size_");
    mkimage_result_free(&r);
    CHECK(ok);
}

HOST_TEST(mkimage, tool_dump_good_and_bad)
{
    mki_result_t r;
    mt_run("system dumped;\nendpoint e;\n"
           "process p { program \"tiny-riscv64.elf\"; caps { e = entry(e, 3); } }\n",
           MT_IMAGE, &r);
    CHECK(r.status == 0);
    const char *path = mt_tmp("dump.img");
    bool wrote = mt_write(path, r.image, r.image_len);
    r.image[r.image_len / 2] ^= 1;
    bool wrote_bad = mt_write(mt_tmp("bad.img"), r.image, r.image_len);
    mkimage_result_free(&r);
    CHECK(wrote && wrote_bad);
    FILE *out = tmpfile(), *err = tmpfile();
    CHECK(out && err);
    int good = mkimage_dump(path, out, err);
    int bad = mkimage_dump(mt_tmp("bad.img"), out, err);
    char text[8192] = "";
    rewind(out);
    size_t n = fread(text, 1, sizeof text - 1, out);
    text[n] = 0;
    char etext[512] = "";
    rewind(err);
    n = fread(etext, 1, sizeof etext - 1, err);
    etext[n] = 0;
    fclose(out);
    fclose(err);
    CHECK_EQ(good, 0);
    CHECK_EQ(bad, 1);
    CHECK(strstr(text, "system dumped, riscv64"));
    CHECK(strstr(text, "reg 8   entry -> #0 e payload 0x3"));
    CHECK(strstr(etext, "checksum mismatch"));
}
