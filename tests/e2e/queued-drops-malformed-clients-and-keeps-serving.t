#!/bin/bash
# queued-drops-malformed-clients-and-keeps-serving: a queued run by hand
# (fd 0 a FIFO this test holds open) gets clients that break the framing
# of queued(8) -- a length that is not digits, a leading zero, a length
# over its limit, a missing comma, an empty or oversized envelope
# netstring, bytes sent before the answer, a connection closed in the
# middle of a message or of its envelope -- and each is closed without an
# answer and leaves no file in the queue. Well-framed envelopes that are
# bad get queue's codes (91, 11) and the connection goes on; two messages
# on one connection are both queued. queued keeps serving throughout, and
# exits 0 when its FIFO reaches end of file. One uid cannot hold more
# than 400 of its 500 connections.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
command -v python3 > /dev/null || skip_all "needs python3"
instance_new
Q=$H/queue
mkfifo "$T/life"
"$H/bin/queued" < "$T/life" 2> "$T/queued.err" & qpid=$!
exec 7> "$T/life"
at_exit "kill -9 $qpid 2>/dev/null"
for i in $(seq 50); do [ -S "$H/queued/socket" ] && break; sleep 0.1; done

python3 - "$H/queued/socket" > "$T/out" <<'PY'
import socket, sys, time
path = sys.argv[1]
def talk(chunks, shut=False):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(10)
    got = b""
    for c in chunks:
        s.sendall(c)
        time.sleep(0.05)
    if shut:
        s.shutdown(socket.SHUT_WR)
    try:
        while True:
            b = s.recv(100)
            if not b:
                got += b"[closed]"
                break
            got += b
            if chunks and got.count(b"\n") >= expect_lines(chunks):
                break
    except socket.timeout:
        got += b"[timeout]"
    s.close()
    return got.decode().replace("\n", " ").strip()
def expect_lines(chunks):
    return sum(c.count(b"0:,") for c in chunks) or 1
env = b"Fa@example.org\0Tb@example.net\0\0"
def ns(b):
    return b"%d:" % len(b) + b + b","
msg = ns(b"Subject: ok\n\nbody\n") + b"0:," + ns(env)
cases = [
    ("a letter for a length", [b"x:,"]),
    ("a leading zero", [b"01:a,"]),
    ("a length of eleven digits", [b"99999999999:"]),
    ("a message netstring over 16 MiB", [b"16777217:"]),
    ("a missing comma", [b"1:ab"]),
    ("an empty envelope netstring", [b"1:a,0:,0:,"]),
    ("an envelope netstring over 4 MiB", [b"1:a,0:,4194305:"]),
    ("bytes of a next message before the answer", [msg + b"1:b"]),
    ("a message cut short, then EOF", [b"5:hel"], True),
    ("an envelope cut short, then EOF", [b"3:hi\n,0:,9:Fa@b"], True),
    ("a message without its envelope, then EOF", [b"3:hi\n,0:,"], True),
]
for c in cases:
    name, chunks = c[0], c[1]
    print("%s|%s" % (name, talk(chunks, len(c) > 2)))
# well framed, bad envelopes: answered, and the connection goes on
print("bad envelope letter, then a good message|%s" % talk([ns(b"hi\n") + b"0:," + ns(b"Xa@b\0\0"), msg]))
print("bytes after the final NUL|%s" % talk([ns(b"hi\n") + b"0:," + ns(b"Fa@b\0\0x")]))
print("an envelope that ends before its final NUL|%s" % talk([ns(b"hi\n") + b"0:," + ns(b"Fa@b\0")]))
print("an address of 1001 bytes|%s" % talk([ns(b"hi\n") + b"0:," + ns(b"F" + b"a" * 1001 + b"\0\0")]))
print("two messages on one connection|%s" % talk([msg, msg]))
print("an empty message|%s" % talk([b"0:," + ns(env)]))
PY
while IFS='|' read -r name got; do
  case $name in
    "bad envelope letter"*) is "$got" "91 0" "$name: 91, then 0 on the same connection" ;;
    "bytes after"*|"an envelope that ends"*) is "$got" "91" "$name: 91" ;;
    "an address of"*) is "$got" "11" "$name: 11" ;;
    "two messages"*) is "$got" "0 0" "$name: 0 and 0" ;;
    "an empty message") is "$got" "0" "$name: 0" ;;
    *) is "$got" "[closed]" "$name: closed without an answer" ;;
  esac
done < "$T/out"
is "$(wc -l < "$T/out")" 17 "every case ran"

# one uid holds at most 400 of the 500 slots: idle connections are kept
# up to that share, the next is closed at once; once they are closed,
# a message is taken again
python3 - "$H/queued/socket" > "$T/share" <<'PY'
import select, socket, sys, time
path, held = sys.argv[1], []
for _ in range(410):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    held.append(s)
time.sleep(1)
r, _, _ = select.select(held, [], [], 1)
closed = sum(1 for s in r if s.recv(1) == b"")
print(len(held) - closed)
for s in held:
    s.close()
PY
is "$(cat "$T/share")" 400 "one uid opening 410 idle connections keeps 400; the others are closed at once"
sleep 0.5
printf '%s' '3:hi
,0:,' > "$T/again"; printf '6:Fa@b\0\0,' >> "$T/again"
got=$(python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(open(sys.argv[2],"rb").read()); print(s.recv(16).decode().strip())' "$H/queued/socket" "$T/again")
is "$got" 0 "after they close, a message is taken again"

ok "$(kill -0 $qpid; echo $?)" "queued still runs"
is "$(ls "$Q/todo" | wc -l)" 5 "todo/ holds the 5 messages answered 0"
python3 "$top/tests/lib/queuecheck.py" leftovers "$Q" 23 > "$T/check"
while IFS='|' read -r name bad; do is "$bad" "" "$name (every refused message's files are gone)"; done < "$T/check"
bad=0
for f in "$Q"/todo/*; do
  id=${f##*/}
  head -n 1 "$Q/mess/$((id % 23))/$id" | grep -Eq "^Received: \(qmail [0-9]+ invoked by uid $(id -u)\); " || bad=1
  [ "$(tr '\0' '\n' < "$f" | head -n 1)" = "u$(id -u)" ] || bad=1
done
is "$bad" 0 "each entry has queue's Received line and the client's uid in its u item"
is "$(cat "$T/queued.err")" "" "queued says nothing on stderr"
exec 7>&-
wait $qpid; rc=$?; [ $rc = 0 ] || diag "$(cat "$T/queued.err")"; (exit $rc)
is $? 0 "queued exits 0 at the end of its FIFO"
done_testing
