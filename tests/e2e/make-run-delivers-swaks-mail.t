#!/bin/sh
# make-run-delivers-swaks-mail: what README promises a newcomer. "make
# run" (here with RUN_DIR in the test's directory and RUN_PORT free, as a
# developer's own instance may hold 2525) builds an instance, prints where
# postmaster's mail lands and how to send some, and answers SMTP; a message
# from swaks to postmaster@localhost lands in the printed Maildir, and so
# does one from the instance's inject to "postmaster" (qualified to
# postmaster@localhost.localdomain). ^C (SIGINT to make's process group,
# as a terminal sends it) stops everything, send after a clean exit: no
# process of the instance is left. A second make run keeps the edited
# control files and delivers what was queued while it was stopped. While
# it runs, the instance's cairnctl (printed too) sees both services and
# their loggers up, finds the default control files sound, and flushes
# the queue on request. Relaying for 127.0.0.1 comes from the tcprules
# source control/tcp.smtp, compiled into control/tcp.smtp.cdb. SIGINT
# to s6-svscan alone stops it as well, and so does TERM to make alone.
# TLS works out of the box: the first start makes a self-signed
# certificate for control/me, swaks --tls delivers on RUN_PORT (STARTTLS)
# and swaks --tlsc on RUN_TLS_PORT (implicit TLS), both "with ESMTPS".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
for p in make swaks s6-svscan s6-log tcpserver tcprules setsid; do
  command -v $p > /dev/null || skip_all "needs $p"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
RUN=$T/run
H=$RUN/home   # for mta.sh's queue_is
PORT=$(free_port)
TLSPORT=$(free_port)

# ours: "PID NAME" of every process of the instance -- its programs, or
# anything with its directory in its arguments or as its working
# directory (s6-supervise, s6-log, tcpserver, make itself)
ours() {
  "$PY" - "$RUN/" << 'EOP'
import os, sys
run = sys.argv[1]
for p in filter(str.isdigit, os.listdir("/proc")):
    if p == str(os.getpid()):
        continue
    try:
        exe = os.readlink("/proc/%s/exe" % p)
        cwd = os.readlink("/proc/%s/cwd" % p) + "/"
        with open("/proc/%s/cmdline" % p, "rb") as f:
            args = f.read().decode(errors="replace").replace("\0", " ")
    except OSError:
        continue
    if exe.startswith(run) or cwd.startswith(run) or run in args:
        print(p, os.path.basename(exe))
EOP
}
cleanup() {
  s6-svscanctl -t "$RUN/home/service" 2> /dev/null
  wait_for 5 test -z "$(ours)"
  for p in $(ours | cut -d' ' -f1); do kill -9 "$p" 2> /dev/null; done
}
at_exit cleanup

# run N: make run in a session of its own with SIGINT at its default (a
# background job of a script would ignore it), as from a terminal
run() {
  "$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' \
    make -s -C "$top" run O="$O" EXTRA="${CAIRN_EXTRA:-}" RUN_DIR="$RUN" RUN_PORT="$PORT" RUN_TLS_PORT="$TLSPORT" > "$T/run$1.out" 2>&1 &
  MAKE=$!
}
banner() {
  "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)
s.settimeout(2)
sys.exit(0 if s.recv(512).startswith(b"220 ") else 1)' "$PORT" 2> /dev/null
}
exited() { ! kill -0 "$MAKE" 2> /dev/null; }
# ended: st is make's exit status once it has ended (within 20 s), else
# "running" (no command substitution: only this shell can wait for make)
ended() {
  if wait_for 20 exited; then wait "$MAKE"; st=$?; else st=running; fi
}
swaks_() { swaks --server "127.0.0.1:$PORT" --helo test.example --from alice@example.com "$@" 2>&1; }
count() { find "$RUN/mail/postmaster/Maildir/new" -type f | wc -l; }
count_is() { [ "$(count)" = "$1" ]; }

run 1
wait_for 50 banner
ok $? "make run answers SMTP on RUN_PORT"
out=$(cat "$T/run1.out")
maildir=$(sed -n '/lands in/{n;s/^ *//;p;}' "$T/run1.out")
is "$maildir" "$RUN/mail/postmaster/Maildir/new/" "it prints where postmaster@localhost's mail lands"
like "$out" "swaks --server 127.0.0.1:$PORT --to postmaster@localhost" "  and the swaks command to send some"
like "$out" "\| $RUN/home/bin/inject postmaster" "  and the instance's inject"
wait_for 10 grep -q '^run: ready' "$T/run1.out"
ok $? "  and then that it is ready"

