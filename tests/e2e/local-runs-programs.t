#!/bin/bash
# local-runs-programs: a "|command" line runs sh -c command in the home with
# the message, exactly as queued, on stdin and qmail-command(8)'s
# environment; exit 0 delivers, 99 delivers and skips later lines, 100 and
# the sendmail codes (64 ...) fail permanently, 111, other codes and
# signals fail temporarily; the command's first output line is the report
# (cleaned, bounded) or comes before "did".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp" "$home/vars"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: prog\n\nFrom body\n' > "$msg"
run() { # run LOCAL DASH EXT
  out=$(cd / && DEFAULT=inherited NEWSENDER=inherited "$T/bin/local" "$me" "$home" "$1" "$2" "$3" mail.example.org "$sender" ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}
sender='ann@example.net'
vars="USER HOME LOCAL HOST HOST2 HOST3 HOST4 RECIPIENT SENDER NEWSENDER EXT EXT2 EXT3 EXT4 DEFAULT DTLINE RPLINE UFLINE"
cat > "$home/record" <<'S'
for v in USER HOME LOCAL HOST HOST2 HOST3 HOST4 RECIPIENT SENDER NEWSENDER EXT EXT2 EXT3 EXT4 DEFAULT DTLINE RPLINE UFLINE; do
  eval "val=\${$v-UNSET}"
  printf '%s' "$val" > "vars/$v"
done
cat > stdin.out
pwd > pwd.out
echo "recorded it"
echo "second line"
S
printf '|sh ./record\n' > "$home/.qmail-prog-default"

run joe-prog-x-y - prog-x-y
is "$rc" 0 "a program that exits 0: delivered (0)"
is "$out" "recorded it"$'\n'"did 0+0+1" "report: the program's first output line, then did 0+0+1 on its own line"
cmp_files "$home/stdin.out" "$msg" "the program reads the message exactly (no Return-Path, no Delivered-To)"
is "$(cat "$home/pwd.out")" "$home" "it runs in the home directory"
v() { cat "$home/vars/$1"; }
is "$(v USER)" "$me" "USER"
is "$(v HOME)" "$home" "HOME"
is "$(v LOCAL)" "joe-prog-x-y" "LOCAL"
is "$(v HOST)" "mail.example.org" "HOST"
is "$(v HOST2)" "mail.example" "HOST2"
is "$(v HOST3)" "mail" "HOST3"
is "$(v HOST4)" "mail" "HOST4"
is "$(v RECIPIENT)" "joe-prog-x-y@mail.example.org" "RECIPIENT"
is "$(v SENDER)" "ann@example.net" "SENDER"
is "$(v NEWSENDER)" "ann@example.net" "NEWSENDER (no -owner file: the sender)"
is "$(v EXT)" "prog-x-y" "EXT"
is "$(v EXT2)" "x-y" "EXT2"
is "$(v EXT3)" "y" "EXT3"
is "$(v EXT4)" "" "EXT4 (empty)"
is "$(v DEFAULT)" "x-y" "DEFAULT: the part matched by -default"
printf 'Delivered-To: joe-prog-x-y@mail.example.org\n' > "$T/w"; cmp_files "$home/vars/DTLINE" "$T/w" "DTLINE, with its newline"
printf 'Return-Path: <ann@example.net>\n' > "$T/w"; cmp_files "$home/vars/RPLINE" "$T/w" "RPLINE, with its newline"
like "$(v UFLINE)" '^From ann@example\.net [A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9:]{8} [0-9]{4}$' "UFLINE"
ok $([ "$(tail -c 1 "$home/vars/UFLINE" | od -An -c | tr -d ' ')" = '\n' ]; echo $?) "  with its newline"

# An address without -default match: DEFAULT is not set at all (not the
# inherited value).
printf '|sh ./record\n' > "$home/.qmail-exact"
run joe-exact - exact
is "$rc" 0 "an exact .qmail-exact delivery"
is "$(v DEFAULT)" "UNSET" "  DEFAULT is unset (an inherited DEFAULT is removed)"
is "$(v EXT2)" "" "  EXT2 of an extension without a dash is empty"
is "$(v HOST4)" "mail" "  HOST4"

# Exit codes.
code() { # code NAME COMMAND-LINE... : .qmail-NAME holds the lines
  printf '%s\n' "${@:2}" > "$home/.qmail-$1"
  run "joe-$1" - "$1"
}
n0=$(ls "$home/Maildir/new" | wc -l)
code e99 '|echo stop here; exit 99' './Maildir/' '|touch ran-after-99'
is "$rc" 0 "exit 99: delivered (0)"
is "$out" "stop here"$'\n'"did 0+0+1" "  report counts the program only"
is "$(ls "$home/Maildir/new" | wc -l)" "$n0" "  the Maildir line after it is skipped"
ok $([ ! -e "$home/ran-after-99" ]; echo $?) "  and so is the program after it"

code e100 '|echo "no such list member"; exit 100' './Maildir/'
is "$rc" 100 "exit 100: permanent failure (100)"
is "$out" "no such list member" "  report: the program's output"
is "$(ls "$home/Maildir/new" | wc -l)" "$n0" "  later lines are not delivered"
code e100q '|exit 100'
is "$rc" 100 "exit 100 without output: 100"
is "$out" "Command exited with code 100. (#5.0.0)" "  report says so"
for c in 64 65 70 76 77 78 112; do
  code "e$c" "|exit $c"
  is "$rc" 100 "exit $c (a sendmail hard error, as qmail-local): 100"
done
code e111 '|echo "try later" >&2; exit 111'
is "$rc" 111 "exit 111: temporary failure (111)"
is "$out" "try later" "  report: what the program wrote on stderr"
for c in 1 2 75 101 255; do
  code "e$c" "|exit $c"
  is "$rc" 111 "exit $c: temporary (111)"
done
is "$out" "Command exited with code 255. (#4.0.0)" "  report names the code"
code sig '|kill -9 $$'
is "$rc" 111 "a program killed by a signal: temporary (111)"
is "$out" "Command crashed with signal 9. (#4.3.0)" "  report names the signal"
code nosh '|/nonexistent/program'
is "$rc" 111 "a command that is not found: temporary (111)"

# Output: control bytes are cleaned, the line is bounded, only the first
# line is kept, and all of it is read (a writer of much output finishes).
code noisy "|printf 'a\\0b\\tc\\001d\\n'; yes xxxxxxxxx | head -c 300000"
is "$rc" 0 "a program with 300 KB of output finishes"
is "$out" "a?b c?d"$'\n'"did 0+0+1" "  NUL and control bytes become ?, a tab a space, first line only"
code long "|yes y | head -c 5000 | tr -d '\\n'; echo"
is "$rc" 0 "a 5000-byte output line"
is "$out" "$(head -c 400 /dev/zero | tr '\0' y)"$'\n'"did 0+0+1" "  is cut at 400 bytes in the report"

# The message is given again to each program: two programs both read it all.
printf '|cat > one.out\n|cat > two.out\n' > "$home/.qmail-two"
run joe-two - two
is "$rc" 0 "two programs in one .qmail"
is "$out" "did 0+0+2" "  report did 0+0+2"
cmp_files "$home/one.out" "$msg" "  the first reads the whole message"
cmp_files "$home/two.out" "$msg" "  the second too"
done_testing
