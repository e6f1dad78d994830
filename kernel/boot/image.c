/*
 * The boot image builder (see image.h for the steps and why the initial
 * objects are permanent).
 *
 * Memory: everything is carved before the root Untypeds exist. Objects
 * other than Untyped grants are packed into one carved region, allocated
 * largest size class first from the root Untypeds cut from it; since every
 * size is a power of two no larger than a page and every root is a whole
 * number of pages, that packing wastes nothing. The table of object
 * references lives in a carved scratch region.
 */
#include "image.h"

#include "arch.h"
#include "cap/irq.h"
#include "kprintf.h"
#include "lib/bits.h"
#include "lib/kstring.h"
#include "obj/gpt.h"
#include "obj/process.h"
#include "obj/untyped.h"
#include "panic.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

#define BOOT_HWMAP_POOL_FRAMES 256u   /* 1 MiB of page-table frames, unless
                                         the image sets page_table_pool */
#define BOOT_OBJECT_ROOTS      64u

static char why_buf[160];

static uint16_t image_arch(void)
{
    if (strcmp(arch_name, "x86_64") == 0)
        return IMG_ARCH_X86_64;
    if (strcmp(arch_name, "riscv64") == 0)
        return IMG_ARCH_RISCV64;
    return 0;
}

static unsigned log2_exact(uint64_t v)
{
    return bits_high(v);
}

static uint64_t page_round(uint64_t bytes)
{
    return (bytes + FRAME_SIZE - 1) & ~(uint64_t)(FRAME_SIZE - 1);
}

/* Objects retyped from the packed region (not grants, not device pages). */
static bool is_packed(const image_object_t *o)
{
    return o->type != OBJ_UNTYPED &&
           !(o->type == OBJ_PAGE && (o->flags & IMG_OBJF_DEVICE));
}

/*
 * The validator checked each IRQ record's line against the count and its
 * bits; the kernel also refuses the lines the port keeps.
 */
static bool irqs_usable(const image_t *im, const char **why)
{
    for (uint32_t i = 0; i < im->count[IMG_SEC_IRQS]; i++) {
        image_irq_t q;
        image_irq(im, i, &q);
        const char *what = !irq_line_valid(q.line) ? "is one the kernel keeps"
                                                   : NULL;
        if (what) {
            ksnprintf(why_buf, sizeof why_buf, "irq \"%s\" (line %u) %s",
                      image_string(im, q.name), q.line, what);
            *why = why_buf;
            return false;
        }
    }
    return true;
}

bool boot_image_plan(const void *base, uint64_t size, boot_image_plan_t *plan,
                     const char **why)
{
    image_limits_t lim = {
        .arch = image_arch(),
        .cap_registers = CAIRN_CAP_REGS,
        .cappage_slots = CAIRN_CAPPAGE_SLOTS,
        .max_priority = CAIRN_PRIO_MAX,
        .irq_lines = irq_line_count(),
        .user_top = arch_user_va_limit,
    };
    image_result_t res;
    memset(plan, 0, sizeof *plan);
    if (image_validate(base, size, &lim, &plan->image, &res) != IMG_OK) {
        ksnprintf(why_buf, sizeof why_buf, "%s (byte %u, record %d)",
                  res.message, res.offset,
                  res.index == IMG_NONE ? -1 : (int)res.index);
        *why = why_buf;
        return false;
    }
    const image_t *im = &plan->image;
    if (!irqs_usable(im, why))
        return false;
    uint32_t ndev = im->count[IMG_SEC_DEVICES];
    if (ndev > BOOT_IMAGE_MAX_DEVICES) {
        *why = "the image names more device regions than the kernel supports";
        return false;
    }
    for (uint32_t i = 0; i < ndev; i++) {
        image_device_t d;
        image_device(im, i, &d);
        plan->devices[plan->ndevices++] =
            (frame_segment_t){ d.base, d.size / FRAME_SIZE, FRAME_DEVICE };
    }
    uint64_t packed = 0;
    uint32_t nobj = im->count[IMG_SEC_OBJECTS];
    for (uint32_t i = 0; i < nobj; i++) {
        image_object_t o;
        image_object(im, i, &o);
        if (o.type == OBJ_UNTYPED && !(o.flags & IMG_OBJF_DEVICE)) {
            if (plan->ncarves + 2 >= BOOT_IMAGE_MAX_CARVES) {
                *why = "the image grants more Untypeds than the kernel supports";
                return false;
            }
            plan->carves[plan->ncarves++] = (boot_carve_t){ o.a, o.a, 0 };
        } else if (is_packed(&o)) {
            packed += (uint64_t)1 << obj_size_bits((obj_type_t)o.type);
        }
    }
    plan->carves[plan->ncarves++] =
        (boot_carve_t){ page_round(packed), FRAME_SIZE, 0 };
    plan->carves[plan->ncarves++] =
        (boot_carve_t){ page_round((uint64_t)nobj * sizeof(obj_ref_t)),
                        FRAME_SIZE, 0 };
    plan->pool_frames = im->pool_frames ? im->pool_frames : BOOT_HWMAP_POOL_FRAMES;
    if (plan->pool_frames < HWMAP_MIN_POOL_FRAMES) {
        ksnprintf(why_buf, sizeof why_buf, "page_table_pool %u is below the "
                  "kernel's minimum of %u frames", plan->pool_frames,
                  HWMAP_MIN_POOL_FRAMES);
        *why = why_buf;
        return false;
    }
    return true;
}

