/*
 * Process (states and invariants in process.h).
 *
 * Capability restrictions on Process capabilities: READ_ONLY allows only
 * get_state and read_regs; every other method needs a capability without
 * READ_ONLY. (A WEAK read of a Process capability yields Null.) The
 * capability-space methods (cap_copy, cap_restrict, cap_delete) live in
 * cspace.c beside the caploc resolution they use.
 */
#include "obj/process.h"

#include "cap/cspace.h"
#include "lib/kstring.h"
#include "mem/frame.h"

static process_hooks_t hooks;
static process_context_ops_t context;

void process_set_context_ops(unsigned regs,
                             uint64_t (*get)(const uint64_t *ctx, unsigned i),
                             bool (*set)(uint64_t *ctx, unsigned i, uint64_t value))
{
    context.regs = regs <= ARCH_REG_WORDS ? regs : ARCH_REG_WORDS;
    context.get = get;
    context.set = set;
}

void process_set_hooks(const process_hooks_t *h)
{
    if (h)
        hooks = *h;
    else
        memset(&hooks, 0, sizeof hooks);
}

void process_init(process_t *p)
{
    p->state = CAIRN_PROC_STOPPED;
    p->priority = 0;
    p->self = obj_ref_of(p);
    p->self_gen = frame_get(obj_ref_frame(p->self))->gen;
}

bool process_teardown(process_t *p)
{
    if (hooks.teardown && !hooks.teardown(p))
        return false;
    p->state = CAIRN_PROC_DESTROYED;
    return true;
}

/* ---- Decode helpers ------------------------------------------------------- */

static cairn_error_t need_full(const invocation_t *inv)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "the Process capability is read-only");
    return ERR_OK;
}

typedef struct {
    process_t *p;
    unsigned   first, count;   /* register range, or cap register in first */
    cap_t      cap;            /* capability to install */
} proc_args_t;

/* ---- State ------------------------------------------------------------------ */

static void process_invoke_get_state(invocation_t *inv, const proc_args_t *a)
{
    invoke_put_word(inv, a->p->state);
    invoke_put_word(inv, a->p->priority);
    invoke_put_word(inv, a->p->fault_code);
    invoke_put_word(inv, a->p->fault_info);
}

static cairn_error_t process_decode_start(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    if (a->p->state == CAIRN_PROC_RUNNING)
        return REFUSE(ERR_BUSY, "the process is already running");
    return ERR_OK;
}

static void process_invoke_start(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    a->p->state = CAIRN_PROC_RUNNING;
    a->p->fault_code = 0;
    a->p->fault_info = 0;
    if (hooks.started)
        hooks.started(a->p);
}

static cairn_error_t process_decode_stop(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    if (a->p->state == CAIRN_PROC_STOPPED)
        return REFUSE(ERR_BUSY, "the process is already stopped");
    return ERR_OK;
}

static void process_invoke_stop(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    bool was_running = a->p->state == CAIRN_PROC_RUNNING;
    a->p->state = CAIRN_PROC_STOPPED;
    if (was_running && hooks.stopped)
        hooks.stopped(a->p);
}

/* ---- Registers --------------------------------------------------------------
 *
 * Register i is the port's user-visible register i (arch_context_get/set,
 * installed by process_set_context_ops). The port vets every value, so
 * write_regs can never give a process kernel privilege.
 */

static cairn_error_t decode_reg_range(invocation_t *inv, proc_args_t *a)
{
    uint64_t first = inv->msg->words[0], count = inv->msg->words[1];
    if (context.get == NULL || context.set == NULL)
        return REFUSE(ERR_BAD_OPCODE, "no port register access installed yet");
    if (count == 0 || first >= context.regs || count > context.regs - first)
        return REFUSE(ERR_OUT_OF_RANGE, "registers %llu+%llu outside 0..%u",
                      (unsigned long long)first, (unsigned long long)count,
                      context.regs - 1);
    a->first = (unsigned)first;
    a->count = (unsigned)count;
    return ERR_OK;
}

static void process_invoke_read_regs(invocation_t *inv, const proc_args_t *a)
{
    for (unsigned i = 0; i < a->count; i++)
        invoke_put_word(inv, context.get(a->p->arch_regs, a->first + i));
}

typedef struct {
    proc_args_t range;
    uint64_t    ctx[ARCH_REG_WORDS];   /* the area as it will be */
} write_regs_args_t;

/* Apply the writes to a scratch copy: the port may refuse any value. */
static cairn_error_t process_decode_write_regs(invocation_t *inv, write_regs_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err == ERR_OK)
        err = decode_reg_range(inv, &a->range);
    if (err != ERR_OK)
        return err;
    if (inv->msg->nwords < 2 + a->range.count)
        return REFUSE(ERR_INVALID_ARGUMENT, "%u register values announced, %u sent",
                      a->range.count, inv->msg->nwords - 2);
    memcpy(a->ctx, a->range.p->arch_regs, sizeof a->ctx);
    for (unsigned i = 0; i < a->range.count; i++)
        if (!context.set(a->ctx, a->range.first + i, inv->msg->words[2 + i]))
            return REFUSE(ERR_INVALID_ARGUMENT, "register %u: the port refuses 0x%llx",
                          a->range.first + i, (unsigned long long)inv->msg->words[2 + i]);
    return ERR_OK;
}

static void process_invoke_write_regs(invocation_t *inv, const write_regs_args_t *a)
{
    (void)inv;
    memcpy(a->range.p->arch_regs, a->ctx, sizeof a->ctx);
}

