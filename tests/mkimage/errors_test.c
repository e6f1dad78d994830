/*
 * mkimage error tests: every file of tests/mkimage/bad/ is one test
 * ("bad_<name>"), whose first line says where the error must be and
 * which words its message and hint must hold:
 *     // expect LINE:COL: words of the message | words of the hint
 * and generated inputs that cannot be text files: NUL bytes, binary
 * junk, oversized and deeply nested input, import cycles, exponential
 * instantiation.
 */
#include "mki_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The bad-input corpus ------------------------------------------------ */

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

static void bad_file_test(host_test_t *ht_self_)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/bad/%s.mki", MKI_TEST_DIR,
             ht_self_->name + strlen("bad_"));
    char *text = read_text(path, &len);
    CHECK_MSG(text, "cannot read %s", path);
    unsigned line, col;
    int used = 0;
    if (sscanf(text, "// expect %u:%u: %n", &line, &col, &used) != 2 || !used) {
        free(text);
        CHECK_MSG(false, "%s has no '// expect L:C: words' first line", path);
    }
    char frags[512];
    const char *nl = strchr(text + used, '\n');
    snprintf(frags, sizeof frags, "%.*s",
             (int)(nl ? nl - (text + used) : (long)strlen(text + used)),
             text + used);
    mki_result_t r;
    mki_options_t o = { .input = path };
    mkimage_run(&o, &r);
    const char *why = mt_error_mismatch(&r, line, col, frags);
    char saved[600] = "";
    if (why)
        snprintf(saved, sizeof saved, "%.500s", why);
    mkimage_result_free(&r);
    free(text);
    CHECK_MSG(!why, "%s", saved);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

__attribute__((constructor)) static void register_bad_files(void)
{
    struct dirent **list;
    int n = scandir(MKI_TEST_DIR "/bad", &list, NULL, by_name);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]->d_name);
        if (len > 4 && strcmp(list[i]->d_name + len - 4, ".mki") == 0) {
            host_test_t *t = calloc(1, sizeof *t);
            char *name = malloc(len + 1);
            if (t && name) {
                snprintf(name, len + 1, "bad_%.*s", (int)(len - 4),
                         list[i]->d_name);
                t->suite = "mkimage";
                t->name = name;
                t->fn = bad_file_test;
                host_test_register(t);
            }
        }
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

HOST_TEST(mkimage, bad_corpus_is_large)
{
    struct dirent **list;
    int n = scandir(MKI_TEST_DIR "/bad", &list, NULL, by_name), mki = 0;
    for (int i = 0; i < n; i++) {
        mki += strstr(list[i]->d_name, ".mki") != NULL;
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    CHECK_MSG(mki >= 30, "only %d bad inputs", mki);
}

/* ---- Generated bad inputs ----------------------------------------------- */

#define EXPECT_ERROR(r, line, col, frags)                                     \
    do { const char *why_ = mt_error_mismatch(&(r), line, col, frags);        \
         char buf_[600] = "";                                                 \
         if (why_) snprintf(buf_, sizeof buf_, "%.500s", why_);                   \
         mkimage_result_free(&(r));                                           \
         CHECK_MSG(!why_, "%s", buf_); } while (0)

HOST_TEST(mkimage, gen_nul_byte)
{
    static const char text[] = "system s;\nendpoint a\0b;\n";
    mki_result_t r;
    mt_run_bytes(text, sizeof text - 1, 0, &r);
    EXPECT_ERROR(r, 2, 11, "NUL byte | plain text");
}

HOST_TEST(mkimage, gen_elf_as_description)
{
    size_t len;
    char *elf = read_text(MKI_TEST_PROGS "/tiny-x86_64.elf", &len);
    CHECK(elf);
    mki_result_t r;
    mt_run_bytes(elf, len, 0, &r);
    free(elf);
    EXPECT_ERROR(r, 1, 1, "unexpected byte 0x7f | plain ASCII");
}

HOST_TEST(mkimage, gen_binary_junk_never_crashes)
{
    uint8_t junk[4096];
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (uint8_t)(x >> 16);
        }
        size_t len = 1 + x % sizeof junk;
        mki_result_t r;
        mt_run_bytes(junk, len, MT_GRAPH, &r);
        bool ok = r.status == 1 && r.diag.loc.line >= 1 && r.diag.message[0];
        mkimage_result_free(&r);
        CHECK_MSG(ok, "round %d: no positioned error", round);
    }
}

HOST_TEST(mkimage, gen_huge_input)
{
    size_t len = (4u << 20) + 100;
    char *text = malloc(len);
    CHECK(text);
    memset(text, ' ', len);
    memcpy(text, "system s;", 9);
    mki_result_t r;
    mt_run_bytes(text, len, 0, &r);
    free(text);
    EXPECT_ERROR(r, 1, 1, "larger than 4 MiB | modules");
}

HOST_TEST(mkimage, gen_huge_file)
{
    const char *path = mt_tmp("huge.mki");
    size_t len = (4u << 20) + 1;
    char *text = malloc(len);
    CHECK(text);
    memset(text, '\n', len);
    bool ok = mt_write(path, text, len);
    free(text);
    CHECK(ok);
    mki_options_t o = { .input = path };
    mki_result_t r;
    mkimage_run(&o, &r);
    EXPECT_ERROR(r, 1, 1, "larger than 4 MiB");
}