r=$(swaks_ --to postmaster@localhost --header 'Subject: hello from swaks' --body 'sent by the make run test')
like "$r" '<-  250 2\.0\.0 ok' "swaks to postmaster@localhost: accepted"
wait_for 10 count_is 1
ok $? "  and delivered into the printed Maildir"
m=$(find "$maildir" -type f | head -1)
is "$(grep -m1 '^Delivered-To:' "$m")" "Delivered-To: postmaster@localhost" "  for postmaster@localhost"
is "$(grep -c -e '^Subject: hello from swaks$' -e '^sent by the make run test$' "$m")" 2 "  with swaks's subject and body"
r=$(swaks_ --to someone@example.net --quit-after RCPT)
like "$r" '<-  250 2\.1\.5' "relaying for 127.0.0.1 (RELAYCLIENT from the tcprules cdb)"
is "$(grep -v '^#' "$RUN/home/control/tcp.smtp")" '127.0.0.1:allow,RELAYCLIENT=""' "  which control/tcp.smtp sets"
test -s "$RUN/home/control/tcp.smtp.cdb"
ok $? "  compiled into control/tcp.smtp.cdb"
r=$(swaks_ --to nobody@localhost --quit-after RCPT)
like "$r" '550 5\.1\.1' "an unknown local user is refused at RCPT"
printf 'Subject: injected\n\nby inject\n' | "$RUN/home/bin/inject" postmaster
ok $? "inject to postmaster"
wait_for 10 count_is 2
ok $? "  lands in the same Maildir"
is "$(grep -l '^Subject: injected$' "$maildir"* | xargs grep -m1 '^Delivered-To:')" \
  "Delivered-To: postmaster@localhost.localdomain" "  as postmaster@localhost.localdomain (defaultdomain localdomain)"
like "$out" "run: made a self-signed certificate for localhost: $RUN/home/control/tlscert" "the first start makes a certificate"
like "$(openssl x509 -in "$RUN/home/control/tlscert" -noout -subject 2>&1)" 'CN ?= ?localhost' "  for control/me, localhost"
is "$(stat -c %a "$RUN/home/control/tlskey")" 600 "  with its key readable by its owner only"
r=$(swaks_ --tls --to postmaster@localhost --header 'Subject: over STARTTLS')
like "$r" '<-  220 2\.0\.0 ready to start TLS' "swaks --tls on RUN_PORT: STARTTLS"
like "$r" '<~  250 2\.0\.0 ok' "  delivers"
r=$(swaks --server "127.0.0.1:$TLSPORT" --tlsc --helo test.example --from alice@example.com \
  --to postmaster@localhost --header 'Subject: over implicit TLS' 2>&1)
like "$r" '<~  250 2\.0\.0 ok' "swaks --tlsc on RUN_TLS_PORT delivers"
wait_for 10 count_is 4
ok $? "  both land in the Maildir"
like "$(grep -l '^Subject: over STARTTLS$' "$maildir"* | xargs grep -A1 -m1 '^Received: from' | tail -n 1)" \
  'with ESMTPS \(TLSv1\.2 ECDHE-ECDSA-' "  the STARTTLS one received with ESMTPS and the suite"
like "$(grep -l '^Subject: over implicit TLS$' "$maildir"* | xargs grep -A1 -m1 '^Received: from' | tail -n 1)" \
  'with ESMTPS \(TLSv1\.2 ECDHE-ECDSA-' "  the implicit TLS one too"
like "$out" "\\| $RUN/home/bin/sendmail postmaster" "the printout names the instance's sendmail too"
printf 'Subject: by sendmail\n\nhi\n' | "$RUN/home/bin/sendmail" postmaster
ok $? "sendmail postmaster, as printed"
wait_for 10 count_is 5
ok $? "  lands in the same Maildir"
wait_for 10 queue_empty
ok $? "the queue is empty"
like "$(grep 'status: local' "$RUN/log/send/current" | head -1)" '^@4000[0-9a-f]{20} status: local 0/10' "send logs into RUN_DIR/log/send with TAI64N stamps"
wait_for 5 grep -Eq 'smtppool: ok [0-9]+ .*:127\.0\.0\.1:' "$RUN/log/smtpd/current"
ok $? "smtppool logs each connection into RUN_DIR/log/smtpd"

