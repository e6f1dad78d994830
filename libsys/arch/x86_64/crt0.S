/*
 * Program start-up for x86_64. The kernel starts a process with rsp at
 * the top of its stack, rdx (w0) = its IPC buffer's address (0 if none)
 * and r10 (w1) = the argument word its image gave it.
 */
    .section .text.start, "ax"
    .globl _start
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    mov %rdx, %rdi
    mov %r10, %rsi
    call cairn_start
    ud2

    .section .note.GNU-stack, "", @progbits
