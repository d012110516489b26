# tests/lib/instance.sh: a throw-away cairn instance for one test (sourced).
#   instance_new       makes $T (temporary, removed at exit), builds
#                      single-user programs for home $T/home into $T/bin
#                      and installs the home layout there. Sets H=$T/home.
#                      control/resolvers points at no server (see below).
#   at_exit CMD        runs CMD when the test ends, pass or fail.
top=${CAIRN_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${CAIRN_O:-$top/build}
_at_exit=
at_exit() { _at_exit="$1; $_at_exit"; }
trap 'eval "$_at_exit"; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

# No test asks a DNS server outside the machine: remote's resolver is a
# port of 127.0.0.1 where nothing listens, so that a remote recipient
# without a route in smtproutes waits in the queue (a temporary DNS
# failure). Tests with a DNS server of their own overwrite the file.
_instance_nodns() { echo 127.0.0.1:1 > "$H/control/resolvers"; }

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
  _instance_nodns
}

# instance_new_multiuser: like instance_new, but a multi-user build with
# qmail's users and groups (conf-users as shipped). Needs root. The users
# and groups the system lacks are created for the test and removed at exit.
# users_lock: a test that adds or removes system users holds this lock for
# its whole life, so that tests run in parallel (prove -j) never edit
# /etc/passwd at once nor remove users another test still uses.
users_lock() {
  exec 9> "${TMPDIR:-/tmp}/cairn-test-users.lock"
  flock 9 || { echo "Bail out! cannot take the users lock"; exit 1; }
}

# Removes a user the test made. Its processes go first: a local worker
# (10 s idle) may outlive the instance that started it, and userdel
# refuses a user that still runs something.
user_del() {
  pkill -KILL -u "$1" 2>/dev/null
  _ud=50
  while ! userdel "$1" 2>/dev/null; do
    _ud=$((_ud - 1))
    [ "$_ud" -gt 0 ] || { userdel "$1"; return 1; }
    pkill -KILL -u "$1" 2>/dev/null
    sleep 0.1
  done
}

instance_new_multiuser() {
  users_lock
  for g in qmail nofiles; do
    getent group $g > /dev/null && continue
    groupadd -r $g || { echo "Bail out! groupadd $g failed"; exit 1; }
    at_exit "groupdel $g"
  done
  for u in alias:nofiles qmaild:nofiles qmaill:nofiles qmailp:nofiles qmailq:qmail qmailr:qmail qmails:qmail qmailt:nofiles; do
    n=${u%%:*}
    getent passwd $n > /dev/null && continue
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g ${u#*:} $n || { echo "Bail out! useradd $n failed"; exit 1; }
    at_exit "user_del $n"
  done
  T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
  chmod 755 "$T"
  H=$T/home
  mkdir "$T/conf"
  echo "$H" > "$T/conf/conf-home"
  echo "${CAIRN_SPLIT:-23}" > "$T/conf/conf-split"
  printf '%s\n' alias qmaild qmaill qmailp qmailq qmailr qmails qmailt qmail nofiles > "$T/conf/conf-users"
  make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/build.log" 2>&1 \
    || { echo "Bail out! cannot build: $(tail -5 "$T/build.log")"; exit 1; }
  grep -q 'auto_singleuser = 0' "$T/bin/auto.c" || { echo "Bail out! the build is single-user"; exit 1; }
  "$T/bin/install" "$T/bin" || { echo "Bail out! install failed"; exit 1; }
  _instance_nodns
}
