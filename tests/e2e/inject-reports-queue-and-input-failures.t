#!/bin/bash
# inject-reports-queue-and-input-failures: inject's exit codes and
# messages. A queue program ($QMAILQUEUE) that fails is reported with
# qmail's text for its exit code: 100 for a permanent code (11-40), 111
# otherwise. Bad use and bad input are permanent (100): an unknown option,
# no recipients, an unparsable address field, an address over 1000 bytes,
# a header over the limit. Nothing is left in the queue by any of them,
# and a QMAILQUEUE program gets exactly the message and envelope.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
echo example.org > "$H/control/me"

mkq() { # mkq NAME EXITCODE: a queue program that reads everything, then exits
  printf '#!/bin/sh\ncat > "%s/%s.msg"\nexec 0<&1\ncat > "%s/%s.env"\nexit %s\n' "$T" "$1" "$T" "$1" "$2" > "$T/$1"
  chmod 755 "$T/$1"
}
mkq ok 0; mkq disk 53; mkq refuse 31; mkq toolong 11; mkq mem 51
inj() { # inj QUEUE ARGS...: message on stdin; stderr to $T/err; prints the exit code
  env -i PATH="$PATH" USER=tester QMAILQUEUE="$1" "${@:2}" < "$T/in" 2> "$T/err"
  echo $?
}
printf 'To: a@example.net\nSubject: x\nDate: d\nMessage-ID: <m@x>\nFrom: f@example.com\n\nbody\n' > "$T/in"

# QMAILQUEUE receives the message on fd 0 and the envelope on fd 1.
is "$(inj "$T/ok" "$H/bin/inject")" 0 "a queue program that exits 0: inject exits 0"
cmp_files "$T/ok.msg" "$T/in" "the queue program read the message (complete already, so unchanged)"
printf 'Ftester@example.org\0Ta@example.net\0\0' > "$T/want.env"
cmp_files "$T/ok.env" "$T/want.env" "and the envelope, F sender NUL T rcpt NUL NUL"

# Failing queue programs.
is "$(inj "$T/disk" "$H/bin/inject")" 111 "queue exit 53: inject exits 111"
is "$(cat "$T/err")" "inject: fatal: qq write error or disk full (#4.3.0)" "with qmail's text for 53"
is "$(inj "$T/mem" "$H/bin/inject")" 111 "queue exit 51: 111"
is "$(cat "$T/err")" "inject: fatal: qq out of memory (#4.3.0)" "with qmail's text for 51"
is "$(inj "$T/refuse" "$H/bin/inject")" 100 "queue exit 31: inject exits 100"
is "$(cat "$T/err")" "inject: fatal: mail server permanently rejected message (#5.3.0)" "with qmail's text for 31"
is "$(inj "$T/toolong" "$H/bin/inject")" 100 "queue exit 11: 100"
is "$(inj "$T/missing" "$H/bin/inject")" 111 "a queue program that cannot be run: 111"
like "$(cat "$T/err")" "^inject: fatal: " "with a message"
printf '#!/bin/sh\nkill -9 $$\n' > "$T/killed"; chmod 755 "$T/killed"
is "$(inj "$T/killed" "$H/bin/inject")" 111 "a queue program killed by a signal: 111"
is "$(cat "$T/err")" "inject: fatal: qq internal bug (#4.3.0)" "reported as qmail does"

# Bad use.
is "$(inj "$T/ok" "$H/bin/inject" -x)" 100 "unknown option: 100"
like "$(cat "$T/err")" "^inject: usage: inject " "with the usage"
is "$(inj "$T/ok" "$H/bin/inject" -F name)" 100 "-F (not a qmail-inject option) is unknown too"

# Bad input. None of these runs the queue program.
rm -f "$T/ok.msg"
printf 'Subject: nobody\n\nbody\n' > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 100 "no recipients: 100"
is "$(cat "$T/err")" "inject: fatal: no recipients" "said so"
printf 'To: undisclosed:;\n\nbody\n' > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 100 "only an empty group: no recipients, 100"
printf 'To: "unclosed@example.net\n\nbody\n' > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 100 "unclosed quote in To: 100"
is "$(cat "$T/err")" "inject: fatal: unable to parse header field To: syntax error in address list" "naming the field"
printf 'To: a@example.net\n\n' > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject" -a "")" 100 "an empty recipient argument: 100"
long=$(head -c 1001 /dev/zero | tr '\0' 'l')
is "$(inj "$T/ok" "$H/bin/inject" -a "$long@example.net")" 100 "a recipient over 1000 bytes: 100"
like "$(cat "$T/err")" "address too long" "said so"
printf 'To: %s@x.example\n\n' "$(head -c 990 /dev/zero | tr '\0' 'k')" > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 0 "a recipient of exactly 1000 bytes is fine"
printf 'To: a@example.net\n\n' > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject" -f "$long")" 100 "a sender over 1000 bytes: 100"
is "$(inj "$T/ok" "$H/bin/inject" "$(printf 'a\nb')")" 100 "a newline in a recipient: 100"
rm -f "$T/ok.msg"
{ printf 'To: a@example.net\nX-Huge: '; head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'h'; printf '\n\nbody\n'; } > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 100 "a 5 MB header field: 100"
is "$(cat "$T/err")" "inject: fatal: message header too long" "said so"
{ printf 'To: a@example.net\n'; for i in $(seq 1 5000); do printf 'X-Many-%d: %01000d\n' "$i" 0; done; printf '\nbody\n'; } > "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 100 "a 5 MB header of short fields: 100"
ok "$([ ! -e "$T/ok.msg" ]; echo $?)" "the queue program was never run for bad input"

# A large message with a huge body and a long field goes through whole.
printf 'To: a@example.net\nX-Long: %02000d\n\n' 0 > "$T/in"
head -c $((3 * 1024 * 1024)) /dev/urandom | tr -d '\r' > "$T/body"
cat "$T/body" >> "$T/in"
is "$(inj "$T/ok" "$H/bin/inject")" 0 "3 MB body, 2000-byte field: accepted"
tail -c "$(stat -c %s "$T/body")" "$T/ok.msg" > "$T/gotbody"
cmp_files "$T/gotbody" "$T/body" "its body reaches the queue unchanged"

# Nothing reached the real queue.
is "$(ls "$H/queue/todo")" "" "the real queue is empty"
done_testing
