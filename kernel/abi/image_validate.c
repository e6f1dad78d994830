/*
 * The boot image validator (image_validate.h). Freestanding: no libc, no
 * allocation, no writes to the image.
 *
 * It trusts nothing. The checks run in an order where each step only
 * reads what the previous steps proved to be inside the image:
 *   1. header fields, then the checksum over the whole image;
 *   2. the section table and every section's bounds, sizes, alignment
 *      and overlaps (all sums in 64 bits, so no offset can wrap);
 *   3. strings, device regions, IRQs (sorted, so duplicates and lookups
 *      are linear or logarithmic, never quadratic);
 *   4. objects in order, each owner's capability block and page data
 *      consecutive with the previous one (so blocks cannot overlap or
 *      alias), then every capability, every process and every gpt.
 * Every loop is bounded by a count that step 2 proved fits in the image.
 */
#include "abi/image_validate.h"

#include "abi/abi.h"

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* ---- CRC-32 ----------------------------------------------------------------- */

static const uint32_t crc_nibble[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
    0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
    0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
    crc ^= b;
    crc = (crc >> 4) ^ crc_nibble[crc & 15];
    return (crc >> 4) ^ crc_nibble[crc & 15];
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        crc = crc_byte(crc, p[i]);
    return crc;
}

uint32_t image_crc32(const uint8_t *p, size_t n)
{
    return ~crc_update(0xffffffffu, p, n);
}

/* The image's checksum: the checksum field counts as four zero bytes. */
static uint32_t image_checksum(const uint8_t *img, size_t total)
{
    static const uint8_t zero[4] = { 0 };
    uint32_t crc = crc_update(0xffffffffu, img, IMG_OFF_CHECKSUM);
    crc = crc_update(crc, zero, 4);
    crc = crc_update(crc, img + IMG_OFF_CHECKSUM + 4,
                     total - IMG_OFF_CHECKSUM - 4);
    return ~crc;
}

/* ---- State -------------------------------------------------------------------- */

typedef struct {
    const uint8_t *img;
    uint64_t total;
    const image_limits_t *lim;
    image_t im;
    image_result_t *res;
    uint32_t secsize[IMG_SEC_KIND_MAX + 1];   /* bytes, per kind */
} check_t;

static const char *const messages[IMG_ERROR_COUNT] = {
#define IMG_ERROR_TEXT(name, text) text,
    IMG_ERRORS(IMG_ERROR_TEXT)
#undef IMG_ERROR_TEXT
};

const char *image_error_message(image_error_t e)
{
    return (unsigned)e < IMG_ERROR_COUNT ? messages[e] : "unknown error";
}

static image_error_t fail(check_t *c, image_error_t code, uint64_t offset,
                          uint32_t index)
{
    if (c->res) {
        c->res->code = code;
        c->res->offset = (uint32_t)offset;
        c->res->index = index;
        c->res->message = messages[code];
    }
    return code;
}

