#!/usr/bin/env bash
# A FHIR R4 exchange: export one store as a Bundle of QuestionnaireResponses, import it into a
# fresh store, and compare the two.
# Run: bash Examples/fhir-round-trip/run.sh   (PEJLING=path/to/pejling to use a built binary)
set -euo pipefail
cd "$(dirname "$0")"
source ../example-setup.sh

show simulate --store "$WORK/ours" --cases 4 --seed 3 --months 3
show --store "$WORK/ours" export --format fhir --out "$WORK/bundle.json"
# What the Bundle holds: a QuestionnaireResponse per administration, an Observation per total.
grep -o '"resourceType" *: *"[A-Za-z]*"' "$WORK/bundle.json" | sed 's/.*: *//; s/"//g' | sort | uniq -c |
    awk '{ print $2 ": " $1 }'
echo

show --store "$WORK/theirs" import "$WORK/bundle.json" --dry-run
show --store "$WORK/theirs" import "$WORK/bundle.json"

# Every case's history and the outcomes are the same in both stores (decisions on flags are
# not part of a FHIR response and stay behind).
for case in K-00001 K-00002 K-00003 K-00004; do
    if diff <(pejling --store "$WORK/ours" history --case "$case") \
        <(pejling --store "$WORK/theirs" history --case "$case") >/dev/null; then
        echo "history --case $case: the same in both stores"
    else
        echo "history --case $case: DIFFERS"
        exit 1
    fi
done
diff <(pejling --store "$WORK/ours" outcomes) <(pejling --store "$WORK/theirs" outcomes)
echo "outcomes: the same in both stores"
echo
show --store "$WORK/theirs" outcomes
