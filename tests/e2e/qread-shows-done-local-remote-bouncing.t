#!/bin/bash
# qread-shows-done-local-remote-bouncing: a message queued with
# $H/bin/queue and then preprocessed by hand as send does it (info/ with
# F<sender>, local/ and remote/ with T and D items, todo/ and intd/
# removed, a bounce/ file) is listed with qmail-qread's exact lines:
#   date of info/'s mtime GMT  #ID  SIZE  <sender>  bouncing
#   <TAB>local<TAB>addr, "  done<TAB>remote<TAB>addr", ...
# while a second message still in todo/ is listed as not yet preprocessed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

printf 'Falice@example.com\0Tjoe@localhost\0Tbob@example.net\0Tcarol@example.org\0Tdan@example.com\0\0' > "$T/env"
printf 'Subject: status\n\nhello\n' | "$H/bin/queue" 1<"$T/env"
ok $? "queue takes the first message"
first=$(ls "$Q/todo")
printf 'F\0Tpostmaster@localhost\0\0' > "$T/env"
printf 'Subject: later\n\n' | "$H/bin/queue" 1<"$T/env"
ok $? "queue takes the second message"
second=$(ls "$Q/todo" | grep -vx "$first")
b=$((first % split))

# Preprocess the first by hand, in send's order: info, local, remote, then
# todo/ and intd/ go. joe local and done, bob remote done, carol remote to
# do, dan remote to do; one permanent failure noted in bounce/.
printf 'Falice@example.com\0' > "$Q/info/$b/$first"
printf 'Djoe@localhost\0' > "$Q/local/$b/$first"
printf 'Dbob@example.net\0Tcarol@example.org\0Tdan@example.com\0' > "$Q/remote/$b/$first"
rm "$Q/todo/$first" "$Q/intd/$first"
printf '<bob@example.net>:\nSorry, no mailbox here by that name.\n\n' > "$Q/bounce/$first"
touch -d '2026-01-02 03:04:05 UTC' "$Q/mess/$b/$first"
touch -d '2026-01-09 10:11:12 UTC' "$Q/info/$b/$first"
touch -d '2024-12-25 00:00:01 UTC' "$Q/mess/$((second % split))/$second"
size1=$(stat -c %s "$Q/mess/$b/$first")
size2=$(stat -c %s "$Q/mess/$((second % split))/$second")

"$H/bin/qread" > "$T/got" 2> "$T/err"
ok $? "qread exits 0"
is "$(cat "$T/err")" "" "qread prints nothing on stderr"
grep -A4 "#$first " "$T/got" > "$T/got1"
printf '9 Jan 2026 10:11:12 GMT  #%s  %s  <alice@example.com>  bouncing\n  done\tlocal\tjoe@localhost\n  done\tremote\tbob@example.net\n\tremote\tcarol@example.org\n\tremote\tdan@example.com\n' "$first" "$size1" > "$T/want1"
cmp_files "$T/got1" "$T/want1" "the preprocessed message: info/'s date, bouncing, done/local/remote lines"
grep -A1 "#$second " "$T/got" > "$T/got2"
printf '25 Dec 2024 00:00:01 GMT  #%s  %s  <>  not yet preprocessed\n\ttodo\tpostmaster@localhost\n' "$second" "$size2" > "$T/want2"
cmp_files "$T/got2" "$T/want2" "the message in todo/: mess/'s date, marked not yet preprocessed"
is "$(wc -l < "$T/got")" 7 "nothing else is listed"

# The bounce is sent and bounce/ removed; the last remote recipients done.
rm "$Q/bounce/$first"
printf 'Dbob@example.net\0Dcarol@example.org\0Tdan@example.com\0' > "$Q/remote/$b/$first"
touch -d '2026-01-09 10:11:12 UTC' "$Q/info/$b/$first"
"$H/bin/qread" | grep -A3 "#$first " > "$T/got1"
printf '9 Jan 2026 10:11:12 GMT  #%s  %s  <alice@example.com> \n  done\tlocal\tjoe@localhost\n  done\tremote\tbob@example.net\n  done\tremote\tcarol@example.org\n' "$first" "$size1" > "$T/want1"
head -4 "$T/want1" > "$T/want1.4"
cmp_files "$T/got1" "$T/want1.4" "without bounce/ the line ends in '> ', and D items show done"

# local/ removed once all its addresses are done, as send does.
rm "$Q/local/$b/$first"
got=$("$H/bin/qread" | grep -A1 "#$first " | tail -1)
is "$got" "  done	remote	bob@example.net" "without local/ the remote recipients come first"

is "$("$H/bin/qstat")" "messages in queue: 2
messages in queue but not yet preprocessed: 1" "qstat: two messages, one not yet preprocessed"
done_testing
