# tests/lib/instance.sh: a throw-away cairn instance for one test (sourced).
#   instance_new       makes $T (temporary, removed at exit), builds
#                      single-user programs for home $T/home into $T/bin
#                      and installs the home layout there. Sets H=$T/home.
#   at_exit CMD        runs CMD when the test ends, pass or fail.
top=${CAIRN_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${CAIRN_O:-$top/build}
_at_exit=
at_exit() { _at_exit="$1; $_at_exit"; }
trap 'eval "$_at_exit"; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

instance_new() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
  chmod 755 "$T"
  H=$T/home
  mkdir -p "$T/conf"
  echo "$H" > "$T/conf/conf-home"
  echo "${CAIRN_SPLIT:-23}" > "$T/conf/conf-split"
  me=$(id -un); grp=$(id -gn)
  printf '%s\n' "$me" "$me" "$me" "$me" "$me" "$me" "$me" "$grp" "$grp" > "$T/conf/conf-users"
  make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" >"$T/build.log" 2>&1 \
    || { echo "Bail out! cannot build instance: $(tail -5 "$T/build.log")"; exit 1; }
  "$T/bin/install" "$T/bin" || { echo "Bail out! install failed"; exit 1; }
}
