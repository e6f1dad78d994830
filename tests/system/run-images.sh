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
if ! make -s --no-print-directory ARCH="$arch" system-images \
        >"build/$arch-images.log" 2>&1; then
    tail -n 20 "build/$arch-images.log" >&2
    echo "FAIL $arch/build.system-images: building the test images failed (build/$arch-images.log)"
    exit 0
fi
for suite in $(make -s --no-print-directory ARCH="$arch" print-SYSTEM_SUITES); do
    "$dir/../run-qemu.sh" "$arch" "build/$arch/kernel.elf" "$suite" \
        "build/$arch/images/$suite.img"
done
