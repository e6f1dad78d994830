/*
 * What signals and waits do to processes (docs/spec/ipc.md,
 * "Notifications"). The Notification object and its method decoding are
 * kernel/obj/notification.c; this is the behaviour behind them.
 *
 * A signal ORs bits into the word and never blocks. If that sets any bit
 * it first abandons every operation watching the notification (watch.h);
 * then the bits go, all at once, to one process: the oldest waiter in
 * Notification.wait if there is one, else the bound process if it waits
 * in an open receive (which ends with CAIRN_RESULT_RECV_NOTIFY); else
 * they stay in the word for the next wait, poll or receive. Whoever takes
 * the bits clears the word.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "obj/notification.h"
#include "obj/process.h"

/* OR bits into n and wake as above. */
void notify_signal(notification_t *n, uint64_t bits);

/* Take and clear n's bits (0 if none). */
uint64_t notify_take(notification_t *n);

/* Make p wait on n (Notification.wait found no bits). Pre: p is the
 * invoker, not waiting in IPC. */
void notify_block(notification_t *n, process_t *p);

/* Take p (NOTIFY_WAIT) off its notification's queue. */
void notify_unqueue(process_t *p);

/* If p's bound notification holds bits, take them into *bits. */
bool notify_bound_take(process_t *p, uint64_t *bits);

/* Bind n and p to each other. Pre: both unbound. */
void notify_bind(notification_t *n, process_t *p);

/* Undo n's binding, if any. */
void notify_unbind(notification_t *n);
