#!/bin/bash
# install-sendmail-links: install -s ROOT (make install-sendmail
# DESTDIR=ROOT) points ROOT/usr/sbin/sendmail, /usr/lib/sendmail,
# /usr/bin/mailq and /usr/bin/newaliases at the home's programs. An
# existing sendmail (a file, or a symlink as Debian's /usr/lib/sendmail)
# is kept as NAME.orig-cairn, never deleted; a second run changes
# nothing; a name whose .orig-cairn is taken stops install untouched.
# The links work: sendmail -bp and mailq through them list the queue.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
R=$T/root
mkdir -p "$R/usr/sbin" "$R/usr/lib"
printf '#!/bin/sh\necho old sendmail\n' > "$R/usr/sbin/sendmail"
chmod 755 "$R/usr/sbin/sendmail"
ln -s ../sbin/sendmail "$R/usr/lib/sendmail"

"$T/bin/install" -s "$R" > "$T/out" 2> "$T/err"
is "$?" 0 "install -s ROOT: exit 0"
is "$(cat "$T/err")" "" "  nothing on stderr"
for n in usr/sbin/sendmail usr/lib/sendmail usr/bin/mailq; do
  is "$(readlink "$R/$n")" "$H/bin/sendmail" "$n -> conf-home/bin/sendmail"
done
is "$(readlink "$R/usr/bin/newaliases")" "$H/bin/newaliases" "usr/bin/newaliases -> conf-home/bin/newaliases"
is "$("$R/usr/sbin/sendmail.orig-cairn")" "old sendmail" "the old /usr/sbin/sendmail is kept as sendmail.orig-cairn"
is "$(readlink "$R/usr/lib/sendmail.orig-cairn")" "../sbin/sendmail" "the old /usr/lib/sendmail symlink is kept as it was"
like "$(cat "$T/out")" "kept the old program as $R/usr/sbin/sendmail.orig-cairn" "install says what it kept"
is "$(ls "$R/usr/bin" | tr '\n' ' ')" "mailq newaliases " "no .orig-cairn where nothing was; no temporary left"

ls -lR "$R" > "$T/before"
"$T/bin/install" -s "$R" > "$T/out2"
is "$?" 0 "a second install -s: exit 0"
is "$(cat "$T/out2")" "" "  with nothing to say"
ls -lR "$R" > "$T/after"
cmp_files "$T/after" "$T/before" "  and nothing changed"

printf 'Subject: q\n\nx\n' | "$H/bin/inject" -f a@example.org b@example.org
"$H/bin/qread" > "$T/qread"
like "$(cat "$T/qread")" "b@example.org" "a message is queued"
(cd / && "$R/usr/sbin/sendmail" -bp) > "$T/bp"
cmp_files "$T/bp" "$T/qread" "ROOT/usr/sbin/sendmail -bp lists it as qread"
(cd / && "$R/usr/bin/mailq") > "$T/mq"
cmp_files "$T/mq" "$T/qread" "ROOT/usr/bin/mailq too"

rm "$R/usr/sbin/sendmail"
echo 'reinstalled by another MTA' > "$R/usr/sbin/sendmail"
"$T/bin/install" -s "$R" > /dev/null 2> "$T/err"
is "$?" 111 "a non-cairn sendmail while sendmail.orig-cairn exists: exit 111"
like "$(cat "$T/err")" "sendmail.orig-cairn exists already" "  naming the file in the way"
is "$(cat "$R/usr/sbin/sendmail")" "reinstalled by another MTA" "  the file is untouched"
is "$("$R/usr/sbin/sendmail.orig-cairn")" "old sendmail" "  and so is the kept one"

R2=$T/root2
make -s -C "$top" install-sendmail O="$O" B="$T/bin" CONF="$T/conf" DESTDIR="$R2" > "$T/make.out" 2>&1
is "$?" 0 "make install-sendmail DESTDIR=ROOT2: exit 0"
is "$(readlink "$R2/usr/sbin/sendmail")" "$H/bin/sendmail" "  links ROOT2/usr/sbin/sendmail"
done_testing
