#!/bin/bash
# sendmail-compatible-command-line: bin/sendmail takes sendmail's command
# line and hands the message to inject (qmail's sendmail wrapper): -t reads
# To/Cc/Bcc (Bcc removed from the message), -f sets the envelope sender,
# -F the name of the added From, recipients come from the arguments; -i,
# -oi, -odb, -oem are accepted silently and a lone dot never ends input;
# an unknown option is ignored with a warning; it works through a symlink
# in another directory, and as "mailq". With a running instance: -bs
# speaks SMTP on stdin/stdout and the message is delivered; -bp and mailq
# list a queued message as qread does; -q makes send retry at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
instance_new
mta_domain example.org
for u in alice bob carol dave; do mta_user $u; done
mta_assign
echo example.org > "$H/control/rcpthosts"

# A queue program that keeps the message (fd 0) and the envelope (fd 1).
cat > "$T/record" <<EOF
#!/bin/sh
cat > "$T/rec.msg" || exit 54
exec 0<&1
cat > "$T/rec.env" || exit 55
exit 0
EOF
chmod 755 "$T/record"
sm() { env -i PATH="$PATH" USER=tester QMAILQUEUE="$T/record" "$H/bin/sendmail" "$@"; }
envelope() { tr '\0' '|' < "$T/rec.env" | sed 's/|*$//'; }
rm_rec() { rm -f "$T/rec.msg" "$T/rec.env"; }

printf 'To: alice\nCc: Bob <bob@example.org>\nBcc: carol@example.org\nSubject: t\n\nbody\n' | sm -t 2> "$T/err"
is "$?" 0 "-t: exit 0"
is "$(envelope)" "Ftester@example.org|Talice@example.org|Tbob@example.org|Tcarol@example.org" "-t: To, Cc and Bcc are the recipients"
is "$(grep -c '^Bcc:' "$T/rec.msg")" 0 "-t: Bcc is removed from the message"
like "$(grep '^To:' "$T/rec.msg")" '^To: alice@example.org$' "-t: To is kept, qualified"
is "$(cat "$T/err")" "" "-t: nothing on stderr"

rm_rec
printf 'To: alice@example.org\nSubject: t\n\nbody\n' | sm -t dave@example.org
is "$(envelope)" "Ftester@example.org|Tdave@example.org|Talice@example.org" "-t with an argument: both, as qmail's sendmail"

rm_rec
printf 'Subject: f\n\nbody\n' | sm -f joe@example.net -F 'Joe Tester' alice@example.org bob
is "$?" 0 "-f -F with recipients as arguments: exit 0"
is "$(envelope)" "Fjoe@example.net|Talice@example.org|Tbob@example.org" "-f sets the envelope sender; the arguments are the recipients"
is "$(grep '^From:' "$T/rec.msg")" 'From: "Joe Tester" <tester@example.org>' "-F names the added From field"

rm_rec
printf 'Subject: attached\n\nbody\n' | sm -fjoe@example.net -FJoe -- -odd@example.org
is "$(envelope)" "Fjoe@example.net|T-odd@example.org" "attached -fX -FX, and -- ends the options"

rm_rec
printf 'To: alice@example.org\nSubject: h\n\nbody\n' | sm -t -i -oi -odb -oem -v 2> "$T/err"
is "$?" 0 "-i -oi -odb -oem -v: accepted"
is "$(cat "$T/err")" "" "  silently"

rm_rec
printf 'Subject: dots\n\nline one\n.\nline three\n' | sm -oi alice
is "$(tail -n 3 "$T/rec.msg" | tr '\n' '|')" "line one|.|line three|" "-oi: a lone dot line is part of the message"
rm_rec
printf 'Subject: dots\n\nline one\n.\nline three\n' | sm alice
is "$(tail -n 3 "$T/rec.msg" | tr '\n' '|')" "line one|.|line three|" "without -i too: inject never ends a message at a dot (as qmail)"

rm_rec
printf 'Subject: u\n\nbody\n' | sm -Y -Zfoo alice 2> "$T/err"
is "$?" 0 "unknown options: exit 0"
is "$(cat "$T/err")" "sendmail: warning: ignoring unknown option -Y
sendmail: warning: ignoring unknown option -Zfoo" "  a warning names each one"
is "$(envelope)" "Ftester@example.org|Talice@example.org" "  and the message goes to the recipient"

printf 'Subject: none\n\nbody\n' | sm 2> "$T/err"
is "$?" 100 "no recipient: exit 100 (inject's)"
like "$(cat "$T/err")" "no recipients" "  inject says why"
sm -bd < /dev/null 2> "$T/err"
is "$?" 100 "-bd: usage error, exit 100"
like "$(cat "$T/err")" "^sendmail: fatal: -bd: " "  saying why"

