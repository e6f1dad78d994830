/*
 * mkimage language tests: descriptions that must be accepted, and what
 * they mean, observed through the image (registers, payloads,
 * restrictions) read back with the validator's readers.
 */
#include "mki_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Build `text` into an image and open it; fails the test if either fails. */
#define BUILD(text, r, im)                                                    \
    do {                                                                      \
        mt_run((text), MT_IMAGE | MT_GRAPH, &(r));                            \
        CHECK_MSG((r).status == 0, "%s:%u:%u: %s", (r).diag.loc.file,         \
                  (r).diag.loc.line, (r).diag.loc.col, (r).diag.message);     \
        image_limits_t lim_ = mt_limits(IMG_ARCH_X86_64);                     \
        image_result_t v_;                                                    \
        CHECK_MSG(image_validate((r).image, (r).image_len, &lim_, &(im),      \
                                 &v_) == IMG_OK, "%s", v_.message);           \
    } while (0)

/* The index of the object named `name`, or IMG_NONE. */
static uint32_t find_object(const image_t *im, const char *name)
{
    for (uint32_t i = 0; i < im->count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(im, i, &o);
        if (strcmp(image_string(im, o.name), name) == 0)
            return i;
    }
    return IMG_NONE;
}

/* Register `reg` of the process named `name`. */
static bool process_reg(const image_t *im, const char *name, uint32_t reg,
                        image_cap_t *out, image_process_t *proc)
{
    uint32_t obj = find_object(im, name);
    if (obj == IMG_NONE)
        return false;
    image_object_t o;
    image_object(im, obj, &o);
    image_process(im, (uint32_t)o.a, proc);
    if (reg >= proc->nregs)
        return false;
    image_cap(im, proc->caps + 2 + reg, out);
    return true;
}

