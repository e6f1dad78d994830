/*
 * Tests of the boot image validator (kernel/abi/image_validate.c, the file
 * the kernel compiles): a good image passes; every corruption is refused
 * with the right error, whether or not the checksum is recomputed to
 * let it through to the structural checks; no corruption crashes it.
 */
#include "mki_test.h"

#include <stdlib.h>
#include <string.h>

static const char every_kind[] =
    "system v;\n"
    "page_table_pool 8;\n"
    "endpoint ep;\n"                            /* object 0 */
    "notification n;\n"                         /* 1 */
    "page pg;\n"                                /* 2 */
    "untyped u size 8 KiB;\n"                   /* 3 */
    "device d at 0x1000_0000 size 4 KiB;\n"     /* 4 */
    "irq i line 3 signals signal(n, 1);\n"
    "cappage cp { 1 = entry(ep, 3); }\n"        /* 5 */
    "gpt g { l2v 12; 0 = pg; }\n"               /* 6 */
    "process p { program \"v.elf\"; priority 9;\n"   /* 7 */
    "  caps { e = entry(ep); i = i; c = cp; g = g; u = u; d = d; }\n"
    "  map d at 0x5000_0000; }\n";

enum { OBJ_EP, OBJ_N, OBJ_PG, OBJ_U, OBJ_D, OBJ_CP, OBJ_G, OBJ_P };

typedef struct {
    uint8_t *img;
    size_t len;
    image_t im;
} fixture_t;

static bool fixture(fixture_t *f)
{
    static uint8_t elf[1 << 16];
    static const uint8_t code[32] = { 0xf4 };
    mt_seg_t seg = { 1, 4 | 1, 0x400000, 0x1000, code, sizeof code };
    size_t n = mt_elf(elf, 62, 0x400000, &seg, 1);
    if (!mt_write(MKI_TEST_PROGS "/v.elf", elf, n))
        return false;
    mki_result_t r;
    mt_run(every_kind, MT_IMAGE, &r);
    if (r.status)
        return false;
    f->img = r.image;
    f->len = r.image_len;
    image_limits_t lim = mt_limits(IMG_ARCH_X86_64);
    return image_validate(f->img, f->len, &lim, &f->im, NULL) == IMG_OK;
}

static image_error_t verdict(const uint8_t *img, size_t len)
{
    image_limits_t lim = mt_limits(IMG_ARCH_X86_64);
    return image_validate(img, len, &lim, NULL, NULL);
}

/* Address of field `off` of record `i` of section `kind`. */
static uint8_t *field(fixture_t *f, unsigned kind, uint32_t i, unsigned entsize,
                      unsigned off)
{
    return f->img + f->im.off[kind] + (size_t)i * entsize + off;
}

#define OBJ(f, i, off) field(f, IMG_SEC_OBJECTS, i, IMG_OBJECT_SIZE, off)
#define CAP(f, i, off) field(f, IMG_SEC_CAPS, i, IMG_CAP_SIZE, off)
#define PROC(f, i, off) field(f, IMG_SEC_PROCESSES, i, IMG_PROCESS_SIZE, off)

/* Apply a change, fix the checksum, expect `want`; restore. */
#define EXPECT_AFTER(f, ptr, value, width, want)                              \
    do {                                                                      \
        uint8_t save_[8];                                                     \
        memcpy(save_, (ptr), width);                                          \
        if ((width) == 1) *(ptr) = (uint8_t)(value);                          \
        else if ((width) == 4) mt_wr32((ptr), (uint32_t)(value));             \
        else mt_wr64((ptr), (uint64_t)(value));                               \
        mt_fix_crc((f)->img, (f)->len);                                       \
        image_error_t got_ = verdict((f)->img, (f)->len);                     \
        memcpy((ptr), save_, width);                                          \
        mt_fix_crc((f)->img, (f)->len);                                       \
        CHECK_MSG(got_ == (want), "%s:%d: got '%s', want '%s'", __FILE__,     \
                  __LINE__, image_error_message(got_),                        \
                  image_error_message(want));                                 \
    } while (0)

