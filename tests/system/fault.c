/*
 * System suite `fault`: faults delivered to keepers as messages
 * (docs/spec/faults.md), answered, and resumed.
 *
 * Children (this program with argument = the mode below,
 * tests/system/fault.mki) fault in each way a port can: a missing page,
 * a write to a read-only page, a fetch from a no-execute page, an
 * invalid instruction, a breakpoint, a division by zero (x86_64). The
 * test is their keeper: it receives each fault as a call with
 * RECV_FAULT, checks the message, fixes the cause (maps the page with
 * GPT.set_slot, or moves the pc with Process.write_regs) and replies;
 * the child resumes and says so in the shared page. Memory faults inside
 * a GPT with a keeper go to the innermost such GPT's keeper with the
 * address relative to it. Puppets (tests/system/ipctest.h) cover the
 * rest: no usable keeper, a second reply, a stop, a keeper's endpoint
 * destroyed, a forged fault message, FIFO order.
 */
#include "ipctest.h"

typedef struct {
    uint64_t value;       /* what a child read, or 1 once past its fault */
    uint64_t done;        /* the mode of the last child that finished */
    uint64_t landed;      /* the word the keeper handed to landing() */
    uint64_t fault_pc;    /* the instruction a child is about to fault on */
} mailbox_t;
#define MB MAILBOX(mailbox_t)

enum {
    M_PAGE = 1, M_PROTECTION, M_NO_EXECUTE, M_INVALID, M_BREAKPOINT, M_DIVIDE,
    M_INNER, M_OUTER, M_ORPHAN, M_SEND_ONLY, M_TWICE,
};

#define FIX_VA      0x70000000ull      /* fixme: empty until the keeper fills it */
#define RO_VA       0x71000000ull      /* rogpt: ropage read-only */
#define NX_VA       0x72000000ull      /* nxgpt: nxpage no-execute */
#define KEPT_VA     0x80000000ull      /* outer (keeper 0x11), inner in slot 0 (0x12) */
#define INNER_OFF   0x3008ull          /* inner's slot 3, empty */
#define OUTER_OFF   0x10010ull         /* outer's slot 1, empty */
#define FIXPAGE_VA  0x62000000ull      /* the test's view of fixpage */
#define NXPAGE_VA   0x63000000ull      /* and of nxpage */
#define KIDS_VA     0x64000000ull      /* the CapPage of the children */

#define KEP        R(15)
#define KMEM       R(16)
#define FIXME      R(17)
#define ROGPT      R(18)
#define NXGPT      R(19)
#define INNER      R(20)
#define FIXPAGE    R(21)
#define ROPAGE     R(22)
#define NXPAGE     R(23)
#define INNERPAGE  R(24)
#define KEP_ENTRY  R(25)                /* entry(kep, 0x99) */
#define KID(mode)  CAPLOC_MEM(KIDS_VA + 16u * (mode))

#if defined(__x86_64__)
#define REG_PC   16u
#define REG_ARG0 5u                     /* rdi */
#else
#define REG_PC   31u
#define REG_ARG0 9u                     /* a0 */
#endif

/* ---- The children ---------------------------------------------------------------------- */

static volatile uint64_t zero_divisor;

static volatile uint64_t *at(uint64_t address)
{
    volatile uintptr_t a = (uintptr_t)address;
    return (volatile uint64_t *)a;
}

/* Note the address of the instruction, then run it. */
static void invalid_instruction(void)
{
    uint64_t *slot = (uint64_t *)(uintptr_t)&MB->fault_pc;
#if defined(__x86_64__)
    __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, (%0)\n1:\tud2"
                     :: "r"(slot) : "rax", "memory");
#else
    __asm__ volatile("la t0, 1f\n\tsd t0, 0(%0)\n1:\t.4byte 0"
                     :: "r"(slot) : "t0", "memory");
#endif
}

static void breakpoint(void)
{
    uint64_t *slot = (uint64_t *)(uintptr_t)&MB->fault_pc;
#if defined(__x86_64__)
    __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, (%0)\n1:\tint3"
                     :: "r"(slot) : "rax", "memory");
#else
    __asm__ volatile("la t0, 1f\n\tsd t0, 0(%0)\n1:\t.4byte 0x00100073"  /* ebreak */
                     :: "r"(slot) : "t0", "memory");