# Called through symlinks in another directory, from yet another one.
mkdir -p "$T/sbin" "$T/elsewhere"
ln -s "$H/bin/sendmail" "$T/sbin/sendmail"
ln -s ../sbin/sendmail "$T/elsewhere/mylink"
rm_rec
(cd / && printf 'Subject: link\n\nbody\n' | env -i PATH="$PATH" USER=tester QMAILQUEUE="$T/record" "$T/sbin/sendmail" carol)
is "$?" 0 "through a symlink named sendmail: exit 0"
is "$(envelope)" "Ftester@example.org|Tcarol@example.org" "  queued (the home comes from conf-home, not argv[0])"
rm_rec
(cd /tmp && printf 'Subject: link2\n\nbody\n' | env -i PATH="$T/elsewhere:$PATH" USER=tester QMAILQUEUE="$T/record" mylink dave)
is "$(envelope)" "Ftester@example.org|Tdave@example.org" "through a relative symlink found in PATH"

# Called as newaliases (Debian's alternatives link it so), or with -bi.
ln -s "$H/bin/sendmail" "$T/sbin/newaliases"
printf 'staff: alice, bob\n' > "$T/aliases"
"$T/sbin/newaliases" -f "$T/aliases" 2> "$T/err"
is "$?" 0 "a symlink named newaliases runs newaliases, passing -f"
ok "$([ -s "$T/aliases.cdb" ]; echo $?)" "  which writes the cdb"

# A running instance.
mta_start
{ printf 'HELO me\r\n'; printf 'MAIL FROM:<carol@example.org>\r\n'; printf 'RCPT TO:<alice@example.org>\r\n'
  printf 'DATA\r\n'; printf 'Subject: over bs\r\n\r\nhello by smtp\r\n.\r\n'; printf 'QUIT\r\n'; } \
  | env -i PATH="$PATH" "$H/bin/sendmail" -bs > "$T/bs.out" 2> "$T/bs.err"
is "$?" 0 "-bs: exit 0"
is "$(sed 's/^\([0-9][0-9][0-9]\).*/\1/' "$T/bs.out" | tr -d '\r' | tr '\n' ' ')" "220 250 250 250 354 250 221 " "-bs: 220, 250 (HELO, MAIL, RCPT), 354, 250, 221"
wait_for 10 count_is alice 1
ok $? "-bs: the message is delivered to alice"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
like "$(cat "$f")" 'Subject: over bs' "  it is the message sent"
like "$(grep -A1 '^Received: from' "$f" | tr -d '\n')" '127\.0\.0\.1' "  received from 127.0.0.1 as a local SMTP client"
like "$(grep -A1 '^Received: from' "$f" | tr -d '\n')" 'sendmail-bs@' "  named sendmail-bs, as qmail's sendmail -bs does"

# A deferred delivery, then -q: retried at once.
printf '|test -f %s || { echo "not ready yet"; exit 111; }\n./Maildir/\n' "$T/flag" > "$T/u/bob/.qmail"
printf 'Subject: later\n\nwhen ready\n' | env -i PATH="$PATH" USER=carol "$H/bin/sendmail" bob@example.org
wait_for 10 log_has 'deferral: not_ready_yet/$'
ok $? "a delivery to bob is deferred"
"$H/bin/sendmail" -bp > "$T/bp"
like "$(cat "$T/bp")" "	local	bob@example.org" "-bp lists the queued message's recipient"
ln -s "$H/bin/sendmail" "$T/sbin/mailq"
"$T/sbin/mailq" > "$T/mailq"
cmp_files "$T/mailq" "$T/bp" "mailq (a symlink) prints the same listing"
"$H/bin/qread" > "$T/qread"
cmp_files "$T/mailq" "$T/qread" "  which is qread's"
touch "$T/flag"
"$H/bin/sendmail" -q 2> "$T/err"
is "$?" 0 "-q: exit 0"
wait_for 10 count_is bob 1
ok $? "-q: send retries at once and bob gets the message"
wait_for 10 queue_empty
ok $? "the queue empties"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$H/bin/sendmail" -q 2> "$T/err"
  is "$?" 100 "-q by a user who may not signal send: exit 100"
  like "$(cat "$T/err")" "only root and the send user" "  saying who may"
else
  pass "# SKIP -q by another user needs root and setpriv"
  pass "# SKIP"
fi
mta_stop
"$H/bin/sendmail" -q 2> "$T/err"
is "$?" 111 "-q with send stopped: exit 111"
like "$(cat "$T/err")" "send is not running" "  saying so"
done_testing
