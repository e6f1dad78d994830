/*
 * The C side of trap handling: kernel traps (dispatch and the fatal
 * report), traps from user mode (handed to the portable kernel), and the
 * mapping from RISC-V exception causes to portable fault kinds.
 *
 * Classification rules (the page tables are walked, not guessed):
 *   illegal instruction             INVALID_OPCODE
 *   breakpoint (ebreak)             BREAKPOINT
 *   any misaligned access           ALIGNMENT
 *   any access fault (PMP, bus)     PROTECTION
 *   load/store/AMO page fault       PAGE if no valid leaf maps stval,
 *                                   else PROTECTION (the leaf forbids it)
 *   instruction page fault          PAGE if no valid leaf, NO_EXECUTE if
 *                                   the leaf lacks X, else PROTECTION
 *                                   (executable, but not in this mode:
 *                                   a U page run by the kernel or the
 *                                   reverse)
 *   anything else                   OTHER
 *
 * The memory access a user fault reports (ARCH_ACCESS_*) follows the
 * cause alone: instruction, load or store/AMO page and access faults
 * give EXEC, READ or WRITE; every other exception gives 0.
 *
 * State: a depth count that stops a fault inside the kernel-fault report
 * from recursing, and in the test kernel the user test hooks (set only
 * by the port's tests, with interrupts off).
 */
#include "trap.h"

#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "mmu.h"
#include "panic.h"
#include "plic.h"
#include "tick.h"

enum {
    EXC_INST_MISALIGNED = 0,
    EXC_INST_ACCESS = 1,
    EXC_ILLEGAL_INSTRUCTION = 2,
    EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4,
    EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7,
    EXC_ECALL_U = 8,
    EXC_ECALL_S = 9,
    EXC_INST_PAGE = 12,
    EXC_LOAD_PAGE = 13,
    EXC_STORE_PAGE = 15,
};

enum { IRQ_S_SOFTWARE = 1, IRQ_S_TIMER = 5, IRQ_S_EXTERNAL = 9 };

extern char trap_entry[];
extern char kernel_stack_bottom[], kernel_stack_top[];

static unsigned kernel_fault_depth;

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void trap_init(void)
{
    csr_write(sscratch, 0);
    csr_write(stvec, (uint64_t)(uintptr_t)trap_entry);
}

static const char *exception_name(uint64_t code)
{
    switch (code) {
    case EXC_INST_MISALIGNED:     return "instruction address misaligned";
    case EXC_INST_ACCESS:         return "instruction access fault";
    case EXC_ILLEGAL_INSTRUCTION: return "illegal instruction";
    case EXC_BREAKPOINT:          return "breakpoint";
    case EXC_LOAD_MISALIGNED:     return "load address misaligned";
    case EXC_LOAD_ACCESS:         return "load access fault";
    case EXC_STORE_MISALIGNED:    return "store/AMO address misaligned";
    case EXC_STORE_ACCESS:        return "store/AMO access fault";
    case EXC_ECALL_U:             return "environment call from U-mode";
    case EXC_ECALL_S:             return "environment call from S-mode";
    case EXC_INST_PAGE:           return "instruction page fault";
    case EXC_LOAD_PAGE:           return "load page fault";
    case EXC_STORE_PAGE:          return "store/AMO page fault";
    default:                      return "reserved or unknown exception";
    }
}

static fault_kind_t classify_fetch(uint64_t va)
{
    pte_t e = mmu_lookup(va);
    if (!e)
        return FAULT_PAGE;
    if (!(e & PTE_X))
        return FAULT_NO_EXECUTE;
    return FAULT_PROTECTION;
}

fault_kind_t trap_classify(uint64_t scause, uint64_t stval)
{
    switch (scause) {
    case EXC_ILLEGAL_INSTRUCTION:
        return FAULT_INVALID_OPCODE;
    case EXC_BREAKPOINT:
        return FAULT_BREAKPOINT;
    case EXC_INST_MISALIGNED:
    case EXC_LOAD_MISALIGNED:
    case EXC_STORE_MISALIGNED:
        return FAULT_ALIGNMENT;
    case EXC_INST_ACCESS:
    case EXC_LOAD_ACCESS:
    case EXC_STORE_ACCESS:
        return FAULT_PROTECTION;
    case EXC_INST_PAGE:
        return classify_fetch(stval);
    case EXC_LOAD_PAGE:
    case EXC_STORE_PAGE:
        return mmu_lookup(stval) ? FAULT_PROTECTION : FAULT_PAGE;
    default:
        return FAULT_OTHER;
    }
}

/* stval is an address for these causes; for the rest it is not. */
static uint64_t fault_address(uint64_t scause, uint64_t stval)
{
    switch (scause) {
    case EXC_INST_MISALIGNED: case EXC_INST_ACCESS: case EXC_LOAD_MISALIGNED:
    case EXC_LOAD_ACCESS: case EXC_STORE_MISALIGNED: case EXC_STORE_ACCESS:
    case EXC_INST_PAGE: case EXC_LOAD_PAGE: case EXC_STORE_PAGE:
        return stval;
    default:
        return 0;
    }
}

/* The ARCH_ACCESS_* of a memory fault; 0 for any other exception. */
static unsigned fault_access(uint64_t scause)
{
    switch (scause) {
    case EXC_INST_ACCESS: case EXC_INST_PAGE:
        return ARCH_ACCESS_EXEC;
    case EXC_LOAD_ACCESS: case EXC_LOAD_PAGE:
        return ARCH_ACCESS_READ;
    case EXC_STORE_ACCESS: case EXC_STORE_PAGE:
        return ARCH_ACCESS_WRITE;
    default:
        return 0;
    }
}

