#!/bin/sh
# make test: every host test, then the system tests for each named arch.
# Prints one PASS/FAIL line per test and a closing "N passed, N failed";
# exits non-zero on any failure.
#
#   run-tests.sh ARCH...
set -u

results=build/test-results.txt
mkdir -p build
: > "$results"

emit() {   # copy result lines through to the console and the record
    tee -a "$results"
}

# ---- Host tests -----------------------------------------------------------
bins=$(make -s --no-print-directory print-HOST_TEST_BINS)
if make -s --no-print-directory host-tests >build/host-build.log 2>&1; then
    for bin in $bins; do
        "$bin" 2>&1 | grep -E '^(PASS|FAIL) ' | emit
    done
else
    tail -n 20 build/host-build.log
    echo "FAIL host/build.host-tests: compilation failed (build/host-build.log)" | emit
fi

# ---- Generated documents must match the tables they come from ------------
if scripts/gen-reference.sh | cmp -s - docs/spec/reference.md; then
    echo "PASS host/docs.reference_current" | emit
else
    echo "FAIL host/docs.reference_current: docs/spec/reference.md is out of date; run scripts/gen-reference.sh > docs/spec/reference.md" | emit
fi

# ---- System tests, per arch ---------------------------------------------------
for arch in "$@"; do
    blog=build/$arch-build.log
    if ! make -s --no-print-directory ARCH="$arch" kernel >"$blog" 2>&1; then
        tail -n 20 "$blog"
        echo "FAIL $arch/build.kernel: the kernel did not build ($blog)" | emit
        continue
    fi
    k=build/$arch/kernel-test.elf

    # The main boot runs every test that can share a boot. The banner is
    # the first thing a user sees, so the runner checks it too.
    tests/run-qemu.sh "$arch" "$k" all | emit
    if grep -q "^Cairn .* ($arch) - a capability microkernel" build/$arch/logs/all.log; then
        echo "PASS $arch/boot.banner" | emit
    else
        echo "FAIL $arch/boot.banner: no banner on the console" | emit
    fi

    # Tests that end in a kernel fault each get a boot of their own.
    tests/run-qemu.sh "$arch" "$k" list >/dev/null
    for t in $(sed -n 's/^KTEST OWNBOOT //p' build/$arch/logs/list.log); do
        tests/run-qemu.sh "$arch" "$k" "$t" | emit
    done
    if [ -x tests/system/run-images.sh ]; then
        tests/system/run-images.sh "$arch" | emit
    fi
done

passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
