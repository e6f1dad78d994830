/*
 * The entries from user mode: the system call, user faults and
 * interrupts taken in user mode (kernel/arch.h).
 *
 * Each runs on a fresh kernel stack with interrupts off and ends in
 * sched_run(), which resumes the best ready process. Nothing survives on
 * the kernel stack between entries (the event model): a call that cannot
 * finish now is rewound with arch_syscall_restart and runs again later.
 *
 * The system call marshals the registers and IPC buffer (kernel/abi/ipc.h)
 * into a portable msg_t, calls kernel_invoke, and writes the results back.
 */
#include "syscall.h"

#include "abi/ipc.h"
#include "arch.h"
#include "cap/cap.h"
#include "invoke.h"
#include "kprintf.h"
#include "lib/kstring.h"
#include "mem/frame.h"
#include "obj/process.h"
#include "panic.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

/*
 * The caller's IPC buffer through the physical map, or NULL if it has
 * none that the kernel may write (a live, writable Page).
 */
static cairn_ipc_buffer_t *ipc_buffer_of(process_t *p)
{
    const cap_t *c = &p->ipc_buffer;
    if (c->type != CAP_PAGE || cap_check(c) != ERR_OK ||
        (c->restr & (RESTR_READ_ONLY | RESTR_WEAK)))
        return NULL;
    return frame_virt(cap_obj_frame(c));
}

/* Fill msg from the caller's registers and buffer; an error refuses. */
static cairn_error_t msg_read(process_t *p, const uint64_t *ctx, msg_t *msg)
{
    uint64_t info = arch_syscall_get(ctx, ARCH_SYS_INFO);
    unsigned nwords = info & CAIRN_INFO_WORDS_MASK;
    unsigned ncaps = (info >> CAIRN_INFO_CAPS_SHIFT) & CAIRN_INFO_COUNT_MASK;
    unsigned nrecv = (info >> CAIRN_INFO_RECV_SHIFT) & CAIRN_INFO_COUNT_MASK;

    if (nwords > CAIRN_MSG_WORDS_MAX || ncaps > CAIRN_MSG_CAPS_MAX ||
        nrecv > CAIRN_MSG_CAPS_MAX)
        return REFUSE(ERR_INVALID_ARGUMENT,
                      "control word asks for %u words, %u caps, %u slots",
                      nwords, ncaps, nrecv);
    msg->opcode = arch_syscall_get(ctx, ARCH_SYS_OPCODE);
    msg->nwords = nwords;
    msg->ncaps = ncaps;
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        msg->words[i] = arch_syscall_get(ctx, ARCH_SYS_W0 + i);
    if (nwords <= CAIRN_REG_WORDS && ncaps == 0 && nrecv == 0)
        return ERR_OK;

    const cairn_ipc_buffer_t *buf = ipc_buffer_of(p);
    if (!buf)
        return REFUSE(ERR_INVALID_ARGUMENT,
                      "the message needs an IPC buffer and the process has "
                      "no writable one");
    for (unsigned i = CAIRN_REG_WORDS; i < nwords; i++)
        msg->words[i] = buf->words[i];
    for (unsigned i = 0; i < ncaps; i++)
        msg->caps[i] = buf->send_caps[i];
    for (unsigned i = 0; i < nrecv; i++)
        msg->recv[i] = buf->recv_caps[i];
    for (unsigned i = nrecv; i < CAIRN_MSG_CAPS_MAX; i++)
        msg->recv[i] = CAPLOC_REG(0);
    return ERR_OK;
}

