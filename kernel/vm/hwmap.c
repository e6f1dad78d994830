/*
 * The hardware-map cache (see hwmap.h for the model and its invariant).
 *
 * Storage, all fixed at boot:
 *   pool     page-table frames, on a free list threaded through the
 *            frames themselves (through the physical map);
 *   spaces   HWMAP_SPACES cached spaces, each a root table and a list of
 *            the records it owns;
 *   records  HWMAP_RECORDS dependency and reverse-map records, each on a
 *            hash chain (by GPT or frame) and on its space's list.
 *
 * Every operation does work bounded by the pool and record counts.
 */
#include "hwmap.h"

#include "arch.h"
#include "kprintf.h"
#include "lib/kstring.h"
#include "mem/frame.h"
#include "obj/page.h"
#include "obj/process.h"
#include "panic.h"

#define HWMAP_RECORDS  4096u
#define HWMAP_BUCKETS  256u
#define NIL            0xffffffffu

enum { REC_FREE, REC_DEP, REC_RMAP };

typedef struct hw_rec {
    uint8_t  kind;        /* REC_* */
    uint8_t  slot;        /* REC_DEP: the GPT slot */
    uint8_t  size_bits;   /* size of the region at va */
    uint8_t  pad;
    uint32_t key;         /* REC_DEP: GPT reference; REC_RMAP: frame index */
    uint32_t space;       /* owning space */
    uint32_t hash_next;   /* chain of its bucket */
    uint32_t space_prev, space_next;   /* the owning space's list */
    uint64_t va;          /* start of the region */
} hw_rec_t;

hw_space_t hwmap_spaces[HWMAP_SPACES];     /* see hwmap.h */
static hw_rec_t   recs[HWMAP_RECORDS];
static uint32_t   buckets[HWMAP_BUCKETS];
static uint32_t   rec_free;
static uint64_t   pool_free;        /* physical address of the first free frame */
static hwmap_stats_t stats;
uint64_t          hwmap_use_clock;  /* see hwmap.h */

/* ---- The frame pool ------------------------------------------------------ */

static uint64_t pool_alloc(void *cookie)
{
    (void)cookie;
    uint64_t pa = pool_free;
    if (pa == 0)
        return 0;
    uint64_t *frame = arch_phys_to_virt(pa);
    pool_free = frame[0];
    memset(frame, 0, FRAME_SIZE);
    stats.pool_free--;
    return pa;
}

static void pool_release(uint64_t pa, void *cookie)
{
    (void)cookie;
    uint64_t *frame = arch_phys_to_virt(pa);
    frame[0] = pool_free;
    pool_free = pa;
    stats.pool_free++;
}

/* ---- Records ------------------------------------------------------------- */

static uint32_t bucket_of(uint8_t kind, uint32_t key)
{
    return (key * 2654435761u + kind) % HWMAP_BUCKETS;
}

static void rec_unlink_space(uint32_t r)
{
    hw_rec_t *x = &recs[r];
    if (x->space_prev != NIL)
        recs[x->space_prev].space_next = x->space_next;
    else
        hwmap_spaces[x->space].recs = x->space_next;
    if (x->space_next != NIL)
        recs[x->space_next].space_prev = x->space_prev;
}

static void rec_unlink_hash(uint32_t r)
{
    uint32_t *link = &buckets[bucket_of(recs[r].kind, recs[r].key)];
    while (*link != r) {
        ASSERT(*link != NIL);
        link = &recs[*link].hash_next;
    }
    *link = recs[r].hash_next;
}

static void rec_free_one(uint32_t r)
{
    rec_unlink_hash(r);
    rec_unlink_space(r);
    recs[r].kind = REC_FREE;
    recs[r].hash_next = rec_free;
    rec_free = r;
    stats.records_live--;
}

