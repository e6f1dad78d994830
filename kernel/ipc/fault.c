/*
 * Fault delivery (see fault.h). A process's fault record (fault_code,
 * fault_info, ipc.fault_access, ipc.u.fault.addr) is written here and
 * cleared by the keeper's reply (ipc.c) or by Process.start.
 */
#include "ipc/fault.h"

#include "arch.h"
#include "ipc/ipc.h"
#include "ipc/reply.h"
#include "kprintf.h"
#include "sched/sched.h"

/* A keeper is called, so a send-only (NO_CALL) Entry cannot be one. */
static bool usable_keeper(const cap_t *k)
{
    return k->type == CAP_ENTRY && !(k->restr & RESTR_NO_CALL) && cap_is_live(k);
}

/* The memory keeper the failed walk found, with the address relative to
 * its GPT; false if there is none or its slot holds no live Entry. */
static bool memory_keeper(const gpt_walk_t *w, cap_t *k, uint64_t *rel)
{
    if (!w || w->keeper_gpt == OBJ_REF_NONE)
        return false;
    const gpt_t *g = obj_ptr(w->keeper_gpt);
    *k = g->slots[CAIRN_GPT_KEEPER_SLOT];
    *rel = w->keeper_addr;
    return usable_keeper(k);
}

void fault_stop(process_t *p, const char *why)
{
    p->state = CAIRN_PROC_FAULTED;
    if (sched_current() == p)
        sched_block_current();
    kprintf("process %x faulted: %s at pc=%p addr=%p (%s)\n",
            (unsigned)obj_ref_of(p), fault_kind_name((fault_kind_t)p->fault_code),
            (void *)(uintptr_t)arch_context_pc(p->arch_regs),
            (void *)(uintptr_t)p->fault_info, why);
}

void fault_raise(process_t *p, fault_kind_t kind, uint64_t addr, unsigned access,
                 const gpt_walk_t *w, const char *why)
{
    cap_t k;
    uint64_t rel;
    p->fault_code = kind;
    p->fault_info = addr;
    if (!memory_keeper(w, &k, &rel)) {
        k = p->keeper;
        rel = addr;
    }
    if (!usable_keeper(&k) || !call_gen_available(p)) {
        fault_stop(p, why);
        return;
    }
    p->ipc.fault_access = (uint8_t)access;
    p->ipc.u.fault.addr = rel;
    if (sched_current() == p)
        sched_block_current();
    ipc_send_fault(p, obj_ptr(k.obj), k.payload);
}
