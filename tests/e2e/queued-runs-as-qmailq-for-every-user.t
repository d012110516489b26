#!/bin/sh
# queued-runs-as-qmailq-for-every-user: in a multi-user instance (root,
# qmail's users), install makes queued/ qmailq's, mode 0755; start runs
# queued as qmailq with group qmail, and its socket is mode 0666 there.
# With bin/queue not executable, an ordinary user's inject, a forward
# written by that user's local, and a bounce written by send (as qmails)
# are all taken by queued, whose Received lines say who queued each
# ("invoked by uid N" with the user's uid, "invoked for bounce"), from
# the kernel's credentials of the connection.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates users and runs a multi-user instance"
for c in useradd userdel groupadd groupdel runuser; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser
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

is "$(stat -c '%U %a' "$H/queued")" "qmailq 755" "queued/ is qmailq's, mode 0755"
is "$(stat -c '%U %a' "$H/bin/queued")" "root 711" "bin/queued is root's, mode 0711"
mta_start
wait_for 5 test -S "$H/queued/socket"
ok $? "queued makes its socket"
pid=$(pgrep -f "^$H/bin/queued" | head -1)
is "$(ps -o user=,group= -p "$pid" | tr -s ' ')" "qmailq qmail" "queued runs as qmailq, group qmail"
is "$(stat -c '%U %a' "$H/queued/socket")" "qmailq 666" "the socket is qmailq's, mode 0666"

chmod 0 "$H/bin/queue"
printf 'Subject: one\n\nfor one\n' | runuser -u cairntest2 -- "$H/bin/inject" cairntest1@example.org
ok $? "cairntest2's inject is accepted with bin/queue not executable"
wait_for 10 count_is cairntest1 1
ok $? "cairntest1 gets it"
f=$(find "$T/u/cairntest1/Maildir/new" -type f | head -1)
like "$(grep -m1 '^Received: (qmail' "$f")" "invoked by uid $(id -u cairntest2)\\)" "the Received line names cairntest2's uid"

echo '&cairntest2@example.org' > "$T/u/cairntest1/.qmail-fwd"
chown cairntest1 "$T/u/cairntest1/.qmail-fwd"
printf 'Subject: fwd\n\nforwarded\n' | "$H/bin/inject" -f cairntest1@example.org cairntest1-fwd@example.org
wait_for 10 count_is cairntest2 1
ok $? "a forward written by cairntest1's local reaches cairntest2"
f=$(find "$T/u/cairntest2/Maildir/new" -type f | head -1)
like "$(grep -m1 '^Received: (qmail' "$f")" "invoked by uid $(id -u cairntest1)\\)" "the forward's Received line names cairntest1's uid"

printf 'Subject: bounce me\n\nnobody here\n' | runuser -u cairntest2 -- "$H/bin/inject" nosuchuser@example.org
wait_for 10 count_is cairntest2 2
ok $? "the bounce for an unknown user reaches cairntest2"
f=$(grep -l '^Subject: failure notice' "$T/u/cairntest2/Maildir/new/"* 2>/dev/null | head -1)
[ -n "$f" ] || f=$(ls -t "$T/u/cairntest2/Maildir/new/"* | head -1)
like "$(grep -m1 '^Received: (qmail' "$f")" "invoked for bounce\\)" "the bounce's Received line says \"invoked for bounce\" (send as qmails)"
chmod 4711 "$H/bin/queue"
mta_stop
done_testing
