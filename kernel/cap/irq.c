/*
 * IRQ_CONTROL and IRQ_HANDLER (states and invariants in irq.h): the line
 * table, the interrupt path and the methods. Each method is a decode step
 * (checks, no side effects) and an invoke step (cannot fail).
 */
#include "cap/irq.h"

#include "arch.h"
#include "ipc/notify.h"
#include "obj/notification.h"
#include "sched/sched.h"

/* Indexed by line; changed only here (see irq.h for when). */
static irq_line_t lines[IRQ_LINES_MAX];

unsigned irq_line_count(void)
{
    unsigned n = arch_irq_line_count();
    return n < IRQ_LINES_MAX ? n : IRQ_LINES_MAX;
}

bool irq_line_valid(uint64_t line)
{
    return line < irq_line_count() && !arch_irq_line_reserved((unsigned)line);
}

const irq_line_t *irq_line(unsigned line)
{
    return &lines[line];
}

void irq_init(void)
{
    for (unsigned i = 0; i < IRQ_LINES_MAX; i++)
        lines[i] = (irq_line_t){ .state = IRQ_FREE };
    sched_add_wake_check(irq_wake_possible);
}

bool irq_wake_possible(void)
{
    unsigned n = irq_line_count();
    for (unsigned i = 0; i < n; i++)
        if (lines[i].state == IRQ_ARMED && cap_is_live(&lines[i].notification))
            return true;
    return false;
}

void irq_bind(unsigned line, cap_t n, uint64_t bits)
{
    irq_line_t *l = &lines[line];
    l->notification = n;
    l->bits = bits;
    l->state = IRQ_ARMED;
    arch_irq_unmask(line);
}

/* ---- The interrupt path ------------------------------------------------------ */

void kernel_irq(unsigned line)
{
    if (!irq_line_valid(line))
        return;                  /* the port's own: never ours to mask */
    irq_line_t *l = &lines[line];
    arch_irq_mask(line);
    if (l->state != IRQ_ARMED)
        return;                  /* stray: it stays masked */
    l->state = IRQ_FIRED;
    if (!cap_is_live(&l->notification))
        return;                  /* revoked: nobody to tell; ack says so */
    l->delivered++;
    notify_signal(obj_ptr(l->notification.obj), l->bits);
}

/* ---- IRQ_CONTROL.get_handler ------------------------------------------------- */

static cairn_error_t irq_decode_get_handler(invocation_t *inv, uint64_t *line)
{
    *line = inv->msg->words[0];
    if (*line >= irq_line_count())
        return REFUSE(ERR_OUT_OF_RANGE, "line %llu: this machine has lines 0..%u",
                      (unsigned long long)*line, irq_line_count() - 1);
    if (!irq_line_valid(*line))
        return REFUSE(ERR_NO_RIGHTS, "line %llu is the kernel's own (its timer, a "
                      "cascade, or no device)", (unsigned long long)*line);
    return ERR_OK;
}

static void irq_invoke_get_handler(invocation_t *inv, uint64_t line)
{
    cap_t c = cap_null();
    c.type = CAP_IRQ_HANDLER;
    c.payload = (uint32_t)line;
    invoke_put_cap(inv, 0, c);
}

cairn_error_t irq_control_dispatch(invocation_t *inv)
{
    uint64_t line;
    cairn_error_t err;
    switch (inv->method->opcode) {
    case OP_IRQ_CONTROL_get_handler:
        if ((err = irq_decode_get_handler(inv, &line)) == ERR_OK)
            irq_invoke_get_handler(inv, line);
        return err;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such IRQ_CONTROL method");
    }
}

/* ---- IRQ_HANDLER methods ---------------------------------------------------------- */

typedef struct {
    unsigned    line;
    irq_line_t *l;
    cap_t       n;       /* set_notification: the notification */
    uint64_t    bits;    /* set_notification: the bits */
} irq_args_t;

/* The handler's line; only a forged payload (none can be made) fails. */
static cairn_error_t irq_decode_line(invocation_t *inv, irq_args_t *a)
{
    uint32_t line = inv->target.payload;
    if (!irq_line_valid(line))
        return REFUSE(ERR_OUT_OF_RANGE, "the handler names line %u, which no "
                      "driver may have", line);
    a->line = line;
    a->l = &lines[line];
    return ERR_OK;
}

static cairn_error_t irq_decode_set_notification(invocation_t *inv, irq_args_t *a)
{
    cairn_error_t err = irq_decode_line(inv, a);
    if (err != ERR_OK)
        return err;
    const cap_t *n = &inv->in[0];
    if ((err = invoke_check_cap(inv, 0, CAP_NOTIFICATION, true)) != ERR_OK)
        return err;
    a->bits = inv->msg->words[0];
    if (a->bits == 0)
        return REFUSE(ERR_INVALID_ARGUMENT, "no bits to signal: word0 is 0");
    if (n->payload != 0 && (a->bits & ~(uint64_t)n->payload))
        return REFUSE(ERR_NO_RIGHTS, "bits 0x%llx are outside the capability's badge 0x%x",
                      (unsigned long long)a->bits, n->payload);
    if (a->l->state != IRQ_FREE)
        return REFUSE(ERR_BUSY, "line %u is already bound: clear it first", a->line);
    a->n = *n;
    return ERR_OK;
}

static void irq_invoke_set_notification(invocation_t *inv, const irq_args_t *a)
{
    (void)inv;
    irq_bind(a->line, a->n, a->bits);
}

static cairn_error_t irq_decode_ack(invocation_t *inv, irq_args_t *a)
{
    cairn_error_t err = irq_decode_line(inv, a);
    if (err != ERR_OK)
        return err;
    if (a->l->state == IRQ_FREE)
        return REFUSE(ERR_BUSY, "line %u is not bound: nothing to acknowledge", a->line);
    if (!cap_is_live(&a->l->notification))
        return REFUSE(ERR_REVOKED, "line %u's notification was revoked: clear the "
                      "line and bind it anew", a->line);
    return ERR_OK;
}

/* FIRED -> ARMED; ARMED stays (an early or repeated ack is harmless). */
static void irq_invoke_ack(invocation_t *inv, const irq_args_t *a)
{
    (void)inv;
    if (a->l->state == IRQ_FIRED) {
        a->l->state = IRQ_ARMED;
        arch_irq_unmask(a->line);
    }
}

/* Clearing a FREE line is allowed and changes nothing. */
static void irq_invoke_clear(invocation_t *inv, const irq_args_t *a)
{
    (void)inv;
    if (a->l->state == IRQ_ARMED)
        arch_irq_mask(a->line);
    a->l->state = IRQ_FREE;
    a->l->notification = cap_null();
    a->l->bits = 0;
}

#define RUN(decode, invoke) INVOKE_STEPS(decode, invoke, &a)

cairn_error_t irq_handler_dispatch(invocation_t *inv)
{
    irq_args_t a = { 0 };
    switch (inv->method->opcode) {
    case OP_IRQ_HANDLER_set_notification:
        RUN(irq_decode_set_notification, irq_invoke_set_notification);
    case OP_IRQ_HANDLER_ack:   RUN(irq_decode_ack, irq_invoke_ack);
    case OP_IRQ_HANDLER_clear: RUN(irq_decode_line, irq_invoke_clear);
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such IRQ_HANDLER method");
    }
}
