#!/bin/sh
# make bench: build the benchmark images and boot each arch's in both
# modes, printing a "# ARCH" line and then only the figures:
#
#   bench <name> <unit> min=<n> median=<n> max=<n> iters=<n> mode=<icount|tcg>
#
#   bench.sh ARCH...
#
# BENCH_CMDLINE (environment) is added to the kernel command line.
# Every boot has a time limit and a bounded log (build/ARCH/logs/bench-*.log).
set -u
status=0
for arch in "$@"; do
    if ! make -s --no-print-directory ARCH="$arch" bench-images \
            >"build/$arch-bench-build.log" 2>&1; then
        tail -n 20 "build/$arch-bench-build.log" >&2
        echo "bench: $arch: building the images failed" >&2
        status=1
        continue
    fi
    mkdir -p "build/$arch/logs"
    echo "# $arch${BENCH_CMDLINE:+ (kernel command line: $BENCH_CMDLINE)}"
    for mode in icount tcg; do
        log=build/$arch/logs/bench-$mode.log
        flag=""
        [ "$mode" = icount ] && flag=--icount
        timeout --foreground -k 5 "${CAIRN_BENCH_TIMEOUT:-300}" \
            scripts/qemu.sh --arch "$arch" --kernel "build/$arch/kernel.elf" \
            --module "build/$arch/images/bench-$mode.img" \
            --cmdline "${BENCH_CMDLINE:-}" --test $flag </dev/null 2>&1 \
            | head -c 1000000 | tr -d '\r' > "$log"
        grep '^bench ' "$log"
        if ! grep -q '^bench: done' "$log"; then
            echo "bench: $arch $mode did not finish; see $log:" >&2
            tail -n 5 "$log" >&2
            status=1
        fi
    done
done
exit $status
