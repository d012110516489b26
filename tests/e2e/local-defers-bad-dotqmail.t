#!/bin/bash
# local-defers-bad-dotqmail: a .qmail that local cannot trust or
# understand defers the delivery (111) with a message naming the file (and
# line), and nothing is delivered: a line that is none of the forms, a
# blank first line, a group- or world-writable .qmail, a file or program
# line in a forward-only .qmail, an unopenable or oversized .qmail; also a
# writable or sticky home, a missing home, and wrong arguments.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: bad\n\nbody\n' > "$msg"
run() { # run LOCAL DASH EXT
  out=$("$T/bin/local" "$me" "$home" "$1" "$2" "$3" example.org ann@example.net ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}
count() { ls "$home/Maildir/new" | wc -l; }
q() { printf "$1" > "$home/.qmail"; chmod 644 "$home/.qmail"; }

q './Maildir/\n <joe@example.org>\n'
run joe "" ""
is "$rc" 111 "a line starting with a space defers (111)"
is "$out" "Uh-oh: .qmail line 2 is not a delivery instruction. (#4.2.1)" "  naming the file and line"
is "$(count)" 0 "  and the good line before it is not delivered either"

printf '# list\n|ok\n%%weird\n' > "$home/.qmail-foo"; chmod 644 "$home/.qmail-foo"
run joe-foo - foo
is "$rc" 111 "a bad line in .qmail-foo defers"
is "$out" "Uh-oh: .qmail-foo line 3 is not a delivery instruction. (#4.2.1)" "  naming .qmail-foo line 3"

q '\n./Maildir/\n'
run joe "" ""
is "$rc" 111 "a blank first line defers (qmail's rule: the file may be half-written)"
like "$out" '^Uh-oh: \.qmail line 1 is blank' "  saying so"

q './Maildir/\n'; chmod 664 "$home/.qmail"
run joe "" ""
is "$rc" 111 "a group-writable .qmail defers"
is "$out" "Uh-oh: .qmail is group- or world-writable. (#4.7.0)" "  saying so"
q './Maildir/\n'; chmod 646 "$home/.qmail"
run joe "" ""
is "$rc" 111 "a world-writable .qmail defers"

q './Maildir/\n'; chmod 744 "$home/.qmail"
run joe "" ""
is "$rc" 111 "a .qmail with its x bit (forward only) and a Maildir line defers"
like "$out" '^Uh-oh: \.qmail line 1 is a file delivery but this \.qmail may only forward .*\(#4\.7\.0\)$' "  saying so"
q 'fwd@example.com\n+list\n|prog\n'
run joe "" ""
is "$rc" 111 "a program line after +list defers"
like "$out" '^Uh-oh: \.qmail line 3 is a program delivery' "  naming line 3"

rm -f "$home/.qmail"; mkdir "$home/.qmail"; chmod 755 "$home/.qmail"
run joe "" ""
is "$rc" 111 "a .qmail that is a directory defers"
like "$out" '^Unable to read \.qmail: Is a directory\. \(#4\.3\.0\)$' "  saying so"
rmdir "$home/.qmail"

ln -s .qmail "$home/.qmail"
run joe "" ""
is "$rc" 111 "a .qmail that cannot be opened (symlink loop) defers, not falls back to the default"
like "$out" '^Unable to open \.qmail: Too many levels of symbolic links\. \(#4\.2\.1\)$' "  saying so"
rm "$home/.qmail"

{ for i in $(seq 1 30000); do echo "# comment line $i"; done; echo './Maildir/'; } > "$home/.qmail"; chmod 644 "$home/.qmail"
run joe "" ""
is "$rc" 111 "a .qmail over 256 KB defers"
like "$out" '^Uh-oh: \.qmail is larger than 262144 bytes\. \(#4\.2\.1\)$' "  saying so"
rm "$home/.qmail"

chmod 775 "$home"
run joe "" ""
is "$rc" 111 "a group-writable home defers"
is "$out" "Uh-oh: home directory is group- or world-writable. (#4.7.0)" "  saying so"
chmod 1755 "$home"
run joe "" ""
is "$rc" 111 "a sticky home (the user is editing .qmail) defers"
is "$out" "Home directory is sticky: user is editing his .qmail file. (#4.2.1)" "  with qmail's text"
chmod 755 "$home"

out=$("$T/bin/local" "$me" "$T/nohome" joe "" "" example.org a@b ./Maildir/ < "$msg"); rc=$?
is "$rc" 111 "a missing home defers"
is "$out" "Unable to switch to $T/nohome: No such file or directory. (#4.3.0)" "  naming it"

out=$("$T/bin/local" "$me" "$home" joe "" "" example.org a@b < "$msg"); rc=$?
is "$rc" 111 "seven arguments instead of eight: 111 (never a bounce for a system error)"
like "$out" 'usage: local \[-nN\] user homedir local dash ext domain sender defaultdelivery' "  with the usage"
out=$("$T/bin/local" "$me" relative joe "" "" example.org a@b ./Maildir/ < "$msg"); rc=$?
is "$rc" 111 "a relative home: 111"
out=$("$T/bin/local" -- "$me" "$home" joe "" "" example.org a@b ./Maildir/ < "$msg"); rc=$?
is "$rc" 0 "with -- before the arguments (as lspawn runs it): delivered"
is "$(count)" 1 "  only that delivery reached the Maildir"
done_testing