#endif
}

/* Where a keeper sends a child it will not resume at its fault. */
__attribute__((noreturn, used)) static void landing(uint64_t word)
{
    MB->landed = word;
    cairn_exit(0);
}

static void child(uint64_t mode)
{
    switch (mode) {
    case M_PAGE:       MB->value = *at(FIX_VA); break;
    case M_PROTECTION: *at(RO_VA) = 0x5a; MB->value = *at(RO_VA); break;
    case M_NO_EXECUTE: ((void (*)(void))(uintptr_t)NX_VA)(); MB->value = 1; break;
    case M_INVALID:
    case M_TWICE:      invalid_instruction(); break;
    case M_BREAKPOINT: breakpoint(); break;
    case M_DIVIDE:     MB->value = 100 / zero_divisor; break;
    case M_INNER:      MB->value = *at(KEPT_VA + INNER_OFF); break;
    case M_OUTER:      MB->value = *at(KEPT_VA + OUTER_OFF); break;
    case M_ORPHAN:
    case M_SEND_ONLY:  MB->value = *at(FIX_VA + 0x1000); break;
    }
    MB->done = mode;
    cairn_exit(0);
}

/* ---- The keeper's side ------------------------------------------------------------------ */

static cairn_ipc_result_t take(caploc_t ep, cairn_msg_t *m)
{
    *m = (cairn_msg_t){ 0 };
    return cairn_ipc_receive(ep, m, 0);
}

/* r and m are a fault of `kind` from the Entry with `payload`. */
static bool is_fault(const cairn_ipc_result_t *r, const cairn_msg_t *m,
                     uint64_t payload, uint64_t kind)
{
    return r->error == ERR_OK &&
           r->flags == (CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_RECV_FAULT) &&
           r->payload == payload && m->opcode == CAIRN_OP_FAULT &&
           m->nwords == CAIRN_FAULT_WORDS && m->words[CAIRN_FAULT_W_KIND] == kind;
}

static cairn_error_t write_reg(caploc_t p, unsigned index, uint64_t value)
{
    cairn_msg_t m = { .opcode = OP_PROCESS_write_regs, .nwords = 3 };
    m.words[0] = index;
    m.words[1] = 1;
    m.words[2] = value;
    return cairn_call(p, &m);
}

/* Send the child to landing(word) when it resumes. */
static cairn_error_t redirect(caploc_t p, uint64_t word)
{
    cairn_error_t e = write_reg(p, REG_ARG0, word);
    return e != ERR_OK ? e : write_reg(p, REG_PC, (uint64_t)(uintptr_t)&landing);
}

static cairn_error_t resume(void)
{
    cairn_msg_t m = { 0 };
    return cairn_ipc_reply(&m);
}

static bool nothing_queued(caploc_t ep)
{
    cairn_msg_t m = { 0 };
    return cairn_ipc_receive(ep, &m, CAIRN_IPC_NONBLOCK).error == ERR_WOULD_BLOCK;
}

/* ---- Kinds of fault --------------------------------------------------------------------- */

UTEST(a_missing_page_goes_to_the_keeper_who_maps_it)
{
    *(volatile uint64_t *)(uintptr_t)FIXPAGE_VA = 0x1234;
    UCHECK_OK(cairn_process_start(KID(M_PAGE)));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_PAGE, FAULT_PAGE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], FIX_VA);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 1);           /* a read */
    UCHECK(m.words[CAIRN_FAULT_W_PC] != 0);
    UCHECK_EQ(cap_type_at(R(CAIRN_CR_REPLY)), CAP_REPLY);
    /* While it waits: running, with its fault on record. */
    UCHECK_EQ(proc_state(KID(M_PAGE), 0), CAIRN_PROC_RUNNING);
    UCHECK_EQ(proc_state(KID(M_PAGE), 2), FAULT_PAGE);
    UCHECK_EQ(proc_state(KID(M_PAGE), 3), FIX_VA);
    UCHECK_OK(cairn_gpt_set_slot(FIXME, 0, FIXPAGE));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->done, M_PAGE);                           /* the read ran again */
    UCHECK_EQ(MB->value, 0x1234);
    UCHECK_EQ(proc_state(KID(M_PAGE), 0), CAIRN_PROC_STOPPED);
    UCHECK_EQ(proc_state(KID(M_PAGE), 2), FAULT_NONE);
}

