#!/bin/bash
# lspawn-answers-every-request: lspawn, driven directly over its two pipes
# (cairn-spawn(5)), runs conf-home/bin/local once per request with
# qmail-lspawn's arguments, the message on fd 0 and the home as working
# directory, and answers every request with one result: local's exit 0 is
# K, 100 is D, 111 and any other code Z, a signal Z "local crashed", with
# local's output (at most 4000 bytes) as the text. Deliveries run at once,
# a slow one holds up no other, end of input lets the running ones finish,
# and a malformed request makes lspawn exit 111 with a message.
# bin/local is a stub here, doing what its local part says, so that this
# test proves lspawn's side of the contract alone (the real local is in
# lspawn-delivers-to-maildir.t; its workers in
# lspawn-runs-workers-per-user.t).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
shopt -s lastpipe   # "requests | run" sets rc in this shell
instance_new
[ -x "$T/bin/newu" ] || { echo "Bail out! no newu to compile users/assign"; exit 1; }
me=$(id -un) uid=$(id -u) gid=$(id -g)
S=$T/stub
mkdir "$S" "$T/alice" "$T/wild"
export STUBDIR=$S

cat > "$H/bin/local" <<'EOF'
#!/bin/sh
# stub local: records what it was given, then acts as its local part says
local=$4
printf '%s\n' "$@" > "$STUBDIR/$local.args"
pwd > "$STUBDIR/$local.pwd"
cat > "$STUBDIR/$local.msg"
case $local in
  alice) echo "did 0+0+1/"; exit 0 ;;
  perm) echo "permanent reason"; exit 100 ;;
  temp) printf 'first line\nsecond line\n'; exit 111 ;;
  seven) echo "odd exit"; exit 7 ;;
  quiet) exit 0 ;;
  quiet100) exit 100 ;;
  quiet111) exit 111 ;;
  crash) echo "about to die"; kill -KILL $$ ;;
  big) head -c 200000 /dev/zero | tr '\0' x; exit 0 ;;
  slow*) sleep 2; echo "$local done"; exit 0 ;;
  bg) sleep 60 & echo $! > "$STUBDIR/bg.pid"; echo "left a process behind"; exit 0 ;;
esac
echo "stub: unknown local $local"; exit 111
EOF
chmod 755 "$H/bin/local"

cat > "$H/users/assign" <<EOF
=alice:$me:$uid:$gid:$T/alice:::
=nohome:$me:$uid:$gid:$T/nohome:::
+:$me:$uid:$gid:$T/wild:-::
.
EOF
"$T/bin/newu" || { echo "Bail out! newu failed"; exit 1; }

# One real queue entry, for its mess file and id.
printf 'Subject: test\n\nhello\n' > "$T/msg"
printf 'Fsender@example.org\0Talice@example.org\0\0' > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" || { echo "Bail out! queue failed"; exit 1; }
id=$(ls "$H/queue/todo")
mess=$H/queue/mess/$((id % ${CAIRN_SPLIT:-23}))/$id
[ -f "$mess" ] || { echo "Bail out! no mess file for $id"; exit 1; }

req() { printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "$4"; }

# The results in $T/out, one a line into $T/res: "SLOT STATUS TEXT" with
# LF shown as \n; a stream that is not whole results gives BROKEN.
parse() {
  python3 - "$T/out" > "$T/res" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
if d and not d.endswith(b'\0'): print('BROKEN: no final NUL'); sys.exit()
f = d.split(b'\0')[:-1]
if len(f) % 2: print('BROKEN: odd number of fields'); sys.exit()
for i in range(0, len(f), 2):
    print(f[i].decode(), f[i+1][:1].decode(), f[i+1][1:].decode('latin-1').replace('\n', '\\n'))
PY
}

