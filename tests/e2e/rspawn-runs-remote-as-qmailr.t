#!/bin/sh
# rspawn-runs-remote-as-qmailr: in a multi-user instance (as root, qmail's
# users), start runs rspawn as qmailr; remote, run by it as qmailr, reads
# the queued message (queue/mess is qmailq's, group qmail) and delivers it
# to a scripted SMTP peer on loopback; after a connection that fails, the
# tcpto file (queue/lock/tcpto, qmailr's) is still qmailr's and the queue
# keeps the recipient for later.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: runs a multi-user instance with qmail's users"
for c in useradd userdel groupadd groupdel; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser
mta_domain local.test
rm -f "$H/users/cdb"
peer_start
route remote.test
port=$PEER_PORT
mta_start
owner() { ps -o user= -p "$(pgrep -f "^$H/bin/$1" | head -1)" 2>/dev/null | tr -d ' '; }
is "$(owner rspawn)" qmailr "rspawn runs as qmailr"
is "$(stat -c '%U %a' "$H/bin/remote" "$H/bin/rspawn" | sort -u)" "root 711" "bin/remote and bin/rspawn: root, 0711 (qmail's modes)"
is "$(readlink "$H/bin/qmail-remote") $(readlink "$H/bin/qmail-rspawn")" "remote rspawn" "qmail-remote and qmail-rspawn name them"

printf 'Subject: as qmailr\n\nhello\n' | "$H/bin/inject" -f root@local.test bob@remote.test
ok $? "inject exits 0"
wait_for 20 log_has '^delivery [0-9]+: success: 127\.0\.0\.1_accepted_message\.'
ok $? "log: the remote delivery succeeds"
peer_wait 1
like "$(peer_in 1)" 'Subject: as qmailr\\r\\n\\r\\nhello\\r\\n\.\\r\\nQUIT' "the peer got the message"
is "$(owner 'remote -W')" qmailr "the remote worker that sent it runs as qmailr"

peer_stop
printf 'Subject: second\n\nhello\n' | "$H/bin/inject" -f root@local.test bob@remote.test
wait_for 20 log_has "^delivery [0-9]+: deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_connection\._\(#4\.4\.1\)/127\.0\.0\.1:_Connection_refused/$"
ok $? "log: with the peer gone, a deferral naming the refused connection"
is "$(stat -c '%U %a' "$H/queue/lock/tcpto")" "qmailr 644" "queue/lock/tcpto stays qmailr's, 0644"
"$H/bin/qread" | grep -q "^	remote	bob@remote.test$"
ok $? "the recipient waits in the queue"
mta_stop
done_testing