#define CHECK(c, cond, code, off, idx)                                        \
    do { if (!(cond)) return fail((c), IMG_##code, (off), (idx)); } while (0)
#define TRY(expr)                                                             \
    do { image_error_t err_ = (expr); if (err_ != IMG_OK) return err_; } while (0)

static const uint32_t entry_size[IMG_SEC_KIND_MAX + 1] = {
    [IMG_SEC_STRINGS] = 1, [IMG_SEC_OBJECTS] = IMG_OBJECT_SIZE,
    [IMG_SEC_CAPS] = IMG_CAP_SIZE, [IMG_SEC_PROCESSES] = IMG_PROCESS_SIZE,
    [IMG_SEC_IRQS] = IMG_IRQ_SIZE, [IMG_SEC_DEVICES] = IMG_DEVICE_SIZE,
    [IMG_SEC_DATA] = CAIRN_PAGE_SIZE,
};

static const uint8_t *record(const check_t *c, unsigned kind, uint32_t i)
{
    return c->img + c->im.off[kind] + (uint64_t)i * entry_size[kind];
}

static uint64_t record_off(const check_t *c, unsigned kind, uint32_t i)
{
    return c->im.off[kind] + (uint64_t)i * entry_size[kind];
}

/* ---- 1. Header ------------------------------------------------------------------ */

static image_error_t check_header(check_t *c, size_t size)
{
    static const char magic[IMG_MAGIC_LEN] = IMG_MAGIC_TEXT;
    const uint8_t *h = c->img;
    CHECK(c, size >= IMG_HEADER_SIZE, TOO_SMALL, 0, IMG_NONE);
    for (int i = 0; i < IMG_MAGIC_LEN; i++)
        CHECK(c, h[i] == (uint8_t)magic[i], MAGIC, (uint64_t)i, IMG_NONE);
    CHECK(c, rd16(h + IMG_OFF_VERSION_MAJOR) == IMG_VERSION_MAJOR, VERSION,
          IMG_OFF_VERSION_MAJOR, IMG_NONE);
    CHECK(c, rd16(h + IMG_OFF_ARCH) == c->lim->arch, ARCH, IMG_OFF_ARCH,
          IMG_NONE);
    CHECK(c, rd16(h + IMG_OFF_HEADER_SIZE) == IMG_HEADER_SIZE, HEADER,
          IMG_OFF_HEADER_SIZE, IMG_NONE);
    CHECK(c, rd32(h + IMG_OFF_FLAGS) == 0, HEADER, IMG_OFF_FLAGS, IMG_NONE);
    CHECK(c, all_zero(h + 44, IMG_HEADER_SIZE - 44), HEADER, 44, IMG_NONE);
    c->total = rd32(h + IMG_OFF_TOTAL_SIZE);
    CHECK(c, c->total <= size, TOTAL_SIZE, IMG_OFF_TOTAL_SIZE, IMG_NONE);
    CHECK(c, c->total >= IMG_HEADER_SIZE, TOTAL_SIZE, IMG_OFF_TOTAL_SIZE,
          IMG_NONE);
    CHECK(c, image_checksum(h, c->total) == rd32(h + IMG_OFF_CHECKSUM),
          CHECKSUM, IMG_OFF_CHECKSUM, IMG_NONE);
    c->im.base = h;
    c->im.size = (uint32_t)c->total;
    c->im.arch = c->lim->arch;
    c->im.name = rd32(h + IMG_OFF_NAME);
    c->im.pool_frames = rd32(h + IMG_OFF_POOL);
    return IMG_OK;
}

/* ---- 2. Sections ------------------------------------------------------------------ */

static image_error_t check_section(check_t *c, uint32_t i, uint64_t at)
{
    const uint8_t *s = c->img + at;
    uint32_t kind = rd32(s + IMG_SEC_OFF_KIND);
    uint32_t off = rd32(s + IMG_SEC_OFF_OFFSET), size = rd32(s + IMG_SEC_OFF_SIZE);
    uint32_t count = rd32(s + IMG_SEC_OFF_COUNT);
    CHECK(c, kind >= 1 && kind <= IMG_SEC_KIND_MAX && c->im.off[kind] == 0,
          SECTION_KIND, at, i);
    uint32_t align = kind == IMG_SEC_DATA ? IMG_DATA_ALIGN : IMG_SECTION_ALIGN;
    CHECK(c, off >= IMG_HEADER_SIZE && off % align == 0 &&
          (uint64_t)off + size <= c->total, SECTION_BOUNDS,
          at + IMG_SEC_OFF_OFFSET, i);
    CHECK(c, rd32(s + IMG_SEC_OFF_ENTSIZE) == entry_size[kind] &&
          (uint64_t)count * entry_size[kind] == size, SECTION_LENGTH,
          at + IMG_SEC_OFF_SIZE, i);
    CHECK(c, rd32(s + 20) == 0, SECTION_KIND, at + 20, i);
    c->im.off[kind] = off;
    c->im.count[kind] = count;
    c->secsize[kind] = size;
    return IMG_OK;
}

static bool overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return an && bn && a < b + bn && b < a + an;
}

static image_error_t check_sections(check_t *c)
{
    uint32_t tab = rd32(c->img + IMG_OFF_SECTAB);
    uint32_t n = rd32(c->img + IMG_OFF_SECCOUNT);
    uint64_t tabsize = (uint64_t)n * IMG_SECTION_SIZE;
    CHECK(c, n <= IMG_SEC_KIND_MAX && tab >= IMG_HEADER_SIZE &&
          tab % IMG_SECTION_ALIGN == 0 && tab + tabsize <= c->total,
          SECTION_TABLE, IMG_OFF_SECTAB, IMG_NONE);
    for (uint32_t i = 0; i < n; i++)
        TRY(check_section(c, i, tab + (uint64_t)i * IMG_SECTION_SIZE));
    for (unsigned k = 1; k <= IMG_SEC_KIND_MAX; k++) {
        CHECK(c, !overlap(c->im.off[k], c->secsize[k], tab, tabsize),
              SECTION_OVERLAP, c->im.off[k], k);
        for (unsigned j = k + 1; j <= IMG_SEC_KIND_MAX; j++)
            CHECK(c, !overlap(c->im.off[k], c->secsize[k], c->im.off[j],
                              c->secsize[j]), SECTION_OVERLAP, c->im.off[j], j);
    }
    static const unsigned required[] = { IMG_SEC_STRINGS, IMG_SEC_OBJECTS,
                                         IMG_SEC_CAPS, IMG_SEC_PROCESSES };
    for (unsigned k = 0; k < 4; k++)
        CHECK(c, c->im.off[required[k]] != 0, SECTION_MISSING, IMG_OFF_SECTAB,
              required[k]);
    return IMG_OK;
}

/* ---- 3. Strings, devices, IRQs ----------------------------------------------- */

static bool string_ok(const check_t *c, uint32_t off)
{
    return off < c->secsize[IMG_SEC_STRINGS];
}

static image_error_t check_strings(check_t *c)
{
    uint32_t n = c->secsize[IMG_SEC_STRINGS];
    const uint8_t *s = c->img + c->im.off[IMG_SEC_STRINGS];
    /* The first byte and the last are NUL, so any offset inside the
     * section starts a string that ends inside it. */
    CHECK(c, n >= 1 && s[0] == 0 && s[n - 1] == 0, STRING,
          c->im.off[IMG_SEC_STRINGS], IMG_NONE);
    CHECK(c, string_ok(c, c->im.name), STRING, IMG_OFF_NAME, IMG_NONE);
    return IMG_OK;
}

static image_error_t check_devices(check_t *c)
{
    uint64_t prev_end = 0;
    for (uint32_t i = 0; i < c->im.count[IMG_SEC_DEVICES]; i++) {
        const uint8_t *d = record(c, IMG_SEC_DEVICES, i);
        uint64_t base = rd64(d + IMG_DEV_OFF_BASE), size = rd64(d + IMG_DEV_OFF_SIZE);
        uint64_t at = record_off(c, IMG_SEC_DEVICES, i);
        CHECK(c, size && base % CAIRN_PAGE_SIZE == 0 &&
              size % CAIRN_PAGE_SIZE == 0 && base + size > base &&
              (i == 0 || base >= prev_end), DEVICE_REGION, at, i);
        CHECK(c, string_ok(c, rd32(d + IMG_DEV_OFF_NAME)) &&
              rd32(d + 20) == 0, DEVICE_REGION, at + IMG_DEV_OFF_NAME, i);
        prev_end = base + size;
    }
    return IMG_OK;
}

/* Is [base, base+size) inside one device region? (regions are sorted) */
static bool in_device(const check_t *c, uint64_t base, uint64_t size)
{
    uint32_t lo = 0, hi = c->im.count[IMG_SEC_DEVICES];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const uint8_t *d = record(c, IMG_SEC_DEVICES, mid);
        uint64_t b = rd64(d + IMG_DEV_OFF_BASE), s = rd64(d + IMG_DEV_OFF_SIZE);
        if (base < b)
            hi = mid;
        else if (base >= b + s)
            lo = mid + 1;
        else
            return base + size >= base && base + size <= b + s;
    }
    return false;
}

