/*
 * Internal to the authority analysis: facts (a holder may hold a
 * capability) with their provenance, the links that carry facts from
 * holder to holder, and the flow graph between processes. Shared by
 * authority.c (the closure), authority_map.c (the hash maps) and
 * authority_flow.c (the flow graph, path search and explanations).
 */
#pragma once

#include "authority.h"

typedef enum {
    WHY_GIVEN,      /* written in the description */
    WHY_READ,       /* loaded from a cappage or gpt the holder can read */
    WHY_STORED,     /* stored into a cappage or gpt by a writer */
    WHY_SENT,       /* sent in a message through an entry */
    WHY_REPLIED,    /* returned in a reply to a call */
    WHY_CONTROL,    /* taken from or put into a process through its cap */
    WHY_MINTED,     /* an entry made from an endpoint capability */
    WHY_IRQCTL,     /* an irq handler made with irq_control */
} why_t;

typedef struct {
    uint8_t type;            /* cap_type_t */
    uint8_t restr;
    int32_t obj;             /* object id, -1 for a stateless capability */
    why_t why;
    int32_t via;             /* the cappage, gpt, endpoint or process used */
    int32_t parent_holder;   /* the fact copied: holder and index; -1 */
    int32_t parent_index;
    uint32_t depth;          /* steps from a given capability: 0 if given */
    loc_t loc;               /* WHY_GIVEN: where it was written */
} fact_t;

/* Every fact of the holder flows to dst (weakened if `weak`). */
typedef struct {
    int32_t dst;
    why_t why;
    int32_t via;
    bool weak;
} link_t;

typedef struct {
    VEC(fact_t) facts;
    VEC(link_t) links;
} holder_t;

/* Processes that send through, call through, or receive on an endpoint. */
typedef struct {
    VEC(int32_t) senders, callers, receivers;
} endpoint_state_t;

/* An open-addressing map from nonzero 64-bit keys to 32-bit values. */
typedef struct {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} map_t;

typedef struct {
    int32_t holder, index;    /* a fact; holder -1: none */
} fref_t;

/* A node of a holder's per-object list of facts. */
typedef struct {
    int32_t fact, next;       /* next: node index, -1 at the end */
} chain_t;

/* A node of the flow graph: a process, or a channel between processes. */
typedef struct {
    int32_t to;
    fref_t enable;            /* the fact that makes this step possible */
} edge_t;

typedef struct {
    VEC(edge_t) out;
    const char *label;        /* channels: "entry(pipe)", "page(buf)" */
} flow_node_t;

struct authority {
    mki_t *m;
    const model_t *md;
    holder_t *holders;            /* by object id */
    endpoint_state_t *endpoints;  /* by object id */
    map_t facts;                  /* (holder, obj, type, restr) -> index */
    map_t by_object;              /* (holder, obj) -> first chain node */
    VEC(chain_t) chain;
    map_t links, roles;           /* dedup of links and endpoint roles */
    VEC(fref_t) work;             /* facts not yet propagated */
    size_t work_head, total_links;
    flow_node_t *flow;            /* processes by id, then channels */
    size_t nflow;
    map_t flow_edges;             /* dedup of flow edges */
};

/* authority_map.c */
bool map_get(const map_t *m, uint64_t key, uint32_t *val);
/* Insert key -> val; false (and no change) if the key is present. */
bool map_put(authority_t *a, map_t *m, uint64_t key, uint32_t val);
/* Insert or overwrite. */
void map_set(authority_t *a, map_t *m, uint64_t key, uint32_t val);

/* authority.c */
/* A fact of process p about object obj: of type `type` (-1: any), with
 * no read_only if `writable`, no no_call if `callable`; NULL if none. */
const fact_t *fact_find(const authority_t *a, int32_t p, int32_t obj,
                        int type, bool writable, bool callable);

/* authority_flow.c */
void flow_build(authority_t *a);
