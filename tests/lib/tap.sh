# tests/lib/tap.sh: TAP output for the end-to-end scripts (sourced).
# ok COND-EXIT NAME, is GOT WANT NAME, like GOT REGEX NAME, skip_all REASON.
# Every failure says what was expected and what came instead.
_tap_n=0
_tap_fail=0
plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
pass() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
fail() { _tap_n=$((_tap_n + 1)); _tap_fail=$((_tap_fail + 1)); echo "not ok $_tap_n - $*"; }
ok() { # ok STATUS NAME: passes when STATUS is 0
  if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; diag "expected success, got status $1"; fi
}
is() { # is GOT WANT NAME
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3"; diag "expected: $2" "     got: $1"; fi
}
like() { # like GOT EXTENDED-REGEX NAME
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass "$3"; else fail "$3"; diag "expected to match: $2" "got: $1"; fi
}
unlike() {
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then fail "$3"; diag "expected not to match: $2" "got: $1"; else pass "$3"; fi
}
cmp_files() { # cmp_files GOT-FILE WANT-FILE NAME
  if cmp -s "$1" "$2"; then pass "$3"; else fail "$3"; diag "files differ: $1 $2"; diff -u "$2" "$1" 2>&1 | head -20 | sed 's/^/# /' >&2; fi
}
done_testing() { echo "1..$_tap_n"; [ "$_tap_fail" -eq 0 ]; }
