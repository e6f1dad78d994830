/*
 * The first instructions, for both loaders.
 *
 *   QEMU -kernel  finds the PVH note (XEN_ELFNOTE_PHYS32_ENTRY) and enters
 *                 pvh_start32 with %ebx = struct hvm_start_info.
 *   GRUB          finds the multiboot2 header and enters mb2_start32 with
 *                 %eax = 0x36d76289, %ebx = the info structure.
 *
 * Both arrive in 32-bit protected mode, paging off, interrupts off. There is
 * deliberately no multiboot1 header: QEMU would try that loader first and it
 * refuses 64-bit ELF files.
 *
 * What must hold: this code runs at physical addresses while it is linked
 * at KERNEL_VMA + phys, so every absolute reference in 32-bit code goes
 * through PHYS(). It touches nothing the loader owns and trusts nothing it
 * was given: the loader's values are only stored, and C checks them.
 *
 * The boot page tables map the first 4 GiB twice (identity, for the switch
 * and for reading the loader's data, and at KERNEL_VMA for the kernel). C
 * replaces them before kernel_main (vm.c).
 */
#include "layout.h"

#define PHYS(sym) ((sym) - KERNEL_VMA)

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_ENTRY    3
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define PTE_PRESENT_WRITE 0x3
#define PTE_LARGE_PAGE    0x80
#define CR0_PE  (1 << 0)
#define CR0_WP  (1 << 16)
#define CR0_PG  (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define MSR_EFER 0xc0000080
#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

/* ---- multiboot2 header: first in the image, well inside 32 KiB ---- */
    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .balign 8
    /* GRUB also translates e_entry itself; the tag says the same thing. */
    .short MB2_TAG_ENTRY, 0
    .long 12
    .long PHYS(mb2_start32)
    .balign 8
    .short MB2_TAG_END, 0
    .long 8
mb2_header_end:

/* ---- PVH note. QEMU reads the descriptor as a 64-bit word. ---- */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                         /* name size: "Xen\0" */
    .long 8                         /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad PHYS(pvh_start32)

/* ---- 32-bit entry ---- */
    .section .text.boot, "ax"
    .code32
    .globl pvh_start32, mb2_start32
pvh_start32:
    movl $LOADER_PVH, %ebp
    jmp start32
mb2_start32:
    movl $LOADER_MB2, %ebp
start32:
    cli
    cld
    /* .data is loaded from the file; .bss is not cleared yet. */
    movl %ebp, PHYS(boot_loader)
    movl %eax, PHYS(boot_magic)
    movl %ebx, PHYS(boot_info_pa)

    /* Clear .bss ourselves: the boot tables and stacks live there. */
    movl $PHYS(_bss_start), %edi
    movl $PHYS(_bss_end), %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl
    movl $PHYS(x86_stacks + STACK_GUARD + STACK_BYTES), %esp

    /* Long mode and NX are not optional for Cairn. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode
    btl $20, %edx
    jnc no_nx

    call build_boot_tables

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $PHYS(boot_pml4), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME | EFER_NXE), %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    lgdt PHYS(boot_gdt_ptr32)
    ljmp $SEL_KERNEL_CODE, $PHYS(start64_low)

/*
 * PML4[0] and PML4[511] share the same four page directories, which map
 * the first 4 GiB with 2 MiB pages: PDPT_low[0..3] at 0, PDPT_high[510]
 * (the first GiB) at KERNEL_VMA.
 */
build_boot_tables:
    movl $PHYS(boot_pdpt_low) + PTE_PRESENT_WRITE, PHYS(boot_pml4)
    movl $PHYS(boot_pdpt_high) + PTE_PRESENT_WRITE, PHYS(boot_pml4) + 511 * 8
    movl $PHYS(boot_pd) + PTE_PRESENT_WRITE, PHYS(boot_pdpt_high) + 510 * 8
    movl $PHYS(boot_pdpt_low), %edi
    movl $PHYS(boot_pd) + PTE_PRESENT_WRITE, %eax
    movl $4, %ecx
1:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 1b
    movl $PHYS(boot_pd), %edi
    movl $(PTE_PRESENT_WRITE | PTE_LARGE_PAGE), %eax
    movl $2048, %ecx
2:  movl %eax, (%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 2b
    ret

no_long_mode:
    movl $PHYS(msg_no_long_mode), %esi
    jmp early_fail
no_nx:
    movl $PHYS(msg_no_nx), %esi
/* Print the message at %esi on COM1, tell QEMU we failed, and stop. */
early_fail:
    lodsb
    testb %al, %al
    jz 2f
    movb %al, %bl
    movw $(COM1 + 5), %dx
1:  inb %dx, %al
    testb $0x20, %al
    jz 1b
    movb %bl, %al
    movw $COM1, %dx
    outb %al, %dx
    jmp early_fail
2:  movb $0x11, %al
    outb %al, $DEBUG_EXIT_PORT
3:  hlt
    jmp 3b

/* ---- 64-bit, still at the physical address: go to the higher half ---- */
    .code64
start64_low:
    movabsq $start64_high, %rax
    jmpq *%rax

start64_high:
    lgdt boot_gdt_ptr64(%rip)
    movl $SEL_KERNEL_DATA, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movq $(x86_stacks + STACK_GUARD + STACK_BYTES), %rsp
    xorl %ebp, %ebp
    movl boot_loader(%rip), %edi
    movl boot_magic(%rip), %esi
    movl boot_info_pa(%rip), %edx
    call x86_boot_main
4:  cli
    hlt
    jmp 4b

/* ---- data ---- */
    .section .rodata
msg_no_long_mode:
    .asciz "Cairn: this CPU has no 64-bit long mode; Cairn needs x86_64.\r\n"
msg_no_nx:
    .asciz "Cairn: this CPU has no NX (execute-disable) bit; Cairn needs it.\r\n"

    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* SEL_KERNEL_CODE: 64-bit, ring 0 */
    .quad 0x00cf92000000ffff        /* SEL_KERNEL_DATA */
boot_gdt_end:
boot_gdt_ptr32:
    .short boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)
    .balign 8
boot_gdt_ptr64:
    .short boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .data
    .balign 4
boot_loader:  .long 0
boot_magic:   .long 0
boot_info_pa: .long 0

    .section .bss
    .balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
