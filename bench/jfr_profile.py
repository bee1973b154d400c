#!/usr/bin/env python3
"""What a server's CPU went to, from a JFR recording (JDK's `jfr` tool; no other dependency).

    bench/jfr_profile.py RECORDING.jfr [--top 25] [--package io.github.smtpshield]

Record with e2e_bench.py's --java-opts ("{server}" becomes each server's name, so each has a file of its own; mkdir /tmp/jfr first):
    bench/e2e_bench.py --only throughput --configs dns-off,dns-300 --rounds 3 --max-warmup 3 --messages 2000 \
        --java-opts "-Xms1g -Xmx1g -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=/tmp/jfr/{server}.jfr"
then compare /tmp/jfr/plain.jfr with /tmp/jfr/dns-off.jfr. It prints the execution samples (CPU of Java code,
every thread): the shield's own work (from the leaf up, a frame of PACKAGE before any James frame the shield
called back, such as the next data-line filter) by the adapter James entered it through, then grouped three ways:
  - by the leaf frame's package (where the CPU is spent);
  - inclusive, for the methods of PACKAGE nearest to the thread's root (the adapter James called: what each
    entry point into the shield costs, all it calls included);
  - inclusive, for every method of PACKAGE, and for the JDK/library methods called from PACKAGE (the top ones);
and the allocation samples (bytes, by JFR's weight) the same way, since allocations cost CPU in the collector.
"""
import argparse
import collections
import re
import subprocess

FRAME = re.compile(r"^\s+(\S+?)\(.*\)\s+line:")


def events(recording, name):
    """Each event of the recording: (stack, weight) with the stack leaf first."""
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", name, recording],
                          capture_output=True, text=True, check=True).stdout
    stack, weight, inside = [], 1, False
    for line in text.splitlines():
        if line.startswith(name + " {") or line.startswith(name.split(".")[-1] + " {") or line.endswith(" {") and not line.startswith(" "):
            stack, weight, inside = [], 1, True
        elif line.startswith("}") and inside:
            inside = False
            yield stack, weight
        elif "weight = " in line:
            value = line.split("=", 1)[1].strip()
            weight = parse_bytes(value)
        else:
            match = FRAME.match(line)
            if match:
                stack.append(match.group(1))


def parse_bytes(text):
    number, _, unit = text.partition(" ")
    factor = {"bytes": 1, "byte": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}.get(unit.strip(), 1)
    return float(number.replace(",", "")) * factor


def package(frame):
    parts = frame.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else frame


def own(stack, prefix):
    """True when the sample is the shield's own work: from the leaf up, a frame of PREFIX comes before any frame of
    James's that the shield called back (the next handler of a chain: next.onLine), so James's work behind a filter
    is not charged to it."""
    for frame in stack:
        if frame.startswith(prefix):
            return True
        if frame.startswith("org.apache.james.") and frame.endswith(".onLine"):
            return False
    return False


def own_entry(stack, prefix):
    """The frame by which James entered the shield's code nearest the leaf: from the leaf up, the last frame of
    PREFIX before a frame of James's."""
    entry = None
    for frame in stack:
        if frame.startswith(prefix):
            entry = frame
        elif entry and frame.startswith("org.apache.james."):
            break
    return entry


def report(title, samples, prefix, top, callees):
    total = sum(weight for _, weight in samples)
    print("== %s: %d events, total weight %.0f" % (title, len(samples), total))
    if not total:
        return
    leaf = collections.Counter()
    entry = collections.Counter()
    inclusive = collections.Counter()
    callee = collections.Counter()
    for stack, weight in samples:
        if stack:
            leaf[package(stack[0])] += weight
        ours = [i for i, frame in enumerate(stack) if frame.startswith(prefix)]
        if ours:
            entry[stack[ours[-1]]] += weight
            for frame in set(stack[i] for i in ours):
                inclusive[frame] += weight
            for frame in set(stack[:ours[0]]):
                callee[frame] += weight
    shield = sum(weight for stack, weight in samples if any(f.startswith(prefix) for f in stack))
    mine = collections.Counter()
    for stack, weight in samples:
        if own(stack, prefix):
            mine[own_entry(stack, prefix)] += weight
    print("under %s: %.1f%% of all; its own work (James's work it calls back excluded): %.1f%%"
          % (prefix, 100 * shield / total, 100 * sum(mine.values()) / total))
    print("-- own work, by entry point")
    for key, weight in mine.most_common(top):
        print("  %5.1f%%  %s" % (100 * weight / total, key))
    for method in callees:
        below = collections.Counter()
        for stack, weight in samples:
            if method in stack:
                i = stack.index(method)
                below[stack[i - 1] if i > 0 else "(self)"] += weight
        print("-- called by %s (inclusive)" % method)
        for key, weight in below.most_common(top):
            print("  %5.1f%%  %s" % (100 * weight / total, key))
    for name, counter in (("leaf package", leaf), ("entry point into " + prefix + " (inclusive)", entry),
                          ("method of " + prefix + " (inclusive)", inclusive), ("called from " + prefix + " (inclusive)", callee)):
        print("-- by %s" % name)
        for key, weight in counter.most_common(top):
            print("  %5.1f%%  %s" % (100 * weight / total, key))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--package", default="io.github.smtpshield")
    parser.add_argument("--callees", action="append", default=[], metavar="METHOD",
                        help="also: what METHOD (package.Class.method) calls, inclusive; may be repeated")
    args = parser.parse_args()
    report("CPU (jdk.ExecutionSample)", list(events(args.recording, "jdk.ExecutionSample")), args.package, args.top,
           args.callees)
    report("allocation (jdk.ObjectAllocationSample, bytes)", list(events(args.recording, "jdk.ObjectAllocationSample")),
           args.package, args.top, args.callees)


if __name__ == "__main__":
    main()
