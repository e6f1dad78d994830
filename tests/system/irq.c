/*
 * System suite `irq`: a user-level driver for a real device interrupt
 * (docs/spec/interrupts.md), on both ports.
 *
 * The image (tests/system/irq.<arch>.mki) maps the device's registers
 * at DEV_VA (irq_dev.h says which device, and why), binds its line to
 * the notification TICKS with BOOT_BITS, gives the test the line's
 * IRQ_HANDLER and IRQ_CONTROL, and passes the line number as the
 * program's argument.
 *
 * The driver programs the device, waits on its notification, sees the
 * signal, services the device and acks; the next interrupt arrives only
 * after the ack. Then every documented refusal: lines that do not exist
 * or that the kernel keeps, methods on the wrong type, wrong
 * capabilities for set_notification, double binding, ack without a
 * binding, and a notification revoked under a bound line.
 */
#include "systest.h"

#include "irq_dev.h"

#define IRQCTL   R(16)
#define HANDLER  R(17)      /* the line's handler, from the image */
#define TICKS    R(18)      /* bound to the line at boot */
#define NAP      R(19)      /* an endpoint nobody sends to */
#define HANDLER2 R(20)
#define SPARE    R(21)
#define SIGNALLER R(22)
#define SUB_UT   R(23)
#define DOOMED   R(24)
#define EMPTY    R(25)

#define BOOT_BITS 0x4u      /* the image's signal(ticks, 0x4) */
#define WAIT_TICKS 200u     /* 2 s at 100 Hz: a lost interrupt fails, not hangs */

static unsigned line;

/* Wait for a signal on TICKS (bound to this process): an open receive on
 * NAP that the signal ends. The bits, or 0 if none came in WAIT_TICKS. */
static uint64_t wait_signal(void)
{
    cairn_msg_t m = { 0 };
    if (cairn_ipc_set_timeout(WAIT_TICKS) != ERR_OK)
        return 0;
    cairn_ipc_result_t r = cairn_ipc_receive(NAP, &m, CAIRN_IPC_TIMEOUT);
    if (r.error != ERR_OK || !(r.flags & CAIRN_RESULT_RECV_NOTIFY))
        return 0;
    return m.words[0];
}

static uint64_t pending_bits(void)
{
    uint64_t bits = ~0ull;
    if (cairn_notification_poll(TICKS, &bits) != ERR_OK)
        return ~0ull;
    return bits;
}

/* Until the device says it raised its interrupt, then a while longer, so
 * that an interrupt the controller let through would have been taken. */
static bool until_raised(void)
{
    for (unsigned i = 0; i < 2000000; i++) {
        if (dev_raised()) {
            for (unsigned j = 0; j < 2000; j++)
                (void)dev_raised();
            return true;
        }
    }
    return false;
}

/* A notification in DOOMED from a fresh Untyped in SUB_UT, to revoke. */
static cairn_error_t doomed_notification(void)
{
    cairn_process_cap_delete(SELF, DOOMED);
    cairn_process_cap_delete(SELF, SUB_UT);
    cairn_error_t e = new_untyped(12, 23);
    if (e == ERR_OK)
        e = cairn_untyped_retype(SUB_UT, OBJ_NOTIFICATION, 0, 1, DOOMED);
    return e;
}

static cairn_error_t rebind_boot(void)
{
    return cairn_irq_handler_set_notification(HANDLER, BOOT_BITS, TICKS);
}

/* ---- The driver ---------------------------------------------------------------- */

UTEST(device_and_setup)
{
    const char *why = dev_init(line);
    if (why) {
        utest_fail(ut_self_, __FILE__, __LINE__, "%s", why);
        return;
    }
    UCHECK_EQ(cap_type_at(HANDLER), CAP_IRQ_HANDLER);
    UCHECK_EQ(cap_type_at(IRQCTL), CAP_IRQ_CONTROL);
    /* The line was armed at boot, before this driver quieted its device:
     * an interrupt latched earlier (firmware's, on a shared ISA line) may
     * have come already. Take it and ack, as any driver starts. */
    (void)pending_bits();
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));
    UCHECK_EQ(pending_bits(), 0);
}

/* The only process blocks in Notification.wait with no timeout pending:
 * the armed line alone keeps the idle system from finishing, and the
 * interrupt arrives in the idle loop. */
UTEST(an_interrupt_wakes_the_idle_driver)
{
    uint64_t bits = 0;
    dev_fire_in(20000);
    UCHECK_OK(cairn_notification_wait(TICKS, &bits));
    UCHECK_EQ(bits, BOOT_BITS);
    UCHECK(dev_raised());
    dev_service();
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));
    UCHECK_OK(cairn_notification_bind(TICKS, SELF));   /* for wait_signal */
}

/* Fired, the line is masked: the device's next interrupt waits at the
 * controller until the ack, then arrives. */
UTEST(the_next_interrupt_comes_only_after_the_ack)
{
    dev_fire_in(0);
    UCHECK_EQ(wait_signal(), BOOT_BITS);
    UCHECK(dev_raised());
    dev_service();
    dev_fire_in(0);
    UCHECK(until_raised());
    UCHECK_EQ(pending_bits(), 0);                       /* held back */
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));
    UCHECK_EQ(wait_signal(), BOOT_BITS);                /* now it comes */
    dev_service();
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));
    UCHECK_EQ(pending_bits(), 0);
}

UTEST(every_ack_lets_one_more_through)
{
    for (unsigned i = 0; i < 5; i++) {
        dev_fire_in(100);
        UCHECK_EQ(wait_signal(), BOOT_BITS);
        dev_service();
        UCHECK_OK(cairn_irq_handler_ack(HANDLER));
    }
    UCHECK_EQ(pending_bits(), 0);
}

