# Cairn top-level Makefile.
#
# Plain GNU make. Every output lands under build/:
#   build/<arch>/   kernels, symbol maps, disassembly, boot images
#   build/host/     host tools (mkimage) and host unit tests
#
# The targets a user needs:
#   make run            boot Cairn in QEMU (ARCH=x86_64 by default)
#   make test           host tests plus system tests on every arch
#   make debug          QEMU halted with its GDB stub
#   make iso            a GRUB (multiboot2) ISO, x86_64 only
#   make bench          the IPC figures under QEMU (tests/bench/bench.mk)
# See docs/building.md for every target and variable.

ARCHES      := x86_64 riscv64
ARCH        ?= x86_64
BOOT        ?= direct
BUILD       := build
B           := $(BUILD)/$(ARCH)
H           := $(BUILD)/host
V           ?= 0

ifeq ($(filter $(ARCH),$(ARCHES)),)
$(error ARCH=$(ARCH) is not a Cairn port; choose one of: $(ARCHES))
endif

ifeq ($(V),0)
Q := @
else
Q :=
endif

.DEFAULT_GOAL := all
.PHONY: all run test debug debug-deps iso deps clean kernel host-tests tools compdb

# Host compiler for tools and unit tests. Unit tests run with sanitizers.
HOSTCC      ?= gcc
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
               -fno-omit-frame-pointer
HOST_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all

# Every fragment appends to these.
HOST_TEST_BINS :=
HOST_TOOLS     :=

include arch/$(ARCH)/arch.mk
include kernel/kernel.mk
include tests/tests.mk
-include mkimage/mkimage.mk
-include libsys/libsys.mk
-include tests/system/system.mk
-include servers/servers.mk
-include tests/bench/bench.mk

all: kernel tools compdb

kernel: $(B)/kernel.elf $(B)/kernel-test.elf

tools: $(HOST_TOOLS)

host-tests: $(HOST_TEST_BINS)

deps:
	$(Q)scripts/deps.sh

# make run: boot the system SYSTEM (servers/<SYSTEM>/<SYSTEM>.mki, default
# hello). BOOT=grub goes through a GRUB ISO with the image as its module.
RUN_IMAGE = $(B)/systems/$(SYSTEM).img

run: deps kernel tools
	$(Q)$(MAKE) --no-print-directory $(RUN_IMAGE)
ifeq ($(BOOT),grub)
	$(Q)$(MAKE) --no-print-directory iso ISO_MODULE=$(RUN_IMAGE)
	$(Q)scripts/qemu.sh --arch $(ARCH) --iso $(B)/cairn.iso
else
	$(Q)scripts/qemu.sh --arch $(ARCH) --kernel $(B)/kernel.elf \
	    --module $(RUN_IMAGE) $(RUN_ARGS)
endif

iso: deps $(B)/cairn.iso

debug-deps:
	$(Q)scripts/deps.sh debug

debug: debug-deps kernel tools
	$(Q)$(MAKE) --no-print-directory $(RUN_IMAGE)
	$(Q)scripts/qemu.sh --arch $(ARCH) --kernel $(B)/kernel.elf --debug \
	    --module $(RUN_IMAGE) --symbols $(B)/kernel.elf $(RUN_ARGS)

# make test: ARCH given on the command line limits the system tests to it.
ifeq ($(origin ARCH),command line)
TEST_ARCHES := $(ARCH)
else
TEST_ARCHES := $(ARCHES)
endif

test: deps
	$(Q)scripts/run-tests.sh $(TEST_ARCHES)

clean:
	rm -rf $(BUILD) compile_commands.json

# compile_commands.json for editors, written from the compile rules' records.
compdb: $(B)/kernel.elf
	$(Q)scripts/compdb.sh $(BUILD) > compile_commands.json

# make print-VAR: the value of a make variable, for scripts.
print-%:
	@echo $($*)
