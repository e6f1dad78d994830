/*
 * What the IPC system suites (ipc, reply, abandon, notify, sched, fault)
 * share, beyond systest.h: raw system calls, a page every process of a
 * suite maps, naps, and puppets.
 *
 * Each suite's image (tests/system/<suite>.mki) runs one program as the
 * test (argument 0) and as its helpers (other arguments), all in their
 * own address spaces. Besides the registers of systest.h the test holds:
 *   register 12  SCHED   a Schedule capability (bound PUPPET_PRIO_MAX)
 *   register 13  BLOB    the page puppets run, also mapped at BLOB_VA
 *   register 14  NAP     an Endpoint nobody ever sends to
 *   registers 15..31     the suite's own
 * and every process of the suite maps the page `mailbox` at MAILBOX_VA.
 */
#pragma once

#include "systest.h"

#define SCHED      R(12)
#define BLOB       R(13)
#define NAP        R(14)

#define MAILBOX_VA 0x60000000ull
#define BLOB_VA    0x61000000ull

/* The shared page, as the suite's own struct. */
#define MAILBOX(type) ((volatile type *)(uintptr_t)MAILBOX_VA)

/* ---- Raw system calls ------------------------------------------------------------ */

/* One invocation with every register as given: for what libsys would
 * refuse before the kernel sees it. */
static inline cairn_regs_t sys(uint64_t info, caploc_t target, uint64_t opcode,
                               uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    cairn_regs_t r = { info, target, opcode, { w0, w1, w2, w3 } };
    cairn_syscall(&r);
    return r;
}

static inline cairn_error_t sys_error(uint64_t info, caploc_t target)
{
    return cairn_result_error(sys(info, target, 0, 0, 0, 0, 0).info);
}

/* A message of n words, words[i] = base + i. */
static inline cairn_msg_t msg_words(uint64_t opcode, unsigned n, uint64_t base)
{
    cairn_msg_t m = { .opcode = opcode, .nwords = n };
    for (unsigned i = 0; i < n; i++)
        m.words[i] = base + i;
    return m;
}

/* Wait `ticks` timer ticks: a receive on NAP that can only time out. */
static inline cairn_error_t nap(uint64_t ticks)
{
    cairn_msg_t m = { 0 };
    cairn_error_t e = cairn_ipc_set_timeout(ticks);
    if (e != ERR_OK)
        return e;
    e = cairn_ipc_receive(NAP, &m, CAIRN_IPC_TIMEOUT).error;
    return e == ERR_TIMEOUT ? ERR_OK : e;
}

static inline uint64_t proc_state(caploc_t p, unsigned word)
{
    uint64_t s[4] = { 255, 255, 255, 255 };
    cairn_process_get_state(p, s);
    return s[word];
}

/* ---- Puppets -------------------------------------------------------------------------
 *
 * A puppet is a process the test builds from its own Untyped (so that it
 * can be destroyed, by revoking that Untyped) whose whole program is one
 * system call followed by an illegal instruction. The test loads its
 * registers and starts it; it makes the call, and (having no keeper)
 * stops FAULTED on the next instruction, where the test reads the
 * result from its registers. A puppet that waits in IPC stays RUNNING
 * until its partner ends the wait.
 *
 * Its space is one GPT of 16 4 KiB slots at address 0: BLOB (the code)
 * at 0x1000, its IPC buffer at 0x2000 and a CapPage at 0x3000. Its parts
 * are in scratch slots base .. base + 5; its IPC buffer is also mapped
 * in the test's WINDOW at slot `window`, so the test can fill it.
 */

#define PUPPET_PRIO_MAX 60u
#define PUPPET_CODE     0x1000u
#define PUPPET_CAPPAGE  0x3000u

typedef struct puppet {
    unsigned base;      /* first of its scratch slots */
    unsigned window;    /* WINDOW slot of its IPC buffer */
} puppet_t;

#define PUPPET_UT(p)      SLOT((p)->base)
#define PUPPET_PROC(p)    SLOT((p)->base + 1)
#define PUPPET_GPT(p)     SLOT((p)->base + 2)
#define PUPPET_SPACE(p)   SLOT((p)->base + 3)
#define PUPPET_BUF(p)     SLOT((p)->base + 4)
#define PUPPET_CP(p)      SLOT((p)->base + 5)
#define PUPPET_SLOTS      6u

#if defined(__x86_64__)
/* syscall; ud2 */
static const uint8_t puppet_code[] = { 0x0f, 0x05, 0x0f, 0x0b };
#define PUPPET_REGS 17u                    /* rax .. r15, rip */
#define PUPPET_PC   16u
static const unsigned puppet_sys_index[7] = { 0, 5, 4, 3, 10, 8, 9 };
#else
/* ecall; an all-zero (illegal) instruction */
static const uint8_t puppet_code[] = { 0x73, 0x00, 0x00, 0x00, 0, 0, 0, 0 };
#define PUPPET_REGS 32u                    /* x1 .. x31, pc */
#define PUPPET_PC   31u
static const unsigned puppet_sys_index[7] = { 9, 10, 11, 12, 13, 14, 15 };
#endif

/* Write the puppet program into BLOB (once per suite is enough). */
static inline void puppet_write_blob(void)
{
    memcpy((void *)(uintptr_t)BLOB_VA, puppet_code, sizeof puppet_code);
#if defined(__riscv)
    __asm__ volatile(".word 0x0000100f" ::: "memory");   /* fence.i */
#endif
}

