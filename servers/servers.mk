# Systems under servers/: each directory holds programs and a description
# (<name>/<name>.mki). make run boots one: SYSTEM=<name> (default hello).
#
#   build/<arch>/user/<program>.elf
#   build/<arch>/images/<system>.img

SYSTEM ?= hello
SYSTEMS := hello

$(eval $(call user_program,hello,servers/hello/hello.c))

$(B)/images/hello.img: servers/hello/hello.mki $(B)/user/hello.elf $(H)/mkimage
	@mkdir -p $(@D)
	@echo "  MKIMAGE $@"
	$(Q)$(H)/mkimage --arch $(ARCH) -L $(B)/user $< -o $@

.PHONY: images
images: $(patsubst %,$(B)/images/%.img,$(SYSTEMS))
