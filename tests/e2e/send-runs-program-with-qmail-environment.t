#!/bin/sh
# A "|command" line of a .qmail runs the command with qmail-command(8)'s
# environment: RECIPIENT, SENDER, USER, HOME, LOCAL, HOST, HOST2..HOST4,
# EXT, EXT2..EXT4, DEFAULT, DTLINE, RPLINE, UFLINE, NEWSENDER; the
# message on its standard input exactly as queued; in the home directory.
# Its first output line shows in send's log before did_0+0+1/.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
echo mail.example.org >> "$H/control/locals"
mta_user alice
mta_user carol
mta_assign
R=$T/rec
cat > "$T/record" <<EOF
#!/bin/sh
# records its environment, one file per variable ("unset" when it is not set)
mkdir -p "$R"
for v in RECIPIENT SENDER USER HOME LOCAL HOST HOST2 HOST3 HOST4 EXT EXT2 EXT3 EXT4 DEFAULT DTLINE RPLINE UFLINE NEWSENDER; do
  printenv "\$v" > "$R/\$v" || echo unset > "$R/\$v"
done
pwd > "$R/pwd"
cat > "$R/stdin"
echo "recorded it"
EOF
chmod 755 "$T/record"
echo "|$T/record" > "$T/u/alice/.qmail-prog-default"
mta_start

printf 'Subject: env\n\nbody line\n' | "$H/bin/inject" -f carol@example.org alice-Prog-x-y@mail.example.org
ok $? "inject exits 0"
wait_for 10 queue_empty
ok $? "the queue empties"
v() { cat "$R/$1" 2>/dev/null; }
is "$(v RECIPIENT)" "alice-Prog-x-y@mail.example.org" "RECIPIENT is the envelope recipient"
is "$(v SENDER)" "carol@example.org" "SENDER is the envelope sender"
is "$(v NEWSENDER)" "carol@example.org" "NEWSENDER is the sender (no -owner file)"
is "$(v USER)" "$(id -un)" "USER is the user from users/assign"
is "$(v HOME)" "$T/u/alice" "HOME is the user's home"
is "$(v pwd)" "$T/u/alice" "the command runs in the home"
is "$(v LOCAL)" "alice-Prog-x-y" "LOCAL is the local part"
is "$(v HOST)" "mail.example.org" "HOST is the domain"
is "$(v HOST2)" "mail.example" "HOST2 drops the last component"
is "$(v HOST3)" "mail" "HOST3 drops the last two"
is "$(v HOST4)" "mail" "HOST4 drops the last three (none left to drop: as qmail)"
is "$(v EXT)" "Prog-x-y" "EXT is the extension, in the sender's case"
is "$(v EXT2)" "x-y" "EXT2 is what follows the first dash of EXT"
is "$(v EXT3)" "y" "EXT3 what follows the second"
is "$(v EXT4)" "" "EXT4 is empty"
is "$(v DEFAULT)" "x-y" "DEFAULT is the part of EXT that -default matched"
printf 'Delivered-To: alice-Prog-x-y@mail.example.org\n\n' > "$T/want"
cmp_files "$R/DTLINE" "$T/want" "DTLINE is the Delivered-To line (the address as sent, as qmail-local), with its newline"
printf 'Return-Path: <carol@example.org>\n\n' > "$T/want"
cmp_files "$R/RPLINE" "$T/want" "RPLINE is the Return-Path line, with its newline"
like "$(v UFLINE)" '^From carol@example\.org [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}$' "UFLINE is the From_ line"
is "$(sed -n 1p "$R/stdin" | cut -c1-9)" "Received:" "stdin starts with queue's Received line (no Return-Path, no Delivered-To)"
ok "$(grep -qx 'Subject: env' "$R/stdin"; echo $?)" "stdin holds the header"
is "$(tail -n 1 "$R/stdin")" "body line" "stdin ends with the body"
is "$(count_new alice)" 0 "no Maildir delivery besides the command"
mta_stop
like "$(cat "$T/log")" '^delivery [0-9]+: success: recorded_it/did_0\+0\+1/$' "log: the command's output line, then did_0+0+1/"
done_testing
