#!/bin/bash
# queued-commits-beside-its-clients: queued's commits run on committer
# threads while its loop goes on reading other clients. Many clients at
# once (80 injects, 40 at a time) are each answered 0, and each message
# is delivered exactly once. A client whose message is whole waits,
# unread, for its answer: bytes it sends before reading the answer do
# not take its message back; they are read as the start of its next
# message, and garbage there only closes the connection. Clients held
# by the committers and one that writes slowly at the same time all get
# their answers. Single-user build.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
PY=${PY:-/usr/bin/python3}
instance_new
mta_domain example.org
mta_user alice
mta_assign
mta_start
queued_listens() { "$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' "$H/queued/socket" 2>/dev/null; }
wait_for 5 queued_listens
ok $? "queued listens"

# 1. 80 injects, 40 at a time
seq 1 80 | xargs -P 40 -I{} sh -c 'printf "Subject: many {}\n\nbody {}\n" | "$1/bin/inject" -f bob@example.org alice@example.org || echo "inject {} failed: $?"' sh "$H" > "$T/many.out" 2>&1
is "$(cat "$T/many.out")" "" "80 injects, 40 at a time: every one exits 0"
wait_for 60 count_is alice 80
ok $? "all 80 delivered"
is "$(cat "$T/u/alice/Maildir/new/"* | grep '^Subject: many ' | sort -u | wc -l) $(cat "$T/u/alice/Maildir/new/"* | grep -c '^Subject: many ')" "80 80" \
  "  each exactly once"
wait_for 20 queue_empty
ok $? "the queue is empty afterwards"

# 2. raw clients of queued/socket (qqproto: the message as netstrings, an
# empty one, the envelope as one netstring; the answer is one line)
cat > "$T/client.py" <<'EOF'
import socket, sys, time
path, what = sys.argv[1], sys.argv[2]
def ns(b): return str(len(b)).encode() + b":" + b + b","
def entry(subject):
    msg = ("Subject: %s\n\nbody\n" % subject).encode()
    return ns(msg) + ns(b"") + ns(b"Fbob@example.org\0Talice@example.org\0\0")
def answer(s):
    # one line; two answers may come in one read
    l = f.readline()
    return l.decode().strip() if l.endswith(b"\n") else l.decode() + "<closed>"
s = socket.socket(socket.AF_UNIX)
s.connect(path)
s.settimeout(20)
f = s.makefile("rb")
if what == "early":
    # the whole entry, then before reading the answer garbage (a second later:
    # bytes that came with the entry in one read would make it malformed)
    s.sendall(entry("early"))
    time.sleep(1)
    s.sendall(b"this is no netstring")
    print(answer(s))
    print("closed" if f.read(64) == b"" else "open")
elif what == "next":
    # the whole entry, then before reading its answer the next whole entry
    s.sendall(entry("next one"))
    time.sleep(1)
    s.sendall(entry("next two"))
    print(answer(s), answer(s))
elif what == "slow":
    # an entry a few bytes at a time, beside the others
    e = entry("slow")
    for i in range(0, len(e), 7):
        s.sendall(e[i:i + 7])
        time.sleep(0.01)
    print(answer(s))
EOF
"$PY" "$T/client.py" "$H/queued/socket" early > "$T/early.out" 2>&1
is "$(cat "$T/early.out" | tr '\n' ' ')" "0 closed " "bytes sent before reading the answer: the message is answered 0, then the garbage closes the connection"
"$PY" "$T/client.py" "$H/queued/socket" next > "$T/next.out" 2>&1
is "$(cat "$T/next.out")" "0 0" "a next entry sent before reading the first answer: both answered 0"
"$PY" "$T/client.py" "$H/queued/socket" slow > "$T/slow.out" 2>&1 & spid=$!
seq 1 20 | xargs -P 20 -I{} sh -c 'printf "Subject: beside {}\n\nbody\n" | "$1/bin/inject" alice@example.org || echo "inject {} failed"' sh "$H" > "$T/beside.out" 2>&1
wait $spid
is "$(cat "$T/slow.out") $(cat "$T/beside.out")" "0 " "a slow client and 20 others at once: all answered 0"
wait_for 30 count_is alice 104
ok $? "  and delivered: 80 + early + next one, two + slow + 20"
for s in early 'next one' 'next two' slow; do
  is "$(cat "$T/u/alice/Maildir/new/"* | grep -c "^Subject: $s\$")" 1 "  \"$s\" delivered once"
done
ok "$(! grep -q 'queued: warning' "$T/log"; echo $?)" "queued logged no warning"
mta_stop
done_testing