HOST_TEST(mkimage, validate_good_image)
{
    fixture_t f;
    CHECK(fixture(&f));
    CHECK_EQ(f.im.pool_frames, 8);
    CHECK_EQ(f.im.count[IMG_SEC_IRQS], 1);
    CHECK_EQ(f.im.count[IMG_SEC_DEVICES], 1);
    CHECK_EQ(f.im.count[IMG_SEC_PROCESSES], 1);
    image_object_t o;
    image_object(&f.im, OBJ_P, &o);
    CHECK_EQ(o.type, OBJ_PROCESS);
    CHECK(strcmp(image_string(&f.im, o.name), "p") == 0);
    image_process_t p;
    image_process(&f.im, 0, &p);
    CHECK(p.priority == 9 && p.pc == 0x400000 && p.object == OBJ_P);
    /* A larger buffer (a loader's padding) is fine. */
    uint8_t *padded = calloc(1, f.len + 4096);
    CHECK(padded);
    memcpy(padded, f.img, f.len);
    image_error_t e = verdict(padded, f.len + 4096);
    free(padded);
    free(f.img);
    CHECK_EQ(e, IMG_OK);
}

HOST_TEST(mkimage, validate_truncated)
{
    fixture_t f;
    CHECK(fixture(&f));
    for (size_t len = 0; len < f.len; len += len < 256 ? 1 : 509) {
        image_error_t e = verdict(f.img, len);
        if (e == IMG_OK) {
            free(f.img);
            CHECK_MSG(false, "accepted at %zu bytes", len);
        }
    }
    CHECK_EQ(image_validate(NULL, 0, &(image_limits_t){ 0 }, NULL, NULL),
             IMG_TOO_SMALL);
    free(f.img);
}

HOST_TEST(mkimage, validate_every_flipped_byte)
{
    /* Without a new checksum, no single changed byte gets through. */
    fixture_t f;
    CHECK(fixture(&f));
    for (size_t i = 0; i < f.len; i += i < 4096 ? 1 : 97) {
        f.img[i] ^= 0x40;
        image_error_t e = verdict(f.img, f.len);
        f.img[i] ^= 0x40;
        if (e == IMG_OK) {
            free(f.img);
            CHECK_MSG(false, "byte %zu flipped was accepted", i);
        }
    }
    free(f.img);
}

HOST_TEST(mkimage, validate_flips_with_checksum_never_crash)
{
    /* With the checksum fixed, the structure is all that stands between
     * a corrupt image and the kernel: flip every bit of every metadata
     * byte and check that the validator answers (ASan checks it reads
     * nothing outside the image). */
    fixture_t f;
    CHECK(fixture(&f));
    size_t meta = f.im.off[IMG_SEC_DATA] ? f.im.off[IMG_SEC_DATA] : f.len;
    unsigned refused = 0, total = 0;
    for (size_t i = 0; i < meta; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            f.img[i] ^= (uint8_t)(1 << bit);
            mt_fix_crc(f.img, f.len);
            refused += verdict(f.img, f.len) != IMG_OK;
            total++;
            f.img[i] ^= (uint8_t)(1 << bit);
        }
    mt_fix_crc(f.img, f.len);
    free(f.img);
    /* Names, payloads and start arguments may change harmlessly. */
    CHECK_MSG(refused * 3 > total, "only %u of %u refused", refused, total);
}

HOST_TEST(mkimage, validate_header_fields)
{
    fixture_t f;
    CHECK(fixture(&f));
    uint8_t *h = f.img;
    EXPECT_AFTER(&f, h + 0, 'X', 1, IMG_MAGIC);
    EXPECT_AFTER(&f, h + IMG_OFF_VERSION_MAJOR, 2, 1, IMG_VERSION);
    EXPECT_AFTER(&f, h + IMG_OFF_ARCH, IMG_ARCH_RISCV64, 1, IMG_ARCH);
    EXPECT_AFTER(&f, h + IMG_OFF_HEADER_SIZE, 63, 1, IMG_HEADER);
    EXPECT_AFTER(&f, h + IMG_OFF_FLAGS, 1, 4, IMG_HEADER);
    EXPECT_AFTER(&f, h + 60, 1, 1, IMG_HEADER);
    EXPECT_AFTER(&f, h + IMG_OFF_TOTAL_SIZE, f.len + 1, 4, IMG_TOTAL_SIZE);
    EXPECT_AFTER(&f, h + IMG_OFF_TOTAL_SIZE, 10, 4, IMG_TOTAL_SIZE);
    EXPECT_AFTER(&f, h + IMG_OFF_SECTAB, 0xfffffff0u, 4, IMG_SECTION_TABLE);
    EXPECT_AFTER(&f, h + IMG_OFF_SECTAB, 8, 4, IMG_SECTION_TABLE);
    EXPECT_AFTER(&f, h + IMG_OFF_SECCOUNT, 100, 4, IMG_SECTION_TABLE);
    EXPECT_AFTER(&f, h + IMG_OFF_SECCOUNT, 2, 4, IMG_SECTION_MISSING);
    EXPECT_AFTER(&f, h + IMG_OFF_NAME, 0xffffff, 4, IMG_STRING);
    /* The checksum itself. */
    h[IMG_OFF_CHECKSUM] ^= 1;
    image_error_t e = verdict(f.img, f.len);
    h[IMG_OFF_CHECKSUM] ^= 1;
    free(f.img);
    CHECK_EQ(e, IMG_CHECKSUM);
}

