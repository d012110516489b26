#!/bin/sh
# showctl-checks-tls-destinations: showctl lists control/tlsdestinations
# and control/tlsca (default /etc/ssl/certs/ca-certificates.crt) with what
# they mean; a line with an unknown level is reported with its file and
# line, as remote itself says it (remote defers: Z "Unable to read control
# files: control/tlsdestinations:2: ..."), and a tlsca naming a file that
# cannot be read is a problem.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"

out=$("$H/bin/showctl" 2>&1); st=$?
is "$st" 0 "no TLS files: a sound configuration"
like "$out" '^control/tlsdestinations \(remote\): domain\[:none\|may\|encrypt\|verify\]' "tlsdestinations is listed with its meaning"
is "$(echo "$out" | sed -n '/^control\/tlsca /{n;p;}')" "  value: /etc/ssl/certs/ca-certificates.crt (default)" "tlsca's default"

printf 'example.com\n.example.net:encrypt\n' > "$H/control/tlsdestinations"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/ca.key" -out "$T/ca.pem" \
  -days 2 -subj "/CN=test CA" 2>/dev/null
echo "$T/ca.pem" > "$H/control/tlsca"
out=$("$H/bin/showctl" 2>&1); st=$?
is "$st" 0 "sound TLS files: exit 0"
is "$(echo "$out" | sed -n '/^control\/tlsdestinations /{n;N;p;}')" "  example.com
  .example.net:encrypt" "tlsdestinations' lines"
is "$(echo "$out" | sed -n '/^control\/tlsca /{n;p;}')" "  value: $T/ca.pem" "tlsca as set"

printf 'example.com\nexample.org:secure\n' > "$H/control/tlsdestinations"
echo "$T/missing.pem" > "$H/control/tlsca"
"$H/bin/showctl" -q > "$T/q" 2>&1; st=$?
is "$st" 100 "problems: exit 100"
like "$(cat "$T/q")" 'control/tlsdestinations:2: unknown level \(none, may, encrypt or verify\)' "the bad level with file and line"
like "$(cat "$T/q")" "control/tlsca:1: unable to read $T/missing\\.pem: No such file or directory" "the unreadable tlsca file"
printf 'x\n' > "$T/msg"
run_remote example.com a@example.org b@example.com
is "$REPORT" "ZUnable to read control files: control/tlsdestinations:2: unknown level (none, may, encrypt or verify) (#4.3.0)
|" "remote defers with the same file and line"
done_testing
