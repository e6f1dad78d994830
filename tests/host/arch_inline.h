/*
 * The host shim's part of the seam's inline hooks (kernel/arch.h): its
 * register file keeps the invocation registers from HOST_REG_SYS on
 * (host_env.h).
 */
#pragma once

#define ARCH_SYS_WORD(i) (3u + (i))

/* Simulated memory is not one linear map: ask the shim. */
#define ARCH_PHYSMAP_VIRT(pa) arch_phys_to_virt(pa)
