#!/bin/sh
# Every line send logs during a mixed run (deliveries to a Maildir, a
# program and a forward, an unknown user's bounce, a deferral then ALRM,
# a double and a triple bounce, a remote recipient that waits, HUP, TERM)
# is one of qmail-send's line forms, each listed in man/send.8; the forms
# of a normal run all occur, no warning or alert does, and the numbers
# hang together: a delivery's result follows its start, a message's
# deliveries and its end follow its "new msg".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_user carol
mta_assign
echo '&bob@example.org' > "$T/u/alice/.qmail-fwd"
echo '|echo "program says hi"' > "$T/u/alice/.qmail-prog"
echo "|test -f $T/flag || { echo 'not yet'; exit 111; }" > "$T/u/alice/.qmail-later"
echo '|echo "gone. (#5.1.6)"; exit 100' > "$T/u/alice/.qmail-gone"
echo '|echo "away. (#5.2.1)"; exit 100' > "$H/alias/.qmail-postmaster"
mta_start
send() { from=$1; shift; printf 'Subject: log test\n\nbody\n' | "$H/bin/inject" -f "$from" "$@"; }

send carol@example.org alice@example.org alice-fwd@example.org alice-prog@example.org
send carol@example.org nosuchuser@example.org alice-later@example.org
send carol@example.org someone@remote.example
send nobody@example.org alice-gone@example.org    # bounce, double bounce, triple bounce
wait_for 15 log_has '^triple bounce: '
ok $? "the triple bounce is reached"
wait_for 10 log_has 'deferral: not_yet/'
ok $? "the deferral is logged"
touch "$T/flag"
kill -HUP "$MTA_PID"
mta_alrm
wait_for 15 log_has '^delivery [0-9]+: success: did_0\+0\+1/$'
ok $? "the deferred delivery succeeds after ALRM"
wait_for 10 queue_is 1
ok $? "only the remote message is left in the queue"
mta_stop
ok $? "send exits 0 on TERM"

# form in man/send.8 | the line it stands for (extended regex)
cat > "$T/forms" <<'EOF'
new msg ID|^new msg [0-9]+$
info msg ID: bytes SIZE from <SENDER> qp PID uid UID|^info msg [0-9]+: bytes [0-9]+ from <[!-~]*> qp [0-9]+ uid [0-9]+$
starting delivery N: msg ID to local|remote ADDRESS|^starting delivery [0-9]+: msg [0-9]+ to (local|remote) [!-~]+$
delivery N: success|failure|deferral: TEXT|^delivery [0-9]+: (success|failure|deferral): [!-~]+$
status: local BUSY/MAX remote BUSY/MAX|^status: local [0-9]+/[0-9]+ remote [0-9]+/[0-9]+$
bounce msg ID qp PID|^bounce msg [0-9]+ qp [0-9]+$
end msg ID|^end msg [0-9]+$
triple bounce: discarding bounce/ID|^triple bounce: discarding bounce/[0-9]+$
double bounce: discarding bounce/ID|^double bounce: discarding bounce/[0-9]+$
status: exiting|^status: exiting$
warning: ...|^warning: [!-~].*$
alert: ...|^alert: [!-~].*$
EOF
sed -n '/^\.SH LOG/,/^\.SH /p' "$top/man/send.8" | sed -n '/^\.nf/,/^\.fi/p' > "$T/documented"
while IFS= read -r l; do
  form=${l%%|^*}
  grep -qxF -- "$form" "$T/documented"
  ok $? "man/send.8 documents \"$form\""
done < "$T/forms"

sed 's/^[^^]*|\^/^/' "$T/forms" > "$T/regexes"
bad=$(grep -Evf "$T/regexes" "$T/log")
is "$bad" "" "every log line has one of the documented forms"
is "$(grep -E '^(warning|alert): ' "$T/log")" "" "no warning or alert in a normal run"
for re in '^new msg ' '^info msg ' '^starting delivery .* to local ' ': success: ' ': failure: ' ': deferral: ' \
    '^status: local ' '^bounce msg ' '^end msg ' '^triple bounce: discarding ' '^status: exiting$'; do
  log_has "$re"
  ok $? "the run logged a line matching $re"
done
like "$(cat "$T/log")" '^delivery [0-9]+: success: did_1\+0\+0/qp_[0-9]+/$' "a forward: did_1+0+0/qp_PID/"
like "$(cat "$T/log")" '^delivery [0-9]+: success: program_says_hi/did_0\+0\+1/$' "a program's output, then did_0+0+1/"
like "$(cat "$T/log")" '^delivery [0-9]+: success: did_0\+1\+0/$' "a Maildir delivery: did_0+1+0/"
is "$(tail -n 1 "$T/log")" "status: exiting" "the last line is status: exiting"

awk '
  /^new msg / { seen[$3] = 1; next }
  /^info msg / { id = $3; sub(":", "", id); if (!seen[id]) print "info before new: " $0; next }
  /^starting delivery / { n = $3; sub(":", "", n); if (!seen[$5]) print "delivery of an unknown msg: " $0
                          if (started[n]) print "delivery number used twice: " $0; started[n] = 1; next }
  /^delivery / { n = $2; sub(":", "", n); if (!started[n]) print "result without start: " $0
                 if (done[n]) print "two results: " $0; done[n] = 1; next }
  /^(bounce|end) msg / { if (!seen[$3]) print "unknown msg: " $0; if ($1 == "end") ended[$3] = 1; next }
  END { for (n in started) if (!done[n]) print "delivery " n " never finished" }
' "$T/log" > "$T/bad"
is "$(cat "$T/bad")" "" "the numbers hang together: results follow starts, every msg is announced first"
is "$(grep -c '^new msg ' "$T/log")" "$(($(grep -c '^end msg ' "$T/log") + 1))" "every message but the waiting remote one has its end msg"
done_testing
