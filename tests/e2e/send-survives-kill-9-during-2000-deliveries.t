#!/bin/sh
# 2,000 queued messages for alice, each with a unique id in its body;
# while send delivers them, kill -9 send and its helpers (lspawn, clean,
# every local), then start again. When the queue is empty every message
# is in alice's Maildir at least once, and a message is there twice only
# when its delivery was in flight at the kill: started without a logged
# result, or the one result logged just before the kill (send logs a
# result, then marks the recipient done). Their number is at most
# concurrencylocal plus that one.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
N=2000
# A kill -9 of processes loses no written data, so the instance may live on
# a tmpfs, where fsync costs nothing: 2,000 messages go in and out in
# seconds instead of a minute on a busy disk.
[ -z "${TMPDIR:-}" ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] && export TMPDIR=/dev/shm
instance_new
mta_domain example.org
mta_user alice
mta_assign
conc=10
echo $conc > "$H/control/concurrencylocal"

printf 'Fcarol@example.org\0Talice@example.org\0\0' > "$T/env"
# queue once per message, four at a time as many clients would; from
# python, whose vfork-based spawning is far cheaper than a shell's forks
python3 - "$H/bin/queue" "$T/env" $N <<'PY' || { echo "Bail out! queue failed"; exit 1; }
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
queue, env, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def one(i):
    with open(env, 'rb') as e:
        return subprocess.run([queue], input=b'Subject: burst %d\n\nid-%d\n' % (i, i), stdout=e).returncode
with ThreadPoolExecutor(4) as ex:
    bad = [i for i, rc in zip(range(1, n + 1), ex.map(one, range(1, n + 1))) if rc]
sys.exit('queue failed for messages %s' % bad[:10] if bad else 0)
PY
is "$("$H/bin/qstat" | sed -n '2s/.*: //p')" $N "$N messages queued before send starts"
# queue id (inode of mess/B/ID) -> body id, to read the log against the Maildir
grep -r '^id-' "$H/queue/mess" | sed 's|.*/\([0-9]*\):id-|\1 |' | sort > "$T/ids"
is "$(wc -l < "$T/ids")" $N "each has its id in its body"

mta_start
atleast() { [ "$(count_new alice)" -ge "$1" ]; }
wait_for 30 atleast 100
ok $? "deliveries are under way"
pkill -9 -f "^$H/bin/"
wait "$MTA_PID" 2>/dev/null
sleep 0.2
is "$(pgrep -f "^$H/bin/" | wc -l)" 0 "kill -9 left no send, lspawn, clean or local"
at_kill=$(count_new alice)
cp "$T/log" "$T/log.before"
diag "$at_kill of $N delivered at the kill"
ok "$([ "$at_kill" -lt $N ]; echo $?)" "the kill came in the middle of the burst"

mta_start
wait_for 60 queue_empty
ok $? "after the restart the queue empties"
is "$(count_new alice)" "$(find "$T/u/alice/Maildir/new" -type f | xargs grep -h '^id-' | wc -l)" "every delivered file is complete"
find "$T/u/alice/Maildir/new" -type f | xargs grep -h '^id-' | sed 's/^id-//' | sort -n | uniq -c | awk '{ print $2, $1 }' > "$T/got"
sort "$T/got" > "$T/got.s"
missing=$(seq 1 $N | sort | join -v 1 - "$T/got.s" | tr '\n' ' ')
is "$missing" "" "no message is missing"
dups=$(awk '$2 > 1 { n += $2 - 1 } END { print n + 0 }' "$T/got")

# in flight at the kill: starts with no result in the log before the kill,
# and the last line when it is a result
awk '
  /^starting delivery / { n = $3; sub(":", "", n); msg[n] = $5; next }
  /^delivery / { n = $2; sub(":", "", n); last = msg[n]; delete msg[n]; lastline = NR; next }
  END { for (n in msg) print msg[n]; if (lastline == NR && last != "") print last }
' "$T/log.before" | sort -u > "$T/inflight"
join "$T/inflight" "$T/ids" | awk '{ print $2 }' | sort > "$T/inflight.ids"
diag "$(wc -l < "$T/inflight") deliveries in flight at the kill; $dups duplicate deliveries"
awk '$2 > 1 { print $1 }' "$T/got" | sort > "$T/dup.ids"
is "$(join -v 1 "$T/dup.ids" "$T/inflight.ids" | tr '\n' ' ')" "" "every duplicate was in flight at the kill"
ok "$([ "$dups" -le $((conc + 1)) ]; echo $?)" "duplicates ($dups) at most concurrencylocal + 1 ($((conc + 1)))"
mta_stop
done_testing