UTEST(a_write_to_a_read_only_page_goes_to_the_keeper_who_allows_it)
{
    UCHECK_OK(cairn_process_start(KID(M_PROTECTION)));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_PROTECTION, FAULT_PROTECTION));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], RO_VA);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 2);           /* a write */
    UCHECK_OK(cairn_gpt_set_slot(ROGPT, 0, ROPAGE));        /* writable now */
    UCHECK_OK(resume());
    UCHECK_EQ(MB->done, M_PROTECTION);
    UCHECK_EQ(MB->value, 0x5a);
}

UTEST(a_fetch_from_a_no_execute_page_goes_to_the_keeper_who_allows_it)
{
#if defined(__x86_64__)
    *(volatile uint8_t *)(uintptr_t)NXPAGE_VA = 0xc3;                   /* ret */
#else
    *(volatile uint32_t *)(uintptr_t)NXPAGE_VA = 0x00008067;            /* ret */
    __asm__ volatile(".word 0x0000100f" ::: "memory");                  /* fence.i */
#endif
    UCHECK_OK(cairn_process_start(KID(M_NO_EXECUTE)));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_NO_EXECUTE, FAULT_NO_EXECUTE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], NX_VA);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], NX_VA);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 4);           /* a fetch */
    UCHECK_OK(cairn_gpt_set_slot(NXGPT, 0, NXPAGE));        /* executable now */
    UCHECK_OK(resume());
    UCHECK_EQ(MB->done, M_NO_EXECUTE);
    UCHECK_EQ(MB->value, 1);
}

UTEST(an_invalid_instruction_goes_to_the_keeper_who_moves_the_pc)
{
    UCHECK_OK(cairn_process_start(KID(M_INVALID)));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_INVALID, FAULT_INVALID_OPCODE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], MB->fault_pc);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 0);
    UCHECK_OK(redirect(KID(M_INVALID), 0x44));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->landed, 0x44);
    UCHECK_EQ(proc_state(KID(M_INVALID), 0), CAIRN_PROC_STOPPED);
}

UTEST(a_breakpoint_goes_to_the_keeper)
{
    UCHECK_OK(cairn_process_start(KID(M_BREAKPOINT)));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_BREAKPOINT, FAULT_BREAKPOINT));
#if defined(__x86_64__)
    /* #BP is a trap: the saved rip is past the one-byte int3. */
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], MB->fault_pc + 1);
#else
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], MB->fault_pc);
#endif
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 0);
    UCHECK_OK(redirect(KID(M_BREAKPOINT), 0x55));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->landed, 0x55);
}

UTEST(a_divide_error_goes_to_the_keeper)
{
    UCHECK_OK(cairn_process_start(KID(M_DIVIDE)));
#if defined(__x86_64__)
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, M_DIVIDE, FAULT_DIVIDE));
    UCHECK_OK(redirect(KID(M_DIVIDE), 0x66));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->landed, 0x66);
#else
    /* RISC-V division by zero gives all ones and no trap. */
    UCHECK_EQ(MB->done, M_DIVIDE);
    UCHECK_EQ(MB->value, ~0ull);
    UCHECK(nothing_queued(KEP));
#endif
}

/* ---- Which keeper -------------------------------------------------------------------------- */

UTEST(a_memory_fault_goes_to_the_innermost_gpt_keeper)
{
    UCHECK_OK(cairn_gpt_set_slot(WINDOW, 5, INNERPAGE));
    window_word(5)[INNER_OFF % 4096 / 8] = 0x77;
    UCHECK_OK(cairn_process_start(KID(M_INNER)));
    UCHECK(nothing_queued(KEP));                           /* not the process keeper */
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KMEM, &m);
    UCHECK(is_fault(&r, &m, 0x12, FAULT_PAGE));            /* the inner GPT's */
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], INNER_OFF);     /* relative to it */
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 1);
    UCHECK_EQ(proc_state(KID(M_INNER), 3), KEPT_VA + INNER_OFF);  /* absolute */
    UCHECK_OK(cairn_gpt_set_slot(INNER, 3, INNERPAGE));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->done, M_INNER);
    UCHECK_EQ(MB->value, 0x77);
}

