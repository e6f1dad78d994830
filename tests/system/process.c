/*
 * System suite `process`: Process methods from user mode, and user
 * programs faulting in every way we can think of. Each fault stops the
 * faulting child in state FAULTED with the portable fault kind and the
 * faulting address; nothing else in the system is disturbed (the test
 * process, which shares pages with the children, keeps running).
 *
 * The program is both the test (argument 0) and every child (argument =
 * the mode below); see tests/system/process.mki.
 */
#include "systest.h"

#define MAILBOX ((volatile uint64_t *)(uintptr_t)0x60000000ull)

enum {
    M_NULL_READ = 1, M_TEXT_WRITE, M_EXEC_DATA, M_ILLEGAL, M_BREAKPOINT,
    M_DIVIDE, M_KERNEL_READ, M_BAD_SYSCALL, M_UNMAPPED, M_SPINNER, M_EXITS,
};

#define CHILD(mode) R(11 + (mode))

/* ---- The children ------------------------------------------------------------ */

static volatile uint64_t zero_divisor;

static void illegal_instruction(void)
{
#if defined(__x86_64__)
    __asm__ volatile("ud2");
#else
    __asm__ volatile(".word 0");      /* all-zero is illegal by definition */
#endif
}

static void breakpoint(void)
{
#if defined(__x86_64__)
    __asm__ volatile("int3");
#else
    __asm__ volatile("ebreak");
#endif
}

/* An address as a pointer the compiler cannot reason about. */
static volatile uint64_t *at(uint64_t address)
{
    volatile uintptr_t a = (uintptr_t)address;
    return (volatile uint64_t *)a;
}

static void child(uint64_t mode)
{
    switch (mode) {
    case M_NULL_READ:   MAILBOX[0] = *at(0x10); break;
    case M_TEXT_WRITE:  *at((uintptr_t)&child) = 0; break;
    case M_EXEC_DATA:   ((void (*)(void))(uintptr_t)MAILBOX)(); break;
    case M_ILLEGAL:     illegal_instruction(); break;
    case M_BREAKPOINT:  breakpoint(); break;
    case M_DIVIDE:      MAILBOX[0] = 100 / zero_divisor; break;
    case M_KERNEL_READ: MAILBOX[0] = *at(0xffffffff80200000ull); break;
    case M_BAD_SYSCALL: {
        cairn_regs_t r = { .info = 0x7f | 7u << 8, .target = CAPLOC_REG(3) };
        cairn_syscall(&r);               /* 127 words, 7 caps: refused */
        MAILBOX[1] = cairn_result_error(r.info);
        break;
    }
    case M_UNMAPPED:    MAILBOX[0] = *window_word(15); break;
    case M_SPINNER:     for (;;) MAILBOX[2]++;
    case M_EXITS:       MAILBOX[3] = 0xe0; break;
    }
    cairn_exit(0);
}

/* ---- The test --------------------------------------------------------------- */

static uint64_t state[4];

static cairn_error_t get_state(caploc_t p)
{
    return cairn_process_get_state(p, state);
}

/* Start a child; at a higher priority it runs until it stops or faults. */
static cairn_error_t run_child(unsigned mode)
{
    return cairn_process_start(CHILD(mode));
}

#define EXPECT_FAULT(mode, kind1, kind2)                                     \
    UCHECK_OK(run_child(mode));                                              \
    UCHECK_OK(get_state(CHILD(mode)));                                       \
    UCHECK_EQ(state[0], CAIRN_PROC_FAULTED);                                 \
    UCHECK(state[2] == (kind1) || state[2] == (kind2))

UTEST(get_state_of_self_and_children)
{
    UCHECK_OK(get_state(SELF));
    UCHECK_EQ(state[0], CAIRN_PROC_RUNNING);
    UCHECK_EQ(state[1], 10);
    UCHECK_OK(get_state(CHILD(M_EXITS)));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
    UCHECK_EQ(state[1], 20);
}

UTEST(child_runs_and_stops_itself)
{
    UCHECK_OK(run_child(M_EXITS));
    UCHECK_EQ(MAILBOX[3], 0xe0);
    UCHECK_OK(get_state(CHILD(M_EXITS)));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
    UCHECK_EQ(state[2], FAULT_NONE);
}

