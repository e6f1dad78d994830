/*
 * kernel_invoke: the single dispatch on capability type (see invoke.h).
 *
 * Steps, each of which may refuse without side effects:
 *   1. fetch the target capability from the invoker's capability space;
 *   2. check it is live (Null: ERR_INVALID_CAP, stale: ERR_REVOKED);
 *   3. find the method (ERR_BAD_OPCODE) and check the message shape;
 *   4. fetch the sent capabilities, locate the slots for returned ones;
 *   5. the object's dispatch: the method's decode step, then its invoke
 *      step, which cannot fail.
 */
#include "invoke.h"

#include <stdarg.h>

#include "cap/cspace.h"
#include "cap/discrim.h"
#include "cap/irq.h"
#include "cap/log.h"
#include "kprintf.h"
#include "obj/cappage.h"
#include "obj/endpoint.h"
#include "obj/gpt.h"
#include "obj/notification.h"
#include "obj/obj.h"
#include "obj/page.h"
#include "obj/process.h"
#include "obj/untyped.h"

/* ---- The method table, from methods.def ------------------------------------- */

#define METHOD(ct, nm, op, iw, ic, ow, oc, doc)                              \
    static_assert((op) > 0 && (op) < 256 && (iw) <= CAIRN_MSG_WORDS_MAX &&   \
                  (ow) <= CAIRN_MSG_WORDS_MAX && (ic) <= CAIRN_MSG_CAPS_MAX && \
                  (oc) <= CAIRN_MSG_CAPS_MAX, #ct "." #nm " fits a message");
#include "abi/methods.def"
#undef METHOD

const method_info_t method_table[] = {
#define METHOD(ct, nm, op, iw, ic, ow, oc, doc) \
    { CAP_##ct, op, iw, ic, ow, oc, #ct "." #nm, doc },
#include "abi/methods.def"
#undef METHOD
};

const unsigned method_table_count = sizeof method_table / sizeof method_table[0];

/* Row numbers of method_table, in methods.def order. */
enum {
#define METHOD(ct, nm, op, iw, ic, ow, oc, doc) METHOD_ROW_##ct##_##nm,
#include "abi/methods.def"
#undef METHOD
};

/* [type][opcode]: 1 + the row of that method, 0 for none. Every system
 * call that invokes a kernel method looks here, so it is one load. */
#define METHOD_OPCODES 32u
#define METHOD(ct, nm, op, iw, ic, ow, oc, doc) \
    static_assert((op) < METHOD_OPCODES, #ct "." #nm ": opcode fits method_index");
#include "abi/methods.def"
#undef METHOD

static const uint8_t method_index[CAP_TYPE_COUNT][METHOD_OPCODES] = {
#define METHOD(ct, nm, op, iw, ic, ow, oc, doc) \
    [CAP_##ct][op] = METHOD_ROW_##ct##_##nm + 1,
#include "abi/methods.def"
#undef METHOD
};

const method_info_t *method_find(cap_type_t type, uint64_t opcode)
{
    if ((unsigned)type >= CAP_TYPE_COUNT || opcode >= METHOD_OPCODES)
        return NULL;
    unsigned row = method_index[type][opcode];
    return row ? &method_table[row - 1] : NULL;
}

/* ---- Refusals ------------------------------------------------------------------- */

/* Single CPU (the big kernel lock on SMP): one invocation at a time. */
static const char *current_method = "invoke";
static char last_refusal[256];

#if defined(CAIRN_DEBUG) || defined(CAIRN_HOST_TEST)
void invoke_refused(cairn_error_t err, const char *file, int line,
                    const char *fmt, ...)
{
    va_list ap;
    int n = ksnprintf(last_refusal, sizeof last_refusal, "%s: %s: ",
                      current_method, cairn_error_name(err));
    if (n < 0 || (unsigned)n >= sizeof last_refusal)
        n = 0;
    va_start(ap, fmt);
    int m = kvsnprintf(last_refusal + n, sizeof last_refusal - (unsigned)n, fmt, ap);
    va_end(ap);
    if (m >= 0 && (unsigned)(n + m) < sizeof last_refusal)
        ksnprintf(last_refusal + n + m, sizeof last_refusal - (unsigned)(n + m),
                  " (%s:%d)", file, line);
#ifdef CAIRN_DEBUG
    kprintf("cairn: refused %s\n", last_refusal);
#endif
}
#endif

static const char *cap_type_name(cap_type_t type)
{
    switch (type) {
#define CAPTYPE(name, code, obj, text) case CAP_##name: return #name;
#include "abi/captypes.def"
#undef CAPTYPE
    default: return "unknown";
    }
}

cairn_error_t invoke_check_cap(const invocation_t *inv, unsigned i,
                               cap_type_t type, bool writable)
{
    const cap_t *c = &inv->in[i];
    cairn_error_t err = cap_check(c);
    if (err != ERR_OK)
        return REFUSE(err, "caps[%u] is %s", i,
                      err == ERR_REVOKED ? "revoked" : "Null");
    if (c->type != type)
        return REFUSE(ERR_WRONG_TYPE, "caps[%u] must be a %s capability, not %s",
                      i, cap_type_name(type), cap_type_name((cap_type_t)c->type));
    if (writable && (c->restr & RESTR_READ_ONLY))
        return REFUSE(ERR_NO_RIGHTS, "caps[%u], a %s capability, is read-only",
                      i, cap_type_name(type));
    return ERR_OK;
}

const char *invoke_last_refusal(void)
{
    return last_refusal;
}

/* ---- Steps ------------------------------------------------------------------------ */

static cairn_error_t resolve_target(invocation_t *inv, caploc_t target)
{
    cairn_error_t err = cspace_fetch(inv->invoker, target, "target", &inv->target);
    if (err != ERR_OK)
        return err;
    err = cap_check(&inv->target);
    if (err == ERR_INVALID_CAP)
        return REFUSE(err, "the target capability is Null");
    if (err == ERR_REVOKED)
        return REFUSE(err, "the target capability was revoked");
    return ERR_OK;
}

/* Entry and Reply capabilities carry messages to processes, never to a
 * kernel method: the IPC layer handles them (kernel/ipc/ipc.c). */
static bool is_ipc_type(cap_type_t t)
{
    return t == CAP_ENTRY || t == CAP_REPLY;
}

static cairn_error_t find_method(invocation_t *inv)
{
    const msg_t *m = inv->msg;
    cap_type_t type = (cap_type_t)inv->target.type;
    if (is_ipc_type(type))
        return REFUSE(ERR_BAD_OPCODE, "Entry and Reply capabilities have no kernel "
                      "methods: send to them with the IPC flags");
    inv->method = method_find(type, m->opcode);
    if (inv->method == NULL)
        return REFUSE(ERR_BAD_OPCODE, "capability type %u has no method %llu",
                      (unsigned)type, (unsigned long long)m->opcode);
    current_method = inv->method->name;
    if (m->nwords > CAIRN_MSG_WORDS_MAX || m->ncaps > CAIRN_MSG_CAPS_MAX)
        return REFUSE(ERR_MESSAGE_TOO_LONG, "%u words, %u capabilities", m->nwords, m->ncaps);
    if (m->nwords < inv->method->in_words)
        return REFUSE(ERR_INVALID_ARGUMENT, "needs %u words, %u sent",
                      inv->method->in_words, m->nwords);
    if (m->ncaps < inv->method->in_caps)
        return REFUSE(ERR_INVALID_ARGUMENT, "needs %u capabilities, %u sent",
                      inv->method->in_caps, m->ncaps);
    return ERR_OK;
}

static cairn_error_t gather_caps(invocation_t *inv)
{
    static const char *const in_names[] = { "caps[0]", "caps[1]", "caps[2]", "caps[3]" };
    static const char *const out_names[] = { "recv[0]", "recv[1]", "recv[2]", "recv[3]" };
    for (unsigned i = 0; i < inv->method->in_caps; i++) {
        cairn_error_t err = cspace_fetch(inv->invoker, inv->msg->caps[i], in_names[i],
                                         &inv->in[i]);
        if (err != ERR_OK)
            return err;
    }
    for (unsigned i = 0; i < inv->method->out_caps; i++) {
        cspace_slot_t s;
        cairn_error_t err = cspace_locate(inv->invoker, inv->msg->recv[i], true,
                                          out_names[i], &s);
        if (err != ERR_OK)
            return err;
        inv->out[i] = s.slot;
    }
    return ERR_OK;
}

/* The one switch on capability type. */
static cairn_error_t dispatch(invocation_t *inv)
{
    switch ((cap_type_t)inv->target.type) {
    case CAP_UNTYPED:  return untyped_dispatch(inv);
    case CAP_PAGE:     return page_dispatch(inv);
    case CAP_CAPPAGE:  return cappage_dispatch(inv);
    case CAP_GPT:      return gpt_dispatch(inv);
    case CAP_ENDPOINT: return endpoint_dispatch(inv);
    case CAP_PROCESS:  return process_dispatch(inv);
    case CAP_NOTIFICATION: return notification_dispatch(inv);
    case CAP_DISCRIM:  return discrim_dispatch(inv);
    case CAP_LOG:      return log_dispatch(inv);
    case CAP_IRQ_CONTROL: return irq_control_dispatch(inv);
    case CAP_IRQ_HANDLER: return irq_handler_dispatch(inv);
    default:
        return REFUSE(ERR_BAD_OPCODE, "capability type %u has no methods yet",
                      (unsigned)inv->target.type);
    }
}

invoke_status_t kernel_invoke(process_t *invoker, caploc_t target, msg_t *msg)
{
    invocation_t inv = { .invoker = invoker, .msg = msg };
    current_method = "invoke";
    cairn_error_t err = resolve_target(&inv, target);
    if (err == ERR_OK)
        err = find_method(&inv);
    if (err == ERR_OK)
        err = gather_caps(&inv);
    if (err == ERR_OK) {
        if (cap_object_type((cap_type_t)inv.target.type) != OBJ_NONE)
            inv.obj = obj_ptr(inv.target.obj);
        err = dispatch(&inv);
    }
    if (err == ERR_OK && inv.restart)
        return INVOKE_RESTART;
    if (err == ERR_OK && inv.blocked)
        return INVOKE_BLOCKED;
    msg->error = err;
    msg->nwords = err == ERR_OK ? inv.nout : 0;
    return INVOKE_DONE;
}
