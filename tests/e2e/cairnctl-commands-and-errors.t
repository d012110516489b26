#!/bin/sh
# cairnctl-commands-and-errors: what cairnctl does without a supervisor
# and when given bad input, with qmail's exit codes: a usage error (no
# command, an unknown one) exits 100 with the list of commands; a service
# that nothing supervises, or a missing service directory (-s,
# $CAIRN_SERVICES), exits 111 naming it; called as qmailctl it names
# itself so. queue prints qstat and qread; cdb compiles control/tcp.smtp,
# users/assign and the recipient table, and on a tcp.smtp line without
# :allow or :deny it stops before tcprules (which would loop for ever),
# keeps the old cdb and exits 111, while check names the line and exits
# 100.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
command -v tcprules > /dev/null || skip_all "needs tcprules"
command -v s6-svok > /dev/null || skip_all "needs s6"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user joe
mta_assign
C=$H/bin/cairnctl

"$C" > "$T/out" 2>&1
is "$?" 100 "no command: exit 100"
like "$(cat "$T/out")" '^usage: cairnctl \[ -s servicedir \] command' "  with the usage"
"$C" frobnicate > "$T/out" 2>&1
is "$?" 100 "an unknown command: exit 100"
like "$(cat "$T/out")" '^cairnctl: fatal: unknown command: frobnicate$' "  naming it"
like "$(cat "$T/out")" '^  alrm +retry every deferred delivery now' "  and listing the commands"
"$H/bin/qmailctl" frobnicate > "$T/out" 2>&1
like "$(cat "$T/out")" '^qmailctl: fatal: unknown command' "called as qmailctl, it says qmailctl"

"$C" stat > "$T/out" 2>&1
is "$?" 111 "stat with nothing supervising the services: exit 111"
like "$(cat "$T/out")" "^$H/service/send: not supervised$" "  send: not supervised"
like "$(cat "$T/out")" "^$H/service/smtpd/log: not supervised$" "  smtpd/log: not supervised"
like "$(cat "$T/out")" '^messages in queue: 0$' "  and qstat's counts all the same"
"$C" alrm > "$T/out" 2>&1
is "$?" 111 "alrm unsupervised: exit 111"
like "$(cat "$T/out")" "cairnctl: warning: $H/service/send is not supervised" "  naming the service"
"$C" -s "$T/nowhere" stat > "$T/out" 2>&1
is "$?:$(cat "$T/out")" "111:cairnctl: fatal: no service directory $T/nowhere (set CAIRN_SERVICES or -s; see cairn-services(8))" \
  "-s with a missing directory: exit 111, naming it"
CAIRN_SERVICES=$T/elsewhere "$C" start > "$T/out" 2>&1
like "$?:$(cat "$T/out")" "^111:.*no service directory $T/elsewhere" "\$CAIRN_SERVICES is used the same way"

printf 'Subject: q\n\nx\n' | "$H/bin/inject" joe@example.org
"$C" queue > "$T/out" 2>&1
is "$?" 0 "queue: exit 0"
like "$(cat "$T/out")" '^messages in queue: 1$' "  qstat's count"
like "$(cat "$T/out")" '	todo	joe@example.org$' "  and qread's listing"

printf '127.0.0.1:allow,RELAYCLIENT=""\n:allow\n' > "$H/control/tcp.smtp"
"$C" cdb > "$T/out" 2>&1
is "$?" 0 "cdb: exit 0"
like "$(cat "$T/out")" '^Rebuilt control/tcp.smtp.cdb from control/tcp.smtp.$' "  tcp.smtp compiled"
like "$(cat "$T/out")" '^Rebuilt users/cdb from users/assign.$' "  users/assign compiled"
like "$(cat "$T/out")" '^Rebuilt users/rcpt.cdb' "  the recipient table made"
test -s "$H/control/tcp.smtp.cdb" && test -s "$H/users/rcpt.cdb"
ok $? "  the files exist"
cp "$H/control/tcp.smtp.cdb" "$T/old.cdb"
printf '127.0.0.1:allow,RELAYCLIENT=""\n# a comment\n10.0.0.1:bogus\n' > "$H/control/tcp.smtp"
"$H/bin/showctl" -q > /dev/null 2> "$T/err"
is "$?" 100 "check: a tcp.smtp line without :allow or :deny is a problem (exit 100)"
like "$(cat "$T/err")" 'control/tcp.smtp:3: no :allow or :deny instruction' "  named with its line"
timeout 60 "$C" cdb > "$T/out" 2>&1
st=$?
is "$st" 111 "cdb on that line: refused before tcprules, exit 111"
like "$(cat "$T/out")" '^control/tcp.smtp:3: no :allow or :deny instruction$' "  naming the line"
like "$(cat "$T/out")" 'tcprules refused control/tcp.smtp' "  and saying the cdb is unchanged"
cmp_files "$H/control/tcp.smtp.cdb" "$T/old.cdb" "  which it is"
"$C" check > "$T/out" 2>&1
is "$?" 100 "cairnctl check: exit 100"
printf '127.0.0.1:allow,FOO\n' > "$H/control/tcp.smtp"
timeout 60 "$C" cdb > "$T/out" 2>&1
is "$?" 111 "a line tcprules itself refuses: exit 111"
like "$(cat "$T/out")" 'tcprules: fatal: unable to parse this line: 127.0.0.1:allow,FOO' "  with tcprules' message"
cmp_files "$H/control/tcp.smtp.cdb" "$T/old.cdb" "  the old cdb kept"
printf '127.0.0.1:allow\n' > "$H/control/tcp.smtp"
"$C" cdb > /dev/null 2>&1
"$C" check > "$T/out" 2>&1
is "$?:$(cat "$T/out")" "0:The control files of $H are sound." "fixed: cairnctl check exits 0"
done_testing
