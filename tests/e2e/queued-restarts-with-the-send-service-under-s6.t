#!/bin/sh
# queued-restarts-with-the-send-service-under-s6: the send service
# (package/service/send) under s6-svscan runs start, which runs queued
# beside send. s6-svc -t (TERM to send) ends send; queued, whose pipe
# from send is then closed, exits too; s6 runs start again, whose new
# queued renames its socket over the old name. Each time mail injected
# with bin/queue not executable is accepted and delivered, so queued
# took it. s6-svc -d leaves no queued running.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
for p in s6-svscan s6-svscanctl s6-svc s6-envdir s6-log; do
  command -v $p > /dev/null || skip_all "needs $p"
done
instance_new
mta_domain example.org
mta_user joe
mta_assign
mkdir "$T/scan"
cp -R "$top/package/service/send" "$T/scan/send"
mkdir -p "$T/scan/send/env" "$T/scan/send/log/env"
echo "$H" > "$T/scan/send/env/CAIRN_HOME"
echo "$T/logdir" > "$T/scan/send/log/env/LOGDIR"
id -un > "$T/scan/send/log/env/LOGUSER"
s6-svscan "$T/scan" > "$T/svscan.out" 2>&1 &
SVSCAN=$!
at_exit "s6-svscanctl -t '$T/scan' 2>/dev/null; sleep 0.5; kill $SVSCAN 2>/dev/null; pkill -9 -f '^$H/bin/' 2>/dev/null"

queuedpids() { for p in $(pgrep -x queued); do [ "$(readlink /proc/$p/exe)" = "$H/bin/queued" ] && echo $p; done; }
sock() { stat -c %i "$H/queued/socket" 2>/dev/null; }
# for wait_for, which runs its arguments again and again
queued_runs() { [ -n "$(queuedpids)" ]; }
queued_gone() { [ -z "$(queuedpids)" ]; }
queued_new() { p=$(queuedpids); [ -n "$p" ] && [ "$p" != "$old" ]; }
sock_new() { [ -n "$(sock)" ] && [ "$(sock)" != "$oldsock" ]; }
wait_for 20 queued_runs
ok $? "the send service runs queued"
wait_for 10 test -S "$H/queued/socket"
old=$(queuedpids) oldsock=$(sock)
chmod 0 "$H/bin/queue"
printf 'Subject: one\n\none\n' | "$H/bin/inject" joe@example.org
is $? 0 "inject is accepted with bin/queue not executable"
wait_for 10 count_is joe 1
ok $? "and delivered"

s6-svc -t "$T/scan/send"
wait_for 10 sh -c "! kill -0 $old 2>/dev/null"
ok $? "after s6-svc -t, the old queued ($old) exits"
wait_for 20 queued_new
ok $? "s6 restarts start, which runs a new queued ($(queuedpids))"
wait_for 10 sock_new
ok $? "the new queued's socket replaced the old name"
printf 'Subject: two\n\ntwo\n' | "$H/bin/inject" joe@example.org
is $? 0 "inject is accepted by the new queued"
wait_for 10 count_is joe 2
ok $? "and delivered"
chmod 755 "$H/bin/queue"

s6-svc -d "$T/scan/send"
wait_for 10 queued_gone
ok $? "s6-svc -d leaves no queued running"
done_testing
