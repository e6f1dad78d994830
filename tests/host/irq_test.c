/*
 * Host suite `irq`: IRQ_CONTROL.get_handler and IRQ_HANDLER.set_notification,
 * ack and clear with every error; the line state machine (FREE, ARMED,
 * FIRED) against the simulated controller's masks (irq_host.c); an
 * interrupt in the idle loop and in user mode waking the driver; the
 * scheduler's wake check; a revoked notification; the boot path's
 * irq_bind.
 */
#include <stddef.h>

#include "harness.h"
#include "ipc_sim.h"
#include "irq_host.h"

#include "arch.h"
#include "cap/irq.h"
#include "obj/untyped.h"
#include "sched/sched.h"

enum { CTL = 12, HND = 13, NTF = 14, EP = 15, OTHER = 16, UT = 9 };
enum { LINE = 5 };

/* A world with driver d (prio 10) holding IRQ_CONTROL, a notification,
 * and the handler of LINE; x (prio 5) is another process. */
static process_t *world(process_t **x)
{
    sim_reset();
    host_irq_reset();
    irq_init();
    process_t *d = sim_proc(10);
    if (x)
        *x = sim_proc(5);
    d->cap_regs[CTL] = (cap_t){ .type = CAP_IRQ_CONTROL };
    d->cap_regs[HND] = (cap_t){ .type = CAP_IRQ_HANDLER, .payload = LINE };
    sim_notification(d, NTF);
    return d;
}

static process_t *get_handler(process_t *p, uint64_t line, unsigned dest)
{
    sim_buf(p)->recv_caps[0] = CAPLOC_REG(dest);
    return sim_syscall(p, cairn_info(1, 0, 1), CAPLOC_REG(CTL),
                       OP_IRQ_CONTROL_get_handler, line, 0, 0, 0);
}

static process_t *set_notification(process_t *p, unsigned ntf, uint64_t bits)
{
    sim_buf(p)->send_caps[0] = CAPLOC_REG(ntf);
    return sim_syscall(p, cairn_info(1, 1, 0), CAPLOC_REG(HND),
                       OP_IRQ_HANDLER_set_notification, bits, 0, 0, 0);
}

static process_t *ack(process_t *p)
{
    return sim_method(p, HND, OP_IRQ_HANDLER_ack, 0, 0, 0, 0, 0);
}

static process_t *clear(process_t *p)
{
    return sim_method(p, HND, OP_IRQ_HANDLER_clear, 0, 0, 0, 0, 0);
}

static process_t *poll(process_t *p, unsigned reg)
{
    return sim_method(p, reg, OP_NOTIFICATION_poll, 0, 0, 0, 0, 0);
}

static irq_state_t state(unsigned line)
{
    return (irq_state_t)irq_line(line)->state;
}

/* An interrupt of `line`, as a port delivers it: kernel_irq, then the
 * interrupt path (kernel_user_interrupt if a process ran, else the idle
 * loop's sched_run). Returns the process resumed, or NULL. */
static void irq_entry(void *arg)
{
    kernel_irq(*(unsigned *)arg);
    process_t *p = sched_current();
    if (p)
        kernel_user_interrupt(p->arch_regs);
    sched_run();
}

static process_t *interrupt(unsigned line)
{
    uint64_t *ctx = NULL;
    if (host_kernel_enter(irq_entry, &line, &ctx) != HOST_EXIT_RESUMED)
        return NULL;
    return (process_t *)((char *)ctx - offsetof(process_t, arch_regs));
}

/* d binds LINE to its notification with `bits`. */
static void bound(process_t *d, uint64_t bits)
{
    set_notification(d, NTF, bits);
}

/* ---- get_handler ----------------------------------------------------------------- */

HOST_TEST(irq, get_handler_names_a_line)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(get_handler(d, 7, OTHER) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(d->cap_regs[OTHER].type, CAP_IRQ_HANDLER);
    CHECK_EQ(d->cap_regs[OTHER].payload, 7);
    CHECK_EQ(d->cap_regs[OTHER].obj, 0);
    CHECK(host_irq_masked(7));                      /* naming binds nothing */
    CHECK_EQ(state(7), IRQ_FREE);
}