HOST_TEST(mkimage, gen_deep_parentheses)
{
    size_t depth = 100000, len = 32 + 2 * depth;
    char *text = malloc(len);
    CHECK(text);
    int n = snprintf(text, len, "system s;\nconst X = ");
    memset(text + n, '(', depth);
    text[n + depth] = 0;
    mki_result_t r;
    mt_run(text, 0, &r);
    free(text);
    EXPECT_ERROR(r, 2, 11 + 64, "nests more than 64 levels");
}

HOST_TEST(mkimage, gen_deep_tildes)
{
    char text[4096];
    int n = snprintf(text, sizeof text, "system s;\nconst X = ");
    memset(text + n, '~', 3000);
    snprintf(text + n + 3000, sizeof text - n - 3000, "1;\n");
    mki_result_t r;
    mt_run(text, 0, &r);
    EXPECT_ERROR(r, 2, 11 + 63, "nests more than 64 levels");
}

HOST_TEST(mkimage, gen_unterminated_string_at_eof)
{
    mki_result_t r;
    mt_run("system s;\nprocess p { program \"abc", 0, &r);
    EXPECT_ERROR(r, 2, 21, "unterminated string");
}

HOST_TEST(mkimage, gen_unterminated_comment_at_eof)
{
    mki_result_t r;
    mt_run("system s; /*", 0, &r);
    EXPECT_ERROR(r, 1, 11, "unterminated comment");
}

HOST_TEST(mkimage, gen_hex_without_digits)
{
    mki_result_t r;
    mt_run("system s;\nconst X = 0x;", 0, &r);
    EXPECT_ERROR(r, 2, 11, "no digits");
}

HOST_TEST(mkimage, gen_exponential_instances)
{
    char text[8192];
    int n = snprintf(text, sizeof text, "system s;\ndef d0() { endpoint e; }\n");
    for (int i = 1; i <= 24; i++)
        n += snprintf(text + n, sizeof text - n,
                      "def d%d() { instance a = d%d(); instance b = d%d(); }\n",
                      i, i - 1, i - 1);
    snprintf(text + n, sizeof text - n, "instance top = d24();\n");
    mki_result_t r;
    mt_run(text, 0, &r);
    bool limited = r.status == 1 &&
                   (strstr(r.diag.message, "more than 65536 instances") ||
                    strstr(r.diag.message, "more than 65536 objects"));
    char msg[300];
    snprintf(msg, sizeof msg, "%.250s", r.diag.message);
    mkimage_result_free(&r);
    CHECK_MSG(limited, "%s", msg);
}

HOST_TEST(mkimage, gen_too_many_objects)
{
    size_t cap = 70000 * 24;
    char *text = malloc(cap);
    CHECK(text);
    size_t n = (size_t)snprintf(text, cap, "system s;\n");
    for (int i = 0; i < 66000; i++)
        n += (size_t)snprintf(text + n, cap - n, "endpoint e%d;\n", i);
    mki_result_t r;
    mt_run(text, 0, &r);
    free(text);
    EXPECT_ERROR(r, 2 + 65536, 10, "more than 65536 objects");
}

static bool write_module(const char *name, const char *text)
{
    return mt_write(mt_tmp(name), text, strlen(text));
}

HOST_TEST(mkimage, gen_import_cycle)
{
    CHECK(system("mkdir -p " MKI_TEST_TMP "/cyc") == 0);
    CHECK(write_module("cyc/a.mki", "module cyc.a;\nimport cyc.b;\n"));
    CHECK(write_module("cyc/b.mki", "module cyc.b;\n\nimport cyc.a;\n"));
    CHECK(write_module("cycle.mki", "system s;\nimport cyc.a;\n"));
    mki_options_t o = { .input = mt_tmp("cycle.mki") };
    mki_result_t r;
    mkimage_run(&o, &r);
    bool right_file = r.status && strstr(r.diag.loc.file, "cyc/b.mki");
    CHECK(right_file || r.status == 0);
    EXPECT_ERROR(r, 3, 1, "import cycle: cyc.a -> cyc.b -> cyc.a | third module");
}

HOST_TEST(mkimage, gen_module_name_mismatch)
{
    CHECK(system("mkdir -p " MKI_TEST_TMP "/mm") == 0);
    CHECK(write_module("mm/x.mki", "module wrong.name;\n"));
    CHECK(write_module("mm.mki", "system s;\nimport mm.x;\n"));
    mki_options_t o = { .input = mt_tmp("mm.mki") };
    mki_result_t r;
    mkimage_run(&o, &r);
    EXPECT_ERROR(r, 1, 1, "imported as module 'mm.x' | write 'module mm.x;'");
}

HOST_TEST(mkimage, gen_missing_file)
{
    mki_options_t o = { .input = mt_tmp("does-not-exist.mki") };
    mki_result_t r;
    mkimage_run(&o, &r);
    bool ok = r.status == 1 && strstr(r.diag.message, "cannot read");
    mkimage_result_free(&r);
    CHECK(ok);
}

HOST_TEST(mkimage, gen_crlf_is_fine)
{
    mki_result_t r;
    mt_run("system s;\r\nendpoint a;\r\nendpoint b\r\n", 0, &r);
    EXPECT_ERROR(r, 3, 11, "expected ';'");
}