UTEST(start_and_stop_errors)
{
    UCHECK_ERR(cairn_process_start(SELF), ERR_BUSY);         /* running */
    UCHECK_ERR(cairn_process_stop(CHILD(M_EXITS)), ERR_BUSY); /* stopped */
    UCHECK_OK(cairn_process_cap_copy(SELF, CHILD(M_EXITS), R(30)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(30), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_process_start(R(30)), ERR_NO_RIGHTS);
}

UTEST(null_read_faults)
{
    EXPECT_FAULT(M_NULL_READ, FAULT_PAGE, FAULT_PAGE);
    UCHECK_EQ(state[3], 0x10);
}

UTEST(text_write_faults)
{
    EXPECT_FAULT(M_TEXT_WRITE, FAULT_PROTECTION, FAULT_PROTECTION);
}

UTEST(exec_data_faults)
{
    EXPECT_FAULT(M_EXEC_DATA, FAULT_NO_EXECUTE, FAULT_NO_EXECUTE);
    UCHECK_EQ(state[3], 0x60000000);
}

UTEST(illegal_instruction_faults)
{
    EXPECT_FAULT(M_ILLEGAL, FAULT_INVALID_OPCODE, FAULT_INVALID_OPCODE);
}

UTEST(breakpoint_faults)
{
    EXPECT_FAULT(M_BREAKPOINT, FAULT_BREAKPOINT, FAULT_BREAKPOINT);
}

UTEST(divide_by_zero)
{
#if defined(__x86_64__)
    EXPECT_FAULT(M_DIVIDE, FAULT_DIVIDE, FAULT_DIVIDE);
#else
    /* RISC-V defines division by zero to give all ones, without a trap. */
    UCHECK_OK(run_child(M_DIVIDE));
    UCHECK_EQ(MAILBOX[0], ~0ull);
    UCHECK_OK(get_state(CHILD(M_DIVIDE)));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
#endif
}

UTEST(kernel_memory_is_out_of_reach)
{
    EXPECT_FAULT(M_KERNEL_READ, FAULT_PAGE, FAULT_PROTECTION);
}

UTEST(malformed_syscall_is_refused_not_fatal)
{
    UCHECK_OK(run_child(M_BAD_SYSCALL));
    UCHECK_EQ(MAILBOX[1], ERR_INVALID_ARGUMENT);
    UCHECK_OK(get_state(CHILD(M_BAD_SYSCALL)));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
}

UTEST(unmapped_window_slot_faults_with_address)
{
    EXPECT_FAULT(M_UNMAPPED, FAULT_PAGE, FAULT_PAGE);
    UCHECK_EQ(state[3], 0x40000000ull + 15 * 4096);
}

UTEST(faulted_child_restarts_into_the_same_fault)
{
    UCHECK_OK(cairn_process_start(CHILD(M_NULL_READ)));
    UCHECK_OK(get_state(CHILD(M_NULL_READ)));
    UCHECK_EQ(state[0], CAIRN_PROC_FAULTED);
    UCHECK_EQ(state[3], 0x10);
}

UTEST(spinner_is_preempted_and_stopped)
{
    UCHECK_OK(run_child(M_SPINNER));       /* same priority: it waits its turn */
    for (unsigned i = 0; i < 200000000u && MAILBOX[2] == 0; i++)
        ;                                  /* the timer must hand it the CPU */
    UCHECK(MAILBOX[2] != 0);
    UCHECK_OK(cairn_process_stop(CHILD(M_SPINNER)));
    uint64_t seen = MAILBOX[2];
    for (volatile unsigned i = 0; i < 1000000u; i++)
        ;
    UCHECK_EQ(MAILBOX[2], seen);           /* stopped means stopped */
    UCHECK_OK(get_state(CHILD(M_SPINNER)));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
}

UTEST(read_regs_of_a_stopped_child)
{
    uint64_t regs[40];
    UCHECK_OK(cairn_process_read_regs(CHILD(M_EXITS), 0, 8, regs));
    UCHECK_ERR(cairn_process_read_regs(CHILD(M_EXITS), 0, 41, regs),
               ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_process_read_regs(CHILD(M_EXITS), 39, 5, regs),
               ERR_OUT_OF_RANGE);
}

UTEST(write_regs_shape_is_checked)
{
    cairn_msg_t m = { .opcode = OP_PROCESS_write_regs, .nwords = 3 };
    m.words[0] = 0;
    m.words[1] = 2;                        /* two values promised, one sent */
    m.words[2] = 5;
    UCHECK_ERR(cairn_call(CHILD(M_EXITS), &m), ERR_INVALID_ARGUMENT);
}

/* ---- A process built from parts ----------------------------------------------- */

/*
 * Store 42 at address 0x2000, then execute an illegal instruction. Placed
 * at 0x1000 in a space made of one GPT with a code page (slot 1) and a
 * data page (slot 2).
 */
#if defined(__x86_64__)
static const uint8_t child_code[] = {
    0x48, 0xc7, 0x04, 0x25, 0x00, 0x20, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00,
    0x0f, 0x0b,                                  /* movq $42, 0x2000; ud2 */
};
#define PC_INDEX 16                              /* rip (arch/x86_64/README.md) */
#else
static const uint32_t child_code[] = {
    0x000022b7,   /* lui  t0, 0x2      */
    0x02a00313,   /* li   t1, 42       */
    0x0062b023,   /* sd   t1, 0(t0)    */
    0x00000000,   /* illegal           */
};
#define PC_INDEX 31                              /* pc (arch/riscv64/README.md) */
#endif

#define SCHED   R(23)
#define PROC    R(24)
#define SPACE   R(25)
#define CODE    R(26)
#define DATA    R(27)
#define GSPACE  R(28)

static cairn_error_t build_from_parts(void)
{
    cairn_error_t e;
    if ((e = cairn_untyped_retype(POOL, OBJ_PROCESS, 0, 1, PROC)) ||
        (e = cairn_untyped_retype(POOL, OBJ_GPT, 0, 1, SPACE)) ||
        (e = cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, CODE)) ||
        (e = cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, DATA)) ||
        (e = cairn_gpt_set_slot(WINDOW, 11, CODE)) ||
        (e = cairn_gpt_set_slot(WINDOW, 12, DATA)))
        return e;
    memcpy((void *)(uintptr_t)window_word(11), child_code, sizeof child_code);
    if ((e = cairn_gpt_set_slot(SPACE, 1, CODE)) ||
        (e = cairn_gpt_set_slot(SPACE, 2, DATA)) ||
        (e = cairn_gpt_make_guarded(SPACE, 0, 16, GSPACE)) ||
        (e = cairn_process_set_space(PROC, GSPACE)) ||
        (e = cairn_process_set_ipc_buffer(PROC, DATA)) ||
        (e = cairn_process_set_keeper(PROC, R(0))) ||
        (e = cairn_process_set_priority(PROC, 20, SCHED)))
        return e;
    cairn_msg_t m = { .opcode = OP_PROCESS_write_regs, .nwords = 3 };
    m.words[0] = PC_INDEX;
    m.words[1] = 1;
    m.words[2] = 0x1000;
    return cairn_call(PROC, &m);
}

