#!/usr/bin/env python3
"""Two builds of pejling on damaged stores: the same bytes out, the same exit status, the same
messages.

Usage: Benchmarks/compare-hostile.py OLD-BIN NEW-BIN [--rounds N] [--seed N] [--cases N]

A change that claims "output byte-identical" is usually checked on clean stores. This writes one
small simulated store (NEW-BIN simulate), then, each round, a copy of it whose journals have lines
changed in the ways a hand-edited, merged or damaged journal may hold them: a value replaced by
another (numbers very large, very small, written long or with an exponent, negative zero; strings
with escapes, control characters, lone surrogates; null, true, [] and {}), a space before or after
a value, a member written twice, two members swapped. Every command below then runs on the copy
with both builds (the summary cache removed before each run, so each reads the journals), and any
difference in standard output, exit status or standard error is printed and the copy kept under
the work folder. Exits 1 if any differed.

Nothing here is a dependency of the package or its tests; it needs Python 3 only.
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

COMMANDS = [
    ["export", "--format", "jsonl"],
    ["export", "--format", "csv"],
    ["export", "--format", "csv-da"],
    ["export", "--format", "fhir"],
    ["team"],
    ["team", "--format", "json"],
    ["flags", "--format", "json"],
    ["outcomes", "--format", "csv"],
    ["outcomes", "--format", "json"],
    ["check"],
]

VALUES = [
    "1e400", "-0", "0.1000000000000000055511151231257827", "123456789012345678901234567890",
    "-1e-320", "1E2", "1.0", "10.00", "0e0", "5", "7.5", "-5", "1.5e1", "99999999999999999999",
    "4.0000000000000001", '"\\u0000"', '"\\ud800"', '"a\\"b"', '"\\u00e6\\n\\t"', '"\\/"', '" "',
    "null", "true", "[]", "{}",
]

KEYS = [
    '"individually":', '"interpersonally":', '"socially":', '"overall":', '"total":', '"date":',
    '"age":', '"worker":', '"comment":', '"respondent":', '"g1":', '"time":', '"case":',
    '"instrument":', '"id":',
]


def value_end(line, start):
    """Where the value starting at `start` ends (a string, or up to the next , or })."""
    if line[start] == '"':
        end = start + 1
        while end < len(line) and line[end] != '"':
            end += 2 if line[end] == "\\" else 1
        return min(end + 1, len(line))
    end = start
    while end < len(line) and line[end] not in ",}":
        end += 1
    return end


def damage(line, rng):
    """The line with one member changed, or as it was when it holds none of `KEYS`."""
    key = rng.choice(KEYS)
    member = line.find(key)
    if member < 0:
        return line
    start = member + len(key)
    end = value_end(line, start)
    roll = rng.random()
    if roll < 0.5:
        return line[:start] + rng.choice(VALUES) + line[end:]
    if roll < 0.65:
        return line[:start] + " " + line[start:]
    if roll < 0.8:
        return line[:end] + "," + line[member:end] + line[end:]
    if roll < 0.9:
        return line[:end] + " " + line[end:]
    following = line.find(",", end + 1)
    closing = line.find("}", end + 1)
    if end < len(line) and line[end] == "," and following > 0 and (closing < 0 or following < closing):
        return line[:member] + line[end + 1:following] + "," + line[member:end] + line[following:]
    return line


def run(binary, store, command):
    shutil.rmtree(os.path.join(store, "cache"), ignore_errors=True)
    environment = dict(os.environ, LANG="C.UTF-8", NO_COLOR="1")
    result = subprocess.run([binary, "--store", store] + command, capture_output=True, env=environment)
    errors = result.stderr.decode(errors="replace").replace(binary, "pejling")
    return result.returncode, hashlib.md5(result.stdout).hexdigest(), errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=40)
    arguments = parser.parse_args()
    old, new = os.path.abspath(arguments.old), os.path.abspath(arguments.new)
    rng = random.Random(arguments.seed)
    work = tempfile.mkdtemp(prefix="pejling-compare-hostile.")
    os.chmod(work, 0o700)
    clean = os.path.join(work, "clean")
    subprocess.run(
        [new, "--store", clean, "simulate", "--cases", str(arguments.cases), "--months", "6"],
        check=True, capture_output=True)
    journals = sorted(os.listdir(os.path.join(clean, "journals")))
    differed = 0
    statuses = {}
    for round_number in range(arguments.rounds):
        store = os.path.join(work, "store")
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(clean, store)
        for journal in journals:
            path = os.path.join(store, "journals", journal)
            with open(path, encoding="utf-8") as file:
                lines = file.read().split("\n")
            for _ in range(6):
                place = rng.randrange(max(1, len(lines) - 1))
                lines[place] = damage(lines[place], rng)
            with open(path, "w", encoding="utf-8") as file:
                file.write("\n".join(lines))
        for command in COMMANDS:
            before, after = run(old, store, command), run(new, store, command)
            label = " ".join(command)
            statuses.setdefault(label, set()).add(after[0])
            if before != after:
                differed += 1
                kept = os.path.join(work, "differed-%d" % differed)
                shutil.copytree(store, kept)
                print("round %d, %s: status %d -> %d, output %s -> %s; store kept in %s"
                      % (round_number, label, before[0], after[0], before[1][:8], after[1][:8], kept))
                if before[2] != after[2]:
                    print("  old said: " + before[2][:400].replace("\n", "\n  "))
                    print("  new said: " + after[2][:400].replace("\n", "\n  "))
    summary = ", ".join("%s exit %s" % (label, "/".join(map(str, sorted(codes))))
                        for label, codes in statuses.items())
    print("%d rounds, %d commands each: %d differed (%s)" % (arguments.rounds, len(COMMANDS), differed, summary))
    if differed == 0:
        shutil.rmtree(work)
    return 1 if differed else 0


if __name__ == "__main__":
    sys.exit(main())