UTEST(a_memory_fault_outside_the_inner_gpt_goes_to_the_outer_keeper)
{
    UCHECK_OK(cairn_process_start(KID(M_OUTER)));
    UCHECK(nothing_queued(KEP));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KMEM, &m);
    UCHECK(is_fault(&r, &m, 0x11, FAULT_PAGE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], OUTER_OFF);
    UCHECK_OK(redirect(KID(M_OUTER), 0x88));
    UCHECK_OK(resume());
    UCHECK_EQ(MB->landed, 0x88);
}

UTEST(without_a_keeper_the_process_stops_faulted)
{
    UCHECK_OK(cairn_process_start(KID(M_ORPHAN)));
    UCHECK_EQ(proc_state(KID(M_ORPHAN), 0), CAIRN_PROC_FAULTED);
    UCHECK_EQ(proc_state(KID(M_ORPHAN), 2), FAULT_PAGE);
    UCHECK_EQ(proc_state(KID(M_ORPHAN), 3), FIX_VA + 0x1000);
    UCHECK(nothing_queued(KEP));
}

UTEST(a_send_only_keeper_is_no_keeper)
{
    UCHECK_OK(cairn_process_start(KID(M_SEND_ONLY)));
    UCHECK_EQ(proc_state(KID(M_SEND_ONLY), 0), CAIRN_PROC_FAULTED);
    UCHECK(nothing_queued(KEP));
}

/* ---- Puppets: one reply, stops, lost keepers, order ----------------------------------------- */

static puppet_t pup[3];

/* Puppet k, afresh, with keeper `keeper`; it makes a harmless call and
 * then faults on the instruction after it. */
static cairn_error_t puppet_faults(unsigned k, caploc_t keeper)
{
    cairn_error_t e;
    if ((e = puppet_fresh(&pup[k], k, 20)) ||
        (e = cairn_process_set_keeper(PUPPET_PROC(&pup[k]), keeper)))
        return e;
    return puppet_run(&pup[k], (cairn_regs_t){ 0, R(0), 0, { 0 } });
}

#define PUPPET_FAULT_PC (PUPPET_CODE + sizeof puppet_code / 2)

UTEST(a_second_reply_to_a_fault_is_stale)
{
    UCHECK_OK(puppet_faults(0, KEP_ENTRY));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], PUPPET_FAULT_PC);
    UCHECK_OK(cairn_process_cap_copy(SELF, R(CAIRN_CR_REPLY), R(28)));
    UCHECK_OK(resume());                      /* it runs the instruction again */
    UCHECK_OK(cairn_process_cap_copy(SELF, R(28), R(CAIRN_CR_REPLY)));
    UCHECK_ERR(resume(), ERR_REPLY_STALE);
    r = take(KEP, &m);                        /* and faults again */
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], PUPPET_FAULT_PC);
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(&pup[0])));
    UCHECK_ERR(resume(), ERR_REPLY_STALE);    /* the stop abandoned it */
    UCHECK_EQ(proc_state(PUPPET_PROC(&pup[0]), 0), CAIRN_PROC_STOPPED);
    UCHECK(nothing_queued(KEP));
    UCHECK_OK(cairn_process_start(PUPPET_PROC(&pup[0])));
    r = take(KEP, &m);                        /* the instruction, once more */
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_OK(puppet_destroy(&pup[0]));
}

UTEST(faults_queue_with_other_messages_and_only_the_kernel_sets_recv_fault)
{
    UCHECK_OK(puppet_faults(0, KEP_ENTRY));
    UCHECK(puppet_waiting(&pup[0]));          /* queued: we are not receiving */
    UCHECK_OK(puppet_fresh(&pup[1], 1, 20));  /* a forger, second in line */
    UCHECK_OK(puppet_set_cap(&pup[1], 25, KEP_ENTRY));
    UCHECK_OK(puppet_run(&pup[1], (cairn_regs_t){ CAIRN_IPC_OP_CALL | cairn_info(4, 0, 0),
                                                  R(25), CAIRN_OP_FAULT,
                                                  { FAULT_PAGE, 0x1000, 0x1000, 1 } }));
    UCHECK_OK(puppet_faults(2, KEP_ENTRY));   /* third */
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_OK(puppet_destroy(&pup[0]));
    r = take(KEP, &m);
    UCHECK_OK(r.error);
    UCHECK_EQ(m.opcode, CAIRN_OP_FAULT);      /* the opcode, the words ... */
    UCHECK_EQ(r.flags, CAIRN_RESULT_RECV_CALL);   /* ... but no RECV_FAULT */
    UCHECK_OK(resume());
    UCHECK_EQ(puppet_error(&pup[1]), ERR_OK);
    r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_OK(puppet_destroy(&pup[2]));
}

