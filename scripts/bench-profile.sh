#!/bin/sh
# Where the instructions of one make-bench iteration go, function by
# function: boots the bench image in trace mode (a handful of
# iterations) under -icount, single-stepped, with QEMU logging every
# instruction it executes, and hands the log to bench-profile.py through
# a pipe (it is gigabytes long; nothing is kept).
#
#   scripts/bench-profile.sh [ARCH] [FIGURE]
#
# FIGURE: null_syscall, ipc_roundtrip (default), ipc_roundtrip_cap,
# notify_wake. BENCH_CMDLINE (environment) is passed to the kernel.
set -eu
arch=${1:-x86_64}
figure=${2:-ipc_roundtrip}
make -s --no-print-directory ARCH="$arch" bench-images \
    "build/$arch/images/bench-trace.img" >/dev/null
fifo=$(mktemp -u /tmp/cairn-trace.XXXXXX)
mkfifo "$fifo"
trap 'rm -f "$fifo"' EXIT
python3 scripts/bench-profile.py "build/$arch/kernel.elf" \
    "build/$arch/user/bench.elf" "$figure" < "$fifo" &
analyser=$!
case "$arch" in
x86_64) qemu="qemu-system-x86_64 -machine q35 -cpu max
              -device isa-debug-exit,iobase=0xf4,iosize=0x04" ;;
riscv64) qemu="qemu-system-riscv64 -machine virt -bios default" ;;
*) echo "bench-profile.sh: unknown arch $arch" >&2; exit 2 ;;
esac
timeout --foreground -k 5 "${CAIRN_BENCH_TIMEOUT:-600}" $qemu -m 128M -no-reboot \
    -kernel "build/$arch/kernel.elf" -initrd "build/$arch/images/bench-trace.img" \
    -append "${BENCH_CMDLINE:-}" -display none -serial null -monitor none \
    -icount shift=0,align=off -singlestep -d exec,nochain -D "$fifo" \
    </dev/null >/dev/null 2>&1 || true
wait "$analyser"