UTEST(process_from_parts_runs)
{
    UCHECK_OK(build_from_parts());
    UCHECK_OK(get_state(PROC));
    UCHECK_EQ(state[0], CAIRN_PROC_STOPPED);
    UCHECK_EQ(state[1], 20);
    UCHECK_OK(cairn_process_start(PROC));      /* higher priority: runs now */
    UCHECK_EQ(*window_word(12), 42);           /* it ran our code */
    UCHECK_OK(get_state(PROC));
    UCHECK_EQ(state[0], CAIRN_PROC_FAULTED);
    UCHECK_EQ(state[2], FAULT_INVALID_OPCODE);
    uint64_t pc = 0;
    UCHECK_OK(cairn_process_read_regs(PROC, PC_INDEX, 1, &pc));
    UCHECK(pc >= 0x1000 && pc < 0x1000 + sizeof child_code);
}

UTEST(process_setter_errors)
{
    UCHECK_ERR(cairn_process_set_space(PROC, DISCRIM), ERR_WRONG_TYPE);
    UCHECK_ERR(cairn_process_set_keeper(PROC, WINDOW), ERR_WRONG_TYPE);
    UCHECK_ERR(cairn_process_set_ipc_buffer(PROC, WINDOW), ERR_WRONG_TYPE);
    UCHECK_ERR(cairn_process_set_priority(PROC, 21, SCHED), ERR_NO_RIGHTS);
    UCHECK_ERR(cairn_process_set_priority(PROC, 256, SCHED), ERR_OUT_OF_RANGE);
    UCHECK_ERR(cairn_process_set_priority(PROC, 5, DISCRIM), ERR_WRONG_TYPE);
    UCHECK_OK(cairn_process_cap_copy(SELF, DATA, R(29)));
    UCHECK_OK(cairn_process_cap_restrict(SELF, R(29), RESTR_READ_ONLY));
    UCHECK_ERR(cairn_process_set_ipc_buffer(PROC, R(29)), ERR_NO_RIGHTS);
}

UTEST(write_regs_refuses_a_kernel_pc)
{
    cairn_msg_t m = { .opcode = OP_PROCESS_write_regs, .nwords = 3 };
    m.words[0] = PC_INDEX;
    m.words[1] = 1;
    m.words[2] = 0xffffffff80000000ull;
#if defined(__x86_64__)
    UCHECK_ERR(cairn_call(PROC, &m), ERR_INVALID_ARGUMENT);
#else
    /* RISC-V accepts any pc: sret to a kernel address from U-mode simply
     * faults in U-mode. Check that it does, and harmlessly. */
    UCHECK_OK(cairn_call(PROC, &m));
    UCHECK_OK(cairn_process_start(PROC));
    UCHECK_OK(get_state(PROC));
    UCHECK_EQ(state[0], CAIRN_PROC_FAULTED);
#endif
}

int main(uint64_t arg)
{
    if (arg != 0)
        child(arg);
    return utest_run("process");
}