HOST_TEST(mkimage, validate_section_table)
{
    fixture_t f;
    CHECK(fixture(&f));
    uint8_t *t = f.img + mt_rd32(f.img + IMG_OFF_SECTAB);
    uint8_t *second = t + IMG_SECTION_SIZE;
    EXPECT_AFTER(&f, t + IMG_SEC_OFF_KIND, 99, 4, IMG_SECTION_KIND);
    EXPECT_AFTER(&f, second + IMG_SEC_OFF_KIND, mt_rd32(t), 4, IMG_SECTION_KIND);
    EXPECT_AFTER(&f, t + 20, 1, 4, IMG_SECTION_KIND);
    EXPECT_AFTER(&f, t + IMG_SEC_OFF_OFFSET, f.len, 4, IMG_SECTION_BOUNDS);
    EXPECT_AFTER(&f, t + IMG_SEC_OFF_OFFSET, mt_rd32(t + 4) + 1, 4,
                 IMG_SECTION_BOUNDS);
    EXPECT_AFTER(&f, t + IMG_SEC_OFF_OFFSET, 0, 4, IMG_SECTION_BOUNDS);
    EXPECT_AFTER(&f, t + IMG_SEC_OFF_SIZE, 0xfffffff0u, 4, IMG_SECTION_BOUNDS);
    EXPECT_AFTER(&f, second + IMG_SEC_OFF_COUNT, 0x7fffffff, 4,
                 IMG_SECTION_LENGTH);
    EXPECT_AFTER(&f, second + IMG_SEC_OFF_ENTSIZE, 1, 4, IMG_SECTION_LENGTH);
    /* Point the objects at the strings: an overlap. */
    EXPECT_AFTER(&f, second + IMG_SEC_OFF_OFFSET, mt_rd32(t + 4), 4,
                 IMG_SECTION_OVERLAP);
    free(f.img);
}

HOST_TEST(mkimage, validate_objects)
{
    fixture_t f;
    CHECK(fixture(&f));
    EXPECT_AFTER(&f, OBJ(&f, OBJ_EP, IMG_OBJ_OFF_TYPE), 0, 1, IMG_OBJECT_TYPE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_EP, IMG_OBJ_OFF_TYPE), 9, 1, IMG_OBJECT_TYPE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_EP, IMG_OBJ_OFF_FLAGS), 1, 1, IMG_OBJECT_FIELDS);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_EP, 2), 1, 1, IMG_OBJECT_FIELDS);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_EP, IMG_OBJ_OFF_NAME), 1u << 30, 4, IMG_STRING);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_U, IMG_OBJ_OFF_A), 3000, 8, IMG_UNTYPED_SIZE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_U, IMG_OBJ_OFF_A), 0, 8, IMG_UNTYPED_SIZE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_D, IMG_OBJ_OFF_B), 0x20000000, 8,
                 IMG_DEVICE_RANGE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_PG, IMG_OBJ_OFF_FLAGS), IMG_OBJF_DATA, 1,
                 IMG_PAGE_DATA);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_PG, IMG_OBJ_OFF_FLAGS), IMG_OBJF_DEVICE, 1,
                 IMG_DEVICE_RANGE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_CP, IMG_OBJ_OFF_A), 1, 8, IMG_CAP_ORDER);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_CP, IMG_OBJ_OFF_B), 1000, 8, IMG_CAPPAGE_SLOTS);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_CP, IMG_OBJ_OFF_FLAGS), IMG_OBJF_RAM, 1,
                 IMG_RAM_CAPPAGE);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_G, IMG_OBJ_OFF_B), 3, 8, IMG_GPT_L2V);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_G, IMG_OBJ_OFF_FLAGS), IMG_OBJF_KEEPER, 1,
                 IMG_GPT_FLAGS);
    EXPECT_AFTER(&f, OBJ(&f, OBJ_P, IMG_OBJ_OFF_A), 1, 8, IMG_PROCESS_OBJECT);
    free(f.img);
}

HOST_TEST(mkimage, validate_page_data_order)
{
    fixture_t f;
    CHECK(fixture(&f));
    uint32_t data_page = IMG_NONE;
    for (uint32_t i = 0; i < f.im.count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(&f.im, i, &o);
        if (o.type == OBJ_PAGE && (o.flags & IMG_OBJF_DATA))
            data_page = i;
    }
    CHECK(data_page != IMG_NONE);
    EXPECT_AFTER(&f, OBJ(&f, data_page, IMG_OBJ_OFF_A), 4096, 8, IMG_PAGE_DATA);
    EXPECT_AFTER(&f, OBJ(&f, data_page, IMG_OBJ_OFF_FLAGS), 0, 1,
                 IMG_PAGE_DATA);
    free(f.img);
}

