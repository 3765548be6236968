# The checks the command-line tests share (sourced by cli_test.sh and residual_test.sh): each
# counts, prints "ok:" or "FAIL:" with the reason, and `summary` repeats the failures last.

failures=0
checks=0
failed=() # what failed, repeated at the end: a long log is often seen by its tail only

# fail WHAT: counts a failed check and says so.
fail() {
    failures=$((failures + 1))
    failed+=("$1")
    echo "FAIL: $1"
}

# expect STATUS DESCRIPTION COMMAND...: runs the command, which must exit with STATUS.
expect() {
    local want=$1 what=$2
    shift 2
    checks=$((checks + 1))
    "$@" >out.txt 2>err.txt
    local got=$?
    if ((got != want)); then
        fail "$what: exit $got, expected $want"
        echo "  command: $*"
        sed 's/^/  stdout: /' out.txt
        sed 's/^/  stderr: /' err.txt
    elif ((got == 0)); then
        echo "ok:   $what"
    else
        # The reason: the last line printed (a rejection on stdout, an error on stderr).
        echo "ok:   $what (exit $got: $(cat err.txt out.txt | grep . | tail -n1))"
    fi
}

not() { ! "$@"; }

# said WHAT PATTERN: the last command's stdout or stderr has a line matching PATTERN (grep -E).
said() {
    checks=$((checks + 1))
    # grep reads the files itself: `cat | grep -q` under pipefail fails whenever grep's early exit
    # cuts cat off (SIGPIPE), however well the pattern matched.
    if grep -qE -- "$2" out.txt err.txt; then
        echo "ok:   $1"
    else
        fail "$1: nothing printed matches '$2'"
        sed 's/^/  stdout: /' out.txt
        sed 's/^/  stderr: /' err.txt
    fi
}

# byte FILE OFFSET: the byte's value. set_byte FILE OFFSET VALUE: overwrites it.
byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
set_byte() { printf "$(printf '\\%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# u32 FILE OFFSET: the little-endian 32-bit number there. set_u32 FILE OFFSET VALUE: overwrites it.
u32() { echo $(($(byte "$1" "$2") | $(byte "$1" $(($2 + 1))) << 8 | $(byte "$1" $(($2 + 2))) << 16 | $(byte "$1" $(($2 + 3))) << 24)); }
set_u32() {
    local i
    for i in 0 1 2 3; do set_byte "$1" $(($2 + i)) $((($3 >> (8 * i)) & 255)); done
}
# flipped SOURCE TARGET OFFSET: a copy of SOURCE with one bit of the byte at OFFSET changed.
flipped() {
    cp "$1" "$2"
    set_byte "$2" "$3" $(($(byte "$2" "$3") ^ 1))
}

# summary: the counts, the failed checks again (a long log is often seen by its tail only), and
# the exit status.
summary() {
    echo "$checks checks, $failures failed"
    for what in "${failed[@]}"; do echo "failed: $what"; done
    ((failures == 0))
}
