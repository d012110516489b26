#!/bin/sh
# smtppool-starttls-keeps-the-key-from-workers-as-root: a multi-user
# instance, as root, with smtppool -s -u qmaild -g nofiles as the smtpd
# service runs it: during a STARTTLS session the master and the workers
# are processes of qmaild (group nofiles only), the TLS broker stays
# root, the engine (tlsd) is qmailt; no process of smtppool has
# control/tlskey (root, mode 600, which qmaild cannot read) open, and
# the handshake works (tlsd -s gets the ids of qmailt and nofiles on its
# command line from smtppool, which read them once); a key that qmaild could read (mode 640, group
# nofiles) is refused by tlsd: STARTTLS is answered 454 and the session
# goes on in plaintext.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates users and runs a multi-user instance"
for c in useradd userdel groupadd groupdel setpriv openssl tcprules; do
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
chmod 644 "$T/tcp.smtp.cdb"
pool_start -s -c 3 -u "$(id -u qmaild)" -g "$(getent group nofiles | cut -d: -f3)"

setpriv --reuid qmaild --regid nofiles --clear-groups cat "$H/control/tlskey" > /dev/null 2>&1
isnt=$?
ok $((isnt == 0)) "qmaild cannot read control/tlskey (root, mode 600)"

"$PY" - "$SMTP_PORT" "$H/bin" "$POOL_PID" "$H/control/tlskey" > "$T/py.out" 2>&1 <<'PY'
import grp, os, pwd, socket, ssl, sys
port, bindir, master, keyfile = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
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
rows, keyopen = [], []
for p in sorted(filter(str.isdigit, os.listdir('/proc')), key=int):
    try:
        exe = os.readlink('/proc/%s/exe' % p)
        st = open('/proc/%s/status' % p).read()
        ppid = open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[1]
    except OSError:
        continue
    if exe not in (bindir + '/tlsd', bindir + '/smtppool'):
        continue
    for fd in os.listdir('/proc/%s/fd' % p):
        try:
            if keyfile in os.readlink('/proc/%s/fd/%s' % (p, fd)): keyopen.append(p)
        except OSError:
            pass
    f_ = dict(l.split(':', 1) for l in st.splitlines() if ':' in l)
    uids = set(f_['Uid'].split()); gids = set(f_['Gid'].split())
    groups = f_['Groups'].split()
    role = os.path.basename(exe) if p != master else 'master'
    if role == 'tlsd':
        print('tlsd argv', ' '.join(open('/proc/%s/cmdline' % p).read().split('\0')[1:]).strip())
    rows.append('%s %s %s %s' % (role,
        '/'.join(pwd.getpwuid(int(u)).pw_name for u in sorted(uids)),
        '/'.join(grp.getgrgid(int(g)).gr_name for g in sorted(gids)),
        ','.join(grp.getgrgid(int(g)).gr_name for g in groups) or '-'))
for r in sorted(set(rows)): print(r)
print('key open in', keyopen)
s.sendall(b'QUIT\r\n'); print(reply())
PY
like "$(cat "$T/py.out")" "^220 2.0.0 ready to start TLS
250 SIZE
" "STARTTLS and the handshake work with a key qmaild cannot read"
like "$(cat "$T/py.out")" "
master qmaild nofiles nofiles
" "the master runs as qmaild, group nofiles only"
like "$(cat "$T/py.out")" "
smtppool qmaild nofiles nofiles
" "  the workers as qmaild"
like "$(cat "$T/py.out")" "
smtppool root root " "  the TLS broker stays root"
is "$(grep -c '^smtppool ' "$T/py.out")" 2 "  and nothing else: the broker and the workers"
like "$(cat "$T/py.out")" "
tlsd qmailt nofiles nofiles
" "the engine runs as qmailt, group nofiles only"
is "$(grep -v '^tlsd argv' "$T/py.out" | grep -c '^tlsd ')" 1 "  and only as qmailt"
is "$(grep '^tlsd argv' "$T/py.out")" "tlsd argv -s -U $(id -u qmailt) -G $(getent group nofiles | cut -d: -f3)" \
  "  with the ids smtppool read once from /etc/passwd and /etc/group"
like "$(cat "$T/py.out")" "key open in \\[\\]" "no process has control/tlskey open during the session"

chgrp nofiles "$H/control/tlskey"
chmod 640 "$H/control/tlskey"
out=$(smtp 'EHLO c.example\r\n' 'STARTTLS\r\n' 'MAIL FROM:<a@example.net>\r\n' 'QUIT\r\n')
like "$out" "454 4.7.0 TLS not available" "a key readable by the group: STARTTLS answered 454"
like "$out" "250 2.1.0 ok" "  and the session goes on in plaintext"
wait_for 5 grep -q 'tlsd: fatal: no TLS: control/tlskey: readable by group or others' "$T/smtppool.log"
ok $? "  tlsd says why in the log"
pool_stop
done_testing
