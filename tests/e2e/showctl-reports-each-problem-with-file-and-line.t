#!/bin/sh
# showctl-reports-each-problem-with-file-and-line: showctl lists every
# control file with its value or default and what it means (as
# qmail-showctl), and exits 0 on a sound configuration. Each malformed
# file is then reported with its file and line -- a non-number in
# concurrencyremote, a virtualdomains line without ':', a bad smtproutes
# port, a users/assign line newu refuses, a missing rcpthosts -- and it
# exits 100; -q prints the problems alone. What it reports is what the
# programs themselves say: smtpd's 421 and newu name the same file and
# line.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
echo 7 > "$H/control/concurrencylocal"
printf 'example.com:alice\n' > "$H/control/virtualdomains"
mta_user alice
mta_assign

out=$("$H/bin/showctl" 2> "$T/err"); st=$?
is "$st" 0 "a sound configuration: showctl exits 0"
is "$(cat "$T/err")" "" "  and says nothing on stderr"
like "$out" "^cairn home: $H$" "  it names the home"
like "$out" '^control/me \(inject, send, smtpd\): the fully-qualified name' "  each file with its programs and meaning"
is "$(echo "$out" | sed -n '/^control\/me /{n;p;}')" "  value: example.org" "  me's value"
is "$(echo "$out" | sed -n '/^control\/concurrencylocal /{n;p;}')" "  value: 7" "  concurrencylocal as set"
is "$(echo "$out" | sed -n '/^control\/concurrencyremote /{n;p;}')" "  value: 20 (default)" "  concurrencyremote's default"
is "$(echo "$out" | sed -n '/^control\/bouncehost /{n;p;}')" "  value: example.org (default: me)" "  bouncehost defaults to me"
is "$(echo "$out" | sed -n '/^control\/virtualdomains /{n;p;}')" "  example.com:alice" "  virtualdomains' lines"
"$H/bin/showctl" -q > "$T/q" 2>&1
is "$?:$(cat "$T/q")" "0:" "showctl -q: nothing to say, exit 0"

echo 'twenty' > "$H/control/concurrencyremote"
printf 'example.com:alice\nexample.net\n' > "$H/control/virtualdomains"
printf '# routes\na.example:relay.example:2x5\n:smart.example\n' > "$H/control/smtproutes"
echo 'many' > "$H/control/maxrcpt"
printf '=bob:%s:%s:%s:%s:::\n+x\n.\n' "$(id -un)" "$(id -u)" "$(id -g)" "$T" > "$H/users/assign"
echo 3 > "$H/control/concurencylocal"
out=$("$H/bin/showctl" 2> "$T/err"); st=$?
is "$st" 100 "malformed files: showctl exits 100"
err=$(cat "$T/err")
like "$err" '^showctl: warning: control/concurrencyremote:1: not a number$' "  concurrencyremote:1: not a number"
like "$err" "^showctl: warning: control/virtualdomains:2: line without ':'$" "  virtualdomains:2: line without ':'"
like "$err" '^showctl: warning: control/smtproutes:2: bad port$' "  smtproutes:2 (after a comment): the port, as remote's own parser says it"
like "$err" '^showctl: warning: control/maxrcpt:1: not a number$' "  maxrcpt:1: not a number"
like "$err" '^showctl: warning: users/assign:2: ' "  users/assign:2"
like "$err" '^showctl: fatal: 5 problems in the configuration of ' "  five problems counted"
like "$out" '^control/concurencylocal: not a control file cairn reads' "  a misspelt file name is pointed out"
like "$out" '  problem: control/virtualdomains:2: line without' "  the listing marks the problem under its file"
"$H/bin/showctl" -q > "$T/q" 2> "$T/qerr"; st=$?
is "$st:$(cat "$T/q")" "100:" "showctl -q: exit 100, nothing on stdout"
is "$(cat "$T/qerr")" "$err" "  the same problems on stderr"

# The programs say the same.
newu_err=$(cd "$H" && "$H/bin/newu" 2>&1)
like "$newu_err" 'users/assign line 2: ' "newu refuses users/assign at the same line"
smtpd_start
r=$(smtp 'QUIT\r\n')
like "$r" '^421 ' "smtpd answers 421 to the same files"
wait_for 5 grep -q 'smtpd: fatal: control/maxrcpt:1: not a number' "$T/tcpserver.log"
ok $? "  and its log names control/maxrcpt:1, as showctl does"

# tlscert and tlskey, read as tlsd reads them
if command -v openssl > /dev/null; then
  mk() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=$1" \
    -keyout "$2" -out "$3" 2> /dev/null; }
  rm "$H/control/maxrcpt" "$H/control/concurrencyremote" "$H/control/virtualdomains" "$H/control/smtproutes"
  mta_assign
  mk example.org "$H/control/tlskey" "$H/control/tlscert"
  chmod 600 "$H/control/tlskey"
  out=$("$H/bin/showctl" 2> "$T/err"); st=$?
  is "$st:$(cat "$T/err")" "0:" "a certificate and its key: no problem"
  like "$out" '^  value: a chain of 1 certificate, an EC key$' "  shown as a chain of one, with an EC key"
  mk other.example "$H/control/tlskey" "$T/other.pem"
  chmod 600 "$H/control/tlskey"
  "$H/bin/showctl" -q 2> "$T/err"
  is "$?" 100 "a key of another certificate: exit 100"
  like "$(cat "$T/err")" 'control/tlskey: the private key does not belong to the first certificate' "  said as tlsd says it"
  chmod 644 "$H/control/tlskey"
  "$H/bin/showctl" -q 2> "$T/err"
  like "$(cat "$T/err")" 'control/tlskey: readable by others' "a key readable by others is a problem"
  rm "$H/control/tlskey"
  "$H/bin/showctl" -q 2> "$T/err"
  like "$(cat "$T/err")" 'control/tlskey: missing, but the other' "a certificate without its key is a problem"
  rm "$H/control/tlscert"
else
  pass "# skip needs openssl"
fi

rm -f "$H/control/rcpthosts" "$H/control/maxrcpt"
"$H/bin/showctl" -q 2> "$T/err"
like "$(cat "$T/err")" 'control/rcpthosts: missing: smtpd refuses every session' "a missing rcpthosts is a problem"
chmod 000 "$H/control/locals"
if [ "$(id -u)" != 0 ]; then
  "$H/bin/showctl" -q 2> "$T/err"; st=$?
  is "$st" 111 "an unreadable file: exit 111 (temporary)"
else
  pass "# skip an unreadable file: root reads everything"
fi
done_testing
