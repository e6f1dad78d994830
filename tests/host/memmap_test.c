/* Host tests for kernel/boot/memmap.c: the boot memory map cleaner. */
#include "boot/memmap.h"
#include "harness.h"

#define KiB 1024ull
#define MiB (1024ull * KiB)

static bool invariants_hold(const memmap_t *m)
{
    for (uint32_t i = 0; i < m->count; i++) {
        const mem_region_t *r = &m->regions[i];
        if (r->size == 0 || r->base + r->size < r->base)
            return false;
        if (r->kind == MEM_USABLE && (r->base % 4096 || r->size % 4096))
            return false;
        if (i && m->regions[i - 1].base + m->regions[i - 1].size > r->base)
            return false;
        if (i && m->regions[i - 1].kind == r->kind &&
            m->regions[i - 1].base + m->regions[i - 1].size == r->base)
            return false;   /* should have been merged */
    }
    return true;
}

HOST_TEST(memmap, simple_pc_map)
{
    mem_region_t in[] = {
        { 0, 640 * KiB, MEM_USABLE },
        { 0xf0000, 64 * KiB, MEM_RESERVED },
        { 1 * MiB, 127 * MiB, MEM_USABLE },
    };
    memmap_t m;
    CHECK(memmap_sanitize(in, 3, 2 * MiB, 3 * MiB, NULL, 0, &m));
    CHECK(invariants_hold(&m));
    CHECK_EQ(m.count, 5);
    CHECK_EQ(m.regions[2].base, 1 * MiB);
    CHECK_EQ(m.regions[3].kind, MEM_KERNEL);
    CHECK_EQ(m.regions[3].size, 1 * MiB);
    CHECK_EQ(memmap_usable_bytes(&m), 640 * KiB + 126 * MiB);
}

HOST_TEST(memmap, reserved_wins_overlap)
{
    mem_region_t in[] = {
        { 0, 16 * MiB, MEM_USABLE },
        { 4 * MiB, 1 * MiB, MEM_RESERVED },
    };
    memmap_t m;
    CHECK(memmap_sanitize(in, 2, 0, 0, NULL, 0, &m));
    CHECK(invariants_hold(&m));
    CHECK_EQ(m.count, 3);
    CHECK_EQ(m.regions[1].kind, MEM_RESERVED);
    CHECK_EQ(m.overlaps, 1);
    CHECK_EQ(memmap_usable_bytes(&m), 15 * MiB);
}

HOST_TEST(memmap, unsorted_and_duplicate)
{
    mem_region_t in[] = {
        { 8 * MiB, 8 * MiB, MEM_USABLE },
        { 0, 8 * MiB, MEM_USABLE },
        { 8 * MiB, 8 * MiB, MEM_USABLE },
    };
    memmap_t m;
    CHECK(memmap_sanitize(in, 3, 0, 0, NULL, 0, &m));
    CHECK(invariants_hold(&m));
    CHECK_EQ(m.count, 1);
    CHECK_EQ(m.regions[0].size, 16 * MiB);
}

HOST_TEST(memmap, partial_pages_dropped_not_rounded_out)
{
    mem_region_t in[] = { { 100, 3 * 4096, MEM_USABLE } };
    memmap_t m;
    CHECK(memmap_sanitize(in, 1, 0, 0, NULL, 0, &m));
    CHECK(invariants_hold(&m));
    CHECK_EQ(m.count, 1);
    CHECK_EQ(m.regions[0].base, 4096);
    CHECK_EQ(m.regions[0].size, 2 * 4096);
}

HOST_TEST(memmap, tiny_region_vanishes)
{
    mem_region_t in[] = { { 10, 100, MEM_USABLE } };
    memmap_t m;
    CHECK(memmap_sanitize(in, 1, 0, 0, NULL, 0, &m));
    CHECK_EQ(m.count, 0);
}

HOST_TEST(memmap, empty_wrapping_invalid)
{
    mem_region_t in[] = {
        { 0x1000, 0, MEM_USABLE },
        { UINT64_MAX - 0xfff, 0x10000, MEM_RESERVED },
        { 0x2000, 0x1000, (mem_kind_t)99 },
        { 0x100000, 0x100000, MEM_USABLE },
    };
    memmap_t m;
    CHECK(memmap_sanitize(in, 4, 0, 0, NULL, 0, &m));
    CHECK(invariants_hold(&m));
    CHECK_EQ(m.dropped_empty, 1);
    CHECK_EQ(m.clipped_wrapping, 1);
    CHECK_EQ(m.dropped_invalid, 1);
    CHECK_EQ(memmap_usable_bytes(&m), 0x100000);
}

HOST_TEST(memmap, modules_are_not_usable)
{
    mem_region_t in[] = { { 0, 64 * MiB, MEM_USABLE } };
    boot_module_t mods[] = { { 10 * MiB + 123, 5000 } };
    memmap_t m;
    CHECK(memmap_sanitize(in, 1, 1 * MiB, 2 * MiB, mods, 1, &m));
    CHECK(invariants_hold(&m));
    bool found = false;
    for (uint32_t i = 0; i < m.count; i++) {
        const mem_region_t *r = &m.regions[i];
        if (r->kind == MEM_MODULE) {
            found = true;
            CHECK_EQ(r->base, 10 * MiB + 123);
        }
        if (r->kind == MEM_USABLE)
            CHECK(r->base + r->size <= 10 * MiB || r->base >= 10 * MiB + 123 + 5000);
    }
    CHECK(found);
}

HOST_TEST(memmap, no_input_gives_empty_map)
{
    memmap_t m;
    CHECK(memmap_sanitize(NULL, 0, 0, 0, NULL, 0, &m));
    CHECK_EQ(m.count, 0);
    CHECK_EQ(memmap_usable_bytes(&m), 0);
}

/* Many random maps: the invariants hold and no byte changes kind wrongly. */
HOST_TEST(memmap, random_maps_keep_invariants)
{
    uint64_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        mem_region_t in[BOOT_MAX_REGIONS];
        uint32_t n = (uint32_t)(seed % BOOT_MAX_REGIONS);
        for (uint32_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            in[i].base = (seed >> 20) % (256 * MiB);
            in[i].size = (seed >> 8) % (32 * MiB);
            in[i].kind = (mem_kind_t)(1 + (seed >> 60) % 2);
        }
        memmap_t m;
        CHECK(memmap_sanitize(in, n, 0, 0, NULL, 0, &m));
        CHECK_MSG(invariants_hold(&m), "round %d", round);
        /* A usable output page must be usable and not reserved in the input. */
        for (uint32_t i = 0; i < m.count; i++) {
            if (m.regions[i].kind != MEM_USABLE)
                continue;
            uint64_t probe = m.regions[i].base;
            bool usable = false, reserved = false;
            for (uint32_t j = 0; j < n; j++)
                if (in[j].base <= probe && probe < in[j].base + in[j].size) {
                    usable |= in[j].kind == MEM_USABLE;
                    reserved |= in[j].kind == MEM_RESERVED;
                }
            CHECK_MSG(usable && !reserved, "round %d region %u", round, i);
        }
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    }
}
