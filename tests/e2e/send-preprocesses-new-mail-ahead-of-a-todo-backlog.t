#!/bin/sh
# A new message does not wait behind a large todo/ backlog: with 1,500
# entries in todo/ when send starts and clean slowed down (so that send,
# which preprocesses far faster, could get far ahead of it), a message
# queued once the backlog's deliveries are under way is delivered after
# fewer than 200 backlog entries have left todo/: send keeps at most a
# window of 64 requests to clean unanswered, so the new entry's request
# never queues behind the whole backlog's (without the window, 1,268 of
# 1,463 went first). Then the backlog is delivered in full.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
N=1500
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_assign

mta_backlog $N alice@example.org
# clean made slow (10 ms a request, a very busy disk), so that send,
# which preprocesses far faster, could get far ahead of it
mv "$H/bin/clean" "$H/bin/clean.real"
cat > "$H/bin/clean" <<PY
#!/usr/bin/python3
import os, subprocess, time
real = subprocess.Popen(["$H/bin/clean.real"], stdin=subprocess.PIPE)
buf = b""
while True:
    chunk = os.read(0, 4096)
    if not chunk:
        break
    buf += chunk
    while b"\0" in buf:
        req, buf = buf.split(b"\0", 1)
        time.sleep(0.01)
        real.stdin.write(req + b"\0")
        real.stdin.flush()
real.stdin.close()
real.wait()
PY
chmod 755 "$H/bin/clean"
todo() { ls "$H/queue/todo" | wc -l; }
is "$(todo)" $N "$N entries wait in todo/ before send starts"

mta_start
# the backlog under way: send has read all of todo/ and works through it
atleast() { [ "$(count_new alice)" -ge "$1" ]; }
wait_for 60 atleast 30
ok $? "the backlog's deliveries are under way"
before=$(todo)
printf 'Subject: new\n\nnew\n' | "$H/bin/inject" -f a@example.org bob@example.org
ok $? "a new message is queued while the backlog drains"
wait_for 60 count_is bob 1
ok $? "the new message is delivered"
after=$(todo)
diag "todo/ held $before entries when it was queued, $after when it was delivered"
ok "$([ $((before + 1 - after)) -lt 200 ]; echo $?)" "it waited for at most a window of the backlog's requests to clean ($((before + 1 - after)) todo/ entries removed meanwhile)"
wait_for 120 count_is alice $N
ok $? "the whole backlog is delivered afterwards"
wait_for 30 queue_empty
ok $? "and the queue empties"
mta_stop
done_testing
