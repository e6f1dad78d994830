/*
 * syscall/sysret set-up and the per-CPU area (syscall.h).
 *
 * SFMASK clears IF, DF, AC, TF and NT on entry: the kernel runs with
 * interrupts off (the event model), string ops forward, SMAP enforced,
 * no single-stepping into ring 0, and no stray NT to break a later iretq.
 */
#include "syscall.h"

#include "cpu.h"
#include "gdt.h"
#include "stacks.h"

extern const char x86_syscall_entry[];

static x86_percpu_t cpu0;

x86_percpu_t *percpu_this(void)
{
    return &cpu0;
}

void syscall_init(void)
{
    cpu0.self = &cpu0;
    cpu0.kernel_rsp = stack_top(STACK_KERNEL);
    gdt_set_kernel_stack(cpu0.kernel_rsp);

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* syscall: CS = 0x08, SS = 0x10; sysretq: CS = base+16, SS = base+8. */
    wrmsr(MSR_STAR, (uint64_t)(SEL_SYSRET_BASE | RPL_USER) << 48 |
                    (uint64_t)SEL_KERNEL_CODE << 32);
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)x86_syscall_entry);
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_AC | RFLAGS_TF | RFLAGS_NT);
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
