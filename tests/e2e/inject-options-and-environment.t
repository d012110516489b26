#!/bin/bash
# inject-options-and-environment: what inject's options, environment
# variables and control files change, seen through -n (print instead of
# queue) and through a QMAILQUEUE program that records what it was given:
# -n output with its envelope lines; recipients from the arguments, the
# header, or both (-a, -h, -H, the default) and from Resent- fields; the
# envelope sender from -f, Return-Path, QMAILSUSER/QMAILSHOST or the user;
# From from QMAILUSER/QMAILHOST/QMAILNAME; qualification from control files
# and QMAILDEFAULTHOST/QMAILDEFAULTDOMAIN/QMAILPLUSDOMAIN/QMAILIDHOST.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
C=$H/control
echo me.example.net > "$C/me"
echo box > "$C/defaulthost"
echo example.org > "$C/defaultdomain"
echo plus.example.net > "$C/plusdomain"
echo id.example.org > "$C/idhost"

# A queue program that keeps the message (fd 0) and the envelope (fd 1).
cat > "$T/record" <<EOF
#!/bin/sh
cat > "$T/rec.msg" || exit 54
exec 0<&1
cat > "$T/rec.env" || exit 55
exit 0
EOF
chmod 755 "$T/record"

# inject with a clean environment: USER=tester plus the given NAME=value
# words, then -- and inject's arguments. Message on stdin.
inj() {
  local e=(PATH="$PATH" USER=tester)
  while [ $# -gt 0 ] && [ "$1" != -- ]; do e+=("$1"); shift; done
  shift
  env -i "${e[@]}" "$H/bin/inject" "$@"
}
recorded_env() { tr '\0' ' ' < "$T/rec.env"; }
full='From: A <a@example.com>
Date: Tue, 1 Dec 2026 10:00:00 +0000
Message-ID: <x@example.com>
To: to@example.net
Cc: cc
Bcc: bcc@example.net
Subject: s

body
'

# -n: the envelope as Return-Path and Envelope-To lines, then the message.
out=$(printf '%s' "$full" | inj -- -n; echo "rc=$?")
want="Return-Path: <tester@box.example.org>
Envelope-To: <to@example.net>
Envelope-To: <cc@box.example.org>
Envelope-To: <bcc@example.net>
From: A <a@example.com>
Date: Tue, 1 Dec 2026 10:00:00 +0000
Message-ID: <x@example.com>
To: to@example.net
Cc: cc@box.example.org
Subject: s

body
rc=0"
is "$out" "$want" "-n prints the envelope lines and the completed message, Bcc removed"
is "$(ls "$H/queue/todo")" "" "-n queues nothing"
out=$(printf 'To: "john doe"@x.example\n\n' | inj -- -n -f '' | head -2)
is "$out" 'Return-Path: <>
Envelope-To: <"john doe"@x.example>' "-n quotes addresses that need it; -f '' is the null sender"

# Which recipients.
printf '%s' "$full" | inj QMAILQUEUE="$T/record" -- arg1 arg2@example.com
is "$(recorded_env)" "Ftester@box.example.org Targ1@box.example.org Targ2@example.com  " "default with arguments: the arguments only"
printf '%s' "$full" | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@box.example.org Tto@example.net Tcc@box.example.org Tbcc@example.net  " "default without arguments: To, Cc, Bcc"
printf '%s' "$full" | inj QMAILQUEUE="$T/record" -- -h arg1
is "$(recorded_env)" "Ftester@box.example.org Tto@example.net Tcc@box.example.org Tbcc@example.net  " "-h: the header only"
printf '%s' "$full" | inj QMAILQUEUE="$T/record" -- -a arg1
is "$(recorded_env)" "Ftester@box.example.org Targ1@box.example.org  " "-a: the arguments only"
printf '%s' "$full" | inj QMAILQUEUE="$T/record" -- -H arg1
is "$(recorded_env)" "Ftester@box.example.org Targ1@box.example.org Tto@example.net Tcc@box.example.org Tbcc@example.net  " "-H: the arguments, then the header"
printf 'To: a@example.net\nApparently-To: app@example.net\n\n' | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@box.example.org Ta@example.net Tapp@example.net  " "Apparently-To is a recipient field"
printf 'To: Friends: one, two@example.net;, Solo <three>\n\n' | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@box.example.org Tone@box.example.org Ttwo@example.net Tthree@box.example.org  " "groups and angle addresses in To"

# A resent message: recipients from Resent-To/-Cc/-Bcc, Resent- fields added.
printf 'To: old@example.net\nFrom: o@example.net\nDate: x\nMessage-ID: <o@x>\nResent-To: new@example.net\nResent-Bcc: hid@example.net\n\nb\n' \
  | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@box.example.org Tnew@example.net Thid@example.net  " "resent: recipients from the Resent- fields"
got=$(sed -E 's/^(Resent-Date: )[A-Z][a-z]{2}, [0-9]+ [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} \+0000$/\1DATE/; s/^(Resent-Message-ID: <)[0-9]+\.[0-9]+\./\1T.P./' "$T/rec.msg")
is "$got" "Resent-Date: DATE
Resent-Message-ID: <T.P.cairn@id.example.org>
Resent-From: tester@box.example.org
To: old@example.net
From: o@example.net
Date: x
Message-ID: <o@x>
Resent-To: new@example.net

b" "resent: Resent-Date, Resent-Message-ID, Resent-From added, Resent-Bcc removed"

# The envelope sender.
printf 'Return-Path: <rp@example.com>\nTo: a@example.net\n\n' | inj QMAILQUEUE="$T/record" --
like "$(recorded_env)" "^Frp@example.com " "Return-Path gives the sender"
printf 'Return-Path: <rp@example.com>\nTo: a@example.net\n\n' | inj QMAILQUEUE="$T/record" -- -f f@example.com
like "$(recorded_env)" "^Ff@example.com " "-f overrides Return-Path"
printf 'Return-Path: <rp@example.com>\nTo: a@example.net\n\n' | inj QMAILQUEUE="$T/record" QMAILINJECT=s --
like "$(recorded_env)" "^Ftester@box.example.org " "QMAILINJECT=s ignores Return-Path"
printf 'To: a@example.net\n\n' | inj QMAILQUEUE="$T/record" QMAILSUSER=bounce QMAILSHOST=lists --
like "$(recorded_env)" "^Fbounce@lists.example.org " "QMAILSUSER and QMAILSHOST, qualified"
printf 'To: a@example.net\n\n' | inj QMAILQUEUE="$T/record" -- -f '<bare>'
like "$(recorded_env)" "^Fbare@box.example.org " "-f <bare> is qualified"

# From, from the environment.
fromline() { grep -a '^From: ' "$T/rec.msg"; }
printf 'To: a@example.net\n\n' | inj QMAILQUEUE="$T/record" QMAILUSER=alice QMAILHOST=h.example.com QMAILNAME='Alice "Al" Liddell' --
is "$(fromline)" 'From: "Alice \"Al\" Liddell" <alice@h.example.com>' "QMAILUSER, QMAILHOST, QMAILNAME make From"
like "$(recorded_env)" "^Falice@h.example.com " "and the sender follows From when QMAILSUSER/QMAILSHOST are unset"
printf 'To: a@example.net\n\n' | inj QMAILQUEUE="$T/record" MAILUSER=mu MAILHOST=mh MAILNAME=Mn --
is "$(fromline)" 'From: "Mn" <mu@mh.example.org>' "MAILUSER, MAILHOST, MAILNAME"
printf 'To: a@example.net\n\n' | env -i PATH="$PATH" LOGNAME=ln NAME=Nn QMAILINJECT=c QMAILQUEUE="$T/record" "$H/bin/inject"
is "$(fromline)" 'From: ln@box.example.org (Nn)' "LOGNAME, NAME, and QMAILINJECT=c for a comment"
printf 'To: a@example.net\n\n' | env -i PATH="$PATH" QMAILQUEUE="$T/record" "$H/bin/inject"
is "$(fromline)" 'From: anonymous@box.example.org' "no user variable: anonymous"
printf 'From: x@example.com\nMessage-ID: <keep@x>\nTo: a@example.net\n\n' | inj QMAILQUEUE="$T/record" QMAILINJECT=fi --
is "$(fromline)" 'From: tester@box.example.org' "QMAILINJECT=f replaces From"
unlike "$(cat "$T/rec.msg")" 'keep@x' "QMAILINJECT=i replaces Message-ID"

# Control files and the variables that override them.
printf 'To: bob, carol@silverton, eric@mammoth+\n\n' | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@box.example.org Tbob@box.example.org Tcarol@silverton.example.org Teric@mammoth.plus.example.net  " \
  "defaulthost, defaultdomain, plusdomain from control/"
like "$(grep -a '^Message-ID' "$T/rec.msg")" '^Message-ID: <[0-9]+\.[0-9]+\.cairn@id\.example\.org>$' "Message-ID from control/idhost"
printf 'To: bob, carol@silverton, eric@mammoth+\n\n' \
  | inj QMAILQUEUE="$T/record" QMAILDEFAULTHOST=dh.example QMAILDEFAULTDOMAIN=dd.example QMAILPLUSDOMAIN=pd.example QMAILIDHOST=ih.example --
is "$(recorded_env)" "Ftester@dh.example Tbob@dh.example Tcarol@silverton.dd.example Teric@mammoth.pd.example  " \
  "QMAILDEFAULTHOST, QMAILDEFAULTDOMAIN, QMAILPLUSDOMAIN override control/"
like "$(grep -a '^Message-ID' "$T/rec.msg")" '@ih\.example>$' "QMAILIDHOST overrides control/idhost"
rm "$C/defaulthost" "$C/defaultdomain" "$C/plusdomain" "$C/idhost"
printf 'To: bob, carol@silverton, eric@mammoth+\n\n' | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@me.example.net Tbob@me.example.net Tcarol@silverton.me.example.net Teric@mammoth.me.example.net  " \
  "without those files, control/me stands for each"
rm "$C/me"
printf 'To: bob, carol@silverton, eric@mammoth+\n\n' | inj QMAILQUEUE="$T/record" --
is "$(recorded_env)" "Ftester@defaulthost.defaultdomain Tbob@defaulthost.defaultdomain Tcarol@silverton.defaultdomain Teric@mammoth.plusdomain  " \
  "without me either, the literal names qmail documents"
like "$(grep -a '^Message-ID' "$T/rec.msg")" '@idhost>$' "and idhost"
done_testing
