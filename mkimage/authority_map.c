/*
 * The hash maps of the authority analysis: open addressing with linear
 * probing over 64-bit keys, at most half full, in the run's arena. Keys
 * are stored plus one so that 0 marks an empty slot.
 */
#include "authority_int.h"

static size_t slot_of(const map_t *m, uint64_t key)
{
    uint64_t h = (key + 1) * 0x9e3779b97f4a7c15ull;
    size_t i = (size_t)(h >> 17) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key + 1)
        i = (i + 1) & (m->cap - 1);
    return i;
}

bool map_get(const map_t *m, uint64_t key, uint32_t *val)
{
    if (!m->cap)
        return false;
    size_t i = slot_of(m, key);
    if (!m->keys[i])
        return false;
    if (val)
        *val = m->vals[i];
    return true;
}

static void map_grow(authority_t *a, map_t *m)
{
    map_t old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->keys = arena_alloc(&a->m->arena, m->cap * sizeof *m->keys);
    m->vals = arena_alloc(&a->m->arena, m->cap * sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot_of(m, old.keys[i] - 1);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
}

bool map_put(authority_t *a, map_t *m, uint64_t key, uint32_t val)
{
    if (2 * (m->n + 1) > m->cap)
        map_grow(a, m);
    size_t i = slot_of(m, key);
    if (m->keys[i])
        return false;
    m->keys[i] = key + 1;
    m->vals[i] = val;
    m->n++;
    return true;
}

void map_set(authority_t *a, map_t *m, uint64_t key, uint32_t val)
{
    if (!map_put(a, m, key, val))
        m->vals[slot_of(m, key)] = val;
}
