/*
 * The multiboot2 protocol (GRUB): %eax = 0x36d76289 and %ebx = the
 * physical address of the information structure, an 8-byte total size
 * and reserved word followed by 8-byte-aligned tags, ending with a tag of
 * type 0. Every tag's size is checked against the space left before it
 * is read; a malformed tag ends the walk with a note.
 */
#include "loader.h"

#include <stdbool.h>

#include "console.h"

#define MB2_BOOT_MAGIC 0x36d76289u

enum {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_LOADER_NAME = 2,
    TAG_MODULE = 3,
    TAG_MMAP = 6,
};

#define TAG_HEADER 8u             /* u32 type, u32 size */
#define MODULE_TAG_MIN 16u        /* header, u32 start, u32 end */
#define MMAP_TAG_HEADER 16u       /* header, u32 entry_size, u32 version */
#define MMAP_ENTRY_MIN 24u        /* u64 base, u64 length, u32 type, u32 0 */
#define INFO_MAX (1u << 20)       /* far more than any real loader needs */

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static void mb2_read_module(const uint8_t *tag, uint32_t size, boot_info_t *bi)
{
    if (size < MODULE_TAG_MIN) {
        con_printf("x86_64: multiboot2 module tag too small (%u bytes)\n", size);
        return;
    }
    uint32_t start = rd32(tag + 8), end = rd32(tag + 12);
    if (end < start) {
        con_printf("x86_64: multiboot2 module ends (%x) before it starts "
                   "(%x); ignored\n", end, start);
        return;
    }
    loader_add_module(bi, start, end - start);
}

static void mb2_read_mmap(const uint8_t *tag, uint32_t size, boot_info_t *bi)
{
    uint32_t entry_size = size >= MMAP_TAG_HEADER ? rd32(tag + 8) : 0;
    if (entry_size < MMAP_ENTRY_MIN || entry_size % 8 != 0) {
        con_printf("x86_64: multiboot2 memory map has entry size %u; "
                   "ignored\n", entry_size);
        return;
    }
    for (uint32_t off = MMAP_TAG_HEADER; size - off >= entry_size;
         off += entry_size) {
        const uint8_t *e = tag + off;
        loader_add_region(bi, rd64(e), rd64(e + 8), rd32(e + 16));
    }
}

static void mb2_read_tag(const uint8_t *tag, uint32_t type, uint32_t size,
                         boot_info_t *bi)
{
    switch (type) {
    case TAG_CMDLINE:
        loader_copy_cmdline(bi, (const char *)tag + TAG_HEADER, size - TAG_HEADER);
        break;
    case TAG_LOADER_NAME:
        con_printf("x86_64: multiboot2 loader calls itself \"");
        for (uint32_t i = TAG_HEADER; i < size && tag[i] && i < 64; i++)
            con_printf("%c", tag[i]);
        con_printf("\"\n");
        break;
    case TAG_MODULE:
        mb2_read_module(tag, size, bi);
        break;
    case TAG_MMAP:
        mb2_read_mmap(tag, size, bi);
        break;
    }
}

/* Walk the tags in [info + 8, info + total); false if the map was missing. */
static bool mb2_walk(const uint8_t *info, uint32_t total, boot_info_t *bi)
{
    bool have_mmap = false;
    uint32_t off = TAG_HEADER;
    while (total - off >= TAG_HEADER) {
        uint32_t type = rd32(info + off), size = rd32(info + off + 4);
        if (size < TAG_HEADER || size > total - off) {
            con_printf("x86_64: multiboot2 tag %u at offset %u has bad size %u; "
                       "ignoring it and the rest\n", type, off, size);
            break;
        }
        if (type == TAG_END)
            break;
        mb2_read_tag(info + off, type, size, bi);
        have_mmap |= type == TAG_MMAP;
        off += (size + 7) & ~7u;
        if (off > total)
            break;
    }
    return have_mmap && bi->region_count > 0;
}

void loader_read_mb2(uint32_t magic, uint32_t info_pa, boot_info_t *bi)
{
    if (magic != MB2_BOOT_MAGIC)
        boot_fail("multiboot2 entry with %%eax = %x, not %x: the loader does "
                  "not speak multiboot2", magic, MB2_BOOT_MAGIC);
    const uint8_t *hdr = loader_map(info_pa, TAG_HEADER);
    if (!hdr || info_pa % 8 != 0)
        boot_fail("multiboot2 information pointer %x is not usable", info_pa);
    uint32_t total = rd32(hdr);
    if (total < 2 * TAG_HEADER || total > INFO_MAX || !loader_map(info_pa, total))
        boot_fail("multiboot2 information at %x claims %u bytes", info_pa, total);
    bi->loader = "multiboot2";
    if (!mb2_walk(hdr, total, bi))
        boot_fail("multiboot2 information has no usable memory map tag");
}