static image_error_t check_irqs(check_t *c)
{
    for (uint32_t i = 0; i < c->im.count[IMG_SEC_IRQS]; i++) {
        const uint8_t *q = record(c, IMG_SEC_IRQS, i);
        uint64_t at = record_off(c, IMG_SEC_IRQS, i);
        uint32_t line = rd32(q + IMG_IRQ_OFF_LINE);
        CHECK(c, line < c->lim->irq_lines &&
              (i == 0 || line > rd32(q - IMG_IRQ_SIZE + IMG_IRQ_OFF_LINE)),
              IRQ_LINE, at, i);
        uint32_t n = rd32(q + IMG_IRQ_OFF_NOTIFY);
        CHECK(c, n == IMG_NONE || (n < c->im.count[IMG_SEC_OBJECTS] &&
              record(c, IMG_SEC_OBJECTS, n)[IMG_OBJ_OFF_TYPE] == OBJ_NOTIFICATION),
              IRQ_NOTIFY, at + IMG_IRQ_OFF_NOTIFY, i);
        CHECK(c, n != IMG_NONE || rd32(q + IMG_IRQ_OFF_BITS) == 0, IRQ_NOTIFY,
              at + IMG_IRQ_OFF_BITS, i);
        CHECK(c, n == IMG_NONE || rd32(q + IMG_IRQ_OFF_BITS) != 0, IRQ_BITS,
              at + IMG_IRQ_OFF_BITS, i);
        CHECK(c, string_ok(c, rd32(q + IMG_IRQ_OFF_NAME)), STRING,
              at + IMG_IRQ_OFF_NAME, i);
    }
    return IMG_OK;
}

