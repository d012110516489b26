#!/bin/sh
# Mail to postmaster@ and root@ (no users/assign entry; root is never a
# delivery user) goes to the alias user, whose home is conf-home/alias:
# ~alias/.qmail-postmaster and ~alias/.qmail-root forward it to alice.
# The name is matched without regard to case (PostMaster@). An unknown
# name with no ~alias/.qmail-default bounces.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
getent passwd postmaster > /dev/null && skip_all "this system has a postmaster user, which would get postmaster@ before the alias user"
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
echo '&alice@example.org' > "$H/alias/.qmail-postmaster"
echo 'alice@example.org' > "$H/alias/.qmail-root"
mta_start

printf 'Subject: to postmaster\n\npm\n' | "$H/bin/inject" -f carol@example.org postmaster@example.org
printf 'Subject: to root\n\nroot\n' | "$H/bin/inject" -f carol@example.org root@example.org
printf 'Subject: to PostMaster\n\nPM\n' | "$H/bin/inject" -f carol@example.org PostMaster@example.org
wait_for 15 count_is alice 3
ok $? "alice gets the three messages"
wait_for 10 queue_empty
ok $? "the queue empties"
dt() { grep -l "^Subject: $1\$" "$T/u/alice/Maildir/new/"* | head -1 | xargs grep '^Delivered-To: ' | tr '\n' '|'; }
is "$(dt 'to postmaster')" "Delivered-To: alice@example.org|Delivered-To: postmaster@example.org|" "postmaster@ went through ~alias/.qmail-postmaster"
is "$(dt 'to root')" "Delivered-To: alice@example.org|Delivered-To: root@example.org|" "root@ went through ~alias/.qmail-root"
is "$(dt 'to PostMaster')" "Delivered-To: alice@example.org|Delivered-To: PostMaster@example.org|" "PostMaster@ found .qmail-postmaster too"
is "$(ls "$H/alias" | wc -l)" 0 "the alias home holds no delivered mail (no Maildir made there)"

printf 'Subject: to ghost\n\nboo\n' | "$H/bin/inject" -f carol@example.org ghost@example.org
wait_for 10 count_is carol 1
ok $? "an unknown name without ~alias/.qmail-default bounces to the sender"
b=$(find "$T/u/carol/Maildir/new" -type f | head -1)
ok "$(grep -q 'Sorry, no mailbox here by that name. (#5.1.1)' "$b"; echo $?)" "  with qmail's text"
wait_for 10 queue_empty
ok $? "the queue empties"
done_testing
