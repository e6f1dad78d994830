#!/bin/sh
# Install the Debian packages Cairn's build and tests need, if missing.
# "deps.sh debug" adds what make debug needs.
# Does nothing when everything is present. Uses sudo when not root.
set -eu

# package : why
NEEDED="
qemu-system-x86:runs the x86_64 kernel (make run, make test, make bench)
qemu-system-misc:runs the RISC-V kernel (qemu-system-riscv64)
gcc-riscv64-unknown-elf:cross-compiles the RISC-V kernel
grub-pc-bin:BIOS GRUB modules for the multiboot2 ISO (make iso, BOOT=grub)
grub-common:grub-mkrescue, which builds that ISO
xorriso:writes the ISO image for grub-mkrescue
mtools:lets grub-mkrescue build the ISO's EFI/FAT parts
graphviz:renders the capability graph (make graph)
"

# make debug also wants a debugger that understands every port.
if [ "${1:-}" = debug ]; then
    NEEDED="$NEEDED
gdb-multiarch:debugs the kernel through QEMU's GDB stub (make debug)
"
fi

missing=""
reasons=""
IFS_SAVE=$IFS
IFS='
'
for line in $NEEDED; do
    pkg=${line%%:*}
    why=${line#*:}
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
        reasons="$reasons
  $pkg: $why"
    fi
done
IFS=$IFS_SAVE

[ -z "$missing" ] && exit 0

echo "deps: installing Debian packages Cairn needs:$reasons"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "deps: not root and no sudo; install as root:$missing" >&2
        exit 1
    }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
