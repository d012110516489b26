#!/bin/sh
# Bad input on the delivery side defers, never loses a message: a .qmail
# that cannot be read, a .qmail line that is none of dot-qmail(5)'s forms,
# a users/assign entry whose home directory is missing. For each, send
# logs a deferral that names the problem, the message stays queued (qread
# lists the recipient) and nothing bounces; once the problem is fixed, ALRM
# gets the message delivered, exactly once. (A full disk: see
# send-defers-full-disk-until-space-is-freed.t.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_user dave
mta_assign
a=$T/u/alice
# An unreadable .qmail: chmod 000 stops nobody when the instance runs as
# root (as in CI; a single-user build runs local as its builder), so there
# the .qmail is a directory, which open(2) accepts and read(2) refuses
# with EISDIR: the same path through local as a permission error.
if [ "$(id -u)" = 0 ]; then
  mkdir "$a/.qmail-unreadable"; unreadable='Is_a_directory'
else
  echo ./Maildir/ > "$a/.qmail-unreadable"; chmod 000 "$a/.qmail-unreadable"; unreadable='Permission_denied'
fi
printf './Maildir/\n~ what is this?\n' > "$a/.qmail-badline"
mv "$T/u/dave" "$T/dave.away"
mta_start
send() { printf 'Subject: %s\n\nbody\n' "$1" | "$H/bin/inject" -f carol@example.org "$1@example.org"; }

send alice-unreadable
send alice-badline
send dave
log_deferral() { # log_deferral WHAT ERE: the delivery to WHAT@ was deferred with ERE in its text
  d=$(sed -n "s/^starting delivery \([0-9]*\): msg [0-9]* to local $1@example.org\$/\1/p" "$T/log" | head -1)
  [ -n "$d" ] && wait_for 10 log_has "^delivery $d: deferral: .*$2"
}
log_deferral alice-unreadable "\\.qmail-unreadable.*$unreadable"
ok $? "an unreadable .qmail: deferral naming the file and the error ($unreadable)"
log_deferral alice-badline '\.qmail-badline_line_2_is_not_a_delivery_instruction'
ok $? "a line that is none of the forms: deferral naming the file and the line"
log_deferral dave "$T/u/dave.*No_such_file_or_directory"
ok $? "a missing home: deferral naming the directory and the error"
for r in alice-unreadable alice-badline dave; do
  queued "$r@example.org"
  ok $? "qread still lists $r@example.org"
done
is "$("$H/bin/qstat" | sed -n '1s/.*: //p')" 3 "qstat counts the three messages"
is "$(count_new alice)$(count_new carol)" 00 "nothing delivered, nothing bounced"

# fix each problem, ALRM, and every message is delivered once
rmdir "$a/.qmail-unreadable" 2>/dev/null || rm -f "$a/.qmail-unreadable"
echo ./Maildir/ > "$a/.qmail-unreadable"
echo ./Maildir/ > "$a/.qmail-badline"
mv "$T/dave.away" "$T/u/dave"
mta_alrm
wait_for 15 queue_empty
ok $? "after the fixes and ALRM the queue empties"
is "$(count_new alice)" 2 "alice gets her two messages"
is "$(grep -h '^Subject: ' "$a"/Maildir/new/* | sort | tr '\n' ' ')" "Subject: alice-badline Subject: alice-unreadable " "  one of each"
is "$(count_new dave)" 1 "dave gets his"
is "$(count_new carol)" 0 "nothing bounced"
mta_stop
is "$(grep -c ': failure: ' "$T/log")" 0 "log: no delivery failed for good"
done_testing
