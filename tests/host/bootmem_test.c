/*
 * Host tests for kernel/boot/memory.c: carving the frame table, the
 * page-table pool and the boot image's requests from RAM, and cutting the
 * rest into root Untypeds. Memory is the shim's simulated RAM.
 */
#include "boot/memory.h"
#include "harness.h"
#include "host_env.h"
#include "obj/untyped.h"

#define MiB (1ull << 20)

static memmap_t map_of(const mem_region_t *r, unsigned n)
{
    memmap_t m;
    uint64_t kbytes;
    untyped_roots_storage(&kbytes);
    memmap_sanitize(r, n, HOST_KIMG_BASE, HOST_KIMG_BASE + kbytes, NULL, 0, &m);
    return m;
}

static const untyped_t *root(const boot_memory_t *m, unsigned i)
{
    return obj_ptr(m->roots[i].obj);
}

static uint64_t root_base(const boot_memory_t *m, unsigned i)
{
    return frame_paddr(frame_get(root(m, i)->base_frame));
}

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

/* Every root is aligned to its size and clear of the carved ranges. */
static bool roots_sound(const boot_memory_t *m, const boot_carve_t *c, unsigned nc)
{
    for (unsigned i = 0; i < m->root_count; i++) {
        uint64_t b = root_base(m, i), n = 1ull << root(m, i)->size_bits;
        if (b % n || overlaps(b, n, m->table_base, m->table_bytes) ||
            overlaps(b, n, m->pool_base, (uint64_t)m->pool_frames * 4096))
            return false;
        for (unsigned k = 0; k < nc; k++)
            if (overlaps(b, n, c[k].base, c[k].bytes))
                return false;
        for (unsigned j = 0; j < i; j++)
            if (overlaps(b, n, root_base(m, j), 1ull << root(m, j)->size_bits))
                return false;
    }
    return true;
}

HOST_TEST(bootmem, all_ram_accounted_for)
{
    host_env_reset();
    mem_region_t r[] = { { HOST_RAM_BASE, HOST_RAM_SIZE, MEM_USABLE } };
    memmap_t map = map_of(r, 1);
    boot_memory_t m;
    const char *why = NULL;
    CHECK(boot_memory_setup(&map, NULL, 0, 64, NULL, 0, &m, &why));
    CHECK(roots_sound(&m, NULL, 0));
    uint64_t table = (m.table_bytes + 4095) & ~4095ull;
    CHECK_EQ(m.root_bytes + table + 64 * 4096 + m.lost_bytes, HOST_RAM_SIZE);
    CHECK_EQ(m.lost_bytes, 0);
    CHECK(m.root_count > 0 && m.root_count < 40);
}

HOST_TEST(bootmem, aligned_carves_lose_nothing)
{
    host_env_reset();
    mem_region_t r[] = { { HOST_RAM_BASE, HOST_RAM_SIZE, MEM_USABLE } };
    memmap_t map = map_of(r, 1);
    boot_carve_t c[] = { { 4 * MiB, 4 * MiB, 0 }, { 3 * 4096, 4096, 0 },
                         { 1 * MiB, 1 * MiB, 0 } };
    boot_memory_t m;
    const char *why = NULL;
    CHECK(boot_memory_setup(&map, NULL, 0, 64, c, 3, &m, &why));
    CHECK_EQ(c[0].base % (4 * MiB), 0);
    CHECK_EQ(c[2].base % MiB, 0);
    CHECK(c[0].base >= HOST_RAM_BASE && c[0].base + 4 * MiB <= HOST_RAM_BASE + HOST_RAM_SIZE);
    CHECK(!overlaps(c[0].base, 4 * MiB, c[1].base, 3 * 4096));
    CHECK(!overlaps(c[1].base, 3 * 4096, c[2].base, MiB));
    CHECK(roots_sound(&m, c, 3));
    uint64_t table = (m.table_bytes + 4095) & ~4095ull;
    CHECK_EQ(m.root_bytes + table + 64 * 4096 + 5 * MiB + 3 * 4096, HOST_RAM_SIZE);
}

HOST_TEST(bootmem, fragmented_ram_and_holes)
{
    host_env_reset();
    mem_region_t r[] = {
        { HOST_RAM_BASE, 3 * MiB + 4096, MEM_USABLE },
        { HOST_RAM_BASE + 8 * MiB, 20 * MiB, MEM_USABLE },
        { HOST_RAM_BASE + 10 * MiB, MiB, MEM_RESERVED },
    };
    memmap_t map = map_of(r, 3);
    boot_carve_t c[] = { { 2 * MiB, 2 * MiB, 0 } };
    boot_memory_t m;
    const char *why = NULL;
    CHECK(boot_memory_setup(&map, NULL, 0, 32, c, 1, &m, &why));
    CHECK(roots_sound(&m, c, 1));
    CHECK(!overlaps(c[0].base, 2 * MiB, HOST_RAM_BASE + 10 * MiB, MiB));
    for (unsigned i = 0; i < m.root_count; i++)
        CHECK(!overlaps(root_base(&m, i), 1ull << root(&m, i)->size_bits,
                        HOST_RAM_BASE + 10 * MiB, MiB));
    uint64_t usable = 3 * MiB + 4096 + 19 * MiB;
    uint64_t table = (m.table_bytes + 4095) & ~4095ull;
    CHECK_EQ(m.root_bytes + table + 32 * 4096 + 2 * MiB + m.lost_bytes, usable);
}

HOST_TEST(bootmem, too_little_ram_is_refused)
{
    host_env_reset();
    mem_region_t r[] = { { HOST_RAM_BASE, 2 * MiB, MEM_USABLE } };
    memmap_t map = map_of(r, 1);
    boot_carve_t c[] = { { 4 * MiB, 4 * MiB, 0 } };
    boot_memory_t m;
    const char *why = NULL;
    CHECK(!boot_memory_setup(&map, NULL, 0, 32, c, 1, &m, &why));
    CHECK(why != NULL);
    CHECK(!boot_memory_setup(&map, NULL, 0, 1024, NULL, 0, &m, &why));
}

HOST_TEST(bootmem, roots_can_be_retyped)
{
    host_env_reset();
    mem_region_t r[] = { { HOST_RAM_BASE, 16 * MiB, MEM_USABLE } };
    memmap_t map = map_of(r, 1);
    boot_memory_t m;
    const char *why = NULL;
    CHECK(boot_memory_setup(&map, NULL, 0, 32, NULL, 0, &m, &why));
    cap_t page = cap_null();
    CHECK_EQ(untyped_retype(&m.roots[0], OBJ_PAGE, 0, 1, &page), ERR_OK);
    CHECK_EQ(page.type, CAP_PAGE);
    CHECK_EQ(cap_check(&page), ERR_OK);
}
