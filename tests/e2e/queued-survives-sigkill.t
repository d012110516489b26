#!/bin/bash
# queued-survives-sigkill: eight client processes send a few thousand
# messages to queued, one connection each, while queued is killed with
# SIGKILL at random moments and started again at once (the new one
# renames its socket over the old name). Afterwards:
#   - every todo/ entry is complete: its items scan to the end, intd/ is
#     the same file, mess/ is the Received line naming the client's pid
#     and uid + the whole message;
#   - every message answered 0 is in todo/ exactly once, none twice;
#   - a client whose connection broke got no answer ("lost": callers
#     report 81, temporary), one that found no queued could not connect;
#   - clean removes the leftovers (pid/ files by age, mess/ and intd/
#     without todo/ on request), answering + to each;
#   - pid/ starts with 128 spares longer than any message, which queued
#     writes over: no entry keeps a spare's old bytes.
# Sending stops after CAIRN_CRASH_SECONDS (default 20).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
command -v python3 > /dev/null || skip_all "needs python3"
instance_new
Q=$H/queue
N=${CAIRN_CRASH_N:-3000}
IN=$(mktemp -d /dev/shm/cairn-qdcrash.XXXXXX 2>/dev/null) || { IN=$T/in; mkdir "$IN"; }
at_exit "rm -rf '$IN'"

python3 - "$IN" "$N" <<'PY'
import random, sys
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(8)
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

# The clients, the killer and queued's restarts in one python3 process
# (forks of the shell cost milliseconds here). Each client sends its
# message in netstrings of 8192 bytes, as qqclient does.
python3 - "$H/bin/queued" "$H/queued/socket" "$IN" "$N" "${CAIRN_CRASH_SECONDS:-20}" "$T/runs" "$T/kills" <<'PY'
import os, random, signal, socket, subprocess, sys, time
prog, path, indir, n, secs, runsfn, killsfn = sys.argv[1:8]
n, secs, W = int(n), float(secs), 8

def start():
    p = subprocess.Popen([prog], stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p

def ns(b):
    return b"%d:" % len(b) + b + b","

def client(i, stop_at):
    out = open("%s.%d" % (runsfn, i), "w")
    for k in range(i, n + 1, W):
        if time.time() >= stop_at:
            break
        msg = open("%s/%d.msg" % (indir, k), "rb").read()
        env = open("%s/%d.env" % (indir, k), "rb").read()
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
        except OSError:
            out.write("%d %d down\n" % (k, os.getpid()))
            s.close()
            time.sleep(0.01)
            continue
        rc = "lost"
        try:
            for o in range(0, len(msg), 8192):
                s.sendall(ns(msg[o:o + 8192]))
            s.sendall(b"0:," + ns(env))
            got = b""
            while not got.endswith(b"\n"):
                b = s.recv(16)
                if not b:
                    break
                got += b
            if got.endswith(b"\n"):
                rc = got.decode().strip()
        except OSError:
            pass
        s.close()
        out.write("%d %d %s\n" % (k, os.getpid(), rc))
    out.close()

q = start()
for _ in range(100):
    if os.path.exists(path):
        break
    time.sleep(0.05)
stop_at = time.time() + secs
kids = []
for i in range(1, W + 1):
    pid = os.fork()
    if pid == 0:
        try:
            client(i, stop_at)
        finally:
            os._exit(0)
    kids.append(pid)
kills = 0
rnd = random.Random(9)
while time.time() < stop_at:
    time.sleep(rnd.random() * 0.3)
    q.kill()
    q.wait()
    kills += 1
    q = start()
for pid in kids:
    os.waitpid(pid, 0)
q.stdin.close()
q.wait()
open(killsfn, "w").write("%d\n" % kills)
PY
cat "$T"/runs.* > "$T/runs"
attempts=$(wc -l < "$T/runs")
kills=$(cat "$T/kills")
answered=$(awk '$3 == "0"' "$T/runs" | wc -l)
lost=$(awk '$3 == "lost"' "$T/runs" | wc -l)
diag "$attempts attempts, $kills kills of queued, $answered answered 0, $lost connections lost"
ok "$([ "$attempts" -ge 200 ]; echo $?)" "at least 200 attempts were made ($attempts)"
taken=$((128 - $(ls "$Q/pid" | grep -c '^spare\.')))
ok "$([ "$taken" -ge 2 ]; echo $?)" "writers took the spares in pid/ ($taken of 128)"
ok "$([ "$kills" -ge 10 ]; echo $?)" "queued was killed at least 10 times ($kills)"
ok "$([ "$lost" -ge 10 ]; echo $?)" "at least 10 clients lost their connection before an answer ($lost)"
ok "$([ "$answered" -ge 100 ]; echo $?)" "at least 100 messages were answered 0 ($answered)"

report() {
  while IFS='|' read -r name bad; do
    if [ "$name" = diag ]; then diag "$bad"; else is "$bad" "" "$name"; fi
  done < "$1"
}
python3 "$top/tests/lib/queuecheck.py" queued "$Q" 23 "$(id -u)" "$IN" "$T/runs" "$T/leftovers" > "$T/check"
ok $? "the queue checker ran"
report "$T/check"
todo_before=$(ls "$Q/todo" | wc -l)

npid=$(ls "$Q/pid" | wc -l) nleft=$(wc -l < "$T/leftovers")
(cd "$Q/pid" && for f in *; do [ -e "$f" ] && touch -d '2 days ago' "$f"; done)
while read -r id; do printf 'foop/%s\0' "$id"; done < "$T/leftovers" > "$T/requests"
"$T/bin/clean" < "$T/requests" > "$T/answers" 2> "$T/clean.err"
is $? 0 "clean exits 0 at the end of its requests"
is "$(cat "$T/answers")" "$(printf "%${nleft}s" '' | tr ' ' '+')" "clean answers + to each of the $nleft requests"
python3 "$top/tests/lib/queuecheck.py" leftovers "$Q" 23 > "$T/check"
ok $? "the leftover checker ran"
report "$T/check"
is "$(ls "$Q/todo" | wc -l)" "$todo_before" "clean left every todo/ entry alone"
diag "leftovers removed by clean: $npid pid/ files by age, $nleft mess/intd entries on request"
done_testing
