/*
 * Program start-up for RISC-V. The kernel starts a process with sp at
 * the top of its stack, a3 (w0) = its IPC buffer's address (0 if none)
 * and a4 (w1) = the argument word its image gave it.
 */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    andi sp, sp, -16
    mv a0, a3
    mv a1, a4
    call cairn_start
    unimp

    .section .note.GNU-stack, "", %progbits
