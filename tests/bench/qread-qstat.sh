#!/bin/bash
# qread-qstat.sh: how long qread and qstat take on a queue of 100,000
# messages (not part of make test). Builds an instance, writes the entries
# directly in queue(5)'s format (90% preprocessed with local/ and remote/
# and a done recipient, 10% still in todo/), then times each program.
#   usage: tests/bench/qread-qstat.sh [N]     (N messages, default 100000)
# The instance goes under $TMPDIR (default /tmp). Writing 400,000 small
# files can take minutes on a slow disk; TMPDIR=/dev/shm builds the queue
# in memory, which measures qread and qstat with every inode cached.
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
N=${1:-100000}
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

echo "writing $N queue entries (split $split) ..."
python3 - "$Q" "$N" "$split" <<'PY'
import os, sys
q, n, split = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = b"Received: (qmail 1 invoked by uid 0); 1 Jan 2026 00:00:00 -0000\nSubject: bench\n\n" + b"x" * 400 + b"\n"
def put(fn, data):
    fd = os.open(fn, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, data)
    os.close(fd)
for i in range(n):
    id = 1000000 + i
    b = id % split
    put(f"{q}/mess/{b}/{id}", body)
    if i % 10 == 9:
        put(f"{q}/intd/{id}", b"u0\0p1\0Fs%d@example.org\0Tr%d@example.net\0Tl%d@localhost\0" % (i, i, i))
        os.link(f"{q}/intd/{id}", f"{q}/todo/{id}")
    else:
        put(f"{q}/info/{b}/{id}", b"Fs%d@example.org\0" % i)
        put(f"{q}/local/{b}/{id}", b"Tl%d@localhost\0" % i)
        put(f"{q}/remote/{b}/{id}", b"Dr%d@example.net\0Tq%d@example.com\0" % (i, i))
PY

# Wall-clock seconds, and CPU seconds (user + system), which stay honest
# on a machine busy with other work.
timeit() { # timeit NAME CMD...
  local name=$1; shift
  local TIMEFORMAT="%R %U %S" t
  t=$( { time "$@" > "$T/out" 2> "$T/err"; } 2>&1 ) || echo "$name: failed: $(cat "$T/err")" >&2
  set -- $t
  printf '%-22s %6.2f s wall  %6.2f s cpu\n' "$name" "$1" "$(echo "$2 + $3" | bc)"
}
sync
timeit "qread (first run)" "$H/bin/qread"
echo "  $(grep -c '^[^ 	]' "$T/out") messages, $(wc -l < "$T/out") lines"
timeit "qread (second run)" "$H/bin/qread"
timeit "qstat (first run)" "$H/bin/qstat"
sed 's/^/  /' "$T/out"
timeit "qstat (second run)" "$H/bin/qstat"
