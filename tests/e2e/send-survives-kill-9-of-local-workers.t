#!/bin/sh
# 1,000 queued messages, for alice and bob in turn, delivered through
# lspawn's long-lived local workers (local -W, one or more per user);
# while they drain, every local worker is killed with kill -9 at random
# moments, again and again. When the queue is empty every message is in
# its Maildir, and a message is there twice only when its worker died
# during its delivery: that delivery was logged as a deferral ("local
# crashed") and retried, never as a success, and never lost. A worker
# killed between jobs costs nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
N=1000
# a kill -9 loses no written data: tmpfs spares the fsyncs, as in
# send-survives-kill-9-during-2000-deliveries.t
[ -z "${TMPDIR:-}" ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] && export TMPDIR=/dev/shm
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_assign
echo 10 > "$H/control/concurrencylocal"

python3 - "$H/bin/queue" "$T" $N <<'PY' || { echo "Bail out! queue failed"; exit 1; }
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
queue, t, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for u in ('alice', 'bob'):
    open('%s/env.%s' % (t, u), 'wb').write(b'Fcarol@example.org\0T%s@example.org\0\0' % u.encode())
def one(i):
    with open('%s/env.%s' % (t, ('alice', 'bob')[i % 2]), 'rb') as e:
        return subprocess.run([queue], input=b'Subject: burst %d\n\nid-%d\n' % (i, i), stdout=e).returncode
with ThreadPoolExecutor(4) as ex:
    bad = [i for i, rc in zip(range(1, n + 1), ex.map(one, range(1, n + 1))) if rc]
sys.exit('queue failed for messages %s' % bad[:10] if bad else 0)
PY
is "$("$H/bin/qstat" | sed -n '2s/.*: //p')" $N "$N messages queued before send starts"
grep -r '^id-' "$H/queue/mess" | sed 's|.*/\([0-9]*\):id-|\1 |' | sort > "$T/ids"

mta_start
kills=0 seen=0
end=$(($(date +%s) + 150))
# 1 to 9 ms between rounds: a drain of 1,000 messages can take well
# under a second here, and rounds 10 to 90 ms apart then saw four kills
while ! queue_empty && [ "$(date +%s)" -lt $end ]; do
  sleep "0.00$(shuf -i 1-9 -n 1)"
  pids=$(pgrep -f "^$H/bin/local -W")
  [ -n "$pids" ] || continue
  seen=1
  kill -9 $pids 2>/dev/null && kills=$((kills + $(echo $pids | wc -w)))
done
# A delivery cut by a kill waits for its retry (seconds to minutes, by
# qmail's schedule; longer under a sanitizer's slowness): once the killing
# stops, ALRM asks send to retry them now, as an administrator would.
end=$(($(date +%s) + 180))
while ! queue_empty && [ "$(date +%s)" -lt $end ]; do mta_alrm; sleep 1; done
ok "$(queue_empty; echo $?)" "the queue empties after workers were killed"
is "$seen" 1 "local workers ran"
diag "$kills workers killed"
ok "$([ $kills -ge 5 ]; echo $?)" "workers were killed again and again ($kills)"

count() { find "$T/u/$1/Maildir/new" -type f | xargs grep -h '^id-' | sed 's/^id-//'; }
{ count alice; count bob; } | sort -n | uniq -c | awk '{ print $2, $1 }' > "$T/got"
sort "$T/got" > "$T/got.s"
is "$(seq 1 $N | sort | join -v 1 - "$T/got.s" | tr '\n' ' ')" "" "no message is missing"
is "$(count alice | awk '$1 % 2' | wc -l)" 0 "alice got only her messages"
is "$(count bob | awk '!($1 % 2)' | wc -l)" 0 "bob got only his"
dups=$(awk '$2 > 1 { n += $2 - 1 } END { print n + 0 }' "$T/got")
crashed=$(grep -c ': deferral: local_crashed' "$T/log")
diag "$dups duplicate deliveries, $crashed deliveries deferred as crashed"
# the messages whose delivery was deferred because its worker died
awk '
  /^starting delivery / { n = $3; sub(":", "", n); msg[n] = $5; next }
  /^delivery [0-9]+: deferral: local_crashed/ { n = $2; sub(":", "", n); print msg[n] }
' "$T/log" | sort -u > "$T/crashed"
join "$T/crashed" "$T/ids" | awk '{ print $2 }' | sort > "$T/crashed.ids"
awk '$2 > 1 { print $1 }' "$T/got" | sort > "$T/dup.ids"
is "$(join -v 1 "$T/dup.ids" "$T/crashed.ids" | tr '\n' ' ')" "" "every duplicate is a delivery whose worker died during it"
ok "$([ "$dups" -le "$crashed" ]; echo $?)" "no more duplicates ($dups) than deliveries cut by a kill ($crashed)"
mta_stop
done_testing
