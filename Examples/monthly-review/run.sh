#!/usr/bin/env bash
# A team's monthly review as semicolon CSV with decimal commas (csv-da), for Danish Excel.
# Run: bash Examples/monthly-review/run.sh   (PEJLING=path/to/pejling to use a built binary)
set -euo pipefail
cd "$(dirname "$0")"
source ../example-setup.sh
export PEJLING_STORE="$WORK/store"

# Twelve made-up cases over six months; the same seed always gives the same store.
show simulate --store "$WORK/store" --cases 12 --seed 11 --workers 3 --months 6

# February's review, table by table. Figures about fewer than 5 cases show as <5.
for table in caseload flags fidelity outcomes trend; do
    show team --format csv-da --table "$table" --since 2026-02-01 --until 2026-02-28
done

# Per case: first and latest score, change and category, for the month's spreadsheet.
show outcomes --format csv-da --since 2026-02-01 --until 2026-02-28

# Written to files, as one would open them in Excel: private (0600), the review is audited.
pejling team --format csv-da --table caseload --until 2026-02-28 >"$WORK/caseload-2026-02.csv"
pejling outcomes --format csv-da --until 2026-02-28 >"$WORK/outcomes-2026-02.csv"
wc -l <"$WORK/caseload-2026-02.csv" | sed 's/^/caseload rows incl. header: /'
wc -l <"$WORK/outcomes-2026-02.csv" | sed 's/^/outcomes rows incl. header: /'
