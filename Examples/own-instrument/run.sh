#!/usr/bin/env bash
# An organisation's own instrument: a made-up Danish scale, validated, asked and charted.
# Run: bash Examples/own-instrument/run.sh   (PEJLING=path/to/pejling to use a built binary)
set -euo pipefail
cd "$(dirname "$0")"
source ../example-setup.sh
export PEJLING_STORE="$WORK/store"

# The file is checked before anyone is asked anything: every problem at once, exit 65 if any.
show instruments validate instruments/hverdagsmestring.json
show --instruments instruments instruments list

# Four paper forms from Bostøtten Nordby's meetings with one citizen, the first in Danish.
show --instruments instruments --lang da ask hverdagsmestring --case N-0101 --date 2025-11-03 --answers "3;2,5;4;3"
show --instruments instruments ask hverdagsmestring --case N-0101 --date 2026-01-05 --answers 4,4,4.5,3
show --instruments instruments ask hverdagsmestring --case N-0101 --date 2026-02-02 --answers 6,5.5,5,5
show --instruments instruments ask hverdagsmestring --case N-0101 --date 2026-03-02 --answers 7,6.5,6,6.5

# The course on a chart, with the organisation's own cut-off and reliable-change band.
show --instruments instruments chart --case N-0101 --instrument hverdagsmestring --width 72