/* ---- Making objects ------------------------------------------------------------ */

typedef struct {
    boot_image_plan_t *plan;
    boot_memory_t *mem;
    obj_ref_t *refs;                       /* object index -> reference */
    cap_t roots[BOOT_OBJECT_ROOTS];        /* the packed region's roots */
    unsigned nroots;
    unsigned grant;                        /* next carve for a grant */
    cap_t ram_cappage;                     /* the RAM CapPage, if any */
    unsigned started;
} build_t;

static bool make_packed(build_t *b, obj_type_t type, obj_ref_t *ref)
{
    for (unsigned r = 0; r < b->nroots; r++) {
        cap_t c = cap_null();
        if (untyped_retype(&b->roots[r], type, 0, 1, &c) == ERR_OK) {
            *ref = c.obj;
            return true;
        }
    }
    return false;
}

static bool make_untyped(build_t *b, const image_object_t *o, obj_ref_t *ref)
{
    bool device = o->flags & IMG_OBJF_DEVICE;
    uint64_t base = device ? o->b : b->plan->carves[b->grant++].base;
    cap_t c;
    if (untyped_root_create(base, log2_exact(o->a), device, &c) != ERR_OK)
        return false;
    *ref = c.obj;
    return true;
}

static bool make_device_page(const image_object_t *o, obj_ref_t *ref)
{
    cap_t ut, page = cap_null();
    if (untyped_root_create(o->b, FRAME_BITS, true, &ut) != ERR_OK ||
        untyped_retype(&ut, OBJ_PAGE, 0, 1, &page) != ERR_OK)
        return false;
    *ref = page.obj;
    return true;
}

/* Make every object of size class `bits` (or the unpacked ones: bits 0). */
static bool make_class(build_t *b, unsigned bits, const char **why)
{
    const image_t *im = &b->plan->image;
    for (uint32_t i = 0; i < im->count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(im, i, &o);
        bool ok = true;
        if (bits == 0 && o.type == OBJ_UNTYPED)
            ok = make_untyped(b, &o, &b->refs[i]);
        else if (bits == 0 && !is_packed(&o))
            ok = make_device_page(&o, &b->refs[i]);
        else if (bits != 0 && is_packed(&o) &&
                 obj_size_bits((obj_type_t)o.type) == bits)
            ok = make_packed(b, (obj_type_t)o.type, &b->refs[i]);
        if (!ok) {
            ksnprintf(why_buf, sizeof why_buf,
                      "could not make object %u (%s)", i,
                      image_string(im, o.name));
            *why = why_buf;
            return false;
        }
        if (o.type == OBJ_PAGE && (o.flags & IMG_OBJF_DATA) && bits == FRAME_BITS)
            memcpy(obj_ptr(b->refs[i]), image_page_data(im, o.a), FRAME_SIZE);
    }
    return true;
}

/* ---- Capabilities ------------------------------------------------------------- */

static cap_t make_cap(const build_t *b, uint32_t index)
{
    image_cap_t ic;
    image_cap(&b->plan->image, index, &ic);
    if (ic.type == CAP_NULL)
        return cap_null();
    cap_t c = cap_null();
    if (ic.object == IMG_NONE) {
        c.type = ic.type;                 /* a stateless kernel capability */
        c.payload = ic.payload;
    } else {
        c = cap_make((cap_type_t)ic.type, b->refs[ic.object]);
        if (cap_is_memory((cap_type_t)ic.type))
            REQUIRE(cap_make_guarded(&c, ic.payload, ic.l2g) == ERR_OK);
        else
            c.payload = ic.payload;
    }
    REQUIRE(cap_restrict(&c, ic.restr) == ERR_OK);
    return c;
}

static void fill_gpt(const build_t *b, const image_object_t *o, obj_ref_t ref)
{
    gpt_t *g = obj_ptr(ref);
    g->l2v = (uint8_t)o->b;
    g->flags = ((o->flags & IMG_OBJF_BACKGROUND) ? CAIRN_GPT_BG : 0) |
               ((o->flags & IMG_OBJF_KEEPER) ? CAIRN_GPT_HA : 0);
    for (unsigned s = 0; s < CAIRN_GPT_SLOTS; s++)
        gpt_set_slot(g, s, make_cap(b, (uint32_t)o->a + s));
}

