/*
 * Trap dispatch: interrupts and exceptions in the kernel (the fatal
 * report), and everything that arrives from ring 3 (handed to user.c).
 *
 * Holds: runs with interrupts off on whatever stack the entry used (the
 * current kernel stack, a fresh kernel stack for ring 3, or an IST
 * stack). The report uses only the console, so it works however broken
 * the rest is; a second fault while reporting stops the machine at once
 * rather than recursing.
 */
#include "trap.h"

#include <stdbool.h>

#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "idt.h"
#include "pic.h"
#include "user.h"

#define VECTOR_PAGE_FAULT 14

/* #PF error code bits. */
#define PF_PRESENT  (1u << 0)
#define PF_WRITE    (1u << 1)
#define PF_USER     (1u << 2)
#define PF_RESERVED (1u << 3)
#define PF_FETCH    (1u << 4)
#define PF_PKEY     (1u << 5)

/* Selector error code bits (#TS, #NP, #SS, #GP). */
#define SEL_ERR_EXTERNAL (1u << 0)
#define SEL_ERR_IDT      (1u << 1)
#define SEL_ERR_LDT      (1u << 2)

typedef struct {
    const char *mnemonic, *name;
    fault_kind_t kind;
    bool selector_error;   /* the error code names a selector or vector */
} exception_info_t;

static const exception_info_t exceptions[32] = {
    [0]  = { "DE", "divide error", FAULT_DIVIDE, false },
    [1]  = { "DB", "debug", FAULT_DEBUG, false },
    [2]  = { "NMI", "non-maskable interrupt", FAULT_OTHER, false },
    [3]  = { "BP", "breakpoint", FAULT_BREAKPOINT, false },
    [4]  = { "OF", "overflow", FAULT_OTHER, false },
    [5]  = { "BR", "bound range exceeded", FAULT_OTHER, false },
    [6]  = { "UD", "invalid opcode", FAULT_INVALID_OPCODE, false },
    /* x87 with CR0.EM set: ring 3 has no FPU, like SSE's #UD (user.c). */
    [7]  = { "NM", "device not available", FAULT_INVALID_OPCODE, false },
    [8]  = { "DF", "double fault", FAULT_DOUBLE, false },
    [9]  = { "CSO", "coprocessor segment overrun", FAULT_OTHER, false },
    [10] = { "TS", "invalid TSS", FAULT_PROTECTION, true },
    [11] = { "NP", "segment not present", FAULT_PROTECTION, true },
    [12] = { "SS", "stack-segment fault", FAULT_PROTECTION, true },
    [13] = { "GP", "general protection", FAULT_PROTECTION, true },
    [14] = { "PF", "page fault", FAULT_PAGE, false },
    [15] = { "15", "reserved", FAULT_OTHER, false },
    [16] = { "MF", "x87 floating-point error", FAULT_FPU, false },
    [17] = { "AC", "alignment check", FAULT_ALIGNMENT, false },
    [18] = { "MC", "machine check", FAULT_MACHINE_CHECK, false },
    [19] = { "XM", "SIMD floating-point error", FAULT_FPU, false },
    [20] = { "VE", "virtualization exception", FAULT_OTHER, false },
    [21] = { "CP", "control protection", FAULT_OTHER, false },
    [22] = { "22", "reserved", FAULT_OTHER, false },
    [23] = { "23", "reserved", FAULT_OTHER, false },
    [24] = { "24", "reserved", FAULT_OTHER, false },
    [25] = { "25", "reserved", FAULT_OTHER, false },
    [26] = { "26", "reserved", FAULT_OTHER, false },
    [27] = { "27", "reserved", FAULT_OTHER, false },
    [28] = { "HV", "hypervisor injection", FAULT_OTHER, false },
    [29] = { "VC", "VMM communication", FAULT_OTHER, false },
    [30] = { "SX", "security exception", FAULT_OTHER, false },
    [31] = { "31", "reserved", FAULT_OTHER, false },
};

/* How many fatal reports are under way; more than one means we recursed. */
static unsigned fatal_depth;

fault_kind_t trap_classify(uint64_t vector, uint64_t error)
{
    if (vector == VECTOR_PAGE_FAULT) {
        if (!(error & PF_PRESENT))
            return FAULT_PAGE;
        return (error & PF_FETCH) ? FAULT_NO_EXECUTE : FAULT_PROTECTION;
    }
    return vector < 32 ? exceptions[vector].kind : FAULT_OTHER;
}

static void report_page_fault(uint64_t error, uint64_t cr2)
{
    const char *access = (error & PF_FETCH) ? "instruction fetch"
                       : (error & PF_WRITE) ? "write" : "read";
    con_printf("    error %04lx: %s, %s, %s mode%s%s\n", error,
               (error & PF_PRESENT) ? "protection violation on a present page"
                                    : "page not present",
               access, (error & PF_USER) ? "user" : "supervisor",
               (error & PF_RESERVED) ? ", reserved bit set in a table" : "",
               (error & PF_PKEY) ? ", protection key" : "");
    con_printf("    address (cr2) %016lx\n", cr2);
}