static bool rec_exists(uint8_t kind, uint32_t key, uint8_t slot,
                       uint32_t space, uint64_t va, uint8_t size_bits)
{
    for (uint32_t r = buckets[bucket_of(kind, key)]; r != NIL;
         r = recs[r].hash_next) {
        const hw_rec_t *x = &recs[r];
        if (x->kind == kind && x->key == key && x->slot == slot &&
            x->space == space && x->va == va && x->size_bits == size_bits)
            return true;
    }
    return false;
}

/* Add a record unless an identical one exists. False if none are free. */
static bool rec_add(uint8_t kind, uint32_t key, uint8_t slot, uint32_t space,
                    uint64_t va, uint8_t size_bits)
{
    if (rec_exists(kind, key, slot, space, va, size_bits))
        return true;
    uint32_t r = rec_free;
    if (r == NIL)
        return false;
    rec_free = recs[r].hash_next;
    recs[r] = (hw_rec_t){ .kind = kind, .slot = slot, .size_bits = size_bits,
                          .key = key, .space = space, .va = va,
                          .space_prev = NIL, .space_next = hwmap_spaces[space].recs };
    if (hwmap_spaces[space].recs != NIL)
        recs[hwmap_spaces[space].recs].space_prev = r;
    hwmap_spaces[space].recs = r;
    uint32_t b = bucket_of(kind, key);
    recs[r].hash_next = buckets[b];
    buckets[b] = r;
    stats.records_live++;
    return true;
}

/* ---- Spaces -------------------------------------------------------------- */

/* Unmap [va, va + 2^size_bits) clipped to the user range. */
static void space_unmap(uint32_t s, uint64_t va, unsigned size_bits)
{
    uint64_t limit = arch_user_va_limit;
    if (va >= limit)
        return;
    uint64_t size = size_bits >= 64 ? limit : (uint64_t)1 << size_bits;
    if (size > limit - va)
        size = limit - va;
    arch_pt_unmap(hwmap_spaces[s].root, va, size);
    stats.unmaps++;
}

/* Drop everything space s holds and free the slot. */
static void space_evict(uint32_t s)
{
    hw_space_t *sp = &hwmap_spaces[s];
    while (sp->recs != NIL)
        rec_free_one(sp->recs);
    arch_pt_clear(sp->root, pool_release, NULL);
    pool_release(sp->root, NULL);
    /* A live space's owner is still a Process in memory: a dying one
     * forgets its space before its memory can be reused (hwmap_forget
     * from the teardown hook). */
    process_t *owner = obj_ptr(sp->proc);
    if (owner->self_key == sp->key)
        owner->hwmap_root = 0;
    sp->proc = OBJ_REF_NONE;
    sp->root = 0;
    stats.spaces_live--;
}

static uint32_t space_find(obj_ref_t proc, uint32_t gen)
{
    for (uint32_t s = 0; s < HWMAP_SPACES; s++)
        if (hwmap_spaces[s].proc == proc && hwmap_spaces[s].proc_gen == gen)
            return s;
    return NIL;
}

/* The least recently used live space other than `keep`, or NIL. */
static uint32_t space_victim(uint32_t keep)
{
    uint32_t best = NIL;
    for (uint32_t s = 0; s < HWMAP_SPACES; s++)
        if (s != keep && hwmap_spaces[s].proc != OBJ_REF_NONE &&
            (best == NIL || hwmap_spaces[s].last_use < hwmap_spaces[best].last_use))
            best = s;
    return best;
}

static uint32_t space_create(obj_ref_t proc, uint32_t gen)
{
    uint32_t s = NIL;
    for (uint32_t i = 0; i < HWMAP_SPACES && s == NIL; i++)
        if (hwmap_spaces[i].proc == OBJ_REF_NONE)
            s = i;
    if (s == NIL) {
        s = space_victim(NIL);
        space_evict(s);
        stats.evictions++;
    }
    uint64_t root = pool_alloc(NULL);
    while (root == 0) {
        uint32_t v = space_victim(NIL);
        REQUIRE(v != NIL);
        space_evict(v);
        stats.evictions++;
        root = pool_alloc(NULL);
    }
    arch_pt_root_init(root);
    hwmap_spaces[s] = (hw_space_t){ .proc = proc, .proc_gen = gen, .root = root,
                              .recs = NIL };
    stats.spaces_live++;
    return s;
}

