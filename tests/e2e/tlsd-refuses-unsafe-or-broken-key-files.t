#!/bin/sh
# tlsd-refuses-unsafe-or-broken-key-files: when control/tlscert or
# control/tlskey cannot be used, smtpd still runs but does not offer
# STARTTLS, and tlsd's log line names the file and the reason: a key
# readable by others, a missing key, a key that belongs to another
# certificate, a certificate file without a certificate, a key file in
# no known format. A key with EC PARAMETERS before it (openssl ecparam
# -genkey) and a PKCS#8 key both work. showctl names a key that others
# can read, as tlsd does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
smtpd_rules '127.0.0.1:allow'
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"
smtpd_start

offers() { smtp 'EHLO c.example\r\n' 'QUIT\r\n' | grep -c '^250-STARTTLS$'; }
# offered WANT REASON-ERE NAME: EHLO offers STARTTLS (1) or not (0), and
# the newest log line of tlsd matches REASON-ERE when not
offered() {
  got=$(offers)
  is "$got" "$1" "$3: STARTTLS $( [ "$1" = 1 ] && echo offered || echo not offered )"
  if [ -n "$2" ]; then
    like "$(grep 'tlsd:' "$T/tcpserver.log" | tail -n 1)" "$2" "$3: the log says why"
  fi
}

tls_cert ec
offered 1 "" "a good EC key"
chmod 644 "$H/control/tlskey"
offered 0 'tlsd: warning: no TLS \(STARTTLS not offered\): control/tlskey: readable by others: chmod 600 it' "key readable by others"
"$H/bin/showctl" > "$T/showctl.out" 2>&1
ok $((! $?)) "  showctl exits non-zero"
like "$(cat "$T/showctl.out")" 'problem: control/tlskey: readable by others: chmod 600 it' "  and names the key's problem too"
chmod 600 "$H/control/tlskey"
offered 1 "" "chmod 600 again"
mv "$H/control/tlskey" "$T/key.ec"
offered 0 'control/tlskey: No such file or directory' "no key file"
cp "$H/control/tlscert" "$T/cert.ec"
tls_cert ec
cp "$T/key.ec" "$H/control/tlskey"
offered 0 'control/tlskey: the private key does not belong to the first certificate' "a key of another certificate"
tls_cert rsa
cp "$T/cert.ec" "$H/control/tlscert"
offered 0 'control/tlskey: the key is RSA, the certificate.s key is not' "an RSA key for an EC certificate"
echo "not a certificate" > "$H/control/tlscert"
offered 0 'control/tlscert: no PEM object' "a certificate file without PEM"
tls_cert ec
sed -n '1,3p' "$H/control/tlscert" > "$T/cut" && cp "$T/cut" "$H/control/tlscert"
offered 0 'control/tlscert: truncated PEM object' "a truncated certificate"
tls_cert ec
printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' > "$H/control/tlskey"
offered 0 'control/tlskey: the private key does not decode' "a key that does not decode"

# what openssl ecparam -genkey writes: EC PARAMETERS, then the key
(umask 077; openssl ecparam -name prime256v1 -genkey -out "$H/control/tlskey" 2>/dev/null)
openssl req -x509 -new -key "$H/control/tlskey" -out "$H/control/tlscert" -days 2 -subj /CN=mx.example.org 2>/dev/null
like "$(head -n 1 "$H/control/tlskey")" 'EC PARAMETERS' "(the key file starts with EC PARAMETERS)"
offered 1 "" "an SEC 1 EC key after EC PARAMETERS"
(umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$H/control/tlskey" 2>/dev/null)
openssl req -x509 -new -key "$H/control/tlskey" -out "$H/control/tlscert" -days 2 -subj /CN=mx.example.org 2>/dev/null
like "$(head -n 1 "$H/control/tlskey")" 'BEGIN PRIVATE KEY' "(the key file is PKCS#8)"
offered 1 "" "a PKCS#8 RSA key"
done_testing
