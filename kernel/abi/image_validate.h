/*
 * The boot image validator, shared by mkimage (host) and the kernel
 * (freestanding): it uses <stdint.h>, <stddef.h>, <stdbool.h> and
 * kernel/abi/ only, allocates nothing, never writes to the image and
 * never reads outside [image, image + size).
 *
 * Kernel use:
 *   image_limits_t lim = { .arch = IMG_ARCH_X86_64, .cap_registers = ...,
 *                          .cappage_slots = ..., .max_priority = ...,
 *                          .irq_lines = ..., .user_top = ... };
 *   image_t im;
 *   image_result_t r;
 *   if (image_validate(module_base, module_size, &lim, &im, &r) != IMG_OK)
 *       panic("boot image: %s (offset %u, record %u)",
 *             r.message, r.offset, r.index);
 *   then read records with image_object(&im, i, &o), image_cap(...), ...
 *
 * After IMG_OK every cross-reference in the image has been checked, so
 * the readers below need no further checks: indices are in range,
 * capabilities name objects of the right type, owners' capability blocks
 * are consecutive and in object order, page data is in range and every
 * name is a NUL-terminated string inside the image.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/image_format.h"

/* The kernel's own constants, against which the image is checked. */
typedef struct {
    uint16_t arch;            /* IMG_ARCH_* of this kernel */
    uint32_t cap_registers;   /* capability registers per process */
    uint32_t cappage_slots;   /* capabilities per CapPage */
    uint32_t max_priority;    /* highest priority */
    uint32_t irq_lines;       /* interrupt lines are below this */
    uint64_t user_top;        /* user addresses are below this; 0: no check */
} image_limits_t;

/* Every way an image can be refused: IMG_ERROR(NAME, "message") */
#define IMG_ERRORS(X)                                                          \
    X(OK,               "image is valid")                                      \
    X(TOO_SMALL,        "image is smaller than its header")                    \
    X(MAGIC,            "bad magic: not a Cairn boot image")                   \
    X(VERSION,          "unsupported image format version")                    \
    X(ARCH,             "image is built for another architecture")             \
    X(HEADER,           "header size, flags or reserved bytes invalid")        \
    X(TOTAL_SIZE,       "total size larger than the bytes provided")           \
    X(CHECKSUM,         "checksum mismatch: the image is corrupt")             \
    X(SECTION_TABLE,    "section table out of bounds, misaligned or too long") \
    X(SECTION_KIND,     "unknown or duplicate section kind")                   \
    X(SECTION_BOUNDS,   "section out of bounds or misaligned")                 \
    X(SECTION_LENGTH,    "section size is not its count times its entry size")  \
    X(SECTION_OVERLAP,  "sections overlap each other or the header")           \
    X(SECTION_MISSING,  "a required section is missing")                       \
    X(STRING,           "string offset out of range, or strings not terminated") \
    X(OBJECT_TYPE,      "object of unknown type")                              \
    X(OBJECT_FIELDS,    "object flags or fields invalid for its type")         \
    X(UNTYPED_SIZE,     "untyped size not a power of two of at least a page")  \
    X(DEVICE_RANGE,     "device memory outside every device region")           \
    X(PAGE_DATA,        "page data offset out of range or out of order")       \
    X(CAPPAGE_SLOTS,    "cappage holds more capabilities than a cappage has")  \
    X(RAM_CAPPAGE,      "more than one remaining-RAM cappage, or it has slots") \
    X(GPT_L2V,          "gpt l2v out of range")                                \
    X(GPT_FLAGS,        "gpt keeper or background slot holds the wrong capability") \
    X(CAP_ORDER,        "capability blocks not consecutive in object order")   \
    X(CAP_TYPE,         "capability of unknown type, or a reply capability")   \
    X(CAP_RESTR,        "capability has unknown restriction bits")             \
    X(CAP_OBJECT,       "capability names a missing object or one of the wrong type") \
    X(CAP_FIELDS,       "capability l2g, guard, payload or reserved field invalid") \
    X(PROCESS_OBJECT,   "process record and process object do not match")    \
    X(PROCESS_REGS,     "process has more capability registers than the kernel") \
    X(PROCESS_PRIORITY, "process priority above the kernel's highest")         \
    X(PROCESS_SPACE,    "process address space or keeper of the wrong type")   \
    X(PROCESS_ADDRESS,  "process entry, stack or IPC buffer outside user space") \
    X(PROCESS_FIELDS,   "process flags or reserved bytes invalid")             \
    X(IRQ_LINE,         "irq line out of range, repeated or out of order")     \
    X(IRQ_NOTIFY,       "irq signals an object that is not a notification")    \
    X(IRQ_BITS,         "irq names a notification but no bits to signal")      \
    X(DEVICE_REGION,    "device region empty, misaligned, wrapping or out of order")

