/*
 * The arch seam: every hook a port implements, and every call a port makes
 * into the portable kernel.
 *
 * Portable code (everything under kernel/) includes this header and nothing
 * from arch/. A port lives under arch/<isa>/ and implements each arch_*
 * function below; it calls the kernel_* entry points declared at the end.
 * A new board or ISA never needs a change under kernel/.
 *
 * Contracts are stated on each hook. "Any context" means the hook may be
 * called with interrupts on or off, from trap handlers, before
 * kernel_main, and after a fatal error.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"
#include "abi/abi.h"

/* ---- Console ---------------------------------------------------------- */

/*
 * Write one byte to the kernel console (a 16550 on every current port).
 * Any context. Blocks only while the transmitter is busy. '\n' is written
 * as given; kprintf adds the '\r'.
 */
void arch_console_putc(char c);

/* Read one byte if one is waiting, else return -1. Never blocks. */
int arch_console_getc(void);

/* ---- CPU control ------------------------------------------------------- */

/* Enable / disable interrupts on this CPU. */
void arch_irq_enable(void);
void arch_irq_disable(void);

/*
 * Sleep until the next interrupt arrives, then return with interrupts in
 * the state they had on entry. Used by the idle loop. Interrupts must be
 * enabled by the caller, or this may never return.
 */
void arch_wait_for_interrupt(void);

/* Stop this CPU for good: interrupts off, halt in a loop. */
__attribute__((noreturn)) void arch_halt(void);

/*
 * End the machine. Under QEMU this makes QEMU exit (isa-debug-exit on
 * x86_64, SBI system reset on RISC-V); `failed` tells the test runner
 * whether the run failed. On hardware without a power-off device it halts.
 */
__attribute__((noreturn)) void arch_poweroff(bool failed);

/* ---- Time ---------------------------------------------------------------- */

/*
 * Start the periodic timer at `hz` interrupts per second. Each tick calls
 * kernel_timer_tick() from interrupt context. Returns false if the port
 * cannot give that rate.
 */
bool arch_timer_start(uint32_t hz);

/*
 * A free-running counter (TSC on x86_64, the time CSR on RISC-V). Under
 * QEMU with -icount shift=0 the x86_64 TSC advances once per guest
 * instruction, which is what make bench relies on.
 */
uint64_t arch_cycles(void);

/* ---- Interrupt lines (docs/spec/interrupts.md) ------------------------- */

/*
 * The device interrupt lines of the port's interrupt controller, numbered
 * 0 .. arch_irq_line_count() - 1 (8259: IRQ 0-15; PLIC: source ids, 0
 * being "none"). Constant after boot; any context.
 */
unsigned arch_irq_line_count(void);

/*
 * Lines no capability may name: the port's own (its timer, a cascade) and
 * numbers with no device behind them (PLIC source 0). Constant after
 * boot; any context. The kernel never masks, unmasks or signals them, and
 * the port never passes them to kernel_irq.
 */
bool arch_irq_line_reserved(unsigned line);

/*
 * Stop `line` from interrupting the CPU until arch_irq_unmask(line). An
 * interrupt the device raises meanwhile is not lost if the controller
 * latches it (8259 IRR, PLIC pending bit); it arrives after the unmask.
 * Every line that is not reserved starts masked. Interrupts off; never
 * called for a reserved line.
 */
void arch_irq_mask(unsigned line);

/*
 * Let `line` interrupt again. This is also the controller's end of the
 * interrupt if the port left one open (a PLIC claim it has not completed:
 * see kernel_irq): the next interrupt of the line can arrive at once.
 * Interrupts off; never called for a reserved line.
 */
void arch_irq_unmask(unsigned line);

/* ---- Memory -------------------------------------------------------------- */

/*
 * The kernel maps all of RAM at a fixed offset (the physical map).
 * arch_phys_to_virt is valid for any RAM address in the boot memory map;
 * arch_virt_to_phys for any address inside the physical map or the kernel
 * image.
 */
void *arch_phys_to_virt(uint64_t paddr);
uint64_t arch_virt_to_phys(const void *vaddr);

/* ---- Identity ------------------------------------------------------------ */

