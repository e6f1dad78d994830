/*
 * Access to the supervisor CSRs and the few privileged instructions the
 * port uses. Each macro is one instruction; the "memory" clobber keeps
 * the compiler from moving memory accesses across a CSR write that
 * changes how memory is reached (satp, sstatus.SUM) or when interrupts
 * arrive (sstatus.SIE).
 */
#pragma once

#include <stdint.h>

#define csr_read(csr) ({                                        \
    uint64_t csr_value_;                                        \
    __asm__ volatile("csrr %0, " #csr : "=r"(csr_value_) :: "memory"); \
    csr_value_; })

#define csr_write(csr, v) \
    __asm__ volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(v)) : "memory")

#define csr_set(csr, bits) \
    __asm__ volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(bits)) : "memory")

#define csr_clear(csr, bits) \
    __asm__ volatile("csrc " #csr ", %0" :: "rK"((uint64_t)(bits)) : "memory")

/* Atomically clear `bits` and return the old value. */
#define csr_read_clear(csr, bits) ({                            \
    uint64_t csr_value_;                                        \
    __asm__ volatile("csrrc %0, " #csr ", %1"                   \
                     : "=r"(csr_value_) : "rK"((uint64_t)(bits)) : "memory"); \
    csr_value_; })

/* Drop every cached translation (all addresses, all address spaces). */
static inline void sfence_vma_all(void)
{
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

/* Drop cached translations of one virtual address. */
static inline void sfence_vma_addr(uint64_t va)
{
    __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

/* Make instruction fetch see stores this hart made to code. */
static inline void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

static inline void cpu_wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
}
