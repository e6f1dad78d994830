/*
 * The Cairn boot image format, version 1 (docs/spec/boot-image.md).
 *
 * Shared by mkimage's writer and by the validator the kernel compiles,
 * so it is freestanding: constants and record layouts only. All fields
 * are little-endian and read byte by byte (image_validate.h), so the
 * image may sit at any alignment in memory.
 *
 *   header (64 bytes) | section table | sections ... | data pages
 *
 * Every record that refers to another names it by index (objects,
 * capabilities, processes) or by byte offset into the string section,
 * never by address. The CRC-32 covers the whole image with the checksum
 * field read as zero.
 */
#pragma once

#include <stdint.h>

#define IMG_MAGIC_TEXT      "CAIRNIMG"
#define IMG_MAGIC_LEN       8
#define IMG_VERSION_MAJOR   1       /* incompatible changes */
#define IMG_VERSION_MINOR   0       /* compatible additions */

#define IMG_NONE            0xffffffffu  /* "no object" / "no index" */

/* Target architectures (header.arch). */
enum {
    IMG_ARCH_X86_64  = 1,
    IMG_ARCH_RISCV64 = 2,
};

/* ---- Header: 64 bytes at offset 0 ------------------------------------ */
#define IMG_HEADER_SIZE        64
#define IMG_OFF_MAGIC          0    /* 8 bytes "CAIRNIMG" */
#define IMG_OFF_VERSION_MAJOR  8    /* u16 */
#define IMG_OFF_VERSION_MINOR  10   /* u16 */
#define IMG_OFF_ARCH           12   /* u16 IMG_ARCH_* */
#define IMG_OFF_HEADER_SIZE    14   /* u16 = 64 */
#define IMG_OFF_TOTAL_SIZE     16   /* u32 bytes in the image */
#define IMG_OFF_CHECKSUM       20   /* u32 CRC-32, computed with this as 0 */
#define IMG_OFF_SECTAB         24   /* u32 offset of the section table */
#define IMG_OFF_SECCOUNT       28   /* u32 entries in the section table */
#define IMG_OFF_FLAGS          32   /* u32, 0 in version 1 */
#define IMG_OFF_NAME           36   /* u32 string offset: the system's name */
#define IMG_OFF_POOL           40   /* u32 frames for the hardware page-table
                                       cache; 0: the kernel's default */
/* bytes 44..63 reserved, zero */

/* ---- Section table entries: 24 bytes each ----------------------------- */
#define IMG_SECTION_SIZE       24
#define IMG_SEC_OFF_KIND       0    /* u32 IMG_SEC_* */
#define IMG_SEC_OFF_OFFSET     4    /* u32 byte offset in the image */
#define IMG_SEC_OFF_SIZE       8    /* u32 bytes */
#define IMG_SEC_OFF_COUNT      12   /* u32 records */
#define IMG_SEC_OFF_ENTSIZE    16   /* u32 bytes per record (1 for bytes) */
/* bytes 20..23 reserved, zero */

enum {
    IMG_SEC_STRINGS   = 1,   /* NUL-terminated names; offset 0 is "" */
    IMG_SEC_OBJECTS   = 2,   /* img_object records */
    IMG_SEC_CAPS      = 3,   /* img_cap records */
    IMG_SEC_PROCESSES = 4,   /* img_process records */
    IMG_SEC_IRQS      = 5,   /* img_irq records */
    IMG_SEC_DEVICES   = 6,   /* img_device records */
    IMG_SEC_DATA      = 7,   /* page contents, 4 KiB each */
    IMG_SEC_KIND_MAX  = 7,
};

#define IMG_SECTION_ALIGN   8       /* every section's offset */
#define IMG_DATA_ALIGN      4096    /* the DATA section's offset */

