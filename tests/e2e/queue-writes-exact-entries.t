#!/bin/bash
# queue-writes-exact-entries: 200 messages injected with $H/bin/queue
# (empty, 1 MB, binary bytes with NULs, text, many recipients, longest
# address) each become exactly one queue entry in qmail's format:
#   mess/(ID%23)/ID  = "Received: (qmail PID invoked by uid UID); DATE\n" + input
#   todo/ID          = "u" UID NUL "p" PID NUL + the envelope given without
#                      its final NUL (qmail-queue copies the items only)
#   intd/ID          = the same inode as todo/ID
# with ID the inode of the mess file, modes 0644, nothing left in pid/, and
# one trigger byte per message for a reader of lock/trigger.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C TZ=UTC
instance_new
Q=$H/queue
N=200
uid=$(id -u)
mkdir "$T/in"

# Inputs, made in one python3 process (forks are slow here). Message i's
# size and kind vary with i; a few are special.
python3 - "$T/in" $N <<'PY'
import os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(2)
long = b"L" * 1000
for i in range(1, n + 1):
    if i == 1: m = b""                                   # empty
    elif i == 2: m = os.urandom(1048576)                 # 1 MB binary
    elif i == 3: m = b"no final newline"
    elif i == 4: m = b"\0\0\0"                          # NULs only
    elif i % 3 == 0:
        m = b"Subject: message %d\n\n" % i + b"".join(b"%d\n" % k for k in range(1, i * 7 + 1))
    else: m = bytes(rnd.getrandbits(8) for _ in range((i * i * 37) % 30000 + 1))
    if i == 5: e = b"Fbulk@example.org\0" + b"".join(b"Trcpt-%d@example.net\0" % r for r in range(1, 2001)) + b"\0"
    elif i == 6: e = b"F\0Tdouble@example.org\0\0"        # bounce: empty sender
    elif i == 7: e = b"F" + long + b"\0T" + long + b"\0\0"  # 1000-byte addresses
    elif i == 8: e = b"Fs@x\0\0"                           # zero recipients
    elif i == 9: e = "F\u00e9t\u00e9@example.org\0T r@x\0\0".encode()  # 8-bit, space
    else: e = b"Fsender-%d@example.org\0" % i + b"".join(b"Tr%d-%d@example.com\0" % (i, r) for r in range(1, i % 5 + 2)) + b"\0"
    open("%s/%d.msg" % (d, i), "wb").write(m)
    open("%s/%d.env" % (d, i), "wb").write(e)
PY

# A reader of the trigger FIFO, held open read-write so that it never sees
# end of file between two writers.
exec 3<>"$Q/lock/trigger"

# Inject, four at a time; remember each run's pid, exit code and the
# seconds it ran in.
for i in $(seq 1 4 $N); do
  before=$EPOCHSECONDS pids=
  for j in $(seq $i $((i + 3))); do
    "$H/bin/queue" < "$T/in/$j.msg" 1< "$T/in/$j.env" 2> "$T/in/$j.err" &
    pids="$pids $j:$!"
  done
  for jp in $pids; do
    wait ${jp#*:}; rc=$?
    echo "${jp%:*} ${jp#*:} $rc $before $EPOCHSECONDS" >> "$T/runs"
  done
done
is "$(cat "$T"/in/*.err)" "" "queue printed nothing on stderr"

# Every entry, byte for byte (one python3 process reads them all).
python3 "$top/tests/lib/queuecheck.py" exact "$Q" 23 "$uid" "$T/in" "$T/runs" > "$T/check"
ok $? "the queue checker ran"
while IFS='|' read -r name bad; do is "$bad" "" "$name"; done < "$T/check"

# Spot checks a reader can see at a glance.
# idof I: the queue id of run I, from the p item of its todo/ file.
idof() {
  local i p rest f
  while read -r i p rest; do [ "$i" = "$1" ] && break; done < "$T/runs"
  f=$(grep -lzx "p$p" "$Q"/todo/*); echo "${f##*/}"
}
id=$(idof 1)
like "$(cat "$Q/mess/$((id % 23))/$id")" "^Received: \(qmail [0-9]+ invoked by uid $uid\); [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} -0000$" \
  "the empty message's file is the Received line alone"
id=$(idof 2)
is "$(stat -c %s "$Q/mess/$((id % 23))/$id")" $((1048576 + $(head -n 1 "$Q/mess/$((id % 23))/$id" | wc -c))) "the 1 MB message is stored whole"
id=$(idof 5)
is "$(tr -cd '\0' < "$Q/todo/$id" | wc -c)" $((2 + 1 + 2000)) "2000-recipient todo file: u, p, F and 2000 T items, each ending in NUL"
is "$(tail -c 2 "$Q/todo/$id" | od -An -tx1)" " 74 00" \
  "it ends with the last recipient's t NUL: no empty item for the envelope's final NUL (as qmail-queue)"

# One trigger byte (a NUL) per message.
trig=$(dd bs=65536 count=1 iflag=nonblock <&3 2>/dev/null | od -An -v -tx1 | tr -s ' \n' ' ')
is "$(echo $trig | wc -w)" $N "the trigger FIFO got $N bytes"
is "$(echo $trig | tr ' ' '\n' | grep -cv '^00$')" 0 "every trigger byte is NUL"
exec 3<&-

# Without a reader, queue does not wait for one.
printf 'x\n' > "$T/m"; printf 'Fa@b\0Tc@d\0\0' > "$T/e"
timeout 10 "$H/bin/queue" < "$T/m" 1< "$T/e"
is $? 0 "with nobody reading lock/trigger, queue still exits 0 at once"
done_testing
