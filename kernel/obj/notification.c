/*
 * Notification (states and invariants in notification.h): teardown and
 * the methods. Each method is a decode step (checks, no side effects)
 * and an invoke step; what a signal or a wait does to processes is
 * notify.c's.
 */
#include "obj/notification.h"

#include "ipc/notify.h"
#include "obj/process.h"

static bool no_waiters(notification_t *n)
{
    (void)n;
    return true;
}

static notification_teardown_hook_t *teardown_hook = no_waiters;

void notification_set_teardown_hook(notification_teardown_hook_t *hook)
{
    teardown_hook = hook ? hook : no_waiters;
}

bool notification_teardown(notification_t *n)
{
    return teardown_hook(n);
}

/* ---- Decode helpers ------------------------------------------------------------- */

typedef struct {
    notification_t *n;
    uint64_t        bits;   /* signal: the bits; make_signaller: the mask */
    process_t      *proc;   /* bind: the process */
} notify_args_t;

static cairn_error_t need_full(const invocation_t *inv)
{
    if (inv->target.payload != 0)
        return REFUSE(ERR_NO_RIGHTS, "a badged Notification capability (bits 0x%x) "
                      "may only signal", inv->target.payload);
    return ERR_OK;
}

static cairn_error_t need_signal_right(const invocation_t *inv)
{
    if (inv->target.restr & RESTR_READ_ONLY)
        return REFUSE(ERR_NO_RIGHTS, "a read-only Notification capability may only wait");
    return ERR_OK;
}

/* ---- signal, wait, poll ------------------------------------------------------------ */

/* A badged capability signals its badge; the full one, word0. */
static cairn_error_t notification_decode_signal(invocation_t *inv, notify_args_t *a)
{
    cairn_error_t err = need_signal_right(inv);
    if (err != ERR_OK)
        return err;
    a->bits = inv->target.payload ? inv->target.payload : inv->msg->words[0];
    return ERR_OK;
}

static void notification_invoke_signal(invocation_t *inv, const notify_args_t *a)
{
    (void)inv;
    notify_signal(a->n, a->bits);
}

static cairn_error_t notification_decode_take(invocation_t *inv, notify_args_t *a)
{
    (void)a;
    return need_full(inv);
}

/* wait: the bits now, or block until a signal hands them over. */
static void notification_invoke_wait(invocation_t *inv, const notify_args_t *a)
{
    if (a->n->word != 0)
        invoke_put_word(inv, notify_take(a->n));
    else {
        notify_block(a->n, inv->invoker);
        inv->blocked = true;
    }
}

static void notification_invoke_poll(invocation_t *inv, const notify_args_t *a)
{
    invoke_put_word(inv, notify_take(a->n));
}

/* ---- bind, unbind ------------------------------------------------------------------- */

static cairn_error_t notification_decode_bind(invocation_t *inv, notify_args_t *a)
{
    cairn_error_t err = need_full(inv);
    if (err != ERR_OK)
        return err;
    const cap_t *pc = &inv->in[0];
    if ((err = invoke_check_cap(inv, 0, CAP_PROCESS, true)) != ERR_OK)
        return err;
    a->proc = obj_ptr(pc->obj);
    if (a->n->bound != OBJ_REF_NONE)
        return REFUSE(ERR_BUSY, "the notification is already bound");
    if (a->proc->ipc.bound != OBJ_REF_NONE)
        return REFUSE(ERR_BUSY, "the process already has a bound notification");
    return ERR_OK;
}

static void notification_invoke_bind(invocation_t *inv, const notify_args_t *a)
{
    (void)inv;
    notify_bind(a->n, a->proc);
}

static void notification_invoke_unbind(invocation_t *inv, const notify_args_t *a)
{
    (void)inv;
    notify_unbind(a->n);
}

/* ---- make_signaller ---------------------------------------------------------------- */

/* A badge within this capability's own (any, for the full one). */
static cairn_error_t notification_decode_make_signaller(invocation_t *inv, notify_args_t *a)
{
    uint64_t badge = inv->msg->words[0];
    uint32_t own = inv->target.payload;
    cairn_error_t err = need_signal_right(inv);
    if (err != ERR_OK)
        return err;
    if (badge == 0 || badge > UINT32_MAX)
        return REFUSE(ERR_OUT_OF_RANGE, "badge 0x%llx: need 1..0xffffffff",
                      (unsigned long long)badge);
    if (own != 0 && (badge & ~(uint64_t)own))
        return REFUSE(ERR_NO_RIGHTS, "badge 0x%llx has bits outside this capability's 0x%x",
                      (unsigned long long)badge, own);
    a->bits = badge;
    return ERR_OK;
}

static void notification_invoke_make_signaller(invocation_t *inv, const notify_args_t *a)
{
    cap_t c = inv->target;
    c.payload = (uint32_t)a->bits;
    invoke_put_cap(inv, 0, c);
}

/* ---- Dispatch ----------------------------------------------------------------------- */

#define RUN(decode, invoke) INVOKE_STEPS(decode, invoke, &a)

cairn_error_t notification_dispatch(invocation_t *inv)
{
    notify_args_t a = { .n = inv->obj };
    switch (inv->method->opcode) {
    case OP_NOTIFICATION_signal: RUN(notification_decode_signal, notification_invoke_signal);
    case OP_NOTIFICATION_wait:   RUN(notification_decode_take, notification_invoke_wait);
    case OP_NOTIFICATION_poll:   RUN(notification_decode_take, notification_invoke_poll);
    case OP_NOTIFICATION_bind:   RUN(notification_decode_bind, notification_invoke_bind);
    case OP_NOTIFICATION_unbind: RUN(notification_decode_take, notification_invoke_unbind);
    case OP_NOTIFICATION_make_signaller:
        RUN(notification_decode_make_signaller, notification_invoke_make_signaller);
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Notification method");
    }
}