static void fill_cappage(build_t *b, const image_object_t *o, obj_ref_t ref)
{
    cap_t *slots = obj_ptr(ref);
    if (o->flags & IMG_OBJF_RAM) {
        b->ram_cappage = cap_make(CAP_CAPPAGE, ref);
        for (unsigned i = 0; i < b->mem->root_count && i < CAIRN_CAPPAGE_SLOTS; i++)
            slots[i] = b->mem->roots[i];
        return;
    }
    for (uint64_t s = 0; s < o->b; s++)
        slots[s] = make_cap(b, (uint32_t)(o->a + s));
}

/* ---- Processes ------------------------------------------------------------------- */

static void set_ipc_buffer(process_t *p, uint64_t va)
{
    static gpt_walk_t w;
    if (va == 0 || gpt_walk(&p->space, va, WALK_READ | WALK_WRITE, &w) != ERR_OK ||
        w.leaf.type != CAP_PAGE)
        return;
    cap_t leaf = w.leaf;
    REQUIRE(cap_restrict(&leaf, w.restr & CAIRN_RESTR_ALL) == ERR_OK);
    p->ipc_buffer = leaf;
}

static void setup_process(build_t *b, uint32_t index)
{
    image_process_t ip;
    image_process(&b->plan->image, index, &ip);
    process_t *p = obj_ptr(b->refs[ip.object]);
    p->space = make_cap(b, ip.caps);
    p->keeper = make_cap(b, ip.caps + 1);
    for (uint32_t r = 1; r < ip.nregs; r++)
        p->cap_regs[r] = make_cap(b, ip.caps + 2 + r);
    p->priority = (uint8_t)ip.priority;
    arch_context_init(p->arch_regs, ip.pc, ip.sp);
    arch_syscall_set(p->arch_regs, ARCH_SYS_W0, ip.ipc_buffer);
    for (unsigned a = 0; a < IMG_PROC_ARGS; a++)
        arch_syscall_set(p->arch_regs, ARCH_SYS_W1 + a, ip.args[a]);
    set_ipc_buffer(p, ip.ipc_buffer);
    if (ip.flags & IMG_PROCF_RUN) {
        p->state = CAIRN_PROC_RUNNING;
        sched_ready(p);
        b->started++;
    }
}

/* Each IRQ record that names a notification becomes a binding (ARMED). */
static void bind_irqs(const build_t *b)
{
    const image_t *im = &b->plan->image;
    for (uint32_t i = 0; i < im->count[IMG_SEC_IRQS]; i++) {
        image_irq_t q;
        image_irq(im, i, &q);
        if (q.notify == IMG_NONE)
            continue;
        irq_bind(q.line, cap_make(CAP_NOTIFICATION, b->refs[q.notify]), q.bits);
        kprintf("boot image: irq \"%s\": line %u signals bits 0x%x\n",
                image_string(im, q.name), q.line, q.bits);
    }
}

bool boot_image_build(boot_image_plan_t *plan, boot_memory_t *mem,
                      const char **why)
{
    static build_t b;
    const image_t *im = &plan->image;
    memset(&b, 0, sizeof b);
    b.plan = plan;
    b.mem = mem;
    const boot_carve_t *packed = &plan->carves[plan->ncarves - 2];
    const boot_carve_t *scratch = &plan->carves[plan->ncarves - 1];
    b.refs = arch_phys_to_virt(scratch->base);
    if (boot_split_roots(packed->base, packed->base + packed->bytes, false,
                         b.roots, &b.nroots, BOOT_OBJECT_ROOTS) != 0) {
        *why = "too many roots for the boot objects' region";
        return false;
    }
    static const unsigned classes[] = { 12, 11, 10, 9, 8, 7, 6, 0 };
    for (unsigned c = 0; c < sizeof classes / sizeof classes[0]; c++)
        if (!make_class(&b, classes[c], why))
            return false;

    for (uint32_t i = 0; i < im->count[IMG_SEC_OBJECTS]; i++) {
        image_object_t o;
        image_object(im, i, &o);
        if (o.type == OBJ_GPT)
            fill_gpt(&b, &o, b.refs[i]);
        else if (o.type == OBJ_CAPPAGE)
            fill_cappage(&b, &o, b.refs[i]);
    }
    for (uint32_t i = 0; i < im->count[IMG_SEC_PROCESSES]; i++)
        setup_process(&b, i);
    bind_irqs(&b);
    kprintf("boot image \"%s\": %u objects, %u processes (%u started), "
            "%u root Untypeds (%llu KiB) %s\n",
            image_string(im, im->name), im->count[IMG_SEC_OBJECTS],
            im->count[IMG_SEC_PROCESSES], b.started, mem->root_count,
            (unsigned long long)(mem->root_bytes >> 10),
            b.ram_cappage.type ? "in the RAM CapPage" : "kept by the kernel");
    return true;
}
