/*
 * The IDT. Written once by idt_init; read only by the CPU afterwards.
 * All gates are interrupt gates (IF cleared on entry), so no handler runs
 * with interrupts on unless it turns them on itself. #BP is callable from
 * ring 3 (int3); every other gate is ring 0 only, so `int n` from user
 * mode raises #GP instead of faking a hardware event.
 */
#include "idt.h"

#include <stdint.h>

#include "cpu.h"
#include "gdt.h"
#include "layout.h"

typedef struct {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed)) idt_gate_t;

_Static_assert(sizeof(idt_gate_t) == 16, "a long-mode gate is 16 bytes");

#define GATE_INTERRUPT_DPL0 0x8e
#define GATE_INTERRUPT_DPL3 0xee
#define VECTOR_NMI          2
#define VECTOR_BREAKPOINT   3
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18

extern const uint64_t x86_trap_stubs[32 + VECTOR_PIC_COUNT];
extern const char x86_trap_spurious[];

static idt_gate_t idt[256] __attribute__((aligned(16)));

static void idt_set(unsigned vector, uint64_t handler, uint8_t ist, uint8_t type)
{
    idt[vector] = (idt_gate_t){
        .offset_low = handler & 0xffff,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type = type,
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

/* Which IST stack, if any, a vector needs (gdt.h). */
static uint8_t idt_ist_for(unsigned vector)
{
    switch (vector) {
    case VECTOR_DOUBLE_FAULT:  return IST_DOUBLE_FAULT;
    case VECTOR_NMI:           return IST_NMI;
    case VECTOR_MACHINE_CHECK: return IST_MACHINE_CHECK;
    }
    return 0;
}

void idt_init(void)
{
    for (unsigned v = 0; v < 32 + VECTOR_PIC_COUNT; v++)
        idt_set(v, x86_trap_stubs[v], idt_ist_for(v),
                v == VECTOR_BREAKPOINT ? GATE_INTERRUPT_DPL3 : GATE_INTERRUPT_DPL0);
    idt_set(VECTOR_SPURIOUS, (uint64_t)(uintptr_t)x86_trap_spurious, 0,
            GATE_INTERRUPT_DPL0);
    table_pointer_t ptr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
