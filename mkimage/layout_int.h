/*
 * Internal to the layout: the state of one layout run, shared by
 * layout.c (declared objects, slots, IRQs) and layout_process.c
 * (programs and address spaces).
 */
#pragma once

#include "layout.h"

#define PAGE ((uint64_t)CAIRN_PAGE_SIZE)

typedef struct {
    mki_t *m;
    const model_t *md;
    const layout_options_t *opt;
    ibuild_t *b;
    uint32_t *first;          /* model object id -> its first image object */
    uint32_t **device_pages;  /* model object id -> its device pages, made
                                 on first map; NULL until then */
} layout_t;

extern const icap_t layout_null_cap;

/* A model capability in image form. */
icap_t layout_icap(layout_t *l, const mcap_t *c);

/* Load the program of process `o`, build its address space, and fill its
 * capability block and process record. */
void layout_process(layout_t *l, const mobj_t *o);
