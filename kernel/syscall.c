/*
 * The entries from user mode: the system call, user faults and
 * interrupts taken in user mode (kernel/arch.h).
 *
 * Each runs on a fresh kernel stack with interrupts off and ends in
 * sched_run(), which resumes the best ready process. Nothing survives on
 * the kernel stack between entries (the event model): a call either
 * finishes, leaves its process waiting in IPC (whoever ends the wait
 * writes the results), or is rewound with arch_syscall_restart and runs
 * again later.
 *
 * The system call is offered to the IPC fast path first
 * (kernel/ipc/fastpath.c), then routed once, on its control word and
 * target (kernel/abi/ipc.h): IPC operations to the IPC layer (kernel/ipc/ipc.c),
 * kernel methods through kernel_invoke, for which this file marshals the
 * registers and IPC buffer into a portable msg_t and back.
 */
#include "syscall.h"

#include <stddef.h>

#include "abi/ipc.h"
#include "arch.h"
#include "cap/cap.h"
#include "invoke.h"
#include "ipc/fastpath.h"
#include "ipc/fault.h"
#include "ipc/ipc.h"
#include "ipc/transfer.h"
#include "kprintf.h"
#include "lib/kstring.h"
#include "obj/process.h"
#include "panic.h"
#include "sched/sched.h"
#include "vm/hwmap.h"

/* ---- Kernel methods ----------------------------------------------------------- */

/* Kernel objects take flags 0, or a call (CALL, with or without SEND and
 * RECEIVE): both mean "invoke the method". */
static cairn_error_t check_method_flags(uint64_t info)
{
    uint32_t f = (uint32_t)(info & CAIRN_IPC_FLAGS_MASK);
    uint32_t call = CAIRN_IPC_CALL | CAIRN_IPC_SEND | CAIRN_IPC_RECEIVE;
    if (f == 0 || ((f & CAIRN_IPC_CALL) && (f & ~call) == 0))
        return ERR_OK;
    return REFUSE(ERR_INVALID_ARGUMENT, "a kernel object takes flags 0 or CALL, not 0x%x", f);
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

/* Invoke a kernel method for p. May not return (a restarted call). */
/*
 * The message of the kernel method being invoked. One CPU, one call at a
 * time: it is not on the stack. Every invocation starts from an all-zero
 * message, so no word of one caller's message can reach another; rather
 * than clearing 600 bytes each time, msg_dirty says how many words the
 * last invocation may have written (all of them until it is known).
 */
static msg_t msg;
static unsigned msg_dirty = CAIRN_MSG_WORDS_MAX;

static void msg_clean(void)
{
    for (unsigned i = 0; i < msg_dirty; i++)
        msg.words[i] = 0;
    for (unsigned i = 0; i < CAIRN_MSG_CAPS_MAX; i++)
        msg.caps[i] = msg.recv[i] = 0;
    msg.opcode = msg.error = 0;
    msg.nwords = msg.ncaps = 0;
    msg_dirty = CAIRN_MSG_WORDS_MAX;
}

static unsigned max_u(unsigned a, unsigned b)
{
    return a > b ? a : b;
}

static void invoke_method(process_t *p, uint64_t *ctx, uint64_t info)
{
    msg_clean();
    cairn_error_t err = check_method_flags(info);
    if (err == ERR_OK)
        err = msg_read(p, ctx, &msg);
    if (err == ERR_OK) {
        unsigned sent = msg.nwords;
        caploc_t target = arch_syscall_get(ctx, ARCH_SYS_TARGET);
        switch (kernel_invoke(p, target, &msg)) {
        case INVOKE_RESTART:
            arch_syscall_restart(ctx);
            sched_run();
        case INVOKE_BLOCKED:
            return;                       /* the waker writes the results */
        case INVOKE_DONE:
            break;
        }
        err = (cairn_error_t)msg.error;
        msg_dirty = max_u(max_u(sent, msg.nwords), CAIRN_REG_WORDS);
    }
    /* The call may have stopped or destroyed its own caller. */
    if (p->state == CAIRN_PROC_RUNNING || p->state == CAIRN_PROC_STOPPED ||
        p->state == CAIRN_PROC_FAULTED)
        msg_write(p, ctx, &msg, err);
}

/* ---- Entries ------------------------------------------------------------------ */

/* Everything but the fast path: route the call, then run whoever is
 * next. */
__attribute__((noreturn, noinline)) static void syscall_slow(void)
{
    process_t *p = sched_current();
    uint64_t *ctx = p->arch_regs;
    uint64_t info = arch_syscall_get(ctx, ARCH_SYS_INFO);
    if (info & ~CAIRN_INFO_VALID_MASK)
        transfer_result(p, REFUSE(ERR_INVALID_ARGUMENT,
                                  "reserved bits set in control word 0x%llx",
                                  (unsigned long long)info));
    else if (ipc_takes(p, info))
        ipc_syscall(p);
    else
        invoke_method(p, ctx, info);
    if (sched_current() == p &&
        (p->state != CAIRN_PROC_RUNNING || p->ipc.wait != IPC_IDLE))
        sched_block_current();
    sched_run();
}

/* The port hands over the current process's register area, so the
 * process is the one that holds ctx (ctx is a kernel address, never the
 * offset of arch_regs itself, so p is not NULL when the test passes). */
void kernel_syscall(uint64_t *ctx)
{
    process_t *p = (process_t *)((char *)ctx - offsetof(process_t, arch_regs));
    REQUIRE(p == sched_current());
    ipc_fastpath(p);                /* returns only if it does not apply */
    syscall_slow();
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

    static gpt_walk_t walk;
    const gpt_walk_t *w = NULL;
    const char *why = fault_kind_name(kind);
    if (is_memory_fault(kind) && access != 0) {
        if (hwmap_fault(p, addr, access, &walk) == ERR_OK)
            sched_run();                  /* mapped: retry the access */
        w = &walk;
        why = walk.reason ? walk.reason : cairn_error_name(walk.error);
        kind = memory_fault_kind(&walk, access, kind);
    }
    fault_raise(p, kind, addr, access, w, why);
    sched_run();
}

void kernel_user_interrupt(uint64_t *ctx)
{
    (void)ctx;
    sched_run();
}
