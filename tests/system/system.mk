# System tests that run as user programs: each suite is one program
# (tests/system/<suite>.c, with tests/user/utest.c) in one boot image,
# built for the current ARCH:
#   build/<arch>/user/<suite>.elf
#   build/<arch>/images/<suite>.mki   (from suite.mki.in, unless the suite
#                                      has its own tests/system/<suite>.mki,
#                                      or one per arch: <suite>.<arch>.mki)
#   build/<arch>/images/<suite>.img
# tests/system/run-images.sh boots each image; make test runs that.

SYSTEM_SUITES := cap retype revoke gpt process ipc reply abandon irq notify sched fault diode fastpath scale

SYSTEM_IMAGES := $(patsubst %,$(B)/images/%.img,$(SYSTEM_SUITES))

$(foreach s,$(SYSTEM_SUITES),$(eval $(call user_program,$(s),tests/system/$(s).c tests/user/utest.c)))

# scale prints what a connection costs from the generated ABI header.
$(B)/user/obj/tests/system/scale.o: USER_CFLAGS += -I$(B)/abi
$(B)/user/obj/tests/system/scale.o: $(B)/abi/cairn_abi.h

.SECONDEXPANSION:
$(B)/images/%.mki: tests/system/suite.mki.in $$(wildcard tests/system/$$*.mki tests/system/$$*.$(ARCH).mki)
	@mkdir -p $(@D)
	$(Q)if [ -f tests/system/$*.$(ARCH).mki ]; then cp tests/system/$*.$(ARCH).mki $@; \
	    elif [ -f tests/system/$*.mki ]; then cp tests/system/$*.mki $@; \
	    else sed 's/@SUITE@/$*/g' $< > $@; fi

$(B)/images/%.img: $(B)/images/%.mki $(B)/user/%.elf $(H)/mkimage
	@echo "  MKIMAGE $@"
	$(Q)$(H)/mkimage --arch $(ARCH) -L $(B)/user $< -o $@

.PHONY: system-images
system-images: $(SYSTEM_IMAGES)
