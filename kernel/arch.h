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
#include "abi/faults.h"

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
 * Called by the port when the kernel itself takes an exception it cannot
 * handle. The port has already printed its register dump; `kind` is the
 * portable classification, `pc` the faulting instruction and `addr` the
 * faulting data address (0 if none). Never returns.
 */
__attribute__((noreturn)) void kernel_fatal_trap(fault_kind_t kind,
                                                 uint64_t pc, uint64_t addr);