# Runs lspawn with the requests on stdin (then end of input); results in
# $T/out and $T/res, messages in $T/err, exit code in rc, seconds taken in
# secs. "run quick" does not parse the results.
run() {
  local t0 t1
  t0=$(date +%s.%N)
  (cd / && "$T/bin/lspawn" ./Maildir/) > "$T/out" 2> "$T/err"
  rc=$?
  t1=$(date +%s.%N)
  secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
  [ "${1:-}" = quick ] || parse
}
results() { cat "$T/res"; }
result() { grep "^$1 " "$T/res"; }

# 1. One request of each kind, in one run.
{
  req 0 "$id" sender@example.org alice@example.org
  req 1 "$id" "" perm@example.org
  req 2 "$id" s@x temp@example.org
  req 3 "$id" s@x seven@example.org
  req 4 "$id" s@x quiet@example.org
  req 5 "$id" s@x quiet100@example.org
  req 6 "$id" s@x quiet111@example.org
  req 7 "$id" s@x crash@example.org
  req 8 "$id" s@x a@b@example.org
  req 9 999999999 s@x alice@example.org
  req 10 "$id" s@x nohome@example.org
  req 999 "$id" s@x noat
} | run
is "$rc" 0 "end of input: lspawn exits 0 when every delivery is done"
is "$(cat "$T/err")" "lspawn: warning: $H/bin/local has no worker mode (a wrapper?): running one local per delivery" \
  "on stderr only, once: the stub bin/local is run once per delivery, not as a worker (lspawnwork.h)"
is "$(results | wc -l)" 12 "12 requests, 12 results"
is "$(result 0)" '0 K did 0+0+1/\n' "exit 0 is K with local's output"
is "$(result 1)" '1 D permanent reason\n' "exit 100 is D with local's output"
is "$(result 2)" '2 Z first line\nsecond line\n' "exit 111 is Z with local's output, lines and all"
is "$(result 3)" '3 Z odd exit\n' "another exit code (7) is Z"
is "$(result 4)" '4 K Delivered.\n' "silent exit 0: K Delivered."
is "$(result 5)" '5 D local exited 100 without explanation. (#5.3.0)\n' "silent exit 100: D with a fixed text"
is "$(result 6)" '6 Z local exited 111 without explanation. (#4.3.0)\n' "silent exit 111: Z with a fixed text"
is "$(result 7)" '7 Z local crashed. (#4.3.0)\n' "killed by a signal: Z local crashed"
is "$(result 8)" '8 Z stub: unknown local a@b\n' "a@b@example.org reaches local"
is "$(result 9)" '9 Z Unable to open message: No such file or directory (#4.3.0)\n' "missing mess file: Z Unable to open message"
is "$(result 10)" "10 Z Unable to switch to $T/nohome: No such file or directory (#4.3.0)\\n" "missing home: Z Unable to switch to the home, named"
is "$(result 999)" '999 Z stub: unknown local noat\n' "slot 999, the largest, and an address without @"

is "$(cat "$S/alice.args")" "--
$me
$T/alice
alice


example.org
sender@example.org
./Maildir/" "local gets -- user home local dash ext domain sender defaultdelivery"
is "$(cat "$S/alice.pwd")" "$T/alice" "local runs in the user's home"
cmp_files "$S/alice.msg" "$mess" "local reads the queued message on fd 0"
is "$(sed -n '2,9p' "$S/perm.args" | tr '\n' '|')" "$me|$T/wild|perm|-|perm|example.org||./Maildir/|" "wildcard user: dash -, ext the local part; null sender as an empty argument"
is "$(sed -n '4p;7p' "$S/a@b.args" | tr '\n' '|')" "a@b|example.org|" "the recipient is split at its last @"
is "$(sed -n '4p;7p' "$S/noat.args" | tr '\n' '|')" "noat||" "an address without @ has an empty domain"
ok "$([ ! -e "$S/nohome.args" ]; echo $?)" "local is not run when the home is missing"

# 2. Output is cut to 4000 bytes, and a child writing far more than a pipe
#    holds is drained, not left blocked.
req 0 "$id" s@x big@example.org | run
is "$rc" 0 "200000 bytes of output: lspawn exits 0"
is "$(results)" "0 K $(head -c 4000 /dev/zero | tr '\0' x)" "the text is the first 4000 bytes of the output"

