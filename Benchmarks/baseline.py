#!/usr/bin/env python3
"""A plain baseline for `pejling team`: the ORS outcome figures computed with Python's json module
over the same journals, one record at a time. Used only by Benchmarks/run, to compare speed.

baseline.py --parse-only STORE is the floor every ratio in the benchmark table is measured against:
json.loads on every journal line, nothing else."""
import json, os, sys, statistics

if sys.argv[1] == "--parse-only":
    store = sys.argv[2]
    lines = 0
    for name in sorted(os.listdir(os.path.join(store, "journals"))):
        with open(os.path.join(store, "journals", name), encoding="utf-8") as journal:
            for line in journal:
                json.loads(line)
                lines += 1
    print(lines)
    sys.exit(0)

store = sys.argv[1]
ors = {}
srs_meetings = set()
for name in sorted(os.listdir(os.path.join(store, "journals"))):
    with open(os.path.join(store, "journals", name), encoding="utf-8") as journal:
        for line in journal:
            record = json.loads(line)
            if record.get("kind") != "administration":
                continue
            total = record["scores"].get("total")
            if record["instrument"] == "ors":
                ors.setdefault(record["case"], []).append((record["date"], total))
            elif record["instrument"] == "srs":
                srs_meetings.add((record["case"], record["date"]))
counts = {"recovered": 0, "improved": 0, "unchanged": 0, "deteriorated": 0}
intakes, changes = [], []
meetings = 0
without = 0
for case, series in ors.items():
    series.sort()
    for date, _ in series:
        meetings += 1
        without += (case, date) not in srs_meetings
    if len(series) < 2:
        continue
    pre, post = series[0][1], series[-1][1]
    intakes.append(pre)
    changes.append(post - pre)
    if post - pre >= 5:
        counts["recovered" if pre < 25 < post else "improved"] += 1
    elif post - pre <= -5:
        counts["deteriorated"] += 1
    else:
        counts["unchanged"] += 1
print(json.dumps({"n": len(intakes), **counts, "meanIntake": statistics.mean(intakes),
                  "effectSize": statistics.mean(changes) / statistics.stdev(intakes),
                  "meetings": meetings, "withoutAlliance": without}))