UTEST(a_keeper_endpoint_destroyed_with_the_fault_queued_stops_the_process)
{
    for (unsigned i = 26; i < 29; i++)
        UCHECK_OK(cairn_process_cap_delete(SELF, R(i)));
    UCHECK_OK(new_untyped(12, 26));
    UCHECK_OK(cairn_untyped_retype(R(26), OBJ_ENDPOINT, 0, 1, R(27)));
    UCHECK_OK(cairn_endpoint_make_entry(R(27), 5, R(28)));
    UCHECK_OK(puppet_faults(0, R(28)));
    UCHECK(puppet_waiting(&pup[0]));
    UCHECK_OK(revoke(R(26)));
    UCHECK_EQ(proc_state(PUPPET_PROC(&pup[0]), 0), CAIRN_PROC_FAULTED);
    UCHECK_EQ(proc_state(PUPPET_PROC(&pup[0]), 2), FAULT_INVALID_OPCODE);
    /* A keeper Entry already revoked is no keeper at all. */
    UCHECK_OK(puppet_faults(1, R(28)));
    UCHECK_EQ(proc_state(PUPPET_PROC(&pup[1]), 0), CAIRN_PROC_FAULTED);
}

/* Make puppet 0 fetch from pc, an address its space does not map. */
static cairn_error_t puppet_jumps(uint64_t pc)
{
    cairn_error_t e = write_reg(PUPPET_PROC(&pup[0]), REG_PC, pc);
    return e != ERR_OK ? e : cairn_process_start(PUPPET_PROC(&pup[0]));
}

UTEST(a_puppet_gpt_keeper_hears_of_its_fetch_faults)
{
    UCHECK_OK(cairn_process_cap_delete(SELF, R(29)));
    UCHECK_OK(cairn_endpoint_make_entry(KMEM, 0x33, R(29)));
    UCHECK_OK(puppet_fresh(&pup[0], 0, 20));
    UCHECK_OK(cairn_process_set_keeper(PUPPET_PROC(&pup[0]), KEP_ENTRY));
    UCHECK_OK(cairn_gpt_set_slot(PUPPET_GPT(&pup[0]), CAIRN_GPT_KEEPER_SLOT, R(29)));
    UCHECK_OK(cairn_gpt_set_flags(PUPPET_GPT(&pup[0]), CAIRN_GPT_HA));
    UCHECK_OK(puppet_jumps(0x5000));
    cairn_msg_t m;
    cairn_ipc_result_t r = take(KMEM, &m);
    UCHECK(is_fault(&r, &m, 0x33, FAULT_PAGE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], 0x5000);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_PC], 0x5000);
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ACCESS], 4);
    UCHECK_OK(write_reg(PUPPET_PROC(&pup[0]), REG_PC, PUPPET_FAULT_PC));
    UCHECK_OK(resume());                      /* on to the ud2: the process keeper */
    r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, 0x99, FAULT_INVALID_OPCODE));
    UCHECK_OK(cairn_process_stop(PUPPET_PROC(&pup[0])));
    /* A send-only memory keeper is none: the process keeper hears of it. */
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(29), RESTR_NO_CALL));
    UCHECK_OK(cairn_gpt_set_slot(PUPPET_GPT(&pup[0]), CAIRN_GPT_KEEPER_SLOT, R(29)));
    UCHECK_OK(puppet_jumps(0x6000));
    r = take(KEP, &m);
    UCHECK(is_fault(&r, &m, 0x99, FAULT_PAGE));
    UCHECK_EQ(m.words[CAIRN_FAULT_W_ADDR], 0x6000);
    UCHECK(nothing_queued(KMEM));
    UCHECK_OK(puppet_destroy(&pup[0]));
}

int main(uint64_t arg)
{
    if (arg != 0)
        child(arg);
    return utest_run("fault");
}