/* ---- Objects: 24 bytes -------------------------------------------------- */
#define IMG_OBJECT_SIZE        24
#define IMG_OBJ_OFF_TYPE       0    /* u8 obj_type_t (kernel/abi/objtypes.def) */
#define IMG_OBJ_OFF_FLAGS      1    /* u8 IMG_OBJF_* for this type */
/* bytes 2..3 reserved, zero */
#define IMG_OBJ_OFF_NAME       4    /* u32 string offset */
#define IMG_OBJ_OFF_A          8    /* u64, by type (below) */
#define IMG_OBJ_OFF_B          16   /* u64, by type (below) */
/*
 * a and b by type:
 *   UNTYPED       a = size in bytes (a power of two, at least a page)
 *                 b = physical base if IMG_OBJF_DEVICE, else 0
 *   PAGE          a = offset in DATA if IMG_OBJF_DATA, else 0 (zeroed page)
 *                 b = physical address if IMG_OBJF_DEVICE, else 0
 *   CAPPAGE       a = first capability (index in CAPS), b = slot count
 *   GPT           a = first of its 16 capabilities, b = l2v
 *   ENDPOINT      a = b = 0
 *   NOTIFICATION  a = b = 0
 *   PROCESS       a = index of its record in PROCESSES, b = 0
 */
enum {
    IMG_OBJF_DEVICE     = 0x01,   /* UNTYPED, PAGE: device memory */
    IMG_OBJF_DATA       = 0x02,   /* PAGE: contents in DATA */
    IMG_OBJF_RAM        = 0x01,   /* CAPPAGE: the kernel fills it with
                                     Untyped caps for the remaining RAM */
    IMG_OBJF_BACKGROUND = 0x01,   /* GPT: slot 14 is the background space */
    IMG_OBJF_KEEPER     = 0x02,   /* GPT: slot 15 is the memory keeper */
};

/* ---- Capabilities: 16 bytes, the kernel's layout with an object index - */
#define IMG_CAP_SIZE           16
#define IMG_CAP_OFF_TYPE       0    /* u8 cap_type_t */
#define IMG_CAP_OFF_RESTR      1    /* u8 RESTR_* */
#define IMG_CAP_OFF_L2G        2    /* u8 memory caps: 12..64; else 0 */
#define IMG_CAP_OFF_FLAGS      3    /* u8 0 */
#define IMG_CAP_OFF_PAYLOAD    4    /* u32 as in kernel/cap/cap.h */
#define IMG_CAP_OFF_OBJECT     8    /* u32 object index, or IMG_NONE */
/* bytes 12..15 reserved, zero */

/* ---- Processes: 72 bytes ------------------------------------------------- */
#define IMG_PROCESS_SIZE       72
#define IMG_PROC_OFF_OBJECT    0    /* u32 its PROCESS object */
#define IMG_PROC_OFF_CAPS      4    /* u32 first of its capabilities */
#define IMG_PROC_OFF_NREGS     8    /* u32 capability registers given */
#define IMG_PROC_OFF_PRIORITY  12   /* u32 */
#define IMG_PROC_OFF_FLAGS     16   /* u32 IMG_PROCF_* */
/* bytes 20..23 reserved, zero */
#define IMG_PROC_OFF_PC        24   /* u64 entry point */
#define IMG_PROC_OFF_SP        32   /* u64 initial stack pointer */
#define IMG_PROC_OFF_IPCBUF    40   /* u64 IPC buffer address (page aligned) */
#define IMG_PROC_OFF_ARGS      48   /* u64[3] start arguments */
#define IMG_PROC_ARGS          3
/*
 * A process owns 2 + nregs consecutive capabilities from caps:
 *   caps + 0   its address space (GPT or PAGE capability, or Null)
 *   caps + 1   its keeper (ENTRY capability, or Null)
 *   caps + 2.. capability registers 0 .. nregs-1 (the rest are Null)
 */
enum {
    IMG_PROCF_RUN = 0x01,    /* runnable at boot; else created stopped */
};

/* ---- IRQs: 16 bytes -------------------------------------------------------- */
#define IMG_IRQ_SIZE           16
#define IMG_IRQ_OFF_LINE       0    /* u32 interrupt line */
#define IMG_IRQ_OFF_NOTIFY     4    /* u32 NOTIFICATION object, or IMG_NONE */
#define IMG_IRQ_OFF_BITS       8    /* u32 bits signalled */
#define IMG_IRQ_OFF_NAME       12   /* u32 string offset */

/* ---- Devices: 24 bytes ----------------------------------------------------- */
#define IMG_DEVICE_SIZE        24
#define IMG_DEV_OFF_BASE       0    /* u64 physical base, page aligned */
#define IMG_DEV_OFF_SIZE       8    /* u64 bytes, whole pages */
#define IMG_DEV_OFF_NAME       16   /* u32 string offset */
/* bytes 20..23 reserved, zero */
