#!/usr/bin/env bash
# Analysing an export with pandas: Pejling writes the CSV, Python reads it.
# Run: bash Examples/pandas-analysis/run.sh   (PEJLING=path/to/pejling, PYTHON=path/to/python3)
set -euo pipefail
cd "$(dirname "$0")"
python="${PYTHON:-python3}"
if ! "$python" -c 'import pandas' 2>/dev/null; then
    echo "This example needs Python 3 with pandas ('pip install pandas'); $python has none." >&2
    exit 1
fi
source ../example-setup.sh

show simulate --store "$WORK/store" --cases 20 --seed 5 --months 6
show --store "$WORK/store" export --format csv --out "$WORK/export.csv"
echo '$ python3 analyse.py $WORK/export.csv'
"$python" analyse.py "$WORK/export.csv"