/* The port's name as tests print it: "x86_64" or "riscv64". */
extern const char arch_name[];

/* ---- User contexts ---------------------------------------------------- */

/*
 * A process's saved user registers live in the Process object as
 * CAIRN_ARCH_REG_WORDS words (kernel/abi/abi.h) whose layout only the port
 * knows; each port static_asserts that its layout fits. Portable code
 * touches them only through these hooks. `ctx` always points at such an
 * area.
 */

/*
 * Prepare ctx for a new process: user mode, interrupts enabled, every
 * general register zero except the program counter and stack pointer.
 */
void arch_context_init(uint64_t *ctx, uint64_t pc, uint64_t sp);

uint64_t arch_context_pc(const uint64_t *ctx);
void arch_context_set_pc(uint64_t *ctx, uint64_t pc);

/*
 * The user-visible register file, for Process.read_regs / write_regs and
 * keepers: index i in [0, arch_context_regs) names registers in the
 * order of the port's table in docs/spec/processes.md. arch_context_set
 * returns false and changes nothing for a value the port refuses (a
 * privileged flag bit, a non-canonical address); it never lets a context
 * run in kernel mode.
 */
extern const unsigned arch_context_regs;
uint64_t arch_context_get(const uint64_t *ctx, unsigned i);
bool arch_context_set(uint64_t *ctx, unsigned i, uint64_t value);

/*
 * The invocation registers. The port binds each index to a machine
 * register (the binding table is in docs/spec/ipc.md); portable code and
 * libsys agree on the indices.
 */
enum {
    ARCH_SYS_INFO,     /* in: the control word; out: the result word */
    ARCH_SYS_TARGET,   /* in: target capability location; out: payload */
    ARCH_SYS_OPCODE,   /* the opcode, both ways */
    ARCH_SYS_W0,       /* data words 0..3; the rest are in the IPC buffer */
    ARCH_SYS_W1,
    ARCH_SYS_W2,
    ARCH_SYS_W3,
    ARCH_SYS_REGS
};

/*
 * The hooks on the IPC fast path are inline: the port's arch_inline.h
 * (arch/<isa>/, and tests/host/ for the host shim) defines
 * ARCH_SYS_WORD(i), the word of a saved context that holds invocation
 * register i (a constant expression for a constant i), and
 * ARCH_PHYSMAP_VIRT(pa), the physical map.
 */
#include "arch_inline.h"
#include "panic.h"

/*
 * arch_phys_to_virt without its range check, for an address the frame
 * table covers (kernel/mem/frame.h), which is always in the physical map:
 * the port's ARCH_PHYSMAP_VIRT(pa).
 */
static inline void *arch_phys_to_virt_known(uint64_t paddr)
{
    return ARCH_PHYSMAP_VIRT(paddr);
}

static inline uint64_t arch_syscall_get(const uint64_t *ctx, unsigned i)
{
    REQUIRE(i < ARCH_SYS_REGS);
    return ctx[ARCH_SYS_WORD(i)];
}

static inline void arch_syscall_set(uint64_t *ctx, unsigned i, uint64_t value)
{
    REQUIRE(i < ARCH_SYS_REGS);
    ctx[ARCH_SYS_WORD(i)] = value;
}

/*
 * On entry the port leaves the context's pc just past the system-call
 * instruction, so resuming it completes the call. This rewinds pc so that
 * the call runs again when resumed (a blocked or preempted call restarts;
 * see the event model in docs/architecture.md).
 */
void arch_syscall_restart(uint64_t *ctx);

/*
 * Return to user mode in ctx with the address space whose root table is
 * at physical address `root` (see arch_pt_*). The next entry from user
 * mode saves the registers back into the same ctx and calls one of
 * kernel_syscall, kernel_user_fault or kernel_user_interrupt on a fresh
 * kernel stack: nothing on the current kernel stack survives.
 * Pre: interrupts off.
 */
__attribute__((noreturn)) void arch_user_resume(uint64_t *ctx, uint64_t root);

/* ---- Hardware page tables: a cache of GPT translations ----------------- */