static void report_selector_error(uint64_t error)
{
    if (error == 0) {
        con_printf("    error 0 (no selector involved)\n");
        return;
    }
    const char *table = (error & SEL_ERR_IDT) ? "IDT vector"
                      : (error & SEL_ERR_LDT) ? "LDT selector" : "GDT selector";
    uint64_t index = (error & SEL_ERR_IDT) ? error >> 3 : error & ~7ull;
    con_printf("    error %04lx: %s %lx%s\n", error, table, index,
               (error & SEL_ERR_EXTERNAL) ? ", during an external event" : "");
}

static void report_registers(const x86_frame_t *f)
{
    con_printf("    rip %016lx  rsp %016lx  rflags %016lx\n", f->rip, f->rsp,
               f->rflags);
    con_printf("    cs  %04lx  ss  %04lx  cr2 %016lx  cr3 %016lx\n", f->cs,
               f->ss, read_cr2(), read_cr3());
    con_printf("    rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx, f->rcx);
    con_printf("    rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi, f->rdi);
    con_printf("    rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8, f->r9);
    con_printf("    r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11, f->r12);
    con_printf("    r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
}

static void trap_report(const x86_frame_t *f, uint64_t cr2)
{
    const exception_info_t *e = &exceptions[f->vector & 31];
    con_printf("\n*** x86_64 exception %lu (#%s, %s) in %s mode\n", f->vector,
               e->mnemonic, e->name, frame_from_user(f) ? "user" : "kernel");
    if (f->vector == VECTOR_PAGE_FAULT)
        report_page_fault(f->error, cr2);
    else if (e->selector_error)
        report_selector_error(f->error);
    else if (f->error != 0)
        con_printf("    error %04lx\n", f->error);
    report_registers(f);
}

static void trap_fatal(const x86_frame_t *f, uint64_t cr2)
{
    if (fatal_depth++ > 0) {
        con_printf("\n*** x86_64 exception %lu at rip %016lx while reporting "
                   "an earlier one; stopping\n", f->vector, f->rip);
        arch_poweroff(true);
    }
    trap_report(f, cr2);
    if (frame_from_user(f))
        con_printf("    (from ring 3, but this exception stops the machine)\n");
    fault_kind_t kind = trap_classify(f->vector, f->error);
    kernel_fatal_trap(kind, f->rip, f->vector == VECTOR_PAGE_FAULT ? cr2 : 0);
}

/* The device part of an IRQ: the kernel's, then EOI (irq.c says why
 * EOI at once is right for a user driver's line). */
static void trap_irq(unsigned irq)
{
    if (pic_is_spurious(irq))
        return;
    if (irq == PIC_IRQ_PIT)
        kernel_timer_tick();
    else if (!arch_irq_line_reserved(irq))
        kernel_irq(irq);
    pic_eoi(irq);
}

static bool is_pic_vector(uint64_t vector)
{
    return vector >= VECTOR_PIC_BASE &&
           vector < VECTOR_PIC_BASE + VECTOR_PIC_COUNT;
}

/* Kernel entries, and NMI, #DF and #MC from anywhere. */
void x86_trap(x86_frame_t *f)
{
    /* First, before anything can fault and overwrite it. */
    uint64_t cr2 = read_cr2();

    if (is_pic_vector(f->vector))
        trap_irq((unsigned)(f->vector - VECTOR_PIC_BASE));
    else if (f->vector != VECTOR_SPURIOUS)   /* the APIC wants no EOI */
        trap_fatal(f, cr2);
}

/* What a #PF was doing, as ARCH_ACCESS_*. */
static unsigned page_fault_access(uint64_t error)
{
    if (error & PF_FETCH)
        return ARCH_ACCESS_EXEC;
    return (error & PF_WRITE) ? ARCH_ACCESS_WRITE : ARCH_ACCESS_READ;
}

void x86_user_trap(uint64_t *ctx, uint64_t vector, uint64_t error)
{
    uint64_t cr2 = read_cr2();

    if (is_pic_vector(vector)) {
        trap_irq((unsigned)(vector - VECTOR_PIC_BASE));
        user_interrupt(ctx);
    }
    if (vector == VECTOR_SPURIOUS)
        user_interrupt(ctx);
    fault_kind_t kind = trap_classify(vector, error);
    if (vector == VECTOR_PAGE_FAULT)
        user_fault(ctx, kind, cr2, page_fault_access(error));
    user_fault(ctx, kind, arch_context_pc(ctx), 0);
}
