/*
 * Internal to the authority analysis: facts (a holder may hold a
 * capability), their provenance, and the flow graph between processes.
 * Shared by authority.c (the closure) and authority_flow.c (the flow
 * graph, path search and explanations).
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
    loc_t loc;               /* WHY_GIVEN: where it was written */
} fact_t;

typedef struct {
    VEC(fact_t) facts;
} holder_t;

/* A possible flow of information from one process to another. */
typedef struct {
    int32_t holder, index;    /* a fact: its holder and index; holder -1: none */
} fref_t;

typedef struct {
    int32_t to;
    const char *label;        /* "entry(pipe)", "reply(pipe)", "page(buf)" */
    fref_t enable[2];         /* the facts that make it possible */
} edge_t;

typedef struct {
    VEC(edge_t) out;
} flow_node_t;

struct authority {
    mki_t *m;
    const model_t *md;
    holder_t *holders;        /* indexed by object id */
    uint64_t *set;            /* open-addressing set of fact keys + 1 */
    size_t set_cap, set_n;
    size_t total;
    bool changed;
    size_t *limit;            /* per holder: facts visible this round */
    flow_node_t *flow;        /* indexed by object id (processes only) */
    size_t edges;
};

bool fact_add(authority_t *a, int32_t holder, fact_t f);
/* Facts of holder h that rules may use now: those from earlier rounds
 * while the closure runs, all of them afterwards. */
size_t fact_count(const authority_t *a, int32_t h);
const fact_t *fact_find(const authority_t *a, int32_t p, int32_t obj,
                        int type, bool writable, bool callable);
void flow_build(authority_t *a);
