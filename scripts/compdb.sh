#!/bin/sh
# Gather the per-object compile records into compile_commands.json.
set -eu
echo "["
find "${1:-build}" -name '*.o.cmd' | sort | sed '$!s/$/,/' | while read -r f; do
    comma=""
    case "$f" in *,) comma=","; f=${f%,} ;; esac
    printf '  %s%s\n' "$(cat "$f")" "$comma"
done
echo "]"
