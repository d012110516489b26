#!/bin/sh
# A user's home on a full filesystem (a small tmpfs, filled up): the
# Maildir delivery fails with "No space left on device", send logs a
# deferral saying so, the message stays queued and nothing is left in
# Maildir/tmp; once space is freed, ALRM gets it delivered, exactly once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root: mounts a tmpfs as the user's home"
instance_new
mta_domain example.org
mta_user erin
mta_user carol
mta_assign
e=$T/u/erin
mount -t tmpfs -o size=1m,mode=0755 cairn-test "$e" || { echo "Bail out! cannot mount a tmpfs on $e"; exit 1; }
at_exit "umount '$e'"
mkdir -p "$e/Maildir/new" "$e/Maildir/cur" "$e/Maildir/tmp"
dd if=/dev/zero of="$e/filler" bs=4096 2>/dev/null
is "$(df -B1 --output=avail "$e" | tail -n 1 | tr -d ' ')" 0 "erin's home is full"
mta_start

printf 'Subject: no room\n\n%s\n' "$(seq 1 2000)" | "$H/bin/inject" -f carol@example.org erin@example.org
ok $? "inject exits 0 (the queue is elsewhere)"
wait_for 10 log_has '^delivery [0-9]+: deferral: .*No_space_left_on_device'
ok $? "log: a deferral saying No space left on device"
like "$(grep ': deferral: ' "$T/log")" 'Maildir' "  and naming the Maildir"
queued erin@example.org
ok $? "qread still lists erin@example.org"
is "$(find "$e/Maildir" -type f | wc -l)" 0 "nothing in Maildir/new or Maildir/tmp"
is "$(count_new carol)" 0 "no bounce"

rm "$e/filler"
mta_alrm
wait_for 10 queue_empty
ok $? "after freeing space and ALRM the queue empties"
is "$(count_new erin)" 1 "erin gets the message once"
is "$(tail -n 1 "$(find "$e/Maildir/new" -type f | head -1)")" 2000 "the whole message"
is "$(find "$e/Maildir/tmp" -type f | wc -l)" 0 "nothing left in Maildir/tmp"
mta_stop
done_testing
