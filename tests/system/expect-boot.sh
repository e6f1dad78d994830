#!/bin/sh
# Boot the ordinary kernel with a given boot module (or none) and check
# that the console shows an expected line and that the machine ended by
# itself: the kernel's answer to bad input must be a clear message and a
# clean stop, never a hang.
#
#   expect-boot.sh ARCH NAME MODULE|- PATTERN
#
# Prints PASS or FAIL ARCH/boot.NAME. CAIRN_KERNEL names another kernel
# (the test kernel, say) instead of build/ARCH/kernel.elf.
set -u
arch=$1 name=$2 module=$3 pattern=$4
log=build/$arch/logs/expect-$name.log
mkdir -p "build/$arch/logs"
set -- --arch "$arch" --kernel "${CAIRN_KERNEL:-build/$arch/kernel.elf}" --test
[ "$module" != - ] && set -- "$@" --module "$module"
timeout --foreground -k 5 60 "$(dirname "$0")/../../scripts/qemu.sh" "$@" \
    </dev/null 2>&1 | head -c 1000000 | tr -d '\r' > "$log"
if grep -q "terminating on signal" "$log"; then
    echo "FAIL $arch/boot.$name: the kernel did not stop by itself (60 s)"
elif ! grep -q -- "$pattern" "$log"; then
    echo "FAIL $arch/boot.$name: no line matching \"$pattern\"; console ends: $(tail -n 2 "$log" | tr '\n' '|' | cut -c1-160)"
else
    echo "PASS $arch/boot.$name"
fi