HOST_TEST(irq, get_handler_refuses_absent_and_kernel_lines)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(get_handler(d, HOST_IRQ_LINES, OTHER) == d);
    CHECK_EQ(sim_err(d), ERR_OUT_OF_RANGE);
    CHECK(get_handler(d, (uint64_t)1 << 40, OTHER) == d);
    CHECK_EQ(sim_err(d), ERR_OUT_OF_RANGE);
    CHECK(get_handler(d, 0, OTHER) == d);            /* the timer */
    CHECK_EQ(sim_err(d), ERR_NO_RIGHTS);
    CHECK(get_handler(d, HOST_IRQ_CASCADE, OTHER) == d);
    CHECK_EQ(sim_err(d), ERR_NO_RIGHTS);
    CHECK(cap_is_null(&d->cap_regs[OTHER]));
    CHECK(get_handler(d, HOST_IRQ_LINES - 1, OTHER) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
}

HOST_TEST(irq, methods_belong_to_their_types)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(sim_method(d, CTL, OP_IRQ_HANDLER_clear + 1, 0, 0, 0, 0, 0) == d);
    CHECK_EQ(sim_err(d), ERR_BAD_OPCODE);            /* control has only get_handler */
    CHECK(sim_method(d, HND, 4, 0, 0, 0, 0, 0) == d);
    CHECK_EQ(sim_err(d), ERR_BAD_OPCODE);
    d->cap_regs[HND].payload = 0;                    /* a handler nobody can make */
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_OUT_OF_RANGE);
    CHECK_EQ(host_irq_reserved_touched(), 0);
}

/* ---- set_notification ---------------------------------------------------------------- */

HOST_TEST(irq, set_notification_arms_the_line)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(host_irq_masked(LINE));
    CHECK(set_notification(d, NTF, 0x8) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(state(LINE), IRQ_ARMED);
    CHECK(!host_irq_masked(LINE));
    CHECK_EQ(irq_line(LINE)->bits, 0x8);
    CHECK(cap_same_object(&irq_line(LINE)->notification, &d->cap_regs[NTF]));
}

HOST_TEST(irq, set_notification_errors)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    d->cap_regs[OTHER] = cap_null();
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK_EQ(sim_err(d), ERR_INVALID_CAP);
    sim_object(d, OBJ_ENDPOINT, OTHER);
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK_EQ(sim_err(d), ERR_WRONG_TYPE);
    d->cap_regs[OTHER] = d->cap_regs[NTF];
    cap_restrict(&d->cap_regs[OTHER], RESTR_READ_ONLY);
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK_EQ(sim_err(d), ERR_NO_RIGHTS);             /* wait-only */
    d->cap_regs[OTHER] = d->cap_regs[NTF];
    d->cap_regs[OTHER].payload = 0x6;                /* a signaller with badge 0x6 */
    CHECK(set_notification(d, OTHER, 0x9) == d);
    CHECK_EQ(sim_err(d), ERR_NO_RIGHTS);             /* outside its badge */
    CHECK(set_notification(d, NTF, 0) == d);
    CHECK_EQ(sim_err(d), ERR_INVALID_ARGUMENT);
    CHECK_EQ(state(LINE), IRQ_FREE);
    CHECK(host_irq_masked(LINE));
    CHECK(set_notification(d, OTHER, 0x2) == d);     /* within the badge */
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK(set_notification(d, NTF, 1) == d);
    CHECK_EQ(sim_err(d), ERR_BUSY);                  /* double binding */
    CHECK_EQ(irq_line(LINE)->bits, 0x2);
}

HOST_TEST(irq, set_notification_refuses_a_revoked_notification)
{
    process_t *d = world(NULL);
    sim_sub_untyped(d, UT, 14);
    CHECK_EQ(untyped_retype(&d->cap_regs[UT], OBJ_NOTIFICATION, 0, 1, &d->cap_regs[OTHER]),
             ERR_OK);
    CHECK_EQ(host_revoke(d, UT, NULL), ERR_OK);
    CHECK(sim_run() == d);
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK_EQ(sim_err(d), ERR_REVOKED);
    CHECK_EQ(state(LINE), IRQ_FREE);
}

/* ---- Interrupts, ack, clear ------------------------------------------------------------ */

