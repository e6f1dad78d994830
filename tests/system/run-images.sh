#!/bin/sh
# Boot every system-test image for one arch and print its result lines.
#
#   run-images.sh ARCH
#
# Each suite's image (build/ARCH/images/SUITE.img, built by make
# system-images) boots the ordinary kernel (build/ARCH/kernel.elf) as its
# boot module; the suite's program prints the ktest protocol through the
# log capability, and tests/run-qemu.sh checks it.
set -u
arch=$1
dir=$(dirname "$0")
# A port still on the bring-up ladder has no user mode: nothing to boot.
[ "$(make -s --no-print-directory ARCH="$arch" print-ARCH_USER_MODE)" = yes ] || exit 0
if ! make -s --no-print-directory ARCH="$arch" system-images images \
        >"build/$arch-images.log" 2>&1; then
    tail -n 20 "build/$arch-images.log" >&2
    echo "FAIL $arch/build.system-images: building the test images failed (build/$arch-images.log)"
    exit 0
fi
suites=$(make -s --no-print-directory ARCH="$arch" print-SYSTEM_SUITES)
for suite in $suites; do
    "$dir/../run-qemu.sh" "$arch" "build/$arch/kernel.elf" "$suite" \
        "build/$arch/images/$suite.img"
done

# The IPC fast path must change no result (docs/spec/ipc.md, "Fast
# path"): the IPC suites boot again with it off and must print the same
# PASS, FAIL and OBSERVE lines; the fastpath suite's first boot must
# have taken it. A second boot's own failures are shown as SUITE-nofastpath.
for suite in fastpath ipc reply abandon notify sched fault; do
    case " $suites " in *" $suite "*) ;; *) continue ;; esac
    CAIRN_CMDLINE_EXTRA=nofastpath CAIRN_LOG_NAME=$suite-nofastpath \
        "$dir/../run-qemu.sh" "$arch" "build/$arch/kernel.elf" "$suite" \
        "build/$arch/images/$suite.img" | grep '^FAIL ' |
        sed "s|^FAIL $arch/$suite\.|FAIL $arch/$suite-nofastpath.|"
    logs=build/$arch/logs
    grep -E '^(PASS|FAIL|OBSERVE) ' "$logs/$suite.log" > "$logs/$suite.results"
    grep -E '^(PASS|FAIL|OBSERVE) ' "$logs/$suite-nofastpath.log" \
        > "$logs/$suite-nofastpath.results"
    taken=$(sed -n 's/^ipc: fast path taken \([0-9]*\) times.*/\1/p' "$logs/$suite.log")
    name="$arch/$suite.same_results_without_fast_path"
    if ! grep -q '^ipc: fast path off' "$logs/$suite-nofastpath.log"; then
        echo "FAIL $name: the second boot did not turn the fast path off"
    elif ! cmp -s "$logs/$suite.results" "$logs/$suite-nofastpath.results"; then
        echo "FAIL $name: $(diff "$logs/$suite.results" "$logs/$suite-nofastpath.results" |
            grep '^[<>]' | head -n 2 | tr '\n' '|' | cut -c1-200)"
    elif [ "$suite" = fastpath ] && [ "${taken:-0}" -eq 0 ]; then
        echo "FAIL $name: the first boot never took the fast path"
    else
        echo "PASS $name"
    fi
done

# Bad boot modules: each must end in a clear message and a clean stop.
junk=build/$arch/images/junk.img
head -c 8192 /dev/urandom > "$junk"
good=build/$arch/images/retype.img
cut=build/$arch/images/truncated.img
head -c $(( $(wc -c < "$good") - 4096 )) "$good" > "$cut"
flip=build/$arch/images/flipped.img
cp "$good" "$flip"
printf '\377' | dd of="$flip" bs=1 seek=200 conv=notrunc 2>/dev/null
"$dir/expect-boot.sh" "$arch" no_image - "boot image: none loaded"
"$dir/expect-boot.sh" "$arch" junk_image "$junk" "boot image rejected: bad magic"
"$dir/expect-boot.sh" "$arch" truncated_image "$cut" "boot image rejected: total size"
"$dir/expect-boot.sh" "$arch" corrupted_image "$flip" "boot image rejected: checksum mismatch"

# IRQ records the kernel refuses (docs/spec/interrupts.md): a line it
# keeps, a line the machine lacks.
bad_irq() {   # NAME LINE SIGNALS PATTERN
    mki=build/$arch/images/$1.mki
    printf 'system %s;\nnotification n;\nirq bad line %s signals %s;\n%s\n' \
        "$1" "$2" "$3" 'process p { program "irq.elf"; caps { 3 log = log; 8 h = bad; } }' \
        > "$mki"
    build/host/mkimage --arch "$arch" -L "build/$arch/user" "$mki" \
        -o "build/$arch/images/$1.img" >/dev/null 2>&1 ||
        echo "FAIL $arch/boot.$1: mkimage refused $mki"
    "$dir/expect-boot.sh" "$arch" "$1" "build/$arch/images/$1.img" "$4"
}
bad_irq irq_kernel_line 0 'signal(n, 1)' 'irq "bad" (line 0) is one the kernel keeps'
bad_irq irq_absent_line 4000 'signal(n, 1)' 'boot image rejected: irq line out of range'
# No bits to signal: mkimage refuses to build it (and the kernel, through
# the same validator, would refuse the image; tests/mkimage checks that).
printf 'system s;\nnotification n;\nirq bad line 5 signals n;\n' \
    > "build/$arch/images/irq_no_bits.mki"
if build/host/mkimage --arch "$arch" "build/$arch/images/irq_no_bits.mki" \
        -o "build/$arch/images/irq_no_bits.img" 2>&1 | grep -q "which bits it signals"; then
    echo "PASS $arch/boot.irq_no_bits"
else
    echo "FAIL $arch/boot.irq_no_bits: mkimage built an irq with no bits"
fi

# The test kernel is a debug build: it must say why each call was refused.
CAIRN_KERNEL=build/$arch/kernel-test.elf "$dir/expect-boot.sh" "$arch" \
    debug_refusal_reasons "$good" \
    "cairn: refused UNTYPED.retype: SLOT_OCCUPIED"

# The example systems under servers/ must do what they say when booted.
systems=build/$arch/systems
"$dir/expect-boot.sh" "$arch" example_hello "$systems/hello.img" \
    "hello from user mode on Cairn (argument 42)"
"$dir/expect-boot.sh" "$arch" example_pingpong "$systems/pingpong.img" \
    "ping: 1000 of 1000 calls answered right; pong served 1000: ok"
"$dir/expect-boot.sh" "$arch" example_diode "$systems/diode.img" \
    "16 of 16 messages arrived in order; nothing went back"
