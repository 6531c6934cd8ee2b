"""Reads a Pejling CSV export with pandas and prints a small outcome summary.

Usage: python3 analyse.py EXPORT.csv
The export is 'pejling export --format csv': one row per administration, with every answer and
score. Only pandas is needed; Pejling itself does not depend on Python.
"""

import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1], parse_dates=["date"])

print("Administrations per instrument")
for instrument, count in frame.groupby("instrument").size().sort_index().items():
    print(f"  {instrument:<16} {count:>4}")

# ORS: first and latest total per case, as 'pejling outcomes' has them.
ors = frame[frame["instrument"] == "ors"].sort_values(["case", "date", "recorded"])
per_case = ors.groupby("case")["ors.total"].agg(["first", "last", "count"])
per_case = per_case[per_case["count"] >= 2]
per_case["change"] = per_case["last"] - per_case["first"]
print()
print(f"ORS, cases with two or more measurements: {len(per_case)}")
print(f"  mean first total  {per_case['first'].mean():6.2f}")
print(f"  mean latest total {per_case['last'].mean():6.2f}")
print(f"  mean change       {per_case['change'].mean():+6.2f}")
# ORS's reliable change is 5 points (see 'pejling instruments show ors').
print(f"  improved by 5 or more points: {(per_case['change'] >= 5).sum()}")
print(f"  worsened by 5 or more points: {(per_case['change'] <= -5).sum()}")

# The mean ORS total by month of the meeting.
print()
print("Mean ORS total by month")
monthly = ors.groupby(ors["date"].dt.strftime("%Y-%m"))["ors.total"].agg(["mean", "count"])
for month, row in monthly.iterrows():
    print(f"  {month}  {row['mean']:5.2f}  (n = {int(row['count'])})")
