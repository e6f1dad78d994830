/*
 * Kernel invocation: the one entry from a system call (or a host test) into
 * the object layer, and the vocabulary every method shares.
 *
 * kernel_invoke resolves the target capability, finds the method in the
 * table expanded from kernel/abi/methods.def, checks the message shape,
 * fetches the sent capabilities and resolves where returned ones go, then
 * switches once on the capability type to the object's dispatch. Each
 * method is a decode step (checks and lookups, no side effects, may fail)
 * followed by an invoke step (changes state, cannot fail).
 *
 * Event model: an invoke step may do a bounded amount of work and set
 * `restart` (Untyped.revoke does). kernel_invoke then returns
 * INVOKE_RESTART with the message untouched, and the system-call layer
 * re-executes the same call later, after any pending preemption. An
 * invoke step may instead leave the invoker waiting in IPC and set
 * `blocked` (Notification.wait does): kernel_invoke returns
 * INVOKE_BLOCKED and the system-call layer writes no results.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "cap/cap.h"

struct process;

/* A message as the kernel sees it, in portable form. */
typedef struct msg {
    uint64_t opcode;                      /* in: method (methods.def) */
    uint64_t error;                       /* out: cairn_error_t */
    uint32_t nwords;                      /* in: words sent; out: returned */
    uint32_t ncaps;                       /* in: capabilities sent */
    uint64_t words[CAIRN_MSG_WORDS_MAX];  /* in, then out */
    caploc_t caps[CAIRN_MSG_CAPS_MAX];    /* in: where sent capabilities are */
    caploc_t recv[CAIRN_MSG_CAPS_MAX];    /* in: where returned ones go */
} msg_t;

typedef enum {
    INVOKE_DONE,      /* msg->error, msg->nwords and msg->words are set */
    INVOKE_RESTART,   /* more to do: msg unchanged; call again */
    INVOKE_BLOCKED,   /* the invoker now waits in IPC (Notification.wait);
                         whoever wakes it writes its results */
} invoke_status_t;

/*
 * Invoke the capability at `target` in invoker's capability space with
 * `msg`. Pre: invoker is a live process; the caller holds the kernel lock.
 * Post (DONE): msg->error is ERR_OK and the method's results are in
 * msg->words[0..nwords) and at msg->recv[0..out_caps); or msg->error is
 * the refusal and nothing changed. The invoker may have been destroyed by
 * its own call (revoking the Untyped it came from): check its state
 * before writing results back to it.
 */
invoke_status_t kernel_invoke(struct process *invoker, caploc_t target,
                              msg_t *msg);

/* One row of methods.def. */
typedef struct method_info {
    uint8_t     captype;
    uint8_t     opcode;
    uint8_t     in_words, in_caps, out_words, out_caps;
    const char *name;     /* "UNTYPED.retype" */
    const char *doc;
} method_info_t;

extern const method_info_t method_table[];
extern const unsigned method_table_count;

/* The method `opcode` of capability type `type`, or NULL. */
const method_info_t *method_find(cap_type_t type, uint64_t opcode);

/* What a method's decode and invoke steps work on. */
typedef struct invocation {
    struct process      *invoker;
    cap_t                target;   /* the invoked capability, checked live */
    void                *obj;      /* its object; NULL if stateless */
    const method_info_t *method;
    msg_t               *msg;
    cap_t  in[CAIRN_MSG_CAPS_MAX];   /* sent capabilities, as fetched */
    cap_t *out[CAIRN_MSG_CAPS_MAX];  /* resolved slots for returned ones */
    unsigned nout;                   /* words returned so far */
    bool     restart;                /* invoke step: call me again */
    bool     blocked;                /* invoke step: the invoker waits */
} invocation_t;

/*
 * A method's two steps, in order: decode(inv, args) checks and looks up
 * (no side effects; may refuse), and only if it returns ERR_OK does
 * invoke(inv, args) change state (it cannot fail). The body of a dispatch
 * case: `case OP_X: INVOKE_STEPS(decode_x, invoke_x, &a);` (it returns).
 */
#define INVOKE_STEPS(decode, invoke, args)                             \
    do {                                                               \
        cairn_error_t step_err_ = (decode)(inv, (args));               \
        if (step_err_ == ERR_OK)                                       \
            (invoke)(inv, (args));                                     \
        return step_err_;                                              \
    } while (0)

/*
 * Decode helper: sent capability caps[i] must be live, of `type`, and
 * (when `writable`) not READ_ONLY. Returns ERR_OK, or the refusal with
 * its reason: INVALID_CAP (Null), REVOKED, WRONG_TYPE, NO_RIGHTS.
 */
cairn_error_t invoke_check_cap(const invocation_t *inv, unsigned i,
                               cap_type_t type, bool writable);

/* Invoke steps return results through these. */
static inline void invoke_put_word(invocation_t *inv, uint64_t w)
{
    inv->msg->words[inv->nout++] = w;
}

static inline void invoke_put_cap(invocation_t *inv, unsigned i, cap_t c)
{
    *inv->out[i] = c;
}

/*
 * Refusals. Every decode step returns its error through REFUSE(err, fmt,
 * ...). A debug build (CAIRN_DEBUG) prints the method, the error and the
 * reason; host tests read the last reason with invoke_last_refusal().
 */
#if defined(CAIRN_DEBUG) || defined(CAIRN_HOST_TEST)
__attribute__((format(printf, 4, 5)))
void invoke_refused(cairn_error_t err, const char *file, int line,
                    const char *fmt, ...);
#define REFUSE(err, ...) \
    (invoke_refused((err), __FILE__, __LINE__, __VA_ARGS__), (err))
#else
__attribute__((format(printf, 1, 2)))
static inline void invoke_refused_quietly(const char *fmt, ...) { (void)fmt; }
#define REFUSE(err, ...) (invoke_refused_quietly(__VA_ARGS__), (err))
#endif

/* The last refusal's text: "METHOD: ERROR: reason". */
const char *invoke_last_refusal(void);
