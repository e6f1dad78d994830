#!/usr/bin/env python3
"""Instructions per function for one iteration of a make-bench figure.

Reads a QEMU `-singlestep -d exec,nochain` log (one line per executed
instruction) on stdin, cuts it at each call of bench_trace_mark (the
bench program calls it, in trace mode, before each timed iteration:
warmup + iters per figure, figures in the order below), and prints,
for one steady iteration of the figure asked for, how many instructions
each function ran and the order in which control passed through them.

    bench-profile.py KERNEL_ELF BENCH_ELF FIGURE [PER_FIGURE] < log
"""
import bisect
import collections
import subprocess
import sys

FIGURES = ["null_syscall", "ipc_roundtrip", "ipc_roundtrip_cap", "notify_wake"]


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main():
    kernel, bench, figure = sys.argv[1:4]
    per_figure = int(sys.argv[4]) if len(sys.argv) > 4 else 6
    syms = sorted(symbols(kernel) + symbols(bench))
    addrs = [a for a, _ in syms]
    names = dict(syms)
    mark = next(a for a, n in syms if n == "bench_trace_mark")
    # The second-to-last iteration of the figure: warm, and it ends at
    # the next iteration's mark rather than in the report.
    want = FIGURES.index(figure) * per_figure + per_figure - 2
    cache = {}

    def name(pc):
        n = cache.get(pc)
        if n is None:
            i = bisect.bisect_right(addrs, pc) - 1
            n = syms[i][1] if i >= 0 else "?"
            cache[pc] = n
        return n

    marks = -1
    counts = collections.Counter()
    order = []
    for line in sys.stdin.buffer:
        i = line.find(b"/")
        if i < 0:
            continue
        j = line.find(b"/", i + 1)
        try:
            pc = int(line[i + 1:j], 16)
        except ValueError:
            continue
        if pc == mark:
            marks += 1
            if marks > want:
                break
        if marks == want:
            n = name(pc)
            counts[n] += 1
            if not order or order[-1] != n:
                order.append(n)
    total = sum(counts.values())
    print(f"{figure}: {total} instructions in one iteration "
          f"(the loop's own bookkeeping included)")
    for n, k in counts.most_common():
        print(f"  {k:6d}  {n}")
    print("path: " + " -> ".join(order))


if __name__ == "__main__":
    main()