HOST_TEST(mkimage, validate_capabilities)
{
    fixture_t f;
    CHECK(fixture(&f));
    /* Cap 1 is the cappage's slot 1: entry(ep, 3). */
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_TYPE), 200, 1, IMG_CAP_TYPE);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_TYPE), CAP_REPLY, 1, IMG_CAP_TYPE);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_RESTR), 0x80, 1, IMG_CAP_RESTR);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_OBJECT), 1u << 30, 4, IMG_CAP_OBJECT);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_OBJECT), OBJ_N, 4, IMG_CAP_OBJECT);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_OBJECT), IMG_NONE, 4, IMG_CAP_OBJECT);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_L2G), 12, 1, IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, 1, IMG_CAP_OFF_FLAGS), 1, 1, IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, 1, 12), 1, 1, IMG_CAP_FIELDS);
    /* Cap 0 is the cappage's empty slot 0: a Null with anything is bad. */
    EXPECT_AFTER(&f, CAP(&f, 0, IMG_CAP_OFF_RESTR), RESTR_READ_ONLY, 1,
                 IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, 0, IMG_CAP_OFF_PAYLOAD), 5, 4, IMG_CAP_FIELDS);
    /* The gpt's slot 0 is page pg: its l2g and guard are checked. */
    uint32_t g0 = (uint32_t)(f.im.count[IMG_SEC_CAPS] ? 2 : 0);
    EXPECT_AFTER(&f, CAP(&f, g0, IMG_CAP_OFF_L2G), 11, 1, IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, g0, IMG_CAP_OFF_L2G), 65, 1, IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, g0, IMG_CAP_OFF_L2G), 64, 1, IMG_OK);
    EXPECT_AFTER(&f, CAP(&f, g0, IMG_CAP_OFF_PAYLOAD), 1, 4, IMG_OK);
    EXPECT_AFTER(&f, CAP(&f, g0, IMG_CAP_OFF_L2G), 63, 1, IMG_OK);
    free(f.img);
}

HOST_TEST(mkimage, validate_guard_above_bit_63)
{
    fixture_t f;
    CHECK(fixture(&f));
    mt_wr32(CAP(&f, 2, IMG_CAP_OFF_PAYLOAD), 4);
    EXPECT_AFTER(&f, CAP(&f, 2, IMG_CAP_OFF_L2G), 62, 1, IMG_CAP_FIELDS);
    EXPECT_AFTER(&f, CAP(&f, 2, IMG_CAP_OFF_L2G), 61, 1, IMG_OK);
    free(f.img);
}

HOST_TEST(mkimage, validate_processes)
{
    fixture_t f;
    CHECK(fixture(&f));
    image_process_t p;
    image_process(&f.im, 0, &p);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_OBJECT), OBJ_EP, 4,
                 IMG_PROCESS_OBJECT);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_NREGS), 33, 4, IMG_PROCESS_REGS);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_NREGS), 1u << 31, 4,
                 IMG_PROCESS_REGS);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_NREGS), p.nregs - 1, 4,
                 IMG_CAP_ORDER);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_CAPS), p.caps + 1, 4,
                 IMG_CAP_ORDER);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_PRIORITY), 256, 4,
                 IMG_PROCESS_PRIORITY);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_FLAGS), 2, 4, IMG_PROCESS_FIELDS);
    EXPECT_AFTER(&f, PROC(&f, 0, 20), 1, 4, IMG_PROCESS_FIELDS);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_PC), 1ull << 50, 8,
                 IMG_PROCESS_ADDRESS);
    EXPECT_AFTER(&f, PROC(&f, 0, IMG_PROC_OFF_IPCBUF), p.ipc_buffer + 8, 8,
                 IMG_PROCESS_ADDRESS);
    /* Register 0 must stay Null; the space must be a memory capability. */
    EXPECT_AFTER(&f, CAP(&f, p.caps + 2, IMG_CAP_OFF_TYPE), CAP_LOG, 1,
                 IMG_PROCESS_REGS);
    EXPECT_AFTER(&f, CAP(&f, p.caps, IMG_CAP_OFF_TYPE), CAP_LOG, 1,
                 IMG_CAP_OBJECT);
    /* A well-formed capability of the wrong type in the space slot. */
    uint8_t *space = CAP(&f, p.caps, 0), saved[16];
    memcpy(saved, space, 16);
    memset(space, 0, 16);
    space[IMG_CAP_OFF_TYPE] = CAP_ENTRY;
    mt_wr32(space + IMG_CAP_OFF_OBJECT, OBJ_EP);
    mt_fix_crc(f.img, f.len);
    image_error_t e = verdict(f.img, f.len);
    memcpy(space, saved, 16);
    free(f.img);
    CHECK_EQ(e, IMG_PROCESS_SPACE);
}