/*
 * User addresses are [0, arch_user_va_limit). The portable kernel owns
 * the policy (what to map, when to drop it); the port only edits tables.
 * Table frames come from the kernel's fixed pool through `alloc`, which
 * returns the physical address of a zeroed 4 KiB frame, or 0 when the
 * pool is empty; they go back through `release`.
 */
extern const uint64_t arch_user_va_limit;

enum { ARCH_MAP_WRITE = 1, ARCH_MAP_EXEC = 2 };        /* read: always */
enum { ARCH_ACCESS_READ = 1, ARCH_ACCESS_WRITE = 2, ARCH_ACCESS_EXEC = 4 };

typedef uint64_t (*arch_pt_alloc_t)(void *cookie);
typedef void (*arch_pt_release_t)(uint64_t paddr, void *cookie);

/* Turn a zeroed frame into an empty root table (the kernel half mapped). */
void arch_pt_root_init(uint64_t root);

/*
 * Map the user page at va (page aligned, below the limit) to the frame
 * at pa with perms, replacing any mapping there, user-accessible. Returns
 * false and leaves no visible change if alloc runs dry.
 */
bool arch_pt_map(uint64_t root, uint64_t va, uint64_t pa, unsigned perms,
                 arch_pt_alloc_t alloc, void *cookie);

/*
 * Remove every user mapping in [va, va + size) (page aligned; may span
 * empty or absent tables cheaply) and flush those translations from the
 * TLB. Table frames stay.
 */
void arch_pt_unmap(uint64_t root, uint64_t va, uint64_t size);

/*
 * Remove the whole user half of root, giving every table frame below the
 * root back through release, and flush. The root stays a valid, empty
 * root.
 */
void arch_pt_clear(uint64_t root, arch_pt_release_t release, void *cookie);

/* ---- Calls from the port into the portable kernel ---------------------- */

/*
 * The port's boot code calls this once, on the boot CPU, after it has set
 * up: the console, the kernel's own page tables (W^X, physical map), trap
 * handling, and a boot stack. Interrupts are off. `boot` describes memory,
 * modules and the command line in portable form; the port keeps the
 * storage alive for the kernel's lifetime.
 */
__attribute__((noreturn)) void kernel_main(const boot_info_t *boot);

/* Called by the port on every periodic timer interrupt. */
void kernel_timer_tick(void);

/*
 * Called by the port, from interrupt context with interrupts off, for an
 * interrupt of device line `line` (not a reserved one), in kernel mode (the
 * idle loop) or in user mode (then kernel_user_interrupt follows, as for
 * the timer). The kernel masks the line (arch_irq_mask) and signals the
 * notification bound to it; it never blocks. After it returns the port
 * finishes the interrupt at its controller so that the line cannot
 * interrupt again before the kernel unmasks it: the 8259 sends EOI at once
 * (the line is masked); the PLIC leaves its claim open, and the next
 * arch_irq_unmask of the line completes it.
 */
void kernel_irq(unsigned line);

/*
 * Called by the port when the kernel itself takes an exception it cannot
 * handle. The port has already printed its register dump; `kind` is the
 * portable classification, `pc` the faulting instruction and `addr` the
 * faulting data address (0 if none). Never returns.
 */
__attribute__((noreturn)) void kernel_fatal_trap(fault_kind_t kind,
                                                 uint64_t pc, uint64_t addr);

/*
 * Entries from user mode. The port has saved the user registers into the
 * ctx it was given by arch_user_resume, switched to a fresh kernel stack
 * and left interrupts off. None returns: each ends in arch_user_resume
 * (or the idle loop).
 *
 * kernel_syscall:        the process executed the system-call instruction.
 * kernel_user_fault:     an exception in user mode; `access` is a set of
 *                        ARCH_ACCESS_* for memory faults, 0 otherwise.
 * kernel_user_interrupt: an interrupt arrived in user mode; the port has
 *                        already done its device part (for the timer,
 *                        kernel_timer_tick).
 */
__attribute__((noreturn)) void kernel_syscall(uint64_t *ctx);
__attribute__((noreturn)) void kernel_user_fault(uint64_t *ctx,
                                                 fault_kind_t kind,
                                                 uint64_t addr,
                                                 unsigned access);
__attribute__((noreturn)) void kernel_user_interrupt(uint64_t *ctx);