typedef enum {
#define IMG_ERROR_ENUM(name, text) IMG_##name,
    IMG_ERRORS(IMG_ERROR_ENUM)
#undef IMG_ERROR_ENUM
    IMG_ERROR_COUNT
} image_error_t;

typedef struct {
    image_error_t code;
    uint32_t offset;       /* byte offset of the offending field */
    uint32_t index;        /* record index in its section, or IMG_NONE */
    const char *message;   /* static text naming the problem */
} image_result_t;

/* A validated image: where its sections are. Filled by image_validate. */
typedef struct {
    const uint8_t *base;
    uint32_t size;                 /* header total size */
    uint16_t arch;
    uint32_t name;                 /* string offset of the system's name */
    uint32_t pool_frames;          /* page-table cache frames; 0: default */
    uint32_t off[IMG_SEC_KIND_MAX + 1];    /* section offsets (0: absent) */
    uint32_t count[IMG_SEC_KIND_MAX + 1];  /* section record counts */
} image_t;

/*
 * Check every field of the image of `size` bytes at `img`. Returns IMG_OK
 * and fills *im, or the first problem found, described in *res (which
 * may be NULL). `im` may be NULL when only the verdict is wanted.
 */
image_error_t image_validate(const uint8_t *img, size_t size,
                             const image_limits_t *lim, image_t *im,
                             image_result_t *res);

const char *image_error_message(image_error_t e);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of n bytes. */
uint32_t image_crc32(const uint8_t *p, size_t n);

/* ---- Readers for a validated image --------------------------------------- */

typedef struct {
    uint8_t type, flags;     /* obj_type_t, IMG_OBJF_* */
    uint32_t name;
    uint64_t a, b;           /* see image_format.h */
} image_object_t;

typedef struct {
    uint8_t type, restr, l2g;
    uint32_t payload;
    uint32_t object;         /* index, or IMG_NONE */
} image_cap_t;

typedef struct {
    uint32_t object, caps, nregs, priority, flags;
    uint64_t pc, sp, ipc_buffer;
    uint64_t args[IMG_PROC_ARGS];
} image_process_t;

typedef struct {
    uint32_t line, notify, bits, name;
} image_irq_t;

typedef struct {
    uint64_t base, size;
    uint32_t name;
} image_device_t;

void image_object(const image_t *im, uint32_t i, image_object_t *out);
void image_cap(const image_t *im, uint32_t i, image_cap_t *out);
void image_process(const image_t *im, uint32_t i, image_process_t *out);
void image_irq(const image_t *im, uint32_t i, image_irq_t *out);
void image_device(const image_t *im, uint32_t i, image_device_t *out);
/* A name: a NUL-terminated string inside the image. */
const char *image_string(const image_t *im, uint32_t offset);
/* The 4 KiB of contents of a PAGE object with IMG_OBJF_DATA. */
const uint8_t *image_page_data(const image_t *im, uint64_t data_offset);
