#!/bin/sh
# aliases-and-sendmail-as-real-users: in a multi-user instance (as root,
# with qmail's users and two test users), /etc/aliases delivery runs as
# the alias user: the forwards reach the users, a |program runs as alias,
# a /file is written as alias. An ordinary user's sendmail -bs session
# goes through smtpd and the setuid queue and is delivered. sendmail -q
# by an ordinary user is refused; by root it wakes send (running as
# qmails).
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
echo example.org > "$H/control/rcpthosts"
rm -f "$H/users/cdb"
mkdir -m 755 "$T/out" && chown alias "$T/out"

cat > "$T/aliases" <<EOF
team: cairntest1, cairntest2
who: "|id -un > $T/out/who"
arch: $T/out/arch.mbox
EOF
"$H/bin/newaliases" -f "$T/aliases"
ok $? "newaliases compiles the aliases"
echo "|$H/bin/aliases $T/aliases.cdb" > "$H/alias/.qmail-default"
mta_start

printf 'Subject: team\n\nall\n' | runuser -u cairntest2 -- "$H/bin/sendmail" team@example.org
ok $? "cairntest2's sendmail queues a message to team@"
printf 'Subject: who\n\nwho\n' | "$H/bin/inject" -f cairntest1@example.org who@example.org arch@example.org
wait_for 15 count_is cairntest1 1 && wait_for 10 count_is cairntest2 1
ok $? "team@ reaches cairntest1 and cairntest2"
f=$(find "$T/u/cairntest1/Maildir/new" -type f | head -1)
is "$(grep -c '^Delivered-To: team@example.org$' "$f")" 1 "  through the alias, with its Delivered-To line"
wait_for 10 test -s "$T/out/who"
is "$(cat "$T/out/who" 2>&1)" alias "the |program target runs as the alias user"
wait_for 10 test -s "$T/out/arch.mbox"
is "$(stat -c %U "$T/out/arch.mbox" 2>&1)" alias "the /file target is written as the alias user"

{ printf 'HELO me\r\nMAIL FROM:<cairntest2@example.org>\r\nRCPT TO:<cairntest1@example.org>\r\n'
  printf 'DATA\r\nSubject: bs\r\n\r\nby smtp\r\n.\r\nQUIT\r\n'; } \
  | runuser -u cairntest2 -- "$H/bin/sendmail" -bs > "$T/bs.out" 2>&1
is "$(sed 's/^\([0-9][0-9][0-9]\).*/\1/' "$T/bs.out" | tr -d '\r' | tr '\n' ' ')" "220 250 250 250 354 250 221 " \
  "an ordinary user's sendmail -bs session: 220 250 250 250 354 250 221"
wait_for 10 count_is cairntest1 2
ok $? "  and its message is delivered"

runuser -u cairntest1 -- "$H/bin/sendmail" -q 2> "$T/err"
is "$?" 100 "sendmail -q by an ordinary user: exit 100"
like "$(cat "$T/err")" "only root and the send user" "  saying who may"
"$H/bin/sendmail" -q
ok $? "sendmail -q by root wakes send (qmails)"
wait_for 10 queue_empty
ok $? "the queue empties"
mta_stop
is "$(grep -E '^(warning|alert): ' "$T/log")" "" "no warning or alert in the log"
done_testing