HOST_TEST(mkimage, validate_irqs_and_devices)
{
    fixture_t f;
    CHECK(fixture(&f));
    uint8_t *q = field(&f, IMG_SEC_IRQS, 0, IMG_IRQ_SIZE, 0);
    EXPECT_AFTER(&f, q + IMG_IRQ_OFF_LINE, 64, 4, IMG_IRQ_LINE);
    EXPECT_AFTER(&f, q + IMG_IRQ_OFF_NOTIFY, OBJ_EP, 4, IMG_IRQ_NOTIFY);
    EXPECT_AFTER(&f, q + IMG_IRQ_OFF_NOTIFY, 1u << 30, 4, IMG_IRQ_NOTIFY);
    EXPECT_AFTER(&f, q + IMG_IRQ_OFF_NAME, 1u << 30, 4, IMG_STRING);
    EXPECT_AFTER(&f, q + IMG_IRQ_OFF_BITS, 0, 4, IMG_IRQ_BITS);
    uint8_t *d = field(&f, IMG_SEC_DEVICES, 0, IMG_DEVICE_SIZE, 0);
    EXPECT_AFTER(&f, d + IMG_DEV_OFF_BASE, 0x10000010, 8, IMG_DEVICE_REGION);
    EXPECT_AFTER(&f, d + IMG_DEV_OFF_SIZE, 0, 8, IMG_DEVICE_REGION);
    EXPECT_AFTER(&f, d + IMG_DEV_OFF_BASE, ~0ull & ~0xfffull, 8,
                 IMG_DEVICE_REGION);
    /* An irq capability must name a declared line. */
    image_process_t p;
    image_process(&f.im, 0, &p);
    EXPECT_AFTER(&f, CAP(&f, p.caps + 2 + 9, IMG_CAP_OFF_PAYLOAD), 4, 4,
                 IMG_CAP_FIELDS);
    free(f.img);
}

HOST_TEST(mkimage, validate_limits_from_the_kernel)
{
    fixture_t f;
    CHECK(fixture(&f));
    image_limits_t lim = mt_limits(IMG_ARCH_X86_64);
    lim.irq_lines = 3;
    image_error_t a = image_validate(f.img, f.len, &lim, NULL, NULL);
    lim = mt_limits(IMG_ARCH_X86_64);
    lim.cap_registers = 8;
    image_error_t b = image_validate(f.img, f.len, &lim, NULL, NULL);
    lim = mt_limits(IMG_ARCH_X86_64);
    lim.max_priority = 8;
    image_error_t c = image_validate(f.img, f.len, &lim, NULL, NULL);
    lim = mt_limits(IMG_ARCH_X86_64);
    lim.user_top = 0x400000;
    image_error_t d = image_validate(f.img, f.len, &lim, NULL, NULL);
    free(f.img);
    CHECK_EQ(a, IMG_IRQ_LINE);
    CHECK_EQ(b, IMG_PROCESS_REGS);
    CHECK_EQ(c, IMG_PROCESS_PRIORITY);
    CHECK_EQ(d, IMG_PROCESS_ADDRESS);
}

HOST_TEST(mkimage, validate_result_names_the_field)
{
    fixture_t f;
    CHECK(fixture(&f));
    uint8_t *p = OBJ(&f, OBJ_G, IMG_OBJ_OFF_B);
    mt_wr64(p, 3);
    mt_fix_crc(f.img, f.len);
    image_limits_t lim = mt_limits(IMG_ARCH_X86_64);
    image_result_t r;
    size_t off = (size_t)(p - f.img);
    image_error_t e = image_validate(f.img, f.len, &lim, NULL, &r);
    free(f.img);
    CHECK_EQ(e, IMG_GPT_L2V);
    CHECK_EQ(r.code, IMG_GPT_L2V);
    CHECK_EQ(r.index, OBJ_G);
    CHECK_EQ(r.offset, off);
    CHECK(strstr(r.message, "l2v"));
}

HOST_TEST(mkimage, validate_crc32_known_value)
{
    /* The standard check value of CRC-32 (IEEE): "123456789". */
    CHECK_EQ(image_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
}