UTEST(a_handler_from_irq_control_drives_the_line)
{
    UCHECK_OK(cairn_irq_control_get_handler(IRQCTL, line, HANDLER2));
    UCHECK_EQ(cap_type_at(HANDLER2), CAP_IRQ_HANDLER);
    UCHECK_OK(cairn_irq_handler_clear(HANDLER2));       /* the same line */
    UCHECK_OK(cairn_irq_handler_set_notification(HANDLER2, 0x10, TICKS));
    dev_fire_in(0);
    UCHECK_EQ(wait_signal(), 0x10);                     /* the new binding's bits */
    dev_service();
    UCHECK_OK(cairn_irq_handler_ack(HANDLER2));
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));        /* either handler will do */
    UCHECK_OK(rebind_boot());
}

/* ---- Refusals ------------------------------------------------------------------ */

UTEST(get_handler_refuses_absent_and_kernel_lines)
{
    UCHECK_ERR(cairn_irq_control_get_handler(IRQCTL, 1u << 20, SPARE), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_irq_control_get_handler(IRQCTL, ~0ull, SPARE), ERR_OUT_OF_RANGE);
    /* x86_64: IRQ 0 is the PIT; riscv64: PLIC source 0 does not exist. */
    UCHECK_ERR(cairn_irq_control_get_handler(IRQCTL, 0, SPARE), ERR_NO_RIGHTS);
#if defined(__x86_64__)
    UCHECK_ERR(cairn_irq_control_get_handler(IRQCTL, 2, SPARE), ERR_NO_RIGHTS);
#endif
    UCHECK_EQ(cap_type_at(SPARE), CAP_NULL);
}

UTEST(methods_belong_to_their_types)
{
    UCHECK_ERR(cairn_irq_handler_ack(IRQCTL), ERR_BAD_OPCODE);
    cairn_msg_t m = { .opcode = OP_IRQ_HANDLER_clear + 1 };
    UCHECK_ERR(cairn_call(HANDLER, &m), ERR_BAD_OPCODE);
    UCHECK_ERR(cairn_irq_handler_ack(EMPTY), ERR_INVALID_CAP);
}

UTEST(double_binding_is_refused)
{
    UCHECK_OK(cairn_untyped_retype(POOL, OBJ_NOTIFICATION, 0, 1, SPARE));
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, SPARE), ERR_BUSY);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER2, 1, SPARE), ERR_BUSY);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, BOOT_BITS, TICKS), ERR_BUSY);
}

UTEST(set_notification_refuses_wrong_capabilities)
{
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, EMPTY), ERR_INVALID_CAP);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, NAP), ERR_WRONG_TYPE);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, IRQCTL), ERR_WRONG_TYPE);
    UCHECK_OK(cairn_process_cap_copy(SELF, SPARE, SIGNALLER));
    UCHECK_OK(cairn_process_cap_restrict(SELF, SIGNALLER, RESTR_READ_ONLY));
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, SIGNALLER), ERR_NO_RIGHTS);
    UCHECK_OK(cairn_notification_make_signaller(SPARE, 0x6, SIGNALLER));
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 0x9, SIGNALLER), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 0, TICKS), ERR_INVALID_ARGUMENT);
    UCHECK_OK(doomed_notification());
    UCHECK_OK(revoke(SUB_UT));
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, 1, DOOMED), ERR_REVOKED);
    /* A signaller within its badge is fine. */
    UCHECK_OK(cairn_irq_handler_set_notification(HANDLER, 0x2, SIGNALLER));
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    UCHECK_OK(rebind_boot());
}

UTEST(ack_without_a_binding_is_refused)
{
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    UCHECK_ERR(cairn_irq_handler_ack(HANDLER), ERR_BUSY);
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));         /* clearing twice is fine */
    UCHECK_ERR(cairn_irq_handler_ack(HANDLER2), ERR_BUSY);
    UCHECK_OK(rebind_boot());
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));           /* armed: harmless */
}

/* The bound notification is destroyed: the interrupt signals nobody, the
 * line stays masked, ack says REVOKED, and clear frees the line. */
UTEST(a_revoked_notification_is_never_signalled)
{
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    UCHECK_OK(doomed_notification());
    UCHECK_OK(cairn_irq_handler_set_notification(HANDLER, BOOT_BITS, DOOMED));
    UCHECK_OK(revoke(SUB_UT));
    dev_fire_in(0);
    UCHECK(until_raised());
    UCHECK_ERR(cairn_irq_handler_ack(HANDLER), ERR_REVOKED);
    UCHECK_ERR(cairn_irq_handler_set_notification(HANDLER, BOOT_BITS, TICKS), ERR_BUSY);
    dev_service();
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    UCHECK_OK(rebind_boot());
    UCHECK_EQ(pending_bits(), 0);                        /* nothing stale arrives */
    dev_fire_in(0);
    UCHECK_EQ(wait_signal(), BOOT_BITS);                 /* and the line works again */
    dev_service();
    UCHECK_OK(cairn_irq_handler_ack(HANDLER));
}

/* Nothing left armed: once the test ends, the system can finish. */
UTEST(clear_leaves_the_line_free)
{
    UCHECK_OK(cairn_irq_handler_clear(HANDLER));
    dev_stop();
    dev_fire_in(0);
    UCHECK_EQ(pending_bits(), 0);
}

int main(uint64_t arg)
{
    line = (unsigned)arg;
    int failed = utest_run("irq");
    cairn_irq_handler_clear(HANDLER);    /* whatever a failed test left */
    dev_stop();
    return failed;
}