HOST_TEST(irq, an_interrupt_masks_signals_and_waits_for_the_ack)
{
    process_t *d = world(NULL);
    notification_t *n = obj_ptr(d->cap_regs[NTF].obj);
    CHECK(sim_run() == d);
    bound(d, 0x30);
    CHECK(interrupt(LINE) == d);                     /* d keeps running */
    CHECK_EQ(state(LINE), IRQ_FIRED);
    CHECK(host_irq_masked(LINE));
    CHECK_EQ(n->word, 0x30);
    CHECK_EQ(irq_line(LINE)->delivered, 1);
    CHECK(poll(d, NTF) == d);
    CHECK_EQ(sim_regs(d).w[0], 0x30);
    /* A stray call while masked (a port would not make it) signals nothing. */
    CHECK(interrupt(LINE) == d);
    CHECK_EQ(n->word, 0);
    CHECK_EQ(irq_line(LINE)->delivered, 1);
    unsigned unmasks = host_irq_unmasks(LINE);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(state(LINE), IRQ_ARMED);
    CHECK(!host_irq_masked(LINE));
    CHECK_EQ(host_irq_unmasks(LINE), unmasks + 1);
    CHECK(interrupt(LINE) == d);
    CHECK_EQ(n->word, 0x30);
    CHECK_EQ(irq_line(LINE)->delivered, 2);
}

HOST_TEST(irq, an_early_ack_changes_nothing)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    bound(d, 1);
    unsigned unmasks = host_irq_unmasks(LINE);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(state(LINE), IRQ_ARMED);
    CHECK_EQ(host_irq_unmasks(LINE), unmasks);
}

HOST_TEST(irq, ack_without_a_binding)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_BUSY);
    CHECK(host_irq_masked(LINE));
    bound(d, 1);
    CHECK(clear(d) == d);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_BUSY);                  /* cleared: unbound again */
}

