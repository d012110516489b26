#!/bin/sh
# smtpd-refuses-unknown-local-users-at-rcpt: with users/rcpt.cdb made by
# mkrcpt, smtpd answers "550 5.1.1 sorry, no mailbox here by that name" at
# RCPT for a local or virtual-domain address that local delivery would
# bounce (an unknown user, an extension without its .qmail file), and
# takes the others (users, their .qmail-EXT, the alias user's files,
# <postmaster>, virtual domains rewritten as send does, any case). Mail
# to such an address is never queued, so no bounce is ever sent
# (backscatter). Relaying clients are checked too; remote domains are not.
# A new .qmail file counts once mkrcpt has run again; control/rcptcheck 0,
# or no users/rcpt.cdb, turns validation off.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
printf 'example.org\nvirt.example\n' > "$H/control/rcpthosts"
echo virt.example:alice > "$H/control/virtualdomains"
mta_user alice
mta_assign
echo ./Maildir/ > "$T/u/alice/.qmail-list"
echo '&alice@example.org' > "$H/alias/.qmail-postmaster"
"$H/bin/mkrcpt" 2>"$T/mkrcpt.err"
ok $? "mkrcpt builds users/rcpt.cdb"
mta_start
smtpd_start

# rcpt ADDR...: the reply to each RCPT TO:<ADDR>, one session
rcpt() {
  _r=; for a; do _r="${_r}RCPT TO:<$a>\\r\\n"; done
  smtp 'EHLO c\r\n' 'MAIL FROM:<bob@example.net>\r\n' "$_r" 'QUIT\r\n' | sed -n '/^250 2.1.0/,/^221/p' | sed '1d;$d'
}
NO="550 5.1.1 sorry, no mailbox here by that name"
YES="250 2.1.5 ok"
is "$(rcpt alice@example.org Alice@EXAMPLE.org alice-list@example.org ALICE-List@example.org)" "$YES
$YES
$YES
$YES" "a user and its .qmail-list, any case: 250"
is "$(rcpt nobody@example.org alice-nothing@example.org alice-@example.org)" "$NO
$NO
$NO" "an unknown user, an extension without a file: 550 5.1.1"
is "$(rcpt postmaster@example.org postmaster PostMaster@example.org)" "$YES
$YES
$YES" "~alias/.qmail-postmaster, <postmaster> without domain: 250"
is "$(rcpt list@virt.example LIST@Virt.Example other@virt.example)" "$YES
$YES
$NO" "virtual domain: list@ is alice-list (250), other@ is alice-other (550)"
is "$(rcpt someone@remote.example)" "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts" "relay control comes first"

out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<bob@example.net>\r\nRCPT TO:<nobody@example.org>\r\nDATA\r\n' 'QUIT\r\n')
like "$out" "$NO
554 5.5.1 no valid recipients
221 " "mail only for an unknown user: 550, then DATA 554, nothing queued"
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<bob@example.net>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<list@virt.example>\r\nDATA\r\n' \
  'Subject: to the list\r\n\r\nhello\r\n.\r\n' 'QUIT\r\n')
like "$out" "^250 2.0.0 ok" "mail for an unknown user and a list: accepted for the list"
wait_for 10 count_is alice 1
ok $? "it reaches alice through .qmail-list"
wait_for 10 queue_empty
ok $? "the queue is empty"
unlike "$(cat "$T/log")" "bounce msg|failure:" "no delivery failed and no bounce was made: no backscatter"

echo ./Maildir/ > "$T/u/alice/.qmail-nothing"
is "$(rcpt alice-nothing@example.org)" "$NO" "a new .qmail-nothing: still 550 until mkrcpt runs"
"$H/bin/mkrcpt" 2>/dev/null
is "$(rcpt alice-nothing@example.org)" "$YES" "after mkrcpt: 250"

smtpd_rules '127.0.0.1:allow,RELAYCLIENT=""'
is "$(rcpt nobody@example.org someone@remote.example)" "$NO
$YES" "a relaying client: local addresses still checked, remote ones not"
smtpd_rules ':allow'

echo 0 > "$H/control/rcptcheck"
is "$(rcpt nobody@example.org)" "$YES" "control/rcptcheck 0: validation off"
echo 1 > "$H/control/rcptcheck"
is "$(rcpt nobody@example.org)" "$NO" "control/rcptcheck 1: on again"
rm "$H/users/rcpt.cdb"
is "$(rcpt nobody@example.org)" "$YES" "no users/rcpt.cdb: validation off"
printf 'not a cdb' > "$H/users/rcpt.cdb"
is "$(smtp 'EHLO c\r\n')" "421 4.3.0 temporary configuration problem; try again later
[closed]" "a users/rcpt.cdb that mkrcpt did not make: 421, rather than guess"
done_testing
