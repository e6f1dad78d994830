/*
 * Notification (states and invariants in notification.h). Its methods
 * (signal, wait, poll, bind) come with the IPC issue.
 */
#include "obj/notification.h"

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
