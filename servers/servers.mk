# Systems under servers/: each directory servers/<name>/ holds the programs
# of one system (<program>.c) and its description (<name>.mki). make run
# boots one: SYSTEM=<name> (default hello).
#
#   build/<arch>/user/<name>/<program>.elf   each system's programs, in a
#                                            directory of their own, so that
#                                            plain names never collide
#   build/<arch>/systems/<name>.img          its boot image (mkimage -L the
#                                            directory above)

SYSTEM ?= hello
SYSTEMS := hello pingpong diode

hello_PROGRAMS    := hello
pingpong_PROGRAMS := ping pong
diode_PROGRAMS    := sender diode receiver

# system_programs NAME: the ELF files of system NAME.
system_programs = $(patsubst %,$(B)/user/$(1)/%.elf,$($(1)_PROGRAMS))

# system NAME: where its programs go, and its image.
define system
$(call system_programs,$(1)): | $(B)/user/$(1)
$(B)/user/$(1):
	$(Q)mkdir -p $$@

$(B)/systems/$(1).img: servers/$(1)/$(1).mki $(call system_programs,$(1)) $(H)/mkimage
	@mkdir -p $$(@D)
	@echo "  MKIMAGE $$@"
	$(Q)$(H)/mkimage --arch $(ARCH) -L $(B)/user/$(1) $$< -o $$@
endef

$(foreach s,$(SYSTEMS),$(foreach p,$($(s)_PROGRAMS),\
    $(eval $(call user_program,$(s)/$(p),servers/$(s)/$(p).c))))
$(foreach s,$(SYSTEMS),$(eval $(call system,$(s))))

.PHONY: images
images: $(patsubst %,$(B)/systems/%.img,$(SYSTEMS))

# The system suite `diode` (tests/system/diode.c) boots this very
# description, servers/diode/diode.mki, with the real sender and diode and
# the test program in the receiver's place: the test is found first as
# receiver.elf and holds exactly the receiver's capabilities. mkimage
# proves the description's assertions again as it builds the image.
$(B)/images/diode.img: servers/diode/diode.mki $(B)/user/diode.elf \
                       $(B)/user/diode/sender.elf $(B)/user/diode/diode.elf $(H)/mkimage
	@mkdir -p $(@D) $(B)/user/diode-suite
	@echo "  MKIMAGE $@ (servers/diode with the test as its receiver)"
	$(Q)cp $(B)/user/diode.elf $(B)/user/diode-suite/receiver.elf
	$(Q)$(H)/mkimage --arch $(ARCH) -L $(B)/user/diode-suite -L $(B)/user/diode \
	    $< -o $@
