/*
 * Interrupt lines delivered to user level (docs/spec/interrupts.md).
 *
 * Two stateless capabilities: IRQ_CONTROL makes IRQ_HANDLER capabilities,
 * and an IRQ_HANDLER (payload: its line) binds its line to a notification
 * and acknowledges it. The state of each line lives in a fixed kernel
 * table, one irq_line_t per line the port has (up to IRQ_LINES_MAX);
 * nothing is allocated.
 *
 * States of a line that is not reserved (arch_irq_line_reserved):
 *
 *   FREE    no binding; masked at the controller.
 *   ARMED   bound to a notification; unmasked: the next interrupt is
 *           signalled.
 *   FIRED   bound; masked since its last interrupt, which was signalled;
 *           waits for the driver's ack.
 *
 *   FREE  --set_notification-->  ARMED  --interrupt-->  FIRED
 *   FIRED --ack-->  ARMED           ARMED, FIRED --clear-->  FREE
 *
 * Invariants: the line is unmasked exactly when ARMED; `notification`
 * is Null exactly when FREE. An interrupt never blocks and allocates
 * nothing: it masks the line, ORs the bits into the notification (which
 * wakes a waiter or the bound receiver, notify.h) and moves ARMED to
 * FIRED. If the notification was revoked meanwhile the interrupt still
 * masks the line and moves it to FIRED, signalling nobody; ack then
 * refuses with REVOKED and the driver must clear and bind anew.
 *
 * Lines the port reserves are refused wherever they are named: by
 * get_handler, by a handler capability (a boot image could carry one),
 * by the boot image's IRQ records.
 *
 * Single CPU; interrupts are off whenever the table changes (methods run
 * with interrupts off, kernel_irq in interrupt context). On SMP the big
 * kernel lock covers the table, and kernel_irq takes it like any entry;
 * a per-line lock would do as well, since no operation spans two lines.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"
#include "invoke.h"

/* The most lines the table holds; a port with more offers only these. */
#define IRQ_LINES_MAX 256u

typedef enum {
    IRQ_FREE = 0,
    IRQ_ARMED,
    IRQ_FIRED,
} irq_state_t;

typedef struct irq_line {
    cap_t    notification;  /* the bound notification; Null when FREE.
                               set_notification, clear */
    uint64_t bits;          /* ORed in at each interrupt; set_notification */
    uint64_t delivered;     /* interrupts signalled since boot; kernel_irq */
    uint8_t  state;         /* irq_state_t; the methods and kernel_irq */
} irq_line_t;

/*
 * Forget every binding: every line FREE (the controller's masks are the
 * port's business: they start masked). Install the scheduler's wake check
 * (sched.h) so an idle system with an ARMED line waits for it rather than
 * powering off. Boot calls it once, after sched_init; host tests after
 * each sched_init.
 */
void irq_init(void);

/* Lines capabilities may name: below the port's count (at most
 * IRQ_LINES_MAX) and not reserved. */
unsigned irq_line_count(void);
bool irq_line_valid(uint64_t line);

/* The state of a valid line, for tests and the boot report. */
const irq_line_t *irq_line(unsigned line);

/*
 * Bind a FREE valid line to the notification `n` (a live, signalling
 * capability) with `bits` (nonzero) and unmask it: the boot image's IRQ
 * records go through here. Pre: checked by the caller, as the method's
 * decode step checks them.
 */
void irq_bind(unsigned line, cap_t n, uint64_t bits);

/* Can an interrupt still wake someone: is some line ARMED with a live
 * notification? (The scheduler's wake check.) */
bool irq_wake_possible(void);

/* Methods on IRQ_CONTROL and IRQ_HANDLER capabilities (methods.def). */
cairn_error_t irq_control_dispatch(invocation_t *inv);
cairn_error_t irq_handler_dispatch(invocation_t *inv);
