# Shared set-up for the examples' run.sh scripts (sourced, not run).
#
# - pejling: the binary in $PEJLING, else this package's own, built once with 'swift build'
#   (what 'swift run pejling' would run, without building again for every step).
# - A fixed, plain environment: today is PEJLING_TODAY (2026-03-14 unless set), no colour, 80
#   columns, English, one writer, no store or instrument folder from the caller's environment.
# - $WORK: a new temporary folder, removed when the script ends; the examples write only there.
# - show ARGS...: prints '$ pejling ARGS' and then runs it, with $WORK shown as $WORK so the
#   output is the same wherever the folder is.

# A relative path to the binary is taken from where the script was started (it has cd'ed since).
if [[ "${PEJLING:-}" == */* && "$PEJLING" != /* ]]; then
    PEJLING="$OLDPWD/$PEJLING"
fi
if [[ -z "${PEJLING:-}" ]]; then
    package="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    swift build --package-path "$package" --product pejling >&2
    PEJLING="$(swift build --package-path "$package" --show-bin-path)/pejling"
fi

export PEJLING_TODAY="${PEJLING_TODAY:-2026-03-14}"
export NO_COLOR=1 COLUMNS=80 LANG=C.UTF-8 LC_ALL=C.UTF-8 PEJLING_WRITER=example
unset PEJLING_STORE PEJLING_INSTRUMENTS

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pejling-example.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

pejling() { command "$PEJLING" "$@"; }

show() {
    local line="" word
    for word in "$@"; do
        [[ "$word" =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]] || word="\"$word\""
        line+=" $word"
    done
    printf '$ pejling%s\n' "${line//$WORK/\$WORK}"
    local status=0
    pejling "$@" | sed "s|$WORK|\$WORK|g" || status=$?
    echo
    return "$status"
}

# show_failing ARGS...: like show, for a step that is meant to fail: prints its error output
# and its exit status instead of stopping the script.
show_failing() {
    local status=0
    show "$@" 2>&1 || status=$?
    printf '(exit status %d)\n\n' "$status"
}