HOST_TEST(irq, clear_unbinds_and_masks)
{
    process_t *d = world(NULL);
    notification_t *n = obj_ptr(d->cap_regs[NTF].obj);
    CHECK(sim_run() == d);
    CHECK(clear(d) == d);
    CHECK_EQ(sim_err(d), ERR_OK);                    /* clearing a free line is fine */
    bound(d, 1);
    CHECK(clear(d) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(state(LINE), IRQ_FREE);
    CHECK(host_irq_masked(LINE));
    CHECK(cap_is_null(&irq_line(LINE)->notification));
    CHECK(interrupt(LINE) == d);                     /* a stray: nobody told */
    CHECK_EQ(n->word, 0);
    CHECK(host_irq_masked(LINE));
    bound(d, 2);                                     /* free again: bind anew */
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK(interrupt(LINE) == d);
    CHECK_EQ(state(LINE), IRQ_FIRED);
    CHECK(clear(d) == d);                            /* clear a fired line */
    CHECK_EQ(state(LINE), IRQ_FREE);
    CHECK(host_irq_masked(LINE));
}

HOST_TEST(irq, a_revoked_notification_is_never_signalled)
{
    process_t *d = world(NULL);
    sim_sub_untyped(d, UT, 14);
    CHECK_EQ(untyped_retype(&d->cap_regs[UT], OBJ_NOTIFICATION, 0, 1, &d->cap_regs[OTHER]),
             ERR_OK);
    CHECK(sim_run() == d);
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK(sim_method(d, UT, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_REVOKED);               /* even before an interrupt */
    CHECK(interrupt(LINE) == d);
    CHECK_EQ(state(LINE), IRQ_FIRED);
    CHECK(host_irq_masked(LINE));
    CHECK_EQ(irq_line(LINE)->delivered, 0);
    CHECK(ack(d) == d);
    CHECK_EQ(sim_err(d), ERR_REVOKED);
    CHECK(host_irq_masked(LINE));                    /* stays masked */
    CHECK(set_notification(d, NTF, 1) == d);
    CHECK_EQ(sim_err(d), ERR_BUSY);                  /* still bound: clear first */
    CHECK(clear(d) == d);
    CHECK(set_notification(d, NTF, 1) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK(!host_irq_masked(LINE));
}

HOST_TEST(irq, reserved_lines_are_never_touched)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    CHECK(interrupt(0) == d);
    CHECK(interrupt(HOST_IRQ_CASCADE) == d);
    CHECK(interrupt(HOST_IRQ_LINES + 3) == d);
    CHECK_EQ(host_irq_reserved_touched(), 0);
}

/* ---- Waking the driver ------------------------------------------------------------------ */

HOST_TEST(irq, an_interrupt_in_the_idle_loop_wakes_the_waiter)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    bound(d, 0x4);
    CHECK(sim_method(d, NTF, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);            /* armed: wait, not finished */
    CHECK(interrupt(LINE) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    CHECK_EQ(sim_regs(d).w[0], 0x4);
}

HOST_TEST(irq, an_interrupt_in_user_mode_preempts_for_a_better_driver)
{
    process_t *x, *d = world(&x);
    CHECK(sim_run() == d);
    bound(d, 0x1);
    CHECK(sim_method(d, NTF, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0) == x);
    CHECK(interrupt(LINE) == d);                     /* d (10) outranks x (5) */
    CHECK_EQ(sim_regs(d).w[0], 0x1);
    CHECK(sched_is_ready(x));
}

HOST_TEST(irq, an_interrupt_ends_the_bound_process_s_open_receive)
{
    process_t *x, *d = world(&x);
    sim_endpoint(d, EP);
    sim_buf(d)->send_caps[0] = CAPLOC_REG(SIM_SELF);
    CHECK(sim_run() == d);
    CHECK(sim_syscall(d, cairn_info(0, 1, 0), CAPLOC_REG(NTF), OP_NOTIFICATION_bind,
                      0, 0, 0, 0) == d);
    CHECK_EQ(sim_err(d), ERR_OK);
    bound(d, 0x10);
    CHECK(sim_sys(d, CAIRN_IPC_OP_RECEIVE, EP, 0) == x);
    CHECK(interrupt(LINE) == d);
    sim_regs_t r = sim_regs(d);
    CHECK_EQ(cairn_result_error(r.info), ERR_OK);
    CHECK(r.info & CAIRN_RESULT_RECV_NOTIFY);
}

/* The wake check: an idle system with no timeout pending is finished
 * unless some line is ARMED with a live notification. */
HOST_TEST(irq, the_wake_check_counts_armed_lines_only)
{
    process_t *d = world(NULL);
    CHECK(!irq_wake_possible());
    CHECK(sim_run() == d);
    bound(d, 1);
    CHECK(irq_wake_possible());
    CHECK(interrupt(LINE) == d);
    CHECK(!irq_wake_possible());                     /* fired: only d's ack can arm it */
    CHECK(ack(d) == d);
    CHECK(irq_wake_possible());
    CHECK(clear(d) == d);
    CHECK(!irq_wake_possible());
    /* Waiting with nothing armed: the system has finished. */
    CHECK(poll(d, NTF) == d);
    CHECK_EQ(sim_regs(d).w[0], 1);
    CHECK(sim_method(d, NTF, OP_NOTIFICATION_wait, 0, 0, 0, 0, 0) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_POWEROFF);
}

HOST_TEST(irq, the_wake_check_ignores_a_revoked_notification)
{
    process_t *d = world(NULL);
    sim_sub_untyped(d, UT, 14);
    CHECK_EQ(untyped_retype(&d->cap_regs[UT], OBJ_NOTIFICATION, 0, 1, &d->cap_regs[OTHER]),
             ERR_OK);
    CHECK(sim_run() == d);
    CHECK(set_notification(d, OTHER, 1) == d);
    CHECK(irq_wake_possible());
    CHECK(sim_method(d, UT, OP_UNTYPED_revoke, 0, 0, 0, 0, 0) == d);
    CHECK(!irq_wake_possible());
}

HOST_TEST(irq, the_ipc_wake_check_still_counts)
{
    process_t *d = world(NULL);
    CHECK(sim_run() == d);
    bound(d, 1);
    CHECK(interrupt(LINE) == d);                     /* fired: no IRQ can wake */
    CHECK(sim_sleep(d, 3) == NULL);
    CHECK_EQ(sim_exit(), HOST_EXIT_IDLE);            /* a timeout is pending */
    CHECK(sim_tick(1) == NULL);
    CHECK(sim_tick(2) == NULL);
    CHECK(sim_tick(3) == d);
    CHECK_EQ(sim_err(d), ERR_TIMEOUT);
}

/* ---- The boot path ------------------------------------------------------------------------ */

HOST_TEST(irq, irq_bind_is_the_boot_image_s_binding)
{
    process_t *d = world(NULL);
    CHECK(irq_line_valid(LINE));
    CHECK(!irq_line_valid(0));
    CHECK(!irq_line_valid(HOST_IRQ_CASCADE));
    CHECK(!irq_line_valid(HOST_IRQ_LINES));
    CHECK_EQ(irq_line_count(), HOST_IRQ_LINES);
    irq_bind(LINE, d->cap_regs[NTF], 0x40);
    CHECK_EQ(state(LINE), IRQ_ARMED);
    CHECK(!host_irq_masked(LINE));
    CHECK(sim_run() == d);
    CHECK(set_notification(d, NTF, 1) == d);
    CHECK_EQ(sim_err(d), ERR_BUSY);
    CHECK(interrupt(LINE) == d);
    CHECK(poll(d, NTF) == d);
    CHECK_EQ(sim_regs(d).w[0], 0x40);
}