/* The search behind a missed hint: find or make p's space, remember it. */
static uint32_t space_lookup(process_t *p)
{
    uint32_t s = space_find(p->self, p->self_gen);
    if (s == NIL)
        s = space_create(p->self, p->self_gen);
    p->hwmap_hint = s;
    p->hwmap_root = hwmap_spaces[s].root;
    return s;
}

/*
 * p's space, made if it has none. A space is keyed by the process's
 * reference and its creation generation (self_gen), which stay the
 * same for the whole life of the object, even while a revoke is tearing
 * it down; p->hwmap_hint remembers the slot, so the usual lookup is O(1).
 */
static uint32_t space_of(process_t *p)
{
    uint32_t s = p->hwmap_hint;
    if (!hwmap_hint_valid(p))
        s = space_lookup(p);
    hwmap_spaces[s].last_use = ++hwmap_use_clock;
    return s;
}

/* ---- Invalidation hooks --------------------------------------------------- */

static void on_gpt_change(gpt_t *gpt, uint32_t slot_mask)
{
    obj_ref_t key = obj_ref_of(gpt);
    uint32_t r = buckets[bucket_of(REC_DEP, key)];
    while (r != NIL) {
        uint32_t next = recs[r].hash_next;
        hw_rec_t *x = &recs[r];
        if (x->kind == REC_DEP && x->key == key && (slot_mask >> x->slot) & 1) {
            space_unmap(x->space, x->va, x->size_bits);
            rec_free_one(r);
        }
        r = next;
    }
}

static void on_page_teardown(uint32_t frame)
{
    uint32_t r = buckets[bucket_of(REC_RMAP, frame)];
    while (r != NIL) {
        uint32_t next = recs[r].hash_next;
        if (recs[r].kind == REC_RMAP && recs[r].key == frame) {
            space_unmap(recs[r].space, recs[r].va, FRAME_BITS);
            rec_free_one(r);
        }
        r = next;
    }
}

void hwmap_init(uint64_t base, uint32_t frames)
{
    REQUIRE(frames >= HWMAP_MIN_POOL_FRAMES);
    for (uint32_t i = 0; i < HWMAP_RECORDS; i++)
        recs[i] = (hw_rec_t){ .kind = REC_FREE,
                              .hash_next = i + 1 < HWMAP_RECORDS ? i + 1 : NIL };
    rec_free = 0;
    for (uint32_t b = 0; b < HWMAP_BUCKETS; b++)
        buckets[b] = NIL;
    for (uint32_t s = 0; s < HWMAP_SPACES; s++)
        hwmap_spaces[s] = (hw_space_t){ .proc = OBJ_REF_NONE, .recs = NIL };
    pool_free = 0;
    stats = (hwmap_stats_t){ 0 };
    for (uint32_t i = frames; i-- > 0;)
        pool_release(base + (uint64_t)i * FRAME_SIZE, NULL);
    stats.pool_frames = frames;
    gpt_set_invalidate_hook(on_gpt_change);
    page_set_teardown_hook(on_page_teardown);
}

uint64_t hwmap_root_lookup(process_t *p)
{
    return hwmap_spaces[space_of(p)].root;
}

void hwmap_forget(process_t *p)
{
    uint32_t s = space_find(p->self, p->self_gen);
    if (s != NIL)
        space_evict(s);
}

/* ---- Fault resolution ----------------------------------------------------- */

