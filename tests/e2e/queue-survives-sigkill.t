#!/bin/bash
# queue-survives-sigkill: a few thousand messages go in through eight
# parallel writers while a loop sends SIGKILL to a running queue of this
# instance (found by its program path) at random moments. Afterwards:
#   - every todo/ entry is complete: its items scan to the end,
#     intd/ is the same file, mess/ is the Received line + the whole message;
#   - every message whose queue exited 0 is in todo/ exactly once (each
#     message carries a unique X-Crash-Id), and none is there twice;
#   - leftovers (pid/ files, mess/ or intd/ without todo/) come only from
#     killed runs, at most one set per run;
#   - clean removes them: stale pid/ files by age, the rest on request
#     (foop/ID), answering + to each, and leaves only well-formed spares;
#   - pid/ starts with 128 spares longer than any message, which the
#     first writers write over: no entry keeps a spare's old bytes.
# Injection stops after CAIRN_CRASH_SECONDS (default 25) even if not all
# CAIRN_CRASH_N (default 3000) messages were tried, to stay under a minute.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
N=${CAIRN_CRASH_N:-3000}
W=${CAIRN_CRASH_WRITERS:-8}
uid=$(id -u)
# Inputs on a tmpfs when there is one: creating thousands of small files on
# a disk busy with fsyncs is slower than the test itself.
IN=$(mktemp -d /dev/shm/cairn-crash.XXXXXX 2>/dev/null) || { IN=$T/in; mkdir "$IN"; }
at_exit "rm -rf '$IN'"

# Messages: a unique id in a header, bodies of 0 to 8 KiB, every 16th
# 128 KiB so that kills also land in the middle of long writes.
python3 - "$IN" "$N" <<'PY'
import random, sys
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
block = bytes(rnd.getrandbits(8) for _ in range(65536)) * 3
for k in range(1, n + 1):
    size = 131072 if k % 16 == 0 else rnd.randrange(8192)
    off = rnd.randrange(65536)
    open("%s/%d.msg" % (d, k), "wb").write(b"X-Crash-Id: %d\nSubject: crash %d\n\n" % (k, k) + block[off:off + size])
    env = b"Fcrash-%d@example.org\0" % k + b"".join(b"Tr%d-%d@example.net\0" % (k, r) for r in range(k % 3 + 1)) + b"\0"
    open("%s/%d.env" % (d, k), "wb").write(env)
PY

# Spares (queue files clean recycled, spare.h), each longer than any
# message and holding no entry's bytes: the first writers take them, and
# the checks below find every entry exactly its message, with none of a
# spare's old bytes after it.
python3 -c 'import sys
for k in range(128): open("%s/spare.%d" % (sys.argv[1], k), "wb").write(b"Z" * 140000)' "$Q/pid"

# writer I: attempts I, I+W, I+2W, ... until N or the deadline; one line
# "K PID EXIT" per attempt.
writer() {
  local k=$1 p rc
  while [ "$k" -le "$N" ] && [ "$EPOCHSECONDS" -lt "$stop_at" ]; do
    "$H/bin/queue" < "$IN/$k.msg" 1< "$IN/$k.env" 2>/dev/null &
    p=$!
    wait $p; rc=$?
    echo "$k $p $rc" >> "$T/runs.$1"
    k=$((k + W))
  done
}
# killer: every 0 to 30 ms, SIGKILL to one of the running queues of this
# instance, found by its program path. In python3, because here a fork
# costs milliseconds: a pkill loop would kill ten times less often.
killer() {
  python3 - "$H/bin/queue" "$T/stop" "$T/kills" <<'PY'
import os, random, signal, sys, time
prog, stop, out = sys.argv[1].encode() + b"\0", sys.argv[2], sys.argv[3]
rounds = kills = 0
open(stop + ".ready", "w").close()
while not os.path.exists(stop):
    time.sleep(random.random() * 0.03)
    rounds += 1
    running = []
    for p in os.listdir("/proc"):
        try:
            if p.isdigit() and open("/proc/%s/cmdline" % p, "rb").read() == prog:
                running.append(int(p))
        except OSError:
            pass
    if running:
        try:
            os.kill(random.choice(running), signal.SIGKILL)
            kills += 1
        except OSError:
            pass
open(out, "w").write("%d signals in %d rounds\n" % (kills, rounds))
PY
}

killer & kpid=$!
for i in $(seq 300); do [ -e "$T/stop.ready" ] && break; sleep 0.1; done
stop_at=$((EPOCHSECONDS + ${CAIRN_CRASH_SECONDS:-25}))
wpids=
for i in $(seq 1 $W); do writer "$i" 2>/dev/null & wpids="$wpids $!"; done
wait $wpids
touch "$T/stop"; wait $kpid
cat "$T"/runs.* > "$T/runs"
attempts=$(wc -l < "$T/runs")
diag "$attempts attempts in $((EPOCHSECONDS - stop_at + ${CAIRN_CRASH_SECONDS:-25})) s; killer: $(cat "$T/kills")"
ok "$([ "$attempts" -ge 200 ]; echo $?)" "at least 200 attempts were made ($attempts)"
taken=$((128 - $(ls "$Q/pid" | grep -c '^spare\.')))
ok "$([ "$taken" -ge 2 ]; echo $?)" "writers took the spares in pid/ ($taken of 128)"
killed=$(awk '$3 == 137' "$T/runs" | wc -l)
ok "$([ "$killed" -ge 10 ]; echo $?)" "at least 10 runs were killed ($killed)"

# The queue, checked by one python3 process.
report() { # turns queuecheck.py's lines into TAP
  while IFS='|' read -r name bad; do
    if [ "$name" = diag ]; then diag "$bad"; else is "$bad" "" "$name"; fi
  done < "$1"
}
python3 "$top/tests/lib/queuecheck.py" crash "$Q" 23 "$uid" "$IN" "$T/runs" "$T/leftovers" > "$T/check"
ok $? "the queue checker ran"
report "$T/check"
todo_before=$(ls "$Q/todo" | wc -l)

# clean removes the leftovers: pid/ files by age (older than 36 hours), the
# mess/ and intd/ files on send's request foop/ID.
if [ -x "$T/bin/clean" ]; then
  npid=$(ls "$Q/pid" | wc -l) nleft=$(wc -l < "$T/leftovers")
  (cd "$Q/pid" && for f in *; do [ -e "$f" ] && touch -d '2 days ago' "$f"; done)
  while read -r id; do printf 'foop/%s\0' "$id"; done < "$T/leftovers" > "$T/requests"
  "$T/bin/clean" < "$T/requests" > "$T/answers" 2> "$T/clean.err"
  is $? 0 "clean exits 0 at the end of its requests"
  is "$(cat "$T/answers")" "$(printf "%${nleft}s" '' | tr ' ' '+')" "clean answers + to each of the $nleft requests"
  is "$(cat "$T/clean.err")" "" "clean says nothing on stderr"
  python3 "$top/tests/lib/queuecheck.py" leftovers "$Q" 23 > "$T/check"
  ok $? "the leftover checker ran"
  report "$T/check"
  is "$(ls "$Q/todo" | wc -l)" "$todo_before" "clean left every todo/ entry alone"
  diag "leftovers removed by clean: $npid pid/ files by age, $nleft mess/intd entries on request"
else
  pass "clean removes the leftovers # SKIP no clean program in this build"
fi
done_testing
