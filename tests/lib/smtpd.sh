# tests/lib/smtpd.sh: smtpd under a real tcpserver, for end-to-end tests
# (sourced after tap.sh, instance.sh and mta.sh; call instance_new and
# mta_domain first).
#   smtpd_rules LINE...   tcprules lines compiled into $T/tcp.smtp.cdb
#                         (smtpd_start uses ":allow" when never called)
#   smtpd_start [OPT...]  tcpserver -x $T/tcp.smtp.cdb OPT... on 127.0.0.1
#                         and a free port, running $H/bin/smtpd; sets
#                         SMTP_PORT; stopped at exit (or by smtpd_stop).
#                         No DNS or ident lookups (-H -R -l): a test sets
#                         TCPREMOTEHOST through its rules when it needs one.
#                         $SMTPD_CMD, when set, runs instead of $H/bin/smtpd
#                         (e.g. "$H/bin/tlsd $H/bin/smtpd").
#   pool_start [OPT...]   the same with smtppool (-l localhost -x
#                         $T/tcp.smtp.cdb OPT...) instead of tcpserver and
#                         smtpd, logging to $T/smtppool.log; sets SMTP_PORT
#                         and POOL_PID. smtpd_start runs it instead of
#                         tcpserver when $SMTPD_SERVER is "pool": a
#                         $SMTPD_CMD with tlsd (STARTTLS) becomes
#                         smtppool -s (its TLS broker runs tlsd -s),
#                         one with tlsd -i smtppool -T (implicit TLS
#                         the same way); its log is $T/smtppool.log,
#                         and $T/tcpserver.log a link to it.
#   pool_stop             SIGTERM to smtppool, waits for it
#   smtp [-t S] CHUNK...  tests/lib/smtpraw.py against it (see there)
#   free_port             prints a TCP port of 127.0.0.1 free right now
#   $PY                   the Debian python3 (package/deps installs it), not a
#                         wrapper found first in $PATH that takes a second to start
_smtpd_lib=$top/tests/lib
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
smtpd_rules() {
  printf '%s\n' "$@" > "$T/tcp.smtp"
  tcprules "$T/tcp.smtp.cdb" "$T/tcp.smtp.tmp" < "$T/tcp.smtp" \
    || { echo "Bail out! tcprules failed"; exit 1; }
}
smtpd_start() {
  [ -f "$T/tcp.smtp.cdb" ] || smtpd_rules ':allow'
  if [ "${SMTPD_SERVER:-}" = pool ]; then
    case ${SMTPD_CMD:-} in
      *"tlsd -i"*) set -- -T "$@" ;;
      *tlsd*) set -- -s "$@" ;;
    esac
    pool_start "$@"; SMTPD_PID=$POOL_PID
    ln -sf smtppool.log "$T/tcpserver.log"
    return
  fi
  _st_try=0
  while :; do
    SMTP_PORT=$(free_port)
    rm -f "$T/tcpserver.log"; : > "$T/tcpserver.log"
    tcpserver -v -H -R -l localhost -x "$T/tcp.smtp.cdb" "$@" 127.0.0.1 "$SMTP_PORT" ${SMTPD_CMD:-"$H/bin/smtpd"} \
      2>"$T/tcpserver.log" &
    SMTPD_PID=$!
    at_exit "kill $SMTPD_PID 2>/dev/null"
    wait_for 5 grep -q 'status: 0/' "$T/tcpserver.log" && return 0
    # the port was taken in between: try another one
    kill "$SMTPD_PID" 2>/dev/null; wait "$SMTPD_PID" 2>/dev/null
    _st_try=$((_st_try + 1))
    [ "$_st_try" -lt 5 ] || { echo "Bail out! tcpserver did not start: $(cat "$T/tcpserver.log")"; exit 1; }
  done
}
pool_start() {
  [ -f "$T/tcp.smtp.cdb" ] || smtpd_rules ':allow'
  _st_try=0
  while :; do
    SMTP_PORT=$(free_port)
    : > "$T/smtppool.log"
    "$H/bin/smtppool" -l localhost -x "$T/tcp.smtp.cdb" "$@" 127.0.0.1 "$SMTP_PORT" 2>"$T/smtppool.log" &
    POOL_PID=$!
    at_exit "kill $POOL_PID 2>/dev/null"
    # the workers end with the master (parent-death signal); a test that
    # kills the master with SIGKILL still leaves none behind
    wait_for 5 grep -q 'status: 0/' "$T/smtppool.log" && return 0
    kill "$POOL_PID" 2>/dev/null; wait "$POOL_PID" 2>/dev/null
    _st_try=$((_st_try + 1))
    [ "$_st_try" -lt 5 ] || { echo "Bail out! smtppool did not start: $(cat "$T/smtppool.log")"; exit 1; }
  done
}
pool_stop() {
  kill "$POOL_PID" 2>/dev/null
  wait "$POOL_PID" 2>/dev/null
}
smtpd_stop() {
  kill "$SMTPD_PID" 2>/dev/null
  wait "$SMTPD_PID" 2>/dev/null
}
smtp() {
  if [ "$1" = -t ]; then _sm_t="-t $2"; shift 2; else _sm_t=; fi
  "$PY" "$_smtpd_lib/smtpraw.py" $_sm_t "$SMTP_PORT" "$@"
}
# smtpd_idle: waits until no session is running (tcpserver's count is 0)
smtpd_idle() { wait_for 5 _smtpd_idle; }
_smtpd_idle() {
  if [ "${SMTPD_SERVER:-}" = pool ]; then grep 'status: ' "$T/smtppool.log" | tail -n 1 | grep -q 'status: 0/'
  else tail -n 1 "$T/tcpserver.log" | grep -q 'status: 0/'; fi
}
# queue_files: the number of files in queue/mess, intd and todo
queue_files() { find "$H/queue/mess" "$H/queue/intd" "$H/queue/todo" -type f | wc -l; }
# fakequeue [EXIT]: $T/fakequeue, a QMAILQUEUE program that keeps what
# smtpd hands to queue -- the message from fd 0 in $T/q/N.msg and the
# envelope from fd 1 in $T/q/N.env, N counting from 1 -- and exits EXIT
# (default 0); sessions must not overlap. Tests set
# QMAILQUEUE="$T/fakequeue" in their tcprules.
fakequeue() {
  mkdir -p "$T/q"
  cat > "$T/fakequeue" <<EOQ
#!/bin/sh
n=\$((\$(ls "$T/q" | grep -c '\.msg\$') + 1))
cat > "$T/q/\$n.msg"
cat <&1 > "$T/q/\$n.env"
exit ${1:-0}
EOQ
  chmod 755 "$T/fakequeue"
}
# queued_env N: the envelope of the Nth queue run, NULs shown as "|"
# queued_count: how many runs got an envelope (smtpd gives an empty one to
# a run it started for a message it then refuses: queue commits nothing)
queued_env() { tr '\0' '|' < "$T/q/$1.env"; }
queued_count() { find "$T/q" -name '*.env' -size +0 | wc -l; }