static void report_line(const char *name, uint64_t v)
{
    console_puts("  ");
    console_puts(name);
    unsigned len = 0;
    while (name[len])
        len++;
    for (; len < 8; len++)
        console_puts(" ");
    console_put_hex(v);
}

static void report_registers(const trap_frame_t *f)
{
    for (unsigned i = 0; i < 32; i++) {
        report_line(reg_names[i], i ? f->regs[i] : 0);
        if (i % 4 == 3)
            console_puts("\n");
    }
}

/* The full report: cause decoded, the CSRs, every register. */
static void report_trap(const trap_frame_t *f, const char *mode)
{
    console_puts("\nTRAP in ");
    console_puts(mode);
    console_puts(" mode: ");
    console_puts(exception_name(f->scause));
    console_puts(" (scause ");
    console_put_dec(f->scause);
    console_puts(")\n");
    report_line("sepc", f->sepc);
    report_line("stval", f->stval);
    report_line("sstatus", f->sstatus);
    console_puts("\n");
    uint64_t sp = f->regs[REG_SP];
    if (sp < (uint64_t)(uintptr_t)kernel_stack_bottom + TF_SIZE ||
        sp > (uint64_t)(uintptr_t)kernel_stack_top)
        if (f->sstatus & SSTATUS_SPP)
            console_puts("  sp is outside the kernel stack: stack overflow?\n");
    report_registers(f);
}

static __attribute__((noreturn)) void kernel_exception(trap_frame_t *f)
{
    if (kernel_fault_depth++ > 0) {
        console_puts("\nTRAP while reporting a kernel trap: ");
        console_puts(exception_name(f->scause));
        console_puts(" at ");
        console_put_hex(f->sepc);
        console_puts("\n");
        arch_poweroff(true);
    }
    fault_kind_t kind = trap_classify(f->scause, f->stval);
    report_trap(f, "kernel");
    console_puts("  classified as: ");
    console_puts(fault_kind_name(kind));
    console_puts("\n");
    kernel_fatal_trap(kind, f->sepc, fault_address(f->scause, f->stval));
}

/* The device part of an interrupt, wherever it was taken. */
static void interrupt(uint64_t code)
{
    if (code == IRQ_S_TIMER) {
        tick_interrupt();
        return;
    }
    if (code == IRQ_S_EXTERNAL) {
        plic_interrupt();
        return;
    }
    /* Nothing else is enabled; if one arrives anyway, mask it and go on. */
    console_puts("\nunexpected interrupt ");
    console_put_dec(code);
    console_puts(" masked\n");
    if (code < 64)
        csr_clear(sie, 1ull << code);
    if (code == IRQ_S_SOFTWARE)
        csr_clear(sip, SIE_SSIE);
}

/* Only kernel traps come here: trap_entry.S sends user ones elsewhere. */
void trap_dispatch(trap_frame_t *f)
{
    if (f->scause & SCAUSE_INTERRUPT)
        interrupt(f->scause & ~SCAUSE_INTERRUPT);
    else
        kernel_exception(f);
}

/* ---- Traps from user mode ------------------------------------------------ */

#ifdef CAIRN_KTEST
static const trap_user_test_hooks_t *user_test_hooks;

void trap_set_user_test_hooks(const trap_user_test_hooks_t *hooks)
{
    user_test_hooks = hooks;
}
#endif

static __attribute__((noreturn)) void enter_syscall(uint64_t *ctx)
{
#ifdef CAIRN_KTEST
    if (user_test_hooks && user_test_hooks->syscall)
        user_test_hooks->syscall(ctx);
#endif
    kernel_syscall(ctx);
}

static __attribute__((noreturn)) void enter_fault(uint64_t *ctx,
                                                  fault_kind_t kind,
                                                  uint64_t addr,
                                                  unsigned access)
{
#ifdef CAIRN_KTEST
    if (user_test_hooks && user_test_hooks->fault)
        user_test_hooks->fault(ctx, kind, addr, access);
#endif
    kernel_user_fault(ctx, kind, addr, access);
}

static __attribute__((noreturn)) void enter_interrupt(uint64_t *ctx)
{
#ifdef CAIRN_KTEST
    if (user_test_hooks && user_test_hooks->interrupt)
        user_test_hooks->interrupt(ctx);
#endif
    kernel_user_interrupt(ctx);
}

void trap_from_user(uint64_t *ctx, uint64_t scause, uint64_t stval)
{
    /* Only U-mode may come here; a kernel trap would mean the sscratch
     * convention broke (a fault in trap_resume_user, say). */
    if (csr_read(sstatus) & SSTATUS_SPP)
        panic("riscv64: kernel trap on the user entry path (scause %llu, "
              "sepc %llx)", (unsigned long long)scause,
              (unsigned long long)arch_context_pc(ctx));
    if (scause == EXC_ECALL_U) {          /* the usual case first */
        /* Past the ecall; arch_syscall_restart undoes this. */
        ctx[CTX_PC / 8] += ECALL_SIZE;
        enter_syscall(ctx);
    }
    if (scause & SCAUSE_INTERRUPT) {
        interrupt(scause & ~SCAUSE_INTERRUPT);
        enter_interrupt(ctx);
    }
    enter_fault(ctx, trap_classify(scause, stval),
                fault_address(scause, stval), fault_access(scause));
}