like "$out" "$RUN/home/bin/cairnctl stat" "the printout names the control command"
st=$("$RUN/home/bin/cairnctl" stat 2>&1)
ok $? "cairnctl stat exits 0 while it runs"
for d in send send/log smtpd smtpd/log; do
  like "$st" "^$RUN/home/service/$d: up \\(pid [0-9]+" "  $d is up"
done
like "$st" '^messages in queue: 0$' "  and the queue is counted"
r=$("$RUN/home/bin/cairnctl" check 2>&1)
is "$?:$r" "0:The control files of $RUN/home are sound." "cairnctl check: the default control files are sound"
"$RUN/home/bin/cairnctl" alrm > /dev/null
ok $? "cairnctl alrm (retry now) reaches send's supervisor"
echo ten > "$RUN/home/control/concurrencylocal"
r=$("$RUN/home/bin/cairnctl" check 2>&1)
is "$?" 100 "a malformed control/concurrencylocal: cairnctl check exits 100"
like "$r" 'control/concurrencylocal:1: not a number' "  and names file and line"
"$RUN/home/bin/cairnctl" reload > /dev/null
ok $? "cairnctl reload"
wait_for 10 grep -q 'warning: control/concurrencylocal:1: not a number' "$RUN/log/send/current"
ok $? "  send rereads its control files and logs the same problem"
rm "$RUN/home/control/concurrencylocal"
"$RUN/home/bin/cairnctl" reload > /dev/null

procs=$(ours)
like "$procs" ' s6-svscan$' "while it runs: s6-svscan"
like "$(echo "$procs" | grep -Ec ' (s6-log|s6-supervise|smtppool|send|queued|lspawn|clean)$')" '^(9|[12][0-9])$' \
  "  s6-supervise and s6-log for each service, smtppool, send, queued, lspawn and clean"
kill -INT "-$MAKE"
ended
is "$st" 130 "^C (SIGINT to make's process group) stops make run, and make dies of it"
like "$(cat "$T/run1.out")" '^run: stopped' "  after saying that it stopped"
is "$(tail -n 1 "$RUN/log/send/current" | cut -d' ' -f2-)" "status: exiting" "  send exited cleanly (TERM, not the ^C)"
is "$(ours)" "" "  no process of the instance is left"

# while stopped: a message queued, a default control file edited
printf 'Subject: queued while stopped\n\nwaiting\n' | "$RUN/home/bin/inject" root
ok $? "inject to root while the instance is stopped"
queue_is 1
ok $? "  the message waits in the queue"
printf '%s\n' localhost localhost.localdomain example.org > "$RUN/home/control/locals"
cp "$RUN/home/control/locals" "$T/locals"

run 2
wait_for 50 banner
ok $? "a second make run answers SMTP"
wait_for 10 count_is 6
ok $? "  and delivers what was queued while it was stopped"
is "$(grep -l '^Subject: queued while stopped$' "$maildir"* | xargs grep '^Delivered-To:' | tr '\n' '|')" \
  "Delivered-To: postmaster@localhost|Delivered-To: root@localhost.localdomain|" "  to root, through ~alias/.qmail-root to postmaster"
cmp_files "$RUN/home/control/locals" "$T/locals" "  the edited control/locals is kept"
r=$(swaks_ --to postmaster@example.org --header 'Subject: for example.org')
like "$r" '<-  250 2\.0\.0 ok' "  and used: postmaster@example.org is local now"
wait_for 10 count_is 7
ok $? "  and delivered"
svscan=$(ours | sed -n 's/ s6-svscan$//p')
kill -INT "$svscan"
ended
is "$st" 0 "SIGINT to s6-svscan alone stops make run too, and make exits 0"
is "$(ours)" "" "  no process of the instance is left"

# TERM to make alone (a service manager, a CI timeout): make passes it on
run 3
wait_for 50 banner
ok $? "a third make run answers SMTP"
kill -TERM "$MAKE"
ended
is "$st" 143 "TERM to make alone stops make run, and make dies of it"
is "$(tail -n 1 "$RUN/log/send/current" | cut -d' ' -f2-)" "status: exiting" "  send exited cleanly"
is "$(ours)" "" "  no process of the instance is left"
done_testing
