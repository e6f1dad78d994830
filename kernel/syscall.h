/*
 * The kernel's entries from user mode: kernel_syscall, kernel_user_fault
 * and kernel_user_interrupt are declared in kernel/arch.h (the port calls
 * them); syscall.c implements them. Nothing else is exported.
 */
#pragma once

#include "arch.h"
