#!/bin/bash
# queue-refuses-bad-input: for each kind of bad input or broken queue, queue
# exits with the code queue(8) documents, says why on stderr
# ("queue: fatal: ..."), and leaves nothing behind: no todo/ entry, and no
# file in intd/, mess/ or pid/.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
printf 'Subject: test\n\nbody\n' > "$T/msg"

# leftovers: every file under todo/ intd/ mess/ pid/, one per line
leftovers() { (cd "$Q" && find todo intd mess pid -type f | sort); }

# expect CODE NAME: checks the last run ($rc, $T/err) and the queue.
expect() {
  is "$rc" "$1" "$2: exit $1"
  like "$(cat "$T/err")" "^queue: fatal: " "$2: says why on stderr"
  is "$(leftovers)" "" "$2: nothing left in todo/ intd/ mess/ pid/"
}

# run ENVELOPE-BYTES: queue with $T/msg on fd 0 and the envelope on fd 1
run() { printf "$1" > "$T/env"; "$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?; }

run 'Ta@b\0\0'
expect 91 "envelope without F"
run 'Fa@b\0c@d\0\0'
expect 91 "recipient without T"
run 'Fa@b\0Tc@d\0'
expect 54 "missing final NUL (envelope cut short)"
run ''
expect 54 "empty envelope"
run 'Fa@b\0Tc\r\nBcc: x@y\0\0'
expect 91 "CR LF in a recipient"
run 'Fa\001b\0Tc@d\0\0'
expect 91 "control character in the sender"

# A single recipient of 10 MB: over the 1000-byte address limit.
{ printf 'Fa@b\0T'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\0\0'; } > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
expect 11 "a single 10 MB recipient"

# 10 MB of short recipients: each address fine, the envelope over 4 MiB.
python3 -c '
import sys
r = b"".join(b"Tuser%07d@example.org\0" % i for i in range(10485760 // 24))
sys.stdout.buffer.write(b"Fa@b\0" + r + b"\0")' > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
expect 31 "a 10 MB list of short recipients (envelope over 4 MiB)"
printf 'Fa@b\0Tc@d\0\0' > "$T/env"

# The message cannot be read: fd 0 is a directory, or closed.
"$H/bin/queue" < "$T" 1< "$T/env" 2> "$T/err"; rc=$?
expect 54 "message on a directory (read error)"
"$H/bin/queue" <&- 1< "$T/env" 2> "$T/err"; rc=$?
expect 54 "message descriptor closed"
"$H/bin/queue" < "$T/msg" >&- 2> "$T/err"; rc=$?
expect 54 "envelope descriptor closed"

# The caller's file size limit (ulimit -f, 4 KiB) is smaller than the
# message: a write error, not a queue killed by SIGXFSZ halfway.
head -c 65536 /dev/urandom > "$T/64k"
(ulimit -f 4; exec "$H/bin/queue" < "$T/64k" 1< "$T/env" 2> "$T/err"); rc=$?
expect 53 "message over the caller's file size limit"

# The message never ends: SIGALRM, which is queue's 24-hour lifetime
# running out, arrives while queue waits for more of it. The caller blocks
# SIGALRM before it execs queue (the mask survives exec): queue must
# unblock it.
mkfifo "$T/slow"
( printf 'Subject: half\n\n'; sleep 60 ) > "$T/slow" &
writer=$!
python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
os.execv(sys.argv[1], sys.argv[1:])' "$H/bin/queue" < "$T/slow" 1< "$T/env" 2> "$T/err" &
qpid=$!
for i in $(seq 300); do [ -n "$(cd "$Q" && find mess -type f)" ] && break; sleep 0.1; done
ok "$([ -n "$(cd "$Q" && find mess -type f)" ]; echo $?)" "a waiting queue has made its mess/ file"
kill -ALRM $qpid; wait $qpid; rc=$?
kill $writer 2>/dev/null; wait $writer 2>/dev/null
is "$rc" 52 "timeout (SIGALRM while reading the message, blocked by the caller): exit 52"
is "$(cat "$T/err")" "queue: fatal: qq timeout (#4.3.0)" "timeout: says so on stderr"
is "$(leftovers)" "" "timeout: nothing left in todo/ intd/ mess/ pid/"

# The queue's directories are missing.
mv "$H" "$H.away"
"$H.away/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
mv "$H.away" "$H"
expect 61 "no home directory"
for d in pid:63 mess:64 intd:65 todo:66; do
  mv "$Q/${d%:*}" "$Q/${d%:*}.away"
  "$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
  mv "$Q/${d%:*}.away" "$Q/${d%:*}"
  expect "${d#*:}" "no queue/${d%:*}/"
done
mv "$Q" "$Q.away"
"$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
mv "$Q.away" "$Q"
expect 62 "no queue directory"

# And after all that, a good message still goes in.
"$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"; rc=$?
is "$rc" 0 "a good message after the bad ones: exit 0"
is "$(ls "$Q/todo" | wc -l)" 1 "a good message after the bad ones: one todo/ entry"
done_testing