/* Write the result word, the returned words and (if any) the buffer. */
static void msg_write(process_t *p, uint64_t *ctx, const msg_t *msg,
                      cairn_error_t err)
{
    unsigned n = err == ERR_OK ? msg->nwords : 0;
    cairn_ipc_buffer_t *buf = n > CAIRN_REG_WORDS ? ipc_buffer_of(p) : NULL;
    if (n > CAIRN_REG_WORDS && !buf) {
        err = ERR_INVALID_ARGUMENT;      /* the buffer went away meanwhile */
        n = 0;
    }
    arch_syscall_set(ctx, ARCH_SYS_INFO,
                     (uint64_t)err << CAIRN_RESULT_ERROR_SHIFT | n);
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        arch_syscall_set(ctx, ARCH_SYS_W0 + i, i < n ? msg->words[i] : 0);
    for (unsigned i = CAIRN_REG_WORDS; i < n; i++)
        buf->words[i] = msg->words[i];
}

void kernel_syscall(uint64_t *ctx)
{
    process_t *p = sched_current();
    REQUIRE(p && p->arch_regs == ctx);

    static msg_t msg;   /* one CPU, one call at a time: not on the stack */
    memset(&msg, 0, sizeof msg);
    cairn_error_t err = msg_read(p, ctx, &msg);
    if (err == ERR_OK) {
        caploc_t target = arch_syscall_get(ctx, ARCH_SYS_TARGET);
        if (kernel_invoke(p, target, &msg) == INVOKE_RESTART) {
            arch_syscall_restart(ctx);
            sched_run();
        }
        err = (cairn_error_t)msg.error;
    }
    /* The call may have stopped or destroyed its own caller. */
    if (p->state == CAIRN_PROC_RUNNING || p->state == CAIRN_PROC_STOPPED ||
        p->state == CAIRN_PROC_FAULTED)
        msg_write(p, ctx, &msg, err);
    if (p->state != CAIRN_PROC_RUNNING && sched_current() == p)
        sched_block_current();
    sched_run();
}

/*
 * The kind of a memory fault the cache could not resolve, judged by the
 * GPT walk rather than by the hardware: the hardware tables are only a
 * cache, so an absent PTE may stand for a no-execute or read-only path.
 */
static fault_kind_t memory_fault_kind(const gpt_walk_t *w, unsigned access,
                                      fault_kind_t hw)
{
    if (w->error == ERR_ACCESS)
        return (access & ARCH_ACCESS_EXEC) ? FAULT_NO_EXECUTE : FAULT_PROTECTION;
    if (w->error == ERR_INVALID_ADDRESS || w->error == ERR_MALFORMED_SPACE ||
        w->error == ERR_WRONG_TYPE)
        return hw == FAULT_PROTECTION ? FAULT_PROTECTION : FAULT_PAGE;
    return hw;
}

static bool is_memory_fault(fault_kind_t kind)
{
    return kind == FAULT_PAGE || kind == FAULT_PROTECTION ||
           kind == FAULT_NO_EXECUTE;
}

void kernel_user_fault(uint64_t *ctx, fault_kind_t kind, uint64_t addr,
                       unsigned access)
{
    process_t *p = sched_current();
    REQUIRE(p && p->arch_regs == ctx);

    const char *why = fault_kind_name(kind);
    if (is_memory_fault(kind) && access != 0) {
        static gpt_walk_t walk;
        if (hwmap_fault(p, addr, access, &walk) == ERR_OK)
            sched_run();                  /* mapped: retry the access */
        why = walk.reason ? walk.reason : cairn_error_name(walk.error);
        kind = memory_fault_kind(&walk, access, kind);
    }
    /*
     * Until faults travel to keepers as messages (the IPC issue), the fault
     * is recorded on the process, which stops, and reported.
     */
    p->fault_code = kind;
    p->fault_info = addr;
    p->state = CAIRN_PROC_FAULTED;
    sched_block_current();
    kprintf("process %x faulted: %s at pc=%p addr=%p (%s)\n",
            (unsigned)obj_ref_of(p), fault_kind_name(kind),
            (void *)(uintptr_t)arch_context_pc(ctx), (void *)(uintptr_t)addr,
            why);
    sched_run();
}

void kernel_user_interrupt(uint64_t *ctx)
{
    (void)ctx;
    sched_run();
}
