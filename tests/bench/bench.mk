# make bench: the IPC figures (tests/bench/bench.c, docs/bench.md).
#
# One image per mode, from bench.mki.in:
#   build/<arch>/images/bench-icount.img   booted with -icount shift=0,align=off
#   build/<arch>/images/bench-tcg.img      booted under plain TCG
# scripts/bench.sh boots each with the ordinary kernel and prints the
# `bench ...` lines. BENCH_CMDLINE adds to the kernel command line (e.g.
# nofastpath, to measure the slow path). Not part of make test.

BENCH_ARCHES  ?= x86_64 riscv64
BENCH_CMDLINE ?=
BENCH_IMAGES  := $(B)/images/bench-icount.img $(B)/images/bench-tcg.img

$(eval $(call user_program,bench,tests/bench/bench.c))

$(B)/images/bench-%.mki: tests/bench/bench.mki.in
	@mkdir -p $(@D)
	$(Q)sed 's/@MODE@/$(if $(filter icount,$*),0,$(if $(filter tcg,$*),1,2))/g' $< > $@

$(B)/images/bench-%.img: $(B)/images/bench-%.mki $(B)/user/bench.elf $(H)/mkimage
	@echo "  MKIMAGE $@"
	$(Q)$(H)/mkimage --arch $(ARCH) -L $(B)/user $< -o $@

.PHONY: bench bench-images
bench-images: $(B)/kernel.elf $(BENCH_IMAGES)

bench: deps
	$(Q)BENCH_CMDLINE='$(BENCH_CMDLINE)' scripts/bench.sh $(BENCH_ARCHES)