static cairn_error_t process_method_write_regs(invocation_t *inv)
{
    write_regs_args_t a = { .range.p = inv->obj };
    cairn_error_t err = process_decode_write_regs(inv, &a);
    if (err == ERR_OK)
        process_invoke_write_regs(inv, &a);
    return err;
}

/* ---- Capability registers ---------------------------------------------------- */

static cairn_error_t decode_cap_reg(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    if (inv->msg->words[0] >= CAIRN_CAP_REGS)
        return REFUSE(ERR_OUT_OF_RANGE, "capability register %llu: there are %u",
                      (unsigned long long)inv->msg->words[0], CAIRN_CAP_REGS);
    a->first = (unsigned)inv->msg->words[0];
    return ERR_OK;
}

static void process_invoke_get_cap_reg(invocation_t *inv, const proc_args_t *a)
{
    invoke_put_cap(inv, 0, a->first ? a->p->cap_regs[a->first] : cap_null());
}

static void process_invoke_set_cap_reg(invocation_t *inv, const proc_args_t *a)
{
    if (a->first != 0)
        a->p->cap_regs[a->first] = inv->in[0];
}

/* ---- Configuration ------------------------------------------------------------ */

static cairn_error_t process_decode_set_space(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    a->cap = inv->in[0];
    if (a->cap.type != CAP_NULL && !cap_is_memory(a->cap.type))
        return REFUSE(ERR_WRONG_TYPE, "an address space must be a GPT, Page, CapPage or Null");
    return ERR_OK;
}

static void process_invoke_set_space(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    a->p->space = a->cap;
    if (hooks.space_changed)
        hooks.space_changed(a->p);
}

static cairn_error_t process_decode_set_keeper(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    a->cap = inv->in[0];
    if (a->cap.type != CAP_NULL && a->cap.type != CAP_ENTRY)
        return REFUSE(ERR_WRONG_TYPE, "a keeper must be an Entry capability or Null");
    return ERR_OK;
}

static void process_invoke_set_keeper(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    a->p->keeper = a->cap;
}

static cairn_error_t process_decode_set_ipc_buffer(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    a->cap = inv->in[0];
    if (a->cap.type != CAP_NULL && a->cap.type != CAP_PAGE)
        return REFUSE(ERR_WRONG_TYPE, "an IPC buffer must be a Page or Null");
    if (a->cap.restr & (RESTR_READ_ONLY | RESTR_WEAK))
        return REFUSE(ERR_NO_RIGHTS, "the IPC buffer Page must be writable");
    return ERR_OK;
}

static void process_invoke_set_ipc_buffer(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    a->p->ipc_buffer = a->cap;
}

static cairn_error_t process_decode_set_priority(invocation_t *inv, proc_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    uint64_t prio = inv->msg->words[0];
    if (inv->in[0].type != CAP_SCHEDULE)
        return REFUSE(ERR_WRONG_TYPE, "caps[0] must be a Schedule capability");
    if (prio > CAIRN_PRIO_MAX)
        return REFUSE(ERR_OUT_OF_RANGE, "priority %llu above %u",
                      (unsigned long long)prio, CAIRN_PRIO_MAX);
    if (prio > inv->in[0].payload)
        return REFUSE(ERR_NO_RIGHTS, "priority %llu above the Schedule bound %u",
                      (unsigned long long)prio, inv->in[0].payload);
    a->first = (unsigned)prio;
    return ERR_OK;
}

static void process_invoke_set_priority(invocation_t *inv, const proc_args_t *a)
{
    (void)inv;
    a->p->priority = (uint8_t)a->first;
    if (hooks.priority_changed)
        hooks.priority_changed(a->p);
}

/* ---- Dispatch --------------------------------------------------------------- */

#define RUN(decode, invoke) INVOKE_STEPS(decode, invoke, &a)

static cairn_error_t decode_nothing(invocation_t *inv, proc_args_t *a)
{
    (void)inv;
    (void)a;
    return ERR_OK;
}

cairn_error_t process_dispatch(invocation_t *inv)
{
    proc_args_t a = { .p = inv->obj };
    switch (inv->method->opcode) {
    case OP_PROCESS_get_state:      RUN(decode_nothing, process_invoke_get_state);
    case OP_PROCESS_start:          RUN(process_decode_start, process_invoke_start);
    case OP_PROCESS_stop:           RUN(process_decode_stop, process_invoke_stop);
    case OP_PROCESS_read_regs:      RUN(decode_reg_range, process_invoke_read_regs);
    case OP_PROCESS_write_regs:     return process_method_write_regs(inv);
    case OP_PROCESS_get_cap_reg:    RUN(decode_cap_reg, process_invoke_get_cap_reg);
    case OP_PROCESS_set_cap_reg:    RUN(decode_cap_reg, process_invoke_set_cap_reg);
    case OP_PROCESS_set_space:      RUN(process_decode_set_space, process_invoke_set_space);
    case OP_PROCESS_set_keeper:     RUN(process_decode_set_keeper, process_invoke_set_keeper);
    case OP_PROCESS_set_ipc_buffer: RUN(process_decode_set_ipc_buffer, process_invoke_set_ipc_buffer);
    case OP_PROCESS_set_priority:   RUN(process_decode_set_priority, process_invoke_set_priority);
    case OP_PROCESS_cap_copy:       return cspace_method_copy(inv);
    case OP_PROCESS_cap_restrict:   return cspace_method_restrict(inv);
    case OP_PROCESS_cap_delete:     return cspace_method_delete(inv);
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Process method");
    }
}
