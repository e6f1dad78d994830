# mkimage: the host tool that turns a .mki system description into a boot
# image, with its host tests, the capability graph and the fuzzer.
#
#   make                       builds build/host/mkimage (HOST_TOOLS)
#   make build/host/mkimage-tests
#                              the host test binary (in HOST_TEST_BINS)
#   make graph [MKI=FILE.mki]  renders the capability graph to SVG
#   make fuzz [FUZZ_TIME=60]   a bounded fuzzing run of the parser
#
# See docs/mkimage.md.

MKI_LIB_SRCS := \
    mkimage/util.c mkimage/diag.c mkimage/lexer.c mkimage/parser_expr.c \
    mkimage/parser.c mkimage/model.c mkimage/abi_table.c mkimage/eval.c \
    mkimage/eval_value.c mkimage/eval_call.c mkimage/eval_object.c \
    mkimage/eval_check.c mkimage/authority.c mkimage/authority_flow.c \
    mkimage/authority_map.c mkimage/graph.c mkimage/elf.c mkimage/space.c mkimage/layout.c \
    mkimage/layout_process.c mkimage/image_write.c kernel/abi/image_validate.c \
    mkimage/mkimage.c mkimage/dump.c
MKI_HDRS := $(wildcard mkimage/*.h) $(wildcard kernel/abi/*.h kernel/abi/*.def) \
            libsys/include/cairn/capregs.h
MKI_INC  := -Ikernel -Imkimage -Ilibsys/include

$(H)/mkimage: $(MKI_LIB_SRCS) mkimage/main.c $(MKI_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(MKI_INC) -o $@ $(MKI_LIB_SRCS) mkimage/main.c

HOST_TOOLS += $(H)/mkimage

# ---- Host tests -----------------------------------------------------------
# Real programs for the ELF loader, built with each port's compiler.
MKI_TEST_PROG_SRC := tests/mkimage/programs/tiny.c
MKI_TEST_PROGS := $(H)/mkimage-progs/tiny-x86_64.elf \
                  $(H)/mkimage-progs/tiny-riscv64.elf
MKI_PROG_CFLAGS := -static -nostdlib -ffreestanding -fno-pic -O1 \
                   -Wl,--build-id=none

$(H)/mkimage-progs/tiny-x86_64.elf: $(MKI_TEST_PROG_SRC)
	@mkdir -p $(@D)
	$(Q)gcc $(MKI_PROG_CFLAGS) -no-pie -Wl,-z,separate-code -o $@ $<

$(H)/mkimage-progs/tiny-riscv64.elf: $(MKI_TEST_PROG_SRC)
	@mkdir -p $(@D)
	$(Q)riscv64-unknown-elf-gcc $(MKI_PROG_CFLAGS) -march=rv64gc -mabi=lp64 \
	    -o $@ $<

MKI_TEST_SRCS := tests/host/harness.c $(wildcard tests/mkimage/*.c)
MKI_TEST_DEFS := -DMKI_TEST_DIR=\"$(CURDIR)/tests/mkimage\" \
                 -DMKI_TEST_TMP=\"$(CURDIR)/$(H)/mkimage-tmp\" \
                 -DMKI_TEST_PROGS=\"$(CURDIR)/$(H)/mkimage-progs\"

$(H)/mkimage-tests: $(MKI_LIB_SRCS) $(MKI_TEST_SRCS) $(MKI_HDRS) \
                    $(wildcard tests/mkimage/*.h) $(MKI_TEST_PROGS)
	@mkdir -p $(@D) $(H)/mkimage-tmp
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) $(MKI_INC) -Itests/host \
	    $(MKI_TEST_DEFS) -o $@ $(MKI_LIB_SRCS) $(MKI_TEST_SRCS)

HOST_TEST_BINS += $(H)/mkimage-tests

# ---- make graph -------------------------------------------------------------
# Renders the capability graph of MKI (default: the data diode of
# servers/diode) to build/host/graph/NAME.svg. Needs Graphviz's dot.
MKI ?= servers/diode/diode.mki
MKI_GRAPH := $(H)/graph/$(basename $(notdir $(MKI)))

.PHONY: graph fuzz
graph: $(H)/mkimage
	@mkdir -p $(H)/graph
	$(Q)$(H)/mkimage --graph $(MKI_GRAPH).dot $(MKI)
	$(Q)dot -Tsvg $(MKI_GRAPH).dot -o $(MKI_GRAPH).svg
	@echo "  GRAPH   $(MKI_GRAPH).svg"

# ---- make fuzz -----------------------------------------------------------------
# A bounded libFuzzer run over the whole front end (lexer, parser,
# evaluator, authority analysis, graph, image layout without programs),
# seeded with every description in tests/mkimage. Without libFuzzer's
# runtime, a self-contained mutation loop with the same bound runs instead.
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
MKI_FUZZ_FLAGS := -std=c11 -g -O1 -Wall -Wextra -D_DEFAULT_SOURCE $(MKI_INC) \
                  -fsanitize=address,undefined -fno-sanitize-recover=all

$(H)/mkimage-fuzz: $(MKI_LIB_SRCS) mkimage/fuzz.c $(MKI_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)if echo 'int LLVMFuzzerTestOneInput(const char*d,long n){return 0;}' | \
	    $(FUZZ_CC) -fsanitize=fuzzer -x c - -o $(@D)/.fuzz-probe 2>/dev/null; then \
	    $(FUZZ_CC) $(MKI_FUZZ_FLAGS) -fsanitize=fuzzer -o $@ \
	        $(MKI_LIB_SRCS) mkimage/fuzz.c; \
	else \
	    echo "  (no libFuzzer runtime: using the built-in mutation loop)"; \
	    $(HOSTCC) $(MKI_FUZZ_FLAGS) -DMKI_FUZZ_STANDALONE -o $@ \
	        $(MKI_LIB_SRCS) mkimage/fuzz.c; \
	fi

fuzz: $(H)/mkimage-fuzz $(H)/mkimage $(MKI_TEST_PROGS)
	@rm -rf $(H)/fuzz-corpus && mkdir -p $(H)/fuzz-corpus
	@for f in tests/mkimage/good/*.mki tests/mkimage/bad/*.mki servers/*/*.mki; \
	    do cp $$f $(H)/fuzz-corpus/$$(echo $$f | tr / _); done
	@$(H)/mkimage -L $(H)/mkimage-progs tests/mkimage/good/features.mki \
	    -o $(H)/fuzz-corpus/features.img
	$(Q)$(H)/mkimage-fuzz -max_total_time=$(FUZZ_TIME) -max_len=16384 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $(H)/fuzz-corpus
