# The generated ABI table (included from kernel/kernel.mk).
#
# kernel/abi/gen/abi_constants.c is compiled to assembly with the target
# compiler; sed picks out its "->NAME VALUE" marker lines and writes:
#   $(B)/abi/cairn_abi.h   #define CAIRN_ABI_<NAME> <value>, for libsys
#   $(B)/abi/abi.txt       "<name> <value>" lines, for mkimage
# Object sizes come from the kernel's structures (pinned there by
# static_assert), so they are stated once.

ABI_DIR := $(B)/abi
ABI_GEN_SRC := kernel/abi/gen/abi_constants.c

$(ABI_DIR)/abi_constants.s: $(ABI_GEN_SRC) $(wildcard kernel/abi/*.def kernel/abi/*.h kernel/obj/*.h kernel/cap/*.h)
	@mkdir -p $(@D)
	@echo "  ABIGEN  $@"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -S $< -o $@

$(ABI_DIR)/cairn_abi.h: $(ABI_DIR)/abi_constants.s
	$(Q){ echo "/* Generated from $(ABI_GEN_SRC) for $(ARCH); do not edit. */"; \
	  echo "#pragma once"; \
	  sed -n 's/^.*->\([A-Z0-9_]*\) [$$#]*\(-*[0-9][0-9]*\).*$$/#define CAIRN_ABI_\1 \2/p' $<; \
	} > $@.tmp && mv $@.tmp $@

$(ABI_DIR)/abi.txt: $(ABI_DIR)/abi_constants.s
	$(Q){ echo "# Cairn ABI constants for $(ARCH): <name> <value>, one a line."; \
	  echo "# Generated from $(ABI_GEN_SRC); do not edit."; \
	  sed -n 's/^.*->\([A-Z0-9_]*\) [$$#]*\(-*[0-9][0-9]*\).*$$/\1 \2/p' $< | tr 'A-Z' 'a-z'; \
	} > $@.tmp && mv $@.tmp $@

.PHONY: abi
abi: $(ABI_DIR)/cairn_abi.h $(ABI_DIR)/abi.txt

kernel: abi
