#!/usr/bin/env bash
# A stack of paper forms typed into a spreadsheet, imported in one go, then read back.
# Run: bash Examples/paper-forms/run.sh   (PEJLING=path/to/pejling to use a built binary)
set -euo pipefail
cd "$(dirname "$0")"
source ../example-setup.sh
export PEJLING_STORE="$WORK/store"

# A file with mistakes is refused whole, each problem named by row and column.
show_failing import forms-with-mistakes.csv --dry-run

# The forms, in the layout of 'pejling export --format csv' with the id column left empty:
# checked first, then imported. A second import adds nothing (each row's id comes from its
# place and content).
show import forms.csv --dry-run
show import forms.csv
show import forms.csv

show history --case K-0101
show team --show-small --window 90
