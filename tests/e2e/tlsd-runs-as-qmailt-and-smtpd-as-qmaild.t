#!/bin/sh
# tlsd-runs-as-qmailt-and-smtpd-as-qmaild: a multi-user instance, as
# root, with tcpserver running "tlsd smtpd" as root, as the smtpd service
# does: during a STARTTLS session the engine is a process of qmailt and
# smtpd one of qmaild, each with the group nofiles only, real, effective
# and saved ids alike; the key (root, mode 600) is not readable by qmaild
# and yet the handshake works; a key that qmaild could read (mode 640,
# group nofiles) is refused and STARTTLS not offered. With -U, -D and
# -G the ids given are used (not looked up), and root's is refused.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates users and runs a multi-user instance"
for c in useradd userdel groupadd groupdel setpriv openssl; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser
echo example.org > "$H/control/me"
echo example.org > "$H/control/rcpthosts"
"$H/bin/mkrcpt" || { echo "Bail out! mkrcpt failed"; exit 1; }
(umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$H/control/tlskey" \
  -out "$H/control/tlscert" -days 2 -subj /CN=mx.example.org 2>/dev/null) || { echo "Bail out! openssl"; exit 1; }
chmod 644 "$H/control/tlscert"
chmod 755 "$T"
smtpd_rules ':allow'
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"
smtpd_start

setpriv --reuid qmaild --regid nofiles --clear-groups cat "$H/control/tlskey" > /dev/null 2>&1
isnt=$?
ok $((isnt == 0)) "qmaild cannot read control/tlskey (root, mode 600)"

# the session, and who runs it, seen from /proc while it is open
"$PY" - "$SMTP_PORT" "$H/bin" > "$T/py.out" 2>&1 <<'PY'
import os, socket, ssl, sys
port, bindir = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(('127.0.0.1', port), timeout=10)
f = s.makefile('rb')
def reply():
    while True:
        l = f.readline().decode()
        if len(l) < 4 or l[3] != '-':
            return l.rstrip('\r\n')
reply()
s.sendall(b'EHLO c.example\r\n'); reply()
s.sendall(b'STARTTLS\r\n'); print(reply())
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s, server_hostname='mx.example.org')
f = s.makefile('rb')
s.sendall(b'EHLO c.example\r\n'); print(reply())
import pwd, grp
for p in sorted(filter(str.isdigit, os.listdir('/proc')), key=int):
    try:
        exe = os.readlink('/proc/%s/exe' % p)
        st = open('/proc/%s/status' % p).read()
    except OSError:
        continue
    if exe not in (bindir + '/tlsd', bindir + '/smtpd'):
        continue
    f_ = dict(l.split(':', 1) for l in st.splitlines() if ':' in l)
    uids = set(f_['Uid'].split()); gids = set(f_['Gid'].split())
    groups = f_['Groups'].split()
    print('%s %s %s %s' % (os.path.basename(exe),
        '/'.join(pwd.getpwuid(int(u)).pw_name for u in sorted(uids)),
        '/'.join(grp.getgrgid(int(g)).gr_name for g in sorted(gids)),
        ','.join(grp.getgrgid(int(g)).gr_name for g in groups) or '-'))
s.sendall(b'QUIT\r\n'); print(reply())
PY
is "$(cat "$T/py.out")" "220 2.0.0 ready to start TLS
250 SIZE
smtpd qmaild nofiles nofiles
tlsd qmailt nofiles nofiles
221 2.0.0 example.org" "over TLS: smtpd runs as qmaild, the engine as qmailt, each with nofiles only"

smtpd_stop

# the ids on the command line, as a root parent gives them: other users
# than conf-users' (the files are not read for them), root refused
groupadd -r cairntst-g || { echo "Bail out! groupadd failed"; exit 1; }
at_exit "groupdel cairntst-g"
for n in cairntst-e cairntst-p; do
  useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g cairntst-g $n || { echo "Bail out! useradd $n failed"; exit 1; }
  at_exit "user_del $n"
done
SMTPD_CMD="$H/bin/tlsd -U $(id -u cairntst-e) -D $(id -u cairntst-p) -G $(getent group cairntst-g | cut -d: -f3) $H/bin/smtpd"
smtpd_start
"$PY" - "$SMTP_PORT" "$H/bin" > "$T/py.out" 2>&1 <<'PY'
import grp, os, pwd, socket, ssl, sys
port, bindir = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(('127.0.0.1', port), timeout=10)
f = s.makefile('rb')
def reply():
    while True:
        l = f.readline().decode()
        if len(l) < 4 or l[3] != '-':
            return l.rstrip('\r\n')
reply()
s.sendall(b'EHLO c.example\r\n'); reply()
s.sendall(b'STARTTLS\r\n'); print(reply())
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s, server_hostname='mx.example.org')
f = s.makefile('rb')
s.sendall(b'EHLO c.example\r\n'); print(reply())
for p in sorted(filter(str.isdigit, os.listdir('/proc')), key=int):
    try:
        exe = os.readlink('/proc/%s/exe' % p)
        st = open('/proc/%s/status' % p).read()
    except OSError:
        continue
    if exe not in (bindir + '/tlsd', bindir + '/smtpd'):
        continue
    f_ = dict(l.split(':', 1) for l in st.splitlines() if ':' in l)
    print('%s %s %s %s' % (os.path.basename(exe),
        '/'.join(pwd.getpwuid(int(u)).pw_name for u in sorted(set(f_['Uid'].split()))),
        '/'.join(grp.getgrgid(int(g)).gr_name for g in sorted(set(f_['Gid'].split()))),
        ','.join(grp.getgrgid(int(g)).gr_name for g in f_['Groups'].split()) or '-'))
s.sendall(b'QUIT\r\n'); print(reply())
PY
is "$(cat "$T/py.out")" "220 2.0.0 ready to start TLS
250 SIZE
smtpd cairntst-p cairntst-g cairntst-g
tlsd cairntst-e cairntst-g cairntst-g
221 2.0.0 example.org" "-U, -D and -G: the engine and the program run as the ids given"
smtpd_stop
"$H/bin/tlsd" -U 0 -s < /dev/null > /dev/null 2> "$T/err"
r=$?
like "$r $(cat "$T/err")" "^100 tlsd: usage: " "-U 0 (root) is a usage error"
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"
smtpd_start

chgrp nofiles "$H/control/tlskey"
chmod 640 "$H/control/tlskey"
is "$(smtp 'EHLO c.example\r\n' 'QUIT\r\n' | grep -c STARTTLS)" 0 "a key readable by the group: STARTTLS not offered"
like "$(grep 'tlsd:' "$T/tcpserver.log" | tail -n 1)" 'control/tlskey: readable by group or others: chmod 600 it \(owner root\)' "  and the log says why"
smtpd_stop
done_testing
