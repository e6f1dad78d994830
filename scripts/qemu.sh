#!/bin/sh
# The one place that knows how to start QEMU for Cairn.
#
#   qemu.sh --arch A --kernel K [--cmdline S] [--module F]
#           [--iso ISO] [--debug] [--icount] [--test] [--symbols ELF]
#
# --test    no display, serial on stdout, no reboot: for the test runner
# --icount  deterministic mode: the TSC counts guest instructions
# --debug   start halted with the GDB stub on :1234 and say how to attach
# Never uses KVM: on these machines it cannot run ring-0 code correctly.
set -eu

arch=x86_64 kernel="" cmdline="" module="" iso="" debug=0 icount=0 test=0
symbols=""
while [ $# -gt 0 ]; do
    case "$1" in
    --arch) arch=$2; shift ;;
    --kernel) kernel=$2; shift ;;
    --cmdline) cmdline=$2; shift ;;
    --module) module=$2; shift ;;
    --iso) iso=$2; shift ;;
    --symbols) symbols=$2; shift ;;
    --debug) debug=1 ;;
    --icount) icount=1 ;;
    --test) test=1 ;;
    *) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

MEM=${CAIRN_QEMU_MEM:-128M}
set --
case "$arch" in
x86_64)
    set -- qemu-system-x86_64 -machine q35 -cpu max -m "$MEM" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04
    if [ -n "$iso" ]; then
        set -- "$@" -cdrom "$iso" -boot d
    fi
    gdb_cmd="gdb-multiarch"
    ;;
riscv64)
    set -- qemu-system-riscv64 -machine virt -bios default -m "$MEM" -no-reboot
    gdb_cmd="gdb-multiarch"
    ;;
*) echo "qemu.sh: unknown arch $arch" >&2; exit 2 ;;
esac

if [ -z "$iso" ]; then
    [ -n "$kernel" ] || { echo "qemu.sh: --kernel is required" >&2; exit 2; }
    set -- "$@" -kernel "$kernel"
    [ -n "$cmdline" ] && set -- "$@" -append "$cmdline"
    [ -n "$module" ] && set -- "$@" -initrd "$module"
fi

if [ "$test" = 1 ]; then
    set -- "$@" -display none -serial stdio -monitor none
else
    set -- "$@" -nographic
fi
[ "$icount" = 1 ] && set -- "$@" -icount shift=0,align=off

if [ "$debug" = 1 ]; then
    set -- "$@" -s -S
    echo "QEMU is halted with its GDB stub on localhost:1234. Attach with:"
    echo "  $gdb_cmd ${symbols:-$kernel} -ex 'target remote localhost:1234'"
    echo "(quit QEMU with Ctrl-A X)"
elif [ "$test" = 0 ]; then
    echo "(quit QEMU with Ctrl-A X)"
fi
status=0
if [ "$test" = 1 ]; then
    # A runner's time limit (timeout --foreground) signals only this
    # shell: pass it on, so that QEMU never outlives its test run.
    "$@" &
    qemu=$!
    trap 'kill "$qemu" 2>/dev/null; wait "$qemu"; exit 124' TERM INT HUP
    wait "$qemu" || status=$?
else
    "$@" || status=$?
fi
# isa-debug-exit on x86_64 turns the kernel's "ok" and "failed" into 33
# and 35; report them as an ordinary success or failure.
if [ "$arch" = x86_64 ]; then
    case $status in 33) status=0 ;; 35) status=1 ;; esac
fi
exit $status
