# tests/lib/mta.sh: a running single-user cairn for end-to-end tests
# (sourced after tap.sh and instance.sh; call instance_new first).
#   mta_domain D        control/me, locals (D), defaultdomain/host for D
#   mta_user NAME       a home $T/u/NAME with a Maildir, in users/assign
#                       (call mta_assign after the last one)
#   mta_start [DD]      start (default delivery DD, ./Maildir/), log in $T/log
#   mta_stop            TERM to send and wait for it
#   mta_alrm            ALRM to send
#   mta_backlog N ADDR  with send stopped, a todo/ of N entries for ADDR:
#                       one injected ("Subject: old"), then copies of it
#                       (tests/lib/filltodo.py)
#   wait_for SECS CMD   retries CMD every 0.1 s until it succeeds
#   count_new NAME      messages in NAME's Maildir/new
#   count_is NAME N     NAME's Maildir/new holds exactly N messages
#   queue_empty         qstat counts no message (queue_is N: N messages)
#   log_has ERE         a line of the log matches ERE
#   queued ADDR         qread lists ADDR as a recipient still to do
_mta_assign=
mta_domain() {
  echo "$1" > "$H/control/me"
  echo "$1" > "$H/control/locals"
  echo "$1" > "$H/control/defaultdomain"
  echo "$1" > "$H/control/defaulthost"
  MTA_DOMAIN=$1
}
mta_user() {
  mkdir -p "$T/u/$1/Maildir/new" "$T/u/$1/Maildir/cur" "$T/u/$1/Maildir/tmp"
  _mta_assign="$_mta_assign=$1:$(id -un):$(id -u):$(id -g):$T/u/$1:::
+$1-:$(id -un):$(id -u):$(id -g):$T/u/$1:-::
"
}
mta_assign() {
  printf '%s.\n' "$_mta_assign" > "$H/users/assign"
  "$H/bin/newu" || { echo "Bail out! newu failed"; exit 1; }
}
mta_start() {
  # a restart appends to the same log: wait for one more status line
  _ms_n=$(cat "$T/log" 2>/dev/null | grep -c '^status: local')
  ( cd "$H" && exec bin/start "${1:-./Maildir/}" ) >>"$T/log" 2>&1 &
  MTA_PID=$!
  at_exit "kill -9 $MTA_PID 2>/dev/null; pkill -9 -f '^$H/bin/' 2>/dev/null"
  wait_for 5 _mta_started || { echo "Bail out! send did not start: $(cat "$T/log")"; exit 1; }
}
_mta_started() { [ "$(grep -c '^status: local' "$T/log")" -gt "$_ms_n" ]; }
mta_stop() {
  kill -TERM "$MTA_PID" 2>/dev/null
  wait "$MTA_PID" 2>/dev/null
}
mta_alrm() { kill -ALRM "$MTA_PID"; }
mta_backlog() {
  printf 'Subject: old\n\nold\n' | "$H/bin/inject" -f "a@$MTA_DOMAIN" "$2" || { echo "Bail out! inject failed"; exit 1; }
  python3 "$(dirname "$0")/../lib/filltodo.py" "$H/queue" "$(cat "$T/conf/conf-split")" "$1" || { echo "Bail out! cannot fill todo/"; exit 1; }
}
wait_for() {
  _wf_n=$(($1 * 10)); shift
  while [ "$_wf_n" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    _wf_n=$((_wf_n - 1))
  done
  return 1
}
count_new() { find "$T/u/$1/Maildir/new" -type f | wc -l; }
queue_is() { [ "$("$H/bin/qstat" | sed -n '1s/.*: //p')" = "$1" ]; }
queue_empty() { queue_is 0; }
count_is() { [ "$(count_new "$1")" = "$2" ]; }
log_has() { grep -Eq -- "$1" "$T/log"; }
queued() { "$H/bin/qread" | grep -qxF "	local	$1"; }
