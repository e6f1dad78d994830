#!/bin/sh
# Run one system-test boot and print its result lines.
#
#   run-qemu.sh ARCH KERNEL SELECTOR [MODULE]
#
# Boots KERNEL with "ktest=SELECTOR" under QEMU (TCG), with a time limit
# per boot (CAIRN_BOOT_TIMEOUT, 120 s by default) and a cap on the log
# size. Prints every PASS/FAIL line the kernel printed, then checks the
# protocol (see kernel/ktest/ktest.h): if the kernel did not reach
# "KTEST DONE", or printed fewer results than its "KTEST PLAN", it prints
# a FAIL line saying so, with the last lines of the console.
# The full console log is kept in build/ARCH/logs/SELECTOR.log.
# CAIRN_CMDLINE_EXTRA adds words to the command line (nofastpath, say)
# and CAIRN_LOG_NAME names the log instead of SELECTOR.
set -u

arch=$1 kernel=$2 sel=$3 module=${4:-}
dir=$(dirname "$0")
logdir=build/$arch/logs
mkdir -p "$logdir"
log=$logdir/${CAIRN_LOG_NAME:-$sel}.log
limit=${CAIRN_BOOT_TIMEOUT:-120}

set -- --arch "$arch" --kernel "$kernel" \
    --cmdline "ktest=$sel${CAIRN_CMDLINE_EXTRA:+ $CAIRN_CMDLINE_EXTRA}" --test
[ -n "$module" ] && set -- "$@" --module "$module"

timeout --foreground -k 5 "$limit" "$dir/../scripts/qemu.sh" "$@" </dev/null 2>&1 \
    | head -c 4000000 | tr -d '\r' > "$log"
status=$?

grep -E '^(PASS|FAIL) ' "$log"
[ "$sel" = list ] && exit 0

plan=$(sed -n 's/^KTEST PLAN \([0-9]*\).*/\1/p' "$log" | head -n 1)
got=$(grep -cE '^(PASS|FAIL) ' "$log")
if ! grep -q '^KTEST DONE' "$log"; then
    why="boot did not finish (crash, hang or ${limit}s time limit)"
elif [ -z "$plan" ]; then
    why="no KTEST PLAN line"
elif [ "$got" -lt "$plan" ]; then
    why="only $got of $plan planned results were printed"
else
    why=""
fi
if [ -n "$why" ]; then
    tail_txt=$(tail -n 3 "$log" | tr '\n' '|' | cut -c1-200)
    echo "FAIL $arch/ktest.$sel: $why; console ends: $tail_txt"
fi
exit 0
