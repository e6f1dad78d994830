/*
 * Process: a thread of control with its own capability space.
 *
 * It holds the portable state (run state, priority, fault), 32 capability
 * registers, the capabilities to its address space, keeper and IPC
 * buffer page, links through which schedulers and IPC queues thread it
 * (no allocation anywhere), and an opaque register save area that only
 * the port interprets.
 *
 * States (cairn_proc_state_t): STOPPED (fresh, or stopped) -> start ->
 * RUNNING (runnable, running, or waiting in IPC) -> stop -> STOPPED; a
 * fault moves RUNNING -> FAULTED (the port and the fault path record
 * fault_code/fault_info), and start resumes it. Revoking its Untyped
 * moves any state to DESTROYED after the teardown hook ran.
 * Invariants: cap_regs[0] is always Null; priority <= CAIRN_PRIO_MAX; a
 * process is on a scheduler or IPC queue only while RUNNING.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"
#include "ipc/ipc_proc.h"
#include "obj/obj.h"

#define PROCESS_SIZE_BITS 10u

/* The register save area: the port decides its layout and must
 * static_assert that its saved state fits in ARCH_REG_WORDS words. */
#define ARCH_REG_WORDS CAIRN_ARCH_REG_WORDS

typedef struct process {
    obj_header_t hdr;
    uint8_t   state;          /* cairn_proc_state_t; process.c, the
                                 scheduler and the fault path */
    uint8_t   priority;       /* set_priority, within a Schedule bound */
    uint8_t   reserved0[2];
    uint32_t  fault_code;     /* fault_kind_t or cairn_error_t of the last
                                 fault; the fault path */
    uint64_t  fault_info;     /* faulting address or PC; the fault path */
    /* Scheduler and IPC (issue 4) own these. */
    plink_t   queue;          /* links on the ready queue or the queue of
                                 the object waited on (kernel/ipc/plist.h) */
    obj_ref_t wait_obj;       /* endpoint or notification waited on */
    uint32_t  reply_gen;      /* generation of the outstanding call, bits
                                 0-31 (kernel/ipc/reply.h) */
    ipc_proc_t ipc;           /* wait state and list links
                                 (kernel/ipc/ipc_proc.h) */
    cap_t     space;          /* address space root; set_space */
    cap_t     keeper;         /* fault handler Entry; set_keeper */
    cap_t     ipc_buffer;     /* Page for long messages; set_ipc_buffer */
    cap_t     cap_regs[CAIRN_CAP_REGS];   /* capability registers; any
                                             holder of a full Process cap */
    uint64_t  arch_regs[ARCH_REG_WORDS];  /* saved user registers; the
                                             port, and read/write_regs */
    union {
        struct {
            obj_ref_t self;       /* its own object reference; process_init */
            uint32_t  self_gen;   /* its frame's generation when it was made
                                     (process_init); Reply capabilities carry
                                     it, so none made while it dies outlives
                                     it (kernel/ipc/reply.h) */
        };
        uint64_t  self_key;       /* both, as one word: the hardware-map
                                     cache's key for its space */
    };
    uint32_t  hwmap_hint;     /* the hardware-map cache's slot for its
                                 space, a hint hwmap.c checks before use */
    uint32_t  reserved1;
    uint64_t  hwmap_root;     /* its cached space's root table, 0 while it
                                 has none; hwmap.c (kernel/vm/hwmap.h) */
    uint64_t  reserved[4];
} process_t;

static_assert(sizeof(process_t) == 1u << PROCESS_SIZE_BITS, "a Process is 1 KiB");
static_assert(offsetof(process_t, self_gen) == offsetof(process_t, self) + 4 &&
              offsetof(process_t, self_key) == offsetof(process_t, self),
              "self_key is self | self_gen << 32");

/*
 * Hooks the scheduler, the IPC layer and the hardware-map cache install.
 * Any may be NULL (the default): nothing is queued or cached yet.
 *   started(p)        p became RUNNING: put it on a ready queue.
 *   stopped(p)        p left RUNNING (stop): take it off every queue and
 *                     abort any IPC it is waiting in.
 *   space_changed(p)  p's address space capability changed: drop its
 *                     hardware top-level mapping.
 *   priority_changed(p) p's priority changed: if it is on a ready queue,
 *                     move it to its new priority's queue.
 *   teardown(p)       p is being destroyed: as stopped, and forget it as
 *                     the current process. May return false to be called
 *                     again (bounded work per call).
 */
typedef struct process_hooks {
    void (*started)(process_t *p);
    void (*stopped)(process_t *p);
    void (*space_changed)(process_t *p);
    void (*priority_changed)(process_t *p);
    bool (*teardown)(process_t *p);
} process_hooks_t;

/* Install hooks (copied); NULL restores the defaults. */
void process_set_hooks(const process_hooks_t *hooks);

/*
 * The port's user register file, as the arch seam's arch_context_regs,
 * arch_context_get and arch_context_set describe it: boot code installs
 * them once with process_set_context_ops(arch_context_regs,
 * arch_context_get, arch_context_set). Until then Process.read_regs and
 * write_regs refuse with ERR_BAD_OPCODE: without the port's vetting no
 * register value may be accepted. `set` returns false (changing nothing)
 * for a value that would give the process privilege.
 */
typedef struct process_context_ops {
    unsigned regs;
    uint64_t (*get)(const uint64_t *ctx, unsigned i);
    bool     (*set)(uint64_t *ctx, unsigned i, uint64_t value);
} process_context_ops_t;

void process_set_context_ops(unsigned regs,
                             uint64_t (*get)(const uint64_t *ctx, unsigned i),
                             bool (*set)(uint64_t *ctx, unsigned i, uint64_t value));

/* Set up a freshly zeroed Process: STOPPED, priority 0, Null caps, and
 * its own reference (self) and its frame's generation (self_gen)
 * recorded. */
void process_init(process_t *p);

/* Destroy: run the teardown hook; when it is done, mark DESTROYED. */
bool process_teardown(process_t *p);

/* Methods on Process capabilities (methods.def rows for PROCESS). */
cairn_error_t process_dispatch(invocation_t *inv);