static unsigned walk_access(unsigned access)
{
    unsigned w = 0;
    if (access & ARCH_ACCESS_READ)  w |= WALK_READ;
    if (access & ARCH_ACCESS_WRITE) w |= WALK_WRITE;
    if (access & ARCH_ACCESS_EXEC)  w |= WALK_EXEC;
    return w ? w : WALK_READ;
}

/* The region of addresses that went through path step i (see hwmap.h). */
static void step_region(const gpt_walk_t *w, uint32_t i, uint64_t va,
                        uint64_t *base, uint8_t *bits)
{
    const gpt_t *g = obj_ptr(w->path[i].gpt);
    if ((g->flags & CAIRN_GPT_BG) && w->path[i].slot == CAIRN_GPT_BG_SLOT) {
        *base = 0;        /* reached through a window: be conservative */
        *bits = 64;
        return;
    }
    *bits = g->l2v;
    *base = g->l2v >= 64 ? 0 : va & ~(((uint64_t)1 << g->l2v) - 1);
}

/* Record every dependency of the mapping at va; false if records ran out. */
static bool record_mapping(uint32_t s, const gpt_walk_t *w, uint64_t va,
                           uint32_t frame)
{
    for (uint32_t i = 0; i < w->steps; i++) {
        uint64_t base;
        uint8_t bits;
        step_region(w, i, va, &base, &bits);
        if (!rec_add(REC_DEP, w->path[i].gpt, w->path[i].slot, s, base, bits))
            return false;
    }
    return rec_add(REC_RMAP, frame, 0, s, va, FRAME_BITS);
}

/* Make room by evicting some other space; false if s is the only one. */
static bool make_room(uint32_t s)
{
    uint32_t v = space_victim(s);
    if (v == NIL)
        return false;
    space_evict(v);
    stats.evictions++;
    return true;
}

static unsigned map_perms(uint8_t restr)
{
    unsigned perms = 0;
    if (!(restr & (RESTR_READ_ONLY | RESTR_WEAK)))
        perms |= ARCH_MAP_WRITE;
    if (!(restr & RESTR_NO_EXECUTE))
        perms |= ARCH_MAP_EXEC;
    return perms;
}

cairn_error_t hwmap_fault(process_t *p, uint64_t va, unsigned access,
                          gpt_walk_t *w)
{
    if (va >= arch_user_va_limit) {
        *w = (gpt_walk_t){ .error = ERR_INVALID_ADDRESS,
                           .reason = "address above the user range",
                           .keeper_gpt = OBJ_REF_NONE };
        return w->error;
    }
    if (gpt_walk(&p->space, va, walk_access(access), w) != ERR_OK)
        return w->error;
    if (w->leaf.type != CAP_PAGE) {
        w->error = ERR_WRONG_TYPE;
        w->reason = "data access to a CapPage";
        return w->error;
    }
    uint32_t frame = cap_obj_frame(&w->leaf);
    uint64_t pa = frame_paddr(frame_get(frame));
    uint64_t page_va = va & ~(uint64_t)(FRAME_SIZE - 1);
    uint32_t s = space_of(p);
    for (;;) {
        if (record_mapping(s, w, page_va, frame) &&
            arch_pt_map(hwmap_spaces[s].root, page_va, pa, map_perms(w->restr),
                        pool_alloc, NULL))
            break;
        if (!make_room(s)) {
            /* Alone and still short: start this space afresh. */
            uint64_t root = hwmap_spaces[s].root;
            while (hwmap_spaces[s].recs != NIL)
                rec_free_one(hwmap_spaces[s].recs);
            arch_pt_clear(root, pool_release, NULL);
            REQUIRE(record_mapping(s, w, page_va, frame) &&
                    arch_pt_map(root, page_va, pa, map_perms(w->restr),
                                pool_alloc, NULL));
            break;
        }
    }
    stats.faults_resolved++;
    return ERR_OK;
}

void hwmap_get_stats(hwmap_stats_t *s)
{
    *s = stats;
}
