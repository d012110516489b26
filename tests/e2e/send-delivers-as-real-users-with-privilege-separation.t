#!/bin/sh
# A multi-user instance, as root with real users: qmail's users and groups
# (created for the run when missing, removed at exit with the test users
# cairntest1 and cairntest2). start runs send as qmails, clean as qmailq
# and lspawn as root; inject by an ordinary user goes through the setuid
# queue; each user's mail is found through the password database (no
# users/assign) and delivered by local running as that user, so the
# delivered file is the user's; a forward made by a user's local, a
# bounce written by send, and an alias delivery as the alias user all
# work; lspawn refuses to deliver as root (a users/assign entry with uid
# 0 is deferred, never run).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates users and runs a multi-user instance"
for c in useradd userdel groupadd groupdel runuser; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser
# the test users: homes that the password database rules accept
mkdir -p "$T/u"
for n in cairntest1 cairntest2; do
  getent passwd $n > /dev/null && { echo "Bail out! user $n exists already"; exit 1; }
  useradd -M -d "$T/u/$n" -s /bin/sh -U $n || { echo "Bail out! useradd $n failed"; exit 1; }
  at_exit "user_del $n"
  mkdir -p "$T/u/$n/Maildir/new" "$T/u/$n/Maildir/cur" "$T/u/$n/Maildir/tmp"
  chown -R $n:$n "$T/u/$n"
  chmod 755 "$T/u/$n"
done

mta_domain example.org
rm -f "$H/users/cdb"

mta_start
owner() { ps -o user= -p "$(pgrep -f "^$H/bin/$1" | head -1)" 2>/dev/null | tr -d ' '; }
is "$(owner send)" qmails "send runs as qmails"
is "$(owner clean)" qmailq "clean runs as qmailq"
is "$(owner lspawn)" root "lspawn runs as root"

printf 'Subject: one\n\nfor one\n' | runuser -u cairntest2 -- "$H/bin/inject" cairntest1@example.org
ok $? "cairntest2 injects through the setuid queue"
wait_for 10 count_is cairntest1 1
ok $? "cairntest1's Maildir gets it, found through the password database"
f=$(find "$T/u/cairntest1/Maildir/new" -type f | head -1)
is "$(stat -c %U:%a "$f" 2>&1)" "cairntest1:600" "the delivered file is cairntest1's, mode 600"
is "$(sed -n 1p "$f")" "Return-Path: <cairntest2@example.org>" "with cairntest2 as the envelope sender"
like "$(cat "$T/log")" "^info msg [0-9]+: bytes [0-9]+ from <cairntest2@example.org> qp [0-9]+ uid $(id -u cairntest2)\$" "log: the message came from cairntest2's uid"

# a program line runs as the user; a forward goes through queue as the user
printf '|id -un > whoami\n./Maildir/\n' > "$T/u/cairntest2/.qmail"
echo '&cairntest2@example.org' > "$T/u/cairntest1/.qmail-fwd"
chown cairntest2 "$T/u/cairntest2/.qmail"; chown cairntest1 "$T/u/cairntest1/.qmail-fwd"
printf 'Subject: fwd\n\nforwarded\n' | "$H/bin/inject" -f cairntest1@example.org cairntest1-fwd@example.org
wait_for 10 count_is cairntest2 1
ok $? "cairntest1-fwd@ is forwarded by cairntest1's .qmail-fwd to cairntest2"
f=$(find "$T/u/cairntest2/Maildir/new" -type f | head -1)
is "$(stat -c %U "$f" 2>&1)" cairntest2 "the delivered file is cairntest2's"
is "$(cat "$T/u/cairntest2/whoami" 2>&1)" cairntest2 "cairntest2's program ran as cairntest2"
is "$(stat -c %U "$T/u/cairntest2/whoami" 2>&1)" cairntest2 "  and its file is cairntest2's"
is "$(grep -c '^Delivered-To: cairntest1-fwd@example.org$' "$f")" 1 "the forward carries cairntest1-fwd's Delivered-To"

# a bounce: send (qmails) writes it and queues it
printf 'Subject: lost\n\nlost\n' | runuser -u cairntest2 -- "$H/bin/inject" nosuchuser@example.org
wait_for 10 count_is cairntest2 2
ok $? "mail to an unknown user bounces to cairntest2"
b=$(grep -l '^Return-Path: <>$' "$T/u/cairntest2/Maildir/new/"* | head -1)
ok "$(grep -q 'Sorry, no mailbox here by that name. (#5.1.1)' "$b"; echo $?)" "  with qmail's text"

# the alias user: root@ goes to ~alias/.qmail-root, delivered as alias
echo '|echo "as $(id -un)"' > "$H/alias/.qmail-root"
printf 'Subject: root\n\nfor root\n' | "$H/bin/inject" -f cairntest1@example.org root@example.org
wait_for 10 log_has '^delivery [0-9]+: success: as_alias/did_0\+0\+1/$'
ok $? "root@ is delivered by ~alias/.qmail-root, running as alias"

# lspawn never delivers as root: a users/assign entry with uid 0 is deferred
mkdir -m 755 "$T/u/rootbox"
printf '=rootie:root:0:0:%s:::\n.\n' "$T/u/rootbox" > "$H/users/assign"
"$H/bin/newu" || { echo "Bail out! newu failed"; exit 1; }
printf 'Subject: rootie\n\nno\n' | "$H/bin/inject" -f cairntest1@example.org rootie@example.org
wait_for 10 log_has '^delivery [0-9]+: deferral: Not_allowed_to_perform_deliveries_as_root\._\(#4\.3\.0\)/$'
ok $? "a delivery as uid 0 is refused: deferral Not allowed to perform deliveries as root"
queued rootie@example.org
ok $? "  and the message stays queued"
is "$(ls -A "$T/u/rootbox")" "" "  nothing was written in that home"

wait_for 10 queue_is 1
ok $? "everything else is done"
is "$(cd "$H/queue" && find mess -type f -exec stat -c %U {} + | sort -u)" qmailq "queue files in mess/ are qmailq's"
is "$(cd "$H/queue" && find info local -type f -exec stat -c %U {} + | sort -u)" qmails "info/ and local/ files are qmails'"
mta_stop
ok $? "send exits 0 on TERM"
is "$(grep -E '^(warning|alert): ' "$T/log")" "" "no warning or alert in the log"
done_testing
