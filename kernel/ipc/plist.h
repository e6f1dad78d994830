/*
 * Intrusive doubly linked lists of processes, linked through a plink_t
 * inside each Process object and named by object reference, so that no
 * list ever allocates. One process may be on several lists at once if
 * each uses a different link: the ready or wait queue (PLINK_QUEUE), the
 * timeout list (PLINK_TIMEOUT) and a notification's watch list
 * (PLINK_WATCH).
 *
 * Invariants: head and tail are both OBJ_REF_NONE or both name members;
 * a member's prev is OBJ_REF_NONE exactly when it is the head, its next
 * exactly when it is the tail. A process not on a list has both links
 * OBJ_REF_NONE (callers rely on this only through their own flags).
 * Every operation is O(1).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "obj/process.h"

#define PLINK_QUEUE   offsetof(process_t, queue)
#define PLINK_TIMEOUT offsetof(process_t, ipc.u.op.timeouts)
#define PLINK_WATCH   offsetof(process_t, ipc.u.op.watchers)

static inline process_t *plist_proc(obj_ref_t ref)
{
    return ref == OBJ_REF_NONE ? (process_t *)0 : (process_t *)obj_ptr(ref);
}

static inline plink_t *plist_link(process_t *p, size_t link)
{
    return (plink_t *)((char *)p + link);
}

static inline bool plist_empty(const plist_t *l)
{
    return l->head == OBJ_REF_NONE;
}

static inline process_t *plist_head(const plist_t *l)
{
    return plist_proc(l->head);
}

static inline process_t *plist_next(process_t *p, size_t link)
{
    return plist_proc(plist_link(p, link)->next);
}

static inline void plist_push_back(plist_t *l, process_t *p, size_t link)
{
    obj_ref_t ref = p->self;
    plink_t *k = plist_link(p, link);
    k->next = OBJ_REF_NONE;
    k->prev = l->tail;
    if (l->tail != OBJ_REF_NONE)
        plist_link(plist_proc(l->tail), link)->next = ref;
    else
        l->head = ref;
    l->tail = ref;
}

static inline void plist_push_front(plist_t *l, process_t *p, size_t link)
{
    obj_ref_t ref = p->self;
    plink_t *k = plist_link(p, link);
    k->prev = OBJ_REF_NONE;
    k->next = l->head;
    if (l->head != OBJ_REF_NONE)
        plist_link(plist_proc(l->head), link)->prev = ref;
    else
        l->tail = ref;
    l->head = ref;
}

/* Insert p just before `before` (a member), or at the back if NULL. */
static inline void plist_insert_before(plist_t *l, process_t *p, process_t *before,
                                       size_t link)
{
    if (before == NULL) {
        plist_push_back(l, p, link);
        return;
    }
    plink_t *b = plist_link(before, link), *k = plist_link(p, link);
    obj_ref_t ref = p->self;
    k->next = before->self;
    k->prev = b->prev;
    if (b->prev != OBJ_REF_NONE)
        plist_link(plist_proc(b->prev), link)->next = ref;
    else
        l->head = ref;
    b->prev = ref;
}

/* Unlink p, a member of l. */
static inline void plist_remove(plist_t *l, process_t *p, size_t link)
{
    plink_t *k = plist_link(p, link);
    if (k->prev != OBJ_REF_NONE)
        plist_link(plist_proc(k->prev), link)->next = k->next;
    else
        l->head = k->next;
    if (k->next != OBJ_REF_NONE)
        plist_link(plist_proc(k->next), link)->prev = k->prev;
    else
        l->tail = k->prev;
    k->next = k->prev = OBJ_REF_NONE;
}
