/*
 * The flattened device tree reader. See fdt.h for what is checked and
 * when. Every offset is a uint32_t into the blob; sums are formed in
 * 64 bits before they are compared with a bound, so no check can be
 * defeated by wrap-around.
 */
#include "fdt.h"

enum {
    FDT_BEGIN_NODE = 1,
    FDT_END_NODE   = 2,
    FDT_PROP       = 3,
    FDT_NOP        = 4,
    FDT_END        = 9,
};

/* Header fields, in the spec's order: magic, totalsize, off_dt_struct,
 * off_dt_strings, off_mem_rsvmap, version, last_comp_version,
 * boot_cpuid_phys, size_dt_strings, size_dt_struct. */
enum {
    HDR_MAGIC = 0, HDR_TOTALSIZE = 4, HDR_OFF_STRUCT = 8,
    HDR_OFF_STRINGS = 12, HDR_OFF_RSVMAP = 16, HDR_VERSION = 20,
    HDR_LAST_COMP = 24, HDR_SIZE_STRINGS = 32, HDR_SIZE_STRUCT = 36,
};

#define FDT_MAX_RSV_ENTRIES 64

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint32_t align4(uint32_t off)
{
    return (off + 3u) & ~3u;
}

static bool str_equal(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Read the structure-block word at off, if it lies inside the block. */
static bool struct_word(const fdt_t *f, uint32_t off, uint32_t *out)
{
    if ((uint64_t)off + 4 > f->struct_end || off < f->struct_off)
        return false;
    *out = be32(f->blob + off);
    return true;
}

/* Length of the NUL-terminated string at [off, end), or -1 if unterminated. */
static int64_t bounded_strlen(const uint8_t *blob, uint32_t off, uint32_t end)
{
    for (uint32_t i = off; i < end; i++)
        if (blob[i] == '\0')
            return i - off;
    return -1;
}

/* The offset just past a node name that starts at off (padded to 4). */
static bool skip_name(const fdt_t *f, uint32_t off, uint32_t *after)
{
    int64_t len = bounded_strlen(f->blob, off, f->struct_end);
    if (len < 0)
        return false;
    *after = align4(off + (uint32_t)len + 1);
    return *after <= f->struct_end;
}

/*
 * Decode the property whose FDT_PROP token is at off. Fills the value
 * and its name, and where the next token starts.
 */
static bool read_prop(const fdt_t *f, uint32_t off, fdt_prop_t *p,
                      const char **name, uint32_t *after)
{
    uint32_t len, nameoff;
    if (!struct_word(f, off + 4, &len) || !struct_word(f, off + 8, &nameoff))
        return false;
    uint64_t data = (uint64_t)off + 12;
    if (data + len > f->struct_end)
        return false;
    uint64_t name_at = (uint64_t)f->strings_off + nameoff;
    if (name_at >= f->strings_end ||
        bounded_strlen(f->blob, (uint32_t)name_at, f->strings_end) < 0)
        return false;
    p->data = f->blob + data;
    p->len = len;
    *name = (const char *)f->blob + name_at;
    *after = align4((uint32_t)(data + len));
    return *after <= f->struct_end;
}

/* ---- Checking the blob --------------------------------------------------- */

static const char *check_header(fdt_t *f, const uint8_t *b, uint32_t avail)
{
    if (avail < FDT_HEADER_SIZE)
        return "no room for a header";
    if (be32(b + HDR_MAGIC) != FDT_MAGIC)
        return "bad magic (not a device tree blob)";
    uint32_t size = be32(b + HDR_TOTALSIZE);
    if (size < FDT_HEADER_SIZE || size > avail || size > FDT_MAX_SIZE)
        return "totalsize out of range";
    if (be32(b + HDR_VERSION) < 17 || be32(b + HDR_LAST_COMP) > 17)
        return "unsupported version (need one compatible with v17)";
    uint64_t s_off = be32(b + HDR_OFF_STRUCT), s_len = be32(b + HDR_SIZE_STRUCT);
    uint64_t t_off = be32(b + HDR_OFF_STRINGS), t_len = be32(b + HDR_SIZE_STRINGS);
    uint64_t r_off = be32(b + HDR_OFF_RSVMAP);
    if (s_off < FDT_HEADER_SIZE || s_off % 4 || s_off + s_len > size)
        return "structure block out of bounds";
    if (t_off < FDT_HEADER_SIZE || t_off + t_len > size)
        return "strings block out of bounds";
    if (r_off < FDT_HEADER_SIZE || r_off % 8 || r_off + 16 > size)
        return "memory reservation block out of bounds";
    *f = (fdt_t){ .blob = b, .size = size,
                  .struct_off = (uint32_t)s_off,
                  .struct_end = (uint32_t)(s_off + s_len),
                  .strings_off = (uint32_t)t_off,
                  .strings_end = (uint32_t)(t_off + t_len),
                  .rsvmap_off = (uint32_t)r_off };
    return NULL;
}

/* One token of the checking walk; updates *off and *depth. */
static const char *check_token(const fdt_t *f, uint32_t *off, uint32_t *depth,
                               bool *root_seen, bool *ended)
{
    uint32_t tok;
    fdt_prop_t p;
    const char *name;
    if (!struct_word(f, *off, &tok))
        return "structure block ends without FDT_END";
    switch (tok) {
    case FDT_BEGIN_NODE:
        if (*depth == 0 && *root_seen)
            return "more than one root node";
        if (*depth >= FDT_MAX_DEPTH)
            return "nodes nested too deeply";
        if (!skip_name(f, *off + 4, off))
            return "node name runs past the structure block";
        *root_seen = true;
        (*depth)++;
        return NULL;
    case FDT_END_NODE:
        if (*depth == 0)
            return "unbalanced FDT_END_NODE";
        (*depth)--;
        *off += 4;
        return NULL;
    case FDT_PROP:
        if (*depth == 0)
            return "property outside any node";
        if (!read_prop(f, *off, &p, &name, off))
            return "property length or name offset out of bounds";
        return NULL;
    case FDT_NOP:
        *off += 4;
        return NULL;
    case FDT_END:
        if (*depth != 0 || !*root_seen)
            return "FDT_END inside a node or before the root";
        *ended = true;
        return NULL;
    default:
        return "unknown structure token";
    }
}

static const char *check_structure(const fdt_t *f)
{
    uint32_t off = f->struct_off, depth = 0;
    bool root_seen = false, ended = false;
    while (!ended) {
        const char *why = check_token(f, &off, &depth, &root_seen, &ended);
        if (why)
            return why;
    }
    return NULL;
}

const char *fdt_open(fdt_t *f, const void *blob, uint32_t avail)
{
    fdt_t checked;
    const char *why = check_header(&checked, blob, avail);
    if (!why)
        why = check_structure(&checked);
    if (why)
        return why;
    *f = checked;
    return NULL;
}

/* ---- Walking nodes -------------------------------------------------------- */

bool fdt_root(const fdt_t *f, fdt_node_t *n)
{
    uint32_t off = f->struct_off, tok;
    while (struct_word(f, off, &tok) && tok == FDT_NOP)
        off += 4;
    if (!struct_word(f, off, &tok) || tok != FDT_BEGIN_NODE)
        return false;
    n->depth = 0;
    n->node[0] = off;
    return skip_name(f, off + 4, &n->next);
}

bool fdt_next_node(const fdt_t *f, fdt_node_t *n)
{
    uint32_t off = n->next, tok;
    int64_t depth = n->depth;
    fdt_prop_t p;
    const char *name;
    while (struct_word(f, off, &tok)) {
        if (tok == FDT_BEGIN_NODE) {
            if (depth + 1 >= FDT_MAX_DEPTH)
                return false;
            n->depth = (uint32_t)(depth + 1);
            n->node[n->depth] = off;
            return skip_name(f, off + 4, &n->next);
        }
        if (tok == FDT_END_NODE) {
            if (--depth < 0)
                return false;
            off += 4;
        } else if (tok == FDT_PROP) {
            if (!read_prop(f, off, &p, &name, &off))
                return false;
        } else if (tok == FDT_NOP) {
            off += 4;
        } else {
            return false;
        }
    }
    return false;
}

bool fdt_next_child(const fdt_t *f, fdt_node_t *n, uint32_t parent_depth)
{
    while (fdt_next_node(f, n)) {
        if (n->depth <= parent_depth)
            return false;
        if (n->depth == parent_depth + 1)
            return true;
    }
    return false;
}

const char *fdt_node_name(const fdt_t *f, const fdt_node_t *n)
{
    uint32_t at = n->node[n->depth] + 4;
    if (at >= f->struct_end || bounded_strlen(f->blob, at, f->struct_end) < 0)
        return "";
    return (const char *)f->blob + at;
}

/* Does node name `name` match path component [c, c+len)? */
static bool name_matches(const char *name, const char *c, uint32_t len)
{
    bool has_unit = false;
    for (uint32_t i = 0; i < len; i++)
        has_unit |= c[i] == '@';
    for (uint32_t i = 0; i < len; i++)
        if (name[i] != c[i])
            return false;
    return name[len] == '\0' || (!has_unit && name[len] == '@');
}

bool fdt_find_path(const fdt_t *f, const char *path, fdt_node_t *n)
{
    if (path[0] != '/' || !fdt_root(f, n))
        return false;
    const char *c = path + 1;
    while (*c) {
        uint32_t len = 0;
        while (c[len] && c[len] != '/')
            len++;
        uint32_t parent = n->depth;
        bool found = false;
        while (!found && fdt_next_child(f, n, parent))
            found = name_matches(fdt_node_name(f, n), c, len);
        if (!found)
            return false;
        c += len;
        if (*c == '/')
            c++;
    }
    return true;
}

/* ---- Properties ------------------------------------------------------------ */

bool fdt_get_prop(const fdt_t *f, uint32_t node, const char *name,
                  fdt_prop_t *p)
{
    uint32_t off, tok;
    const char *pname;
    if (!skip_name(f, node + 4, &off))
        return false;
    while (struct_word(f, off, &tok)) {
        if (tok == FDT_NOP) {
            off += 4;
            continue;
        }
        if (tok != FDT_PROP || !read_prop(f, off, p, &pname, &off))
            return false;
        if (str_equal(pname, name))
            return true;
    }
    return false;
}

bool fdt_prop_uint(const fdt_prop_t *p, uint64_t *out)
{
    if (p->len == 4)
        *out = be32(p->data);
    else if (p->len == 8)
        *out = be64(p->data);
    else
        return false;
    return true;
}

bool fdt_prop_is_string(const fdt_prop_t *p)
{
    return p->len > 0 && p->data[p->len - 1] == '\0';
}

bool fdt_prop_has_string(const fdt_prop_t *p, const char *s)
{
    uint32_t i = 0;
    while (i < p->len) {
        int64_t len = bounded_strlen(p->data, i, p->len);
        if (len < 0)
            return false;
        if (str_equal((const char *)p->data + i, s))
            return true;
        i += (uint32_t)len + 1;
    }
    return false;
}

static uint32_t cells_prop(const fdt_t *f, uint32_t node, const char *name,
                           uint32_t dflt)
{
    fdt_prop_t p;
    if (!fdt_get_prop(f, node, name, &p) || p.len != 4)
        return dflt;
    return be32(p.data);
}

uint32_t fdt_address_cells(const fdt_t *f, uint32_t node)
{
    return cells_prop(f, node, "#address-cells", 2);
}

uint32_t fdt_size_cells(const fdt_t *f, uint32_t node)
{
    return cells_prop(f, node, "#size-cells", 1);
}

/* A number of 0, 1 or 2 cells; wider numbers do not fit a CPU address. */
static bool read_cells(const uint8_t *p, uint32_t cells, uint64_t *out)
{
    if (cells > 2)
        return false;
    *out = 0;
    for (uint32_t i = 0; i < cells; i++)
        *out = *out << 32 | be32(p + 4 * i);
    return true;
}

/*
 * Translate `addr`, an address on the bus that node `bus` provides (its
 * children's address space), into the address space of `parent`.
 * An empty ranges property means the two spaces are the same.
 */
static bool translate_one(const fdt_t *f, uint32_t bus, uint32_t parent,
                          uint64_t *addr)
{
    fdt_prop_t r;
    if (!fdt_get_prop(f, bus, "ranges", &r))
        return false;
    if (r.len == 0)
        return true;
    uint32_t ca = fdt_address_cells(f, bus), cs = fdt_size_cells(f, bus);
    uint32_t pa = fdt_address_cells(f, parent);
    uint64_t entry = 4ull * (ca + pa + cs);
    if (ca > 2 || pa > 2 || cs > 2)
        return false;
    for (uint64_t off = 0; off + entry <= r.len; off += entry) {
        uint64_t child, to, size;
        read_cells(r.data + off, ca, &child);
        read_cells(r.data + off + 4 * ca, pa, &to);
        read_cells(r.data + off + 4 * (ca + pa), cs, &size);
        if (*addr >= child && *addr - child < size) {
            *addr = *addr - child + to;
            return true;
        }
    }
    return false;
}

bool fdt_reg_raw(const fdt_t *f, const fdt_node_t *n, uint32_t index,
                 uint64_t *base, uint64_t *size)
{
    fdt_prop_t reg;
    if (n->depth == 0 || !fdt_get_prop(f, n->node[n->depth], "reg", &reg))
        return false;
    uint32_t parent = n->node[n->depth - 1];
    uint32_t ac = fdt_address_cells(f, parent), sc = fdt_size_cells(f, parent);
    if (ac > 2 || sc > 2 || ac == 0)
        return false;
    uint64_t entry = 4ull * (ac + sc), at = entry * index;
    if (at + entry > reg.len)
        return false;
    read_cells(reg.data + at, ac, base);
    read_cells(reg.data + at + 4 * ac, sc, size);
    return true;
}

bool fdt_reg(const fdt_t *f, const fdt_node_t *n, uint32_t index,
             uint64_t *base, uint64_t *size)
{
    if (!fdt_reg_raw(f, n, index, base, size))
        return false;
    for (uint32_t d = n->depth - 1; d >= 1; d--)
        if (!translate_one(f, n->node[d], n->node[d - 1], base))
            return false;
    return true;
}

bool fdt_rsv_entry(const fdt_t *f, uint32_t index, uint64_t *base,
                   uint64_t *size)
{
    uint64_t at = (uint64_t)f->rsvmap_off + 16ull * index;
    if (index >= FDT_MAX_RSV_ENTRIES || at + 16 > f->size)
        return false;
    *base = be64(f->blob + at);
    *size = be64(f->blob + at + 8);
    return *base != 0 || *size != 0;
}