# 3. 20 deliveries at once, each taking 2 seconds: all answered, together.
for i in $(seq 0 19); do req "$i" "$id" s@x "slow$i@example.org"; done | run
is "$rc" 0 "20 slow deliveries: exit 0 after they finish"
is "$(results | grep -c ' K slow[0-9]* done')" 20 "20 requests at once, 20 K results"
is "$(results | awk '{print $1}' | sort -n | tr '\n' ' ')" "$(seq 0 19 | tr '\n' ' ')" "each slot answered once"
ok "$(awk "BEGIN { exit !($secs < 15) }"; echo $?)" "20 deliveries of 2 s ran at once (took $secs s)"

# 4. A slow delivery holds up no other: the fast one's result comes first.
{ req 0 "$id" s@x slowfirst@example.org; req 1 "$id" s@x alice@example.org; } | run
is "$(results | head -1 | cut -c1-3)" "1 K" "the fast delivery is answered before the slow one"
is "$(results | sed -n 2p)" '0 K slowfirst done\n' "the slow one is answered when it ends"

# 5. A process that local leaves behind holding its output does not hold
#    up the result.
req 0 "$id" s@x bg@example.org | run
[ -s "$S/bg.pid" ] && at_exit "kill $(cat "$S/bg.pid") 2>/dev/null"
is "$(results)" '0 K left a process behind\n' "local that leaves a process behind: K"
ok "$(awk "BEGIN { exit !($secs < 20) }"; echo $?)" "result without waiting for the leftover process (took $secs s)"

# 6. Malformed input and a busy slot: exit 111 with a message.
malformed() { # malformed NAME EXPECTED-MESSAGE-REGEX (requests on stdin)
  run quick
  is "$rc" 111 "$1: exit 111"
  like "$(cat "$T/err")" "$2" "$1: says why"
}
printf 'x\0001\000s\000r@x\000' | malformed "slot not a number" '^lspawn: fatal: protocol error: slot is not a decimal number$'
req 1000 "$id" s@x alice@example.org | malformed "slot 1000" '^lspawn: fatal: protocol error: slot number over the maximum$'
req 0 12x s@x alice@example.org | malformed "id not a number" '^lspawn: fatal: protocol error: message id is not a decimal number'
req 0 "$id" s@x "" | malformed "empty recipient" '^lspawn: fatal: protocol error: empty recipient$'
req 0 "$id" "$(head -c 1001 /dev/zero | tr '\0' a)" alice@example.org | malformed "1001-byte sender" '^lspawn: fatal: protocol error: address longer than 1000 bytes$'
printf '0\000%s\000s@x\000alice@exa' "$id" | malformed "end of input inside a request" '^lspawn: fatal: protocol error: input ends inside a message$'
{ req 0 "$id" s@x slowbusy@example.org; req 0 "$id" s@x alice@example.org; } | malformed "second request for a busy slot" '^lspawn: fatal: protocol error: request for slot 0, which is still busy$'

# 7. Trouble before local runs: temporary results, lspawn goes on.
mv "$H/bin/local" "$H/bin/local.away"
{ req 0 "$id" s@x alice@example.org; req 1 "$id" s@x perm@example.org; } | run
mv "$H/bin/local.away" "$H/bin/local"
is "$rc" 0 "local missing: lspawn still exits 0"
is "$(result 0)" '0 Z Unable to run local: No such file or directory (#4.3.0)\n' "local missing: Z Unable to run local"
printf 'not a cdb' > "$H/users/cdb"
req 0 "$id" s@x alice@example.org | run
like "$(results)" '^0 Z lspawn: .*users/cdb.*\(#4\.3\.0\)\\n$' "unreadable users/cdb: Z with the lookup's reason"

# 8. Usage.
(cd / && "$T/bin/lspawn" < /dev/null > /dev/null 2> "$T/err")
is "$?" 100 "no default delivery: exit 100"
like "$(cat "$T/err")" '^lspawn: usage: lspawn defaultdelivery$' "usage message"

done_testing