static bool irq_declared(const check_t *c, uint32_t line)
{
    uint32_t lo = 0, hi = c->im.count[IMG_SEC_IRQS];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t l = rd32(record(c, IMG_SEC_IRQS, mid) + IMG_IRQ_OFF_LINE);
        if (l == line)
            return true;
        if (line < l)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* ---- 4. Objects and their capability blocks -------------------------------- */

typedef struct {
    uint64_t next_cap;     /* the next owner's block must start here */
    uint64_t next_data;    /* the next data page must be here */
    uint32_t next_proc;    /* the next process object's record */
    bool ram_seen;
} order_t;

/* An owner's block of n capabilities must start where the last ended. */
static image_error_t take_caps(check_t *c, order_t *o, uint64_t first,
                               uint64_t n, uint64_t at, uint32_t i)
{
    CHECK(c, first == o->next_cap && first + n <= c->im.count[IMG_SEC_CAPS],
          CAP_ORDER, at, i);
    o->next_cap = first + n;
    return IMG_OK;
}

static bool is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

static image_error_t check_untyped(check_t *c, uint8_t flags, uint64_t a,
                                   uint64_t b, uint64_t at, uint32_t i)
{
    CHECK(c, (flags & ~IMG_OBJF_DEVICE) == 0, OBJECT_FIELDS, at, i);
    CHECK(c, is_pow2(a) && a >= CAIRN_PAGE_SIZE, UNTYPED_SIZE,
          at + IMG_OBJ_OFF_A, i);
    if (flags & IMG_OBJF_DEVICE)
        CHECK(c, (b & (a - 1)) == 0 && in_device(c, b, a), DEVICE_RANGE,
              at + IMG_OBJ_OFF_B, i);
    else
        CHECK(c, b == 0, OBJECT_FIELDS, at + IMG_OBJ_OFF_B, i);
    return IMG_OK;
}

static image_error_t check_page(check_t *c, order_t *o, uint8_t flags,
                                uint64_t a, uint64_t b, uint64_t at, uint32_t i)
{
    CHECK(c, (flags & ~(IMG_OBJF_DEVICE | IMG_OBJF_DATA)) == 0 &&
          flags != (IMG_OBJF_DEVICE | IMG_OBJF_DATA), OBJECT_FIELDS, at, i);
    if (flags & IMG_OBJF_DATA) {
        CHECK(c, a == o->next_data &&
              a + CAIRN_PAGE_SIZE <= c->secsize[IMG_SEC_DATA], PAGE_DATA,
              at + IMG_OBJ_OFF_A, i);
        o->next_data += CAIRN_PAGE_SIZE;
    } else {
        CHECK(c, a == 0, OBJECT_FIELDS, at + IMG_OBJ_OFF_A, i);
    }
    if (flags & IMG_OBJF_DEVICE)
        CHECK(c, b % CAIRN_PAGE_SIZE == 0 && in_device(c, b, CAIRN_PAGE_SIZE),
              DEVICE_RANGE, at + IMG_OBJ_OFF_B, i);
    else
        CHECK(c, b == 0, OBJECT_FIELDS, at + IMG_OBJ_OFF_B, i);
    return IMG_OK;
}

static image_error_t check_cappage(check_t *c, order_t *o, uint8_t flags,
                                   uint64_t a, uint64_t b, uint64_t at,
                                   uint32_t i)
{
    CHECK(c, (flags & ~IMG_OBJF_RAM) == 0, OBJECT_FIELDS, at, i);
    CHECK(c, b <= c->lim->cappage_slots, CAPPAGE_SLOTS, at + IMG_OBJ_OFF_B, i);
    if (flags & IMG_OBJF_RAM) {
        CHECK(c, !o->ram_seen && b == 0, RAM_CAPPAGE, at, i);
        o->ram_seen = true;
    }
    return take_caps(c, o, a, b, at + IMG_OBJ_OFF_A, i);
}

static image_error_t check_gpt(check_t *c, order_t *o, uint8_t flags,
                               uint64_t a, uint64_t b, uint64_t at, uint32_t i)
{
    CHECK(c, (flags & ~(IMG_OBJF_BACKGROUND | IMG_OBJF_KEEPER)) == 0,
          OBJECT_FIELDS, at, i);
    CHECK(c, b >= CAIRN_L2V_MIN && b <= CAIRN_L2V_MAX, GPT_L2V,
          at + IMG_OBJ_OFF_B, i);
    return take_caps(c, o, a, 16, at + IMG_OBJ_OFF_A, i);
}

static image_error_t check_process_object(check_t *c, order_t *o, uint8_t flags,
                                          uint64_t a, uint64_t b, uint64_t at,
                                          uint32_t i)
{
    CHECK(c, flags == 0 && b == 0 && a == o->next_proc &&
          a < c->im.count[IMG_SEC_PROCESSES], PROCESS_OBJECT, at, i);
    o->next_proc++;
    const uint8_t *p = record(c, IMG_SEC_PROCESSES, (uint32_t)a);
    uint64_t pat = record_off(c, IMG_SEC_PROCESSES, (uint32_t)a);
    CHECK(c, rd32(p + IMG_PROC_OFF_OBJECT) == i, PROCESS_OBJECT, pat,
          (uint32_t)a);
    uint32_t nregs = rd32(p + IMG_PROC_OFF_NREGS);
    CHECK(c, nregs <= c->lim->cap_registers, PROCESS_REGS,
          pat + IMG_PROC_OFF_NREGS, (uint32_t)a);
    return take_caps(c, o, rd32(p + IMG_PROC_OFF_CAPS), 2 + (uint64_t)nregs,
                     pat + IMG_PROC_OFF_CAPS, (uint32_t)a);
}

static image_error_t check_object(check_t *c, order_t *o, uint32_t i)
{
    const uint8_t *r = record(c, IMG_SEC_OBJECTS, i);
    uint64_t at = record_off(c, IMG_SEC_OBJECTS, i);
    uint8_t type = r[IMG_OBJ_OFF_TYPE], flags = r[IMG_OBJ_OFF_FLAGS];
    uint64_t a = rd64(r + IMG_OBJ_OFF_A), b = rd64(r + IMG_OBJ_OFF_B);
    CHECK(c, rd16(r + 2) == 0, OBJECT_FIELDS, at + 2, i);
    CHECK(c, string_ok(c, rd32(r + IMG_OBJ_OFF_NAME)), STRING,
          at + IMG_OBJ_OFF_NAME, i);
    switch (type) {
    case OBJ_UNTYPED:  return check_untyped(c, flags, a, b, at, i);
    case OBJ_PAGE:     return check_page(c, o, flags, a, b, at, i);
    case OBJ_CAPPAGE:  return check_cappage(c, o, flags, a, b, at, i);
    case OBJ_GPT:      return check_gpt(c, o, flags, a, b, at, i);
    case OBJ_PROCESS:  return check_process_object(c, o, flags, a, b, at, i);
    case OBJ_ENDPOINT:
    case OBJ_NOTIFICATION:
        CHECK(c, flags == 0 && a == 0 && b == 0, OBJECT_FIELDS, at, i);
        return IMG_OK;
    default:
        return fail(c, IMG_OBJECT_TYPE, at, i);
    }
}

static image_error_t check_objects(check_t *c)
{
    order_t o = { 0 };
    for (uint32_t i = 0; i < c->im.count[IMG_SEC_OBJECTS]; i++)
        TRY(check_object(c, &o, i));
    CHECK(c, o.next_cap == c->im.count[IMG_SEC_CAPS], CAP_ORDER,
          c->im.off[IMG_SEC_CAPS], IMG_NONE);
    CHECK(c, o.next_data == c->secsize[IMG_SEC_DATA], PAGE_DATA,
          c->im.off[IMG_SEC_DATA], IMG_NONE);
    CHECK(c, o.next_proc == c->im.count[IMG_SEC_PROCESSES], PROCESS_OBJECT,
          c->im.off[IMG_SEC_PROCESSES], IMG_NONE);
    return IMG_OK;
}

/* ---- 5. Capabilities ------------------------------------------------------------ */

/* The object type each capability type designates (captypes.def). */
static const uint8_t cap_object[CAP_TYPE_COUNT] = {
#define CAPTYPE(name, code, obj, text) [code] = OBJ_##obj,
#include "abi/captypes.def"
#undef CAPTYPE
};

static bool is_memory(uint8_t type)
{
    return type == CAP_PAGE || type == CAP_CAPPAGE || type == CAP_GPT;
}

static image_error_t check_cap_payload(check_t *c, const uint8_t *k,
                                       uint64_t at, uint32_t i)
{
    uint8_t type = k[IMG_CAP_OFF_TYPE], l2g = k[IMG_CAP_OFF_L2G];
    uint32_t payload = rd32(k + IMG_CAP_OFF_PAYLOAD);
    if (is_memory(type)) {
        /* The guard (payload) must not reach above address bit 63. */
        CHECK(c, l2g >= CAIRN_PAGE_BITS && l2g <= 64 &&
              (l2g <= 32 || ((uint64_t)payload >> (64 - l2g)) == 0),
              CAP_FIELDS, at + IMG_CAP_OFF_L2G, i);
        return IMG_OK;
    }
    CHECK(c, l2g == 0, CAP_FIELDS, at + IMG_CAP_OFF_L2G, i);
    switch (type) {
    case CAP_ENTRY:
    case CAP_NOTIFICATION:
        return IMG_OK;
    case CAP_IRQ_HANDLER:
        CHECK(c, irq_declared(c, payload), CAP_FIELDS,
              at + IMG_CAP_OFF_PAYLOAD, i);
        return IMG_OK;
    case CAP_SCHEDULE:
        CHECK(c, payload <= c->lim->max_priority, CAP_FIELDS,
              at + IMG_CAP_OFF_PAYLOAD, i);
        return IMG_OK;
    default:
        CHECK(c, payload == 0, CAP_FIELDS, at + IMG_CAP_OFF_PAYLOAD, i);
        return IMG_OK;
    }
}

static image_error_t check_cap(check_t *c, uint32_t i)
{
    const uint8_t *k = record(c, IMG_SEC_CAPS, i);
    uint64_t at = record_off(c, IMG_SEC_CAPS, i);
    uint8_t type = k[IMG_CAP_OFF_TYPE];
    unsigned known = RESTR_READ_ONLY | RESTR_WEAK | RESTR_NO_EXECUTE |
                     RESTR_OPAQUE | RESTR_NO_CALL;
    CHECK(c, type < CAP_TYPE_COUNT && type != CAP_REPLY, CAP_TYPE, at, i);
    CHECK(c, (k[IMG_CAP_OFF_RESTR] & ~known) == 0, CAP_RESTR,
          at + IMG_CAP_OFF_RESTR, i);
    CHECK(c, k[IMG_CAP_OFF_FLAGS] == 0 && rd32(k + 12) == 0, CAP_FIELDS,
          at + IMG_CAP_OFF_FLAGS, i);
    uint32_t obj = rd32(k + IMG_CAP_OFF_OBJECT);
    if (type == CAP_NULL)
        CHECK(c, k[IMG_CAP_OFF_RESTR] == 0 && obj == IMG_NONE, CAP_FIELDS,
              at, i);
    if (cap_object[type] == OBJ_NONE)
        CHECK(c, obj == IMG_NONE, CAP_OBJECT, at + IMG_CAP_OFF_OBJECT, i);
    else
        CHECK(c, obj < c->im.count[IMG_SEC_OBJECTS] &&
              record(c, IMG_SEC_OBJECTS, obj)[IMG_OBJ_OFF_TYPE] ==
                  cap_object[type], CAP_OBJECT, at + IMG_CAP_OFF_OBJECT, i);
    return check_cap_payload(c, k, at, i);
}

static image_error_t check_caps(check_t *c)
{
    for (uint32_t i = 0; i < c->im.count[IMG_SEC_CAPS]; i++)
        TRY(check_cap(c, i));
    return IMG_OK;
}

static uint8_t cap_type_at(const check_t *c, uint64_t index)
{
    return record(c, IMG_SEC_CAPS, (uint32_t)index)[IMG_CAP_OFF_TYPE];
}

/* ---- 6. Processes and gpts ------------------------------------------------------- */

static bool user_address(const check_t *c, uint64_t v)
{
    return c->lim->user_top == 0 || v < c->lim->user_top;
}

static image_error_t check_process(check_t *c, uint32_t i)
{
    const uint8_t *p = record(c, IMG_SEC_PROCESSES, i);
    uint64_t at = record_off(c, IMG_SEC_PROCESSES, i);
    uint32_t caps = rd32(p + IMG_PROC_OFF_CAPS);
    uint8_t space = cap_type_at(c, caps), keeper = cap_type_at(c, caps + 1);
    CHECK(c, space == CAP_NULL || space == CAP_GPT || space == CAP_PAGE,
          PROCESS_SPACE, at + IMG_PROC_OFF_CAPS, i);
    CHECK(c, keeper == CAP_NULL || keeper == CAP_ENTRY, PROCESS_SPACE,
          at + IMG_PROC_OFF_CAPS, i);
    /* Capability register 0 always reads as Null. */
    CHECK(c, rd32(p + IMG_PROC_OFF_NREGS) == 0 || cap_type_at(c, caps + 2) ==
          CAP_NULL, PROCESS_REGS, at + IMG_PROC_OFF_NREGS, i);
    CHECK(c, rd32(p + IMG_PROC_OFF_PRIORITY) <= c->lim->max_priority,
          PROCESS_PRIORITY, at + IMG_PROC_OFF_PRIORITY, i);
    CHECK(c, (rd32(p + IMG_PROC_OFF_FLAGS) & ~(uint32_t)IMG_PROCF_RUN) == 0 &&
          rd32(p + 20) == 0, PROCESS_FIELDS, at + IMG_PROC_OFF_FLAGS, i);
    uint64_t ipc = rd64(p + IMG_PROC_OFF_IPCBUF);
    CHECK(c, user_address(c, rd64(p + IMG_PROC_OFF_PC)) &&
          user_address(c, rd64(p + IMG_PROC_OFF_SP)) && user_address(c, ipc) &&
          ipc % CAIRN_PAGE_SIZE == 0, PROCESS_ADDRESS, at + IMG_PROC_OFF_PC, i);
    return IMG_OK;
}

static image_error_t check_gpt_slots(check_t *c)
{
    for (uint32_t i = 0; i < c->im.count[IMG_SEC_OBJECTS]; i++) {
        const uint8_t *r = record(c, IMG_SEC_OBJECTS, i);
        if (r[IMG_OBJ_OFF_TYPE] != OBJ_GPT)
            continue;
        uint64_t first = rd64(r + IMG_OBJ_OFF_A);
        uint64_t at = record_off(c, IMG_SEC_OBJECTS, i);
        if (r[IMG_OBJ_OFF_FLAGS] & IMG_OBJF_KEEPER)
            CHECK(c, cap_type_at(c, first + 15) == CAP_ENTRY, GPT_FLAGS, at, i);
        if (r[IMG_OBJ_OFF_FLAGS] & IMG_OBJF_BACKGROUND)
            CHECK(c, cap_type_at(c, first + 14) != CAP_NULL, GPT_FLAGS, at, i);
    }
    return IMG_OK;
}

image_error_t image_validate(const uint8_t *img, size_t size,
                             const image_limits_t *lim, image_t *im,
                             image_result_t *res)
{
    check_t c = { .img = img, .lim = lim, .res = res };
    if (res) {
        res->code = IMG_OK;
        res->offset = 0;
        res->index = IMG_NONE;
        res->message = messages[IMG_OK];
    }
    if (!img)
        return fail(&c, IMG_TOO_SMALL, 0, IMG_NONE);
    TRY(check_header(&c, size));
    TRY(check_sections(&c));
    TRY(check_strings(&c));
    TRY(check_devices(&c));
    TRY(check_irqs(&c));
    TRY(check_objects(&c));
    TRY(check_caps(&c));
    for (uint32_t i = 0; i < c.im.count[IMG_SEC_PROCESSES]; i++)
        TRY(check_process(&c, i));
    TRY(check_gpt_slots(&c));
    if (im)
        *im = c.im;
    return IMG_OK;
}

/* ---- Readers ----------------------------------------------------------------------- */

static const uint8_t *rec(const image_t *im, unsigned kind, uint32_t i)
{
    return im->base + im->off[kind] + (uint64_t)i * entry_size[kind];
}

void image_object(const image_t *im, uint32_t i, image_object_t *out)
{
    const uint8_t *r = rec(im, IMG_SEC_OBJECTS, i);
    out->type = r[IMG_OBJ_OFF_TYPE];
    out->flags = r[IMG_OBJ_OFF_FLAGS];
    out->name = rd32(r + IMG_OBJ_OFF_NAME);
    out->a = rd64(r + IMG_OBJ_OFF_A);
    out->b = rd64(r + IMG_OBJ_OFF_B);
}

void image_cap(const image_t *im, uint32_t i, image_cap_t *out)
{
    const uint8_t *r = rec(im, IMG_SEC_CAPS, i);
    out->type = r[IMG_CAP_OFF_TYPE];
    out->restr = r[IMG_CAP_OFF_RESTR];
    out->l2g = r[IMG_CAP_OFF_L2G];
    out->payload = rd32(r + IMG_CAP_OFF_PAYLOAD);
    out->object = rd32(r + IMG_CAP_OFF_OBJECT);
}

void image_process(const image_t *im, uint32_t i, image_process_t *out)
{
    const uint8_t *r = rec(im, IMG_SEC_PROCESSES, i);
    out->object = rd32(r + IMG_PROC_OFF_OBJECT);
    out->caps = rd32(r + IMG_PROC_OFF_CAPS);
    out->nregs = rd32(r + IMG_PROC_OFF_NREGS);
    out->priority = rd32(r + IMG_PROC_OFF_PRIORITY);
    out->flags = rd32(r + IMG_PROC_OFF_FLAGS);
    out->pc = rd64(r + IMG_PROC_OFF_PC);
    out->sp = rd64(r + IMG_PROC_OFF_SP);
    out->ipc_buffer = rd64(r + IMG_PROC_OFF_IPCBUF);
    for (int k = 0; k < IMG_PROC_ARGS; k++)
        out->args[k] = rd64(r + IMG_PROC_OFF_ARGS + 8 * k);
}

void image_irq(const image_t *im, uint32_t i, image_irq_t *out)
{
    const uint8_t *r = rec(im, IMG_SEC_IRQS, i);
    out->line = rd32(r + IMG_IRQ_OFF_LINE);
    out->notify = rd32(r + IMG_IRQ_OFF_NOTIFY);
    out->bits = rd32(r + IMG_IRQ_OFF_BITS);
    out->name = rd32(r + IMG_IRQ_OFF_NAME);
}

void image_device(const image_t *im, uint32_t i, image_device_t *out)
{
    const uint8_t *r = rec(im, IMG_SEC_DEVICES, i);
    out->base = rd64(r + IMG_DEV_OFF_BASE);
    out->size = rd64(r + IMG_DEV_OFF_SIZE);
    out->name = rd32(r + IMG_DEV_OFF_NAME);
}

const char *image_string(const image_t *im, uint32_t offset)
{
    return (const char *)im->base + im->off[IMG_SEC_STRINGS] + offset;
}

const uint8_t *image_page_data(const image_t *im, uint64_t data_offset)
{
    return im->base + im->off[IMG_SEC_DATA] + data_offset;
}