/* Build a stopped puppet at priority prio; its cap registers are Null. */
static inline cairn_error_t puppet_make(puppet_t *p, unsigned base, unsigned window,
                                        unsigned prio)
{
    cairn_error_t e = ERR_OK;
    p->base = base;
    p->window = window;
    puppet_write_blob();
    if (cap_type_at(PUPPET_UT(p)) != CAP_UNTYPED)
        e = cairn_untyped_retype(POOL, OBJ_UNTYPED, 14, 1, PUPPET_UT(p));
    if (e || (e = cairn_untyped_retype(PUPPET_UT(p), OBJ_PROCESS, 0, 1, PUPPET_PROC(p))) ||
        (e = cairn_untyped_retype(PUPPET_UT(p), OBJ_GPT, 0, 1, PUPPET_GPT(p))) ||
        (e = cairn_untyped_retype(PUPPET_UT(p), OBJ_PAGE, 0, 1, PUPPET_BUF(p))) ||
        (e = cairn_untyped_retype(PUPPET_UT(p), OBJ_CAPPAGE, 0, 1, PUPPET_CP(p))) ||
        (e = cairn_gpt_set_slot(PUPPET_GPT(p), 1, BLOB)) ||
        (e = cairn_gpt_set_slot(PUPPET_GPT(p), 2, PUPPET_BUF(p))) ||
        (e = cairn_gpt_set_slot(PUPPET_GPT(p), 3, PUPPET_CP(p))) ||
        (e = cairn_gpt_make_guarded(PUPPET_GPT(p), 0, 16, PUPPET_SPACE(p))) ||
        (e = cairn_process_set_space(PUPPET_PROC(p), PUPPET_SPACE(p))) ||
        (e = cairn_process_set_ipc_buffer(PUPPET_PROC(p), PUPPET_BUF(p))) ||
        (e = cairn_process_set_priority(PUPPET_PROC(p), prio, SCHED)) ||
        (e = cairn_gpt_set_slot(WINDOW, window, PUPPET_BUF(p))))
        return e;
    return ERR_OK;
}

/* The puppet's IPC buffer, as the test sees it. */
static inline cairn_ipc_buffer_t *puppet_buffer(const puppet_t *p)
{
    return (cairn_ipc_buffer_t *)(uintptr_t)window_word(p->window);
}

static inline cairn_error_t puppet_set_cap(const puppet_t *p, unsigned reg, caploc_t cap)
{
    return cairn_process_set_cap_reg(PUPPET_PROC(p), reg, cap);
}

/*
 * Make the puppet do one system call with r's registers, from the top
 * (it must be stopped or faulted). A puppet of higher priority than the
 * test has made it, or is waiting in it, when this returns.
 */
static inline cairn_error_t puppet_run(const puppet_t *p, cairn_regs_t r)
{
    const uint64_t sys_regs[7] = { r.info, r.target, r.opcode,
                                   r.w[0], r.w[1], r.w[2], r.w[3] };
    cairn_msg_t m = { .opcode = OP_PROCESS_write_regs, .nwords = 2 + PUPPET_REGS };
    m.words[1] = PUPPET_REGS;
    for (unsigned i = 0; i < 7; i++)
        m.words[2 + puppet_sys_index[i]] = sys_regs[i];
    m.words[2 + PUPPET_PC] = PUPPET_CODE;
    cairn_error_t e = cairn_call(PUPPET_PROC(p), &m);
    return e != ERR_OK ? e : cairn_process_start(PUPPET_PROC(p));
}

/* The puppet's invocation registers as they are now. */
static inline cairn_regs_t puppet_regs(const puppet_t *p)
{
    uint64_t v[40] = { 0 };
    cairn_process_read_regs(PUPPET_PROC(p), 0, PUPPET_REGS, v);
    cairn_regs_t r = { v[puppet_sys_index[0]], v[puppet_sys_index[1]],
                       v[puppet_sys_index[2]],
                       { v[puppet_sys_index[3]], v[puppet_sys_index[4]],
                         v[puppet_sys_index[5]], v[puppet_sys_index[6]] } };
    return r;
}

/* Has its system call returned (it faulted on the instruction after)? */
static inline bool puppet_returned(const puppet_t *p)
{
    return proc_state(PUPPET_PROC(p), 0) == CAIRN_PROC_FAULTED &&
           proc_state(PUPPET_PROC(p), 2) == FAULT_INVALID_OPCODE;
}

/* Is it still inside its system call (RUNNING, waiting in IPC)? */
static inline bool puppet_waiting(const puppet_t *p)
{
    return proc_state(PUPPET_PROC(p), 0) == CAIRN_PROC_RUNNING;
}

/* The error its returned system call gave, or 255 if it has not returned. */
static inline uint64_t puppet_error(const puppet_t *p)
{
    return puppet_returned(p) ? cairn_result_error(puppet_regs(p).info) : 255;
}

/* Destroy the puppet: revoke its Untyped. */
static inline cairn_error_t puppet_destroy(const puppet_t *p)
{
    cairn_error_t e = cairn_gpt_set_slot(WINDOW, p->window, R(0));
    return e != ERR_OK ? e : revoke(PUPPET_UT(p));
}

/* Make p the suite's puppet number k (scratch slots 8k .., WINDOW slot
 * 1 + k) afresh at priority prio, destroying what it was before. */
static inline cairn_error_t puppet_fresh(puppet_t *p, unsigned k, unsigned prio)
{
    if (p->window != 0 && cap_type_at(PUPPET_UT(p)) == CAP_UNTYPED) {
        cairn_error_t e = puppet_destroy(p);
        if (e != ERR_OK)
            return e;
    }
    return puppet_make(p, 8 * k, 1 + k, prio);
}