HOST_TEST(mkimage, lang_minimal)
{
    mki_result_t r;
    image_t im;
    BUILD("system tiny;\nprocess p { program \"tiny-x86_64.elf\"; }\n", r, im);
    CHECK_EQ(im.count[IMG_SEC_PROCESSES], 1);
    CHECK(strcmp(image_string(&im, im.name), "tiny") == 0);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_registers_and_payloads)
{
    mki_result_t r;
    image_t im;
    image_cap_t c;
    image_process_t p;
    BUILD("system s;\n"
          "endpoint pipe;\n"
          "process p {\n"
          "    program \"tiny-x86_64.elf\";\n"
          "    caps {\n"
          "        out = entry(pipe, 0x1234) no_call;  // register 8\n"
          "        log = log;                          // register 9\n"
          "        3 lg = log;\n"
          "        more = entry(pipe);                 // register 4\n"
          "        20 me = self;\n"
          "    }\n"
          "}\n", r, im);
    uint32_t pipe = find_object(&im, "pipe");
    CHECK(process_reg(&im, "p", 8, &c, &p));
    CHECK_EQ(c.type, CAP_ENTRY);
    CHECK_EQ(c.payload, 0x1234);
    CHECK_EQ(c.restr, RESTR_NO_CALL);
    CHECK_EQ(c.object, pipe);
    CHECK(process_reg(&im, "p", 9, &c, &p));
    CHECK_EQ(c.type, CAP_LOG);
    CHECK(process_reg(&im, "p", 3, &c, &p));
    CHECK_EQ(c.type, CAP_LOG);
    CHECK(process_reg(&im, "p", 4, &c, &p));
    CHECK_EQ(c.type, CAP_ENTRY);
    CHECK_EQ(c.payload, 0);
    CHECK(process_reg(&im, "p", 20, &c, &p));
    CHECK_EQ(c.type, CAP_PROCESS);
    CHECK_EQ(c.object, find_object(&im, "p"));
    CHECK_EQ(p.nregs, 21);
    CHECK(process_reg(&im, "p", 0, &c, &p));
    CHECK_EQ(c.type, CAP_NULL);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_constants_and_units)
{
    mki_result_t r;
    image_t im;
    image_process_t p;
    image_cap_t c;
    BUILD("system s;\n"
          "const A = 3;\n"
          "const B = (A + 1) * 2 << 4 | 0b1;   // 129\n"
          "const STACK = 8 KiB * 2;\n"
          "process p {\n"
          "    program \"tiny-x86_64.elf\";\n"
          "    priority B - 100;\n"
          "    stack STACK;\n"
          "    args B, 1 MiB, ~0;\n"
          "    caps { s = schedule(B % 100); }\n"
          "}\n", r, im);
    CHECK(process_reg(&im, "p", 8, &c, &p));
    CHECK_EQ(p.priority, 29);
    CHECK_EQ(p.args[0], 129);
    CHECK_EQ(p.args[1], 1 << 20);
    CHECK(p.args[2] == UINT64_MAX);
    CHECK_EQ(c.type, CAP_SCHEDULE);
    CHECK_EQ(c.payload, 29);
    /* 16 KiB of stack below sp, a guard page below it, and the IPC
     * buffer one guard page above sp. */
    char name[64];
    for (uint64_t va = p.sp - 16384; va < p.sp; va += 4096) {
        snprintf(name, sizeof name, "p@0x%llx", (unsigned long long)va);
        CHECK_MSG(find_object(&im, name) != IMG_NONE, "no stack page %s", name);
    }
    snprintf(name, sizeof name, "p@0x%llx", (unsigned long long)(p.sp - 16384 - 4096));
    CHECK(find_object(&im, name) == IMG_NONE);
    CHECK_EQ(p.ipc_buffer, p.sp + 4096);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_forward_references)
{
    mki_result_t r;
    image_t im;
    BUILD("system s;\n"
          "process p { program \"tiny-x86_64.elf\"; priority LATER;\n"
          "            caps { x = entry(ep); } }\n"
          "const LATER = 5;\n"
          "endpoint ep;\n", r, im);
    CHECK(find_object(&im, "ep") != IMG_NONE);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_definitions_instantiate_twice)
{
    mki_result_t r;
    image_t im;
    image_cap_t c;
    image_process_t p;
    BUILD("system s;\n"
          "endpoint server;\n"
          "def client(tag, prio) {\n"
          "    endpoint inbox;\n"
          "    process p { program \"tiny-x86_64.elf\"; priority prio;\n"
          "                caps { out = entry(server, tag); in = inbox; } }\n"
          "}\n"
          "instance a = client(1, 10);\n"
          "instance b = client(2, 20);\n"
          "process s { program \"tiny-x86_64.elf\";\n"
          "            caps { to_a = entry(a.inbox); to_b = entry(b.inbox); } }\n",
          r, im);
    CHECK(find_object(&im, "a.inbox") != IMG_NONE);
    CHECK(find_object(&im, "b.inbox") != IMG_NONE);
    CHECK(process_reg(&im, "a.p", 8, &c, &p));
    CHECK_EQ(c.payload, 1);
    CHECK_EQ(p.priority, 10);
    CHECK(process_reg(&im, "b.p", 8, &c, &p));
    CHECK_EQ(c.payload, 2);
    CHECK_EQ(p.priority, 20);
    CHECK(process_reg(&im, "s", 9, &c, &p));
    CHECK_EQ(c.object, find_object(&im, "b.inbox"));
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_nested_instances)
{
    mki_result_t r;
    image_t im;
    BUILD("system s;\n"
          "def leaf(n) { endpoint e; const N = n; }\n"
          "def pair() { instance l = leaf(1); instance r = leaf(2); }\n"
          "instance top = pair();\n"
          "process p { program \"tiny-x86_64.elf\";\n"
          "            args top.r.N; caps { x = entry(top.l.e); } }\n",
          r, im);
    CHECK(find_object(&im, "top.l.e") != IMG_NONE);
    CHECK(find_object(&im, "top.r.e") != IMG_NONE);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_imports_run_once)
{
    mki_result_t r;
    image_t im;
    image_cap_t c;
    image_process_t p;
    BUILD("system s;\n"
          "import lib.common;\n"
          "import lib.common as again;\n"
          "process p { program \"tiny-x86_64.elf\"; priority again.BANK_PRIO;\n"
          "            caps { l = common.shared_log_entry; } }\n", r, im);
    uint32_t n = 0;
    for (uint32_t i = 0; i < im.count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(&im, i, &o);
        n += strcmp(image_string(&im, o.name), "lib.common.shared_log") == 0;
    }
    CHECK_EQ(n, 1);
    CHECK(process_reg(&im, "p", 8, &c, &p));
    CHECK_EQ(c.payload, 7);
    CHECK_EQ(p.priority, 200);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_objects_and_flags)
{
    mki_result_t r;
    image_t im;
    image_object_t o;
    BUILD("system s;\n"
          "page_table_pool 96;\n"
          "untyped u size 64 KiB;\n"
          "device d at 0x1000_0000 size 8 KiB;\n"
          "notification n;\n"
          "irq i line 5 signals signal(n, 4);\n"
          "page pg;\n"
          "cappage cp { 2 = pg read_only; }\n"
          "gpt g { l2v 12; 1 = pg; keeper entry(ep); background g; }\n"
          "endpoint ep;\n"
          "process bank { program \"tiny-x86_64.elf\"; stopped;\n"
          "               caps { r = ram; u = u; d = d; i = i; c = cp; g = g; } }\n",
          r, im);
    CHECK_EQ(im.pool_frames, 96);
    image_object(&im, find_object(&im, "u"), &o);
    CHECK(o.type == OBJ_UNTYPED && o.a == 65536 && o.flags == 0);
    image_object(&im, find_object(&im, "d"), &o);
    CHECK(o.type == OBJ_UNTYPED && o.a == 8192 && o.b == 0x10000000 &&
          o.flags == IMG_OBJF_DEVICE);
    CHECK_EQ(im.count[IMG_SEC_DEVICES], 1);
    image_object(&im, find_object(&im, "cp"), &o);
    CHECK(o.type == OBJ_CAPPAGE && o.b == 3);
    image_object(&im, find_object(&im, "g"), &o);
    CHECK(o.type == OBJ_GPT && o.b == 12 &&
          o.flags == (IMG_OBJF_KEEPER | IMG_OBJF_BACKGROUND));
    image_object(&im, find_object(&im, "ram"), &o);
    CHECK(o.type == OBJ_CAPPAGE && o.flags == IMG_OBJF_RAM && o.b == 0);
    image_irq_t q;
    CHECK_EQ(im.count[IMG_SEC_IRQS], 1);
    image_irq(&im, 0, &q);
    CHECK(q.line == 5 && q.bits == 4 && q.notify == find_object(&im, "n"));
    image_process_t p;
    image_cap_t c;
    CHECK(process_reg(&im, "bank", 11, &c, &p));
    CHECK(c.type == CAP_IRQ_HANDLER && c.payload == 5);
    CHECK_EQ(p.flags & IMG_PROCF_RUN, 0);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_guard_and_restrictions)
{
    mki_result_t r;
    image_t im;
    image_cap_t c;
    image_process_t p;
    BUILD("system s;\n"
          "page pg;\n"
          "gpt g { l2v 16; }\n"
          "gpt huge { l2v 62; }\n"
          "process p { program \"tiny-x86_64.elf\";\n"
          "  caps { a = guard(pg, 5, 20) read_only; b = g weak;\n"
          "         c = g opaque no_call no_execute; d = huge; } }\n", r, im);
    CHECK(process_reg(&im, "p", 8, &c, &p));
    CHECK(c.type == CAP_PAGE && c.l2g == 20 && c.payload == 5 &&
          c.restr == RESTR_READ_ONLY);
    CHECK(process_reg(&im, "p", 9, &c, &p));
    CHECK(c.type == CAP_GPT && c.l2g == 20 &&
          c.restr == (RESTR_WEAK | RESTR_READ_ONLY));
    CHECK(process_reg(&im, "p", 10, &c, &p));
    CHECK_EQ(c.restr, RESTR_OPAQUE | RESTR_NO_CALL | RESTR_NO_EXECUTE);
    CHECK(process_reg(&im, "p", 11, &c, &p));
    CHECK(c.type == CAP_GPT && c.l2g == 64 && c.payload == 0);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_keywords_usable_as_names)
{
    mki_result_t r;
    image_t im;
    BUILD("system s;\n"
          "endpoint caps;\nendpoint program;\nendpoint size;\n"
          "process map { program \"tiny-x86_64.elf\";\n"
          "              caps { a = entry(caps); b = entry(size); } }\n",
          r, im);
    CHECK(find_object(&im, "map") != IMG_NONE);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_features_file)
{
    mki_result_t r;
    mt_run_file("good/features.mki", MT_IMAGE, &r);
    CHECK_MSG(r.status == 0, "%s", r.diag.message);
    image_limits_t lim = mt_limits(IMG_ARCH_X86_64);
    CHECK(image_validate(r.image, r.image_len, &lim, NULL, NULL) == IMG_OK);
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, lang_warning_for_writable_code)
{
    static uint8_t elf[1 << 16];
    static const uint8_t code[16] = { 0x90 };
    mt_seg_t seg = { 1, 1 | 2 | 4, 0x400000, 0x1000, code, sizeof code };
    size_t n = mt_elf(elf, 62, 0x400000, &seg, 1);
    CHECK(mt_write(MKI_TEST_PROGS "/wx.elf", elf, n));
    mki_result_t r;
    mt_run("system s;\nprocess p { program \"wx.elf\"; }\n", MT_IMAGE, &r);
    bool ok = r.status == 0 && r.warnings == 1;
    mkimage_result_free(&r);
    CHECK(ok);
}
