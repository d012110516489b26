#!/bin/sh
# install-over-existing-qmail: INSTALL's "replacing qmail in place", as an
# administrator does it. An existing qmail installation (the fixture
# tests/fixtures/qmail-home: control files, ~alias, users/assign and its
# cdb, qmail's full queue layout with qmail's owners and modes, and two
# queued messages in qmail's format: 1234567 of tests/fixtures/qmail-queue,
# preprocessed, and 1234580, still in todo/) is copied into a temporary
# conf-home. cairn is built for that home and installed over it with
# "make setup check" as root; nothing in control/, alias/ or users/ changes
# (checksums, owners, modes), the programs get qmail's owners and modes and
# qmail-* names, and instcheck passes. Started as INSTALL says (s6-svscan
# on conf-home/service), cairn delivers both queued messages to joe's
# Maildir: 1234567 directly, 1234580 through ~alias/.qmail-postmaster;
# cairnctl stat shows the services, the loggers write as qmaill into
# directories they make, smtpd answers on its port with tcp.smtp rules
# compiled by cairnctl cdb, and cairnctl stop stops them.
# A second part installs into an empty home for users that do not exist:
# make setup creates them as qmail's INSTALL.ids does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root: installs with qmail's owners and creates users"
for p in make s6-svscan s6-svscanctl s6-svc s6-svstat s6-log s6-setuidgid s6-envdir tcpserver tcprules useradd groupadd; do
  command -v $p > /dev/null || skip_all "needs $p"
done
getent passwd nobody > /dev/null || skip_all "needs the user nobody"
export LC_ALL=C
users_lock
T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
chmod 755 "$T"
H=$T/qmail
FX=$top/tests/fixtures/qmail-home
FQ=$top/tests/fixtures/qmail-queue
split=${CAIRN_SPLIT:-23}

# The users of the old installation, as qmail's INSTALL.ids made them
# (removed at exit when this test made them).
for g in qmail nofiles; do
  getent group $g > /dev/null && continue
  groupadd $g || { echo "Bail out! groupadd $g failed"; exit 1; }
  at_exit "groupdel $g"
done
for u in alias:nofiles:/alias qmaild:nofiles: qmaill:nofiles: qmailp:nofiles: qmailq:qmail: qmailr:qmail: qmails:qmail:; do
  n=${u%%:*}; rest=${u#*:}; g=${rest%%:*}; sub=${rest#*:}
  getent passwd $n > /dev/null && continue
  useradd -g $g -d "$H$sub" -M -s /usr/sbin/nologin $n || { echo "Bail out! useradd $n failed"; exit 1; }
  at_exit "user_del $n"
done
# qmailt (cairn's TLS engine) is new: make setup creates it below
getent passwd qmailt > /dev/null || at_exit "userdel qmailt 2>/dev/null"

# The old installation: control, alias, users, and qmail's queue.
mkdir "$H" "$H/bin" "$T/joe"
chown root:qmail "$H" "$H/bin"
cp -R "$FX/control" "$FX/alias" "$FX/users" "$H/"
chown -R root:qmail "$H/control" "$H/users"
chown -R alias:qmail "$H/alias"
chmod 2755 "$H/alias"
chmod 644 "$H"/alias/.qmail-postmaster "$H"/alias/.qmail-root
mkdir -p "$T/joe/Maildir/new" "$T/joe/Maildir/cur" "$T/joe/Maildir/tmp"
chown -R nobody:nogroup "$T/joe"
sed "s|@JOEHOME@|$T/joe|" "$FX/users/assign" > "$H/users/assign"
qdir() { # qdir PATH OWNER MODE
  mkdir "$H/queue/$1" && chown "$2:qmail" "$H/queue/$1" && chmod "$3" "$H/queue/$1"
}
mkdir "$H/queue"; chown qmailq:qmail "$H/queue"; chmod 750 "$H/queue"
qdir pid qmailq 700; qdir intd qmailq 700; qdir todo qmailq 750; qdir bounce qmails 700
qdir mess qmailq 750; qdir info qmails 700; qdir local qmails 700; qdir remote qmails 700
for d in mess:qmailq:750 info:qmails:700 local:qmails:700 remote:qmails:700; do
  i=0
  while [ $i -lt "$split" ]; do
    qdir "${d%%:*}/$i" "$(echo "$d" | cut -d: -f2)" "${d##*:}"
    i=$((i + 1))
  done
done
qdir lock qmailq 750
: > "$H/queue/lock/tcpto"; chown qmailr:qmail "$H/queue/lock/tcpto"; chmod 644 "$H/queue/lock/tcpto"
: > "$H/queue/lock/sendmutex"; chown qmails:qmail "$H/queue/lock/sendmutex"; chmod 600 "$H/queue/lock/sendmutex"
mkfifo "$H/queue/lock/trigger"; chown qmails:qmail "$H/queue/lock/trigger"; chmod 622 "$H/queue/lock/trigger"
put() { # put FROM TO OWNER MODE
  cp "$1" "$H/queue/$2" && chown "$3:qmail" "$H/queue/$2" && chmod "$4" "$H/queue/$2"
}
a=1234567; b=1234580
put "$FQ/mess/$a" "mess/$((a % split))/$a" qmailq 644
for d in info local remote; do put "$FQ/$d/$a" "$d/$((a % split))/$a" qmails 600; done
put "$FX/queue/mess/$b" "mess/$((b % split))/$b" qmailq 644
put "$FX/queue/todo/$b" "todo/$b" qmailq 644
ln "$H/queue/todo/$b" "$H/queue/intd/$b"

# cairn built for that home.
mkdir "$T/conf"
echo "$H" > "$T/conf/conf-home"
echo "$split" > "$T/conf/conf-split"
cp "$top/conf-users" "$T/conf/conf-users"
make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/build.log" 2>&1 \
  || { echo "Bail out! cannot build: $(tail -5 "$T/build.log")"; exit 1; }
# users/cdb as qmail-newu left it (newu writes qmail-newu's bytes)
(umask 022; "$T/bin/newu") || { echo "Bail out! newu failed"; exit 1; }
chown root:qmail "$H/users/cdb"

state() { # every file of control/, alias/, users/: sum, type, owner, mode
  (cd "$H" && find control alias users -printf '%p %y %u:%g %m %l\n' | sort
   find control alias users -type f | sort | xargs sha256sum)
}
state > "$T/before"

at_exit "s6-svscanctl -t '$H/service' 2>/dev/null; sleep 1; kill -9 \$(cat '$T/svscan.pid' 2>/dev/null) 2>/dev/null"
make -s -C "$top" setup check O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/setup.out" 2>&1
st=$?
is "$st" 0 "make setup check over the qmail installation exits 0"
[ "$st" = 0 ] || diag "$(tail -20 "$T/setup.out")"
state > "$T/after"
cmp_files "$T/after" "$T/before" "control/, alias/ and users/ are unchanged: contents, owners, modes, links"
is "$(stat -c '%U %G %a' "$H/bin/queue")" "qmailq qmail 4711" "bin/queue: setuid qmailq, mode 4711"
is "$(stat -c '%U %a' "$H/bin/send")" "root 711" "bin/send: root, 711"
for n in queue send start smtpd inject qread qstat showctl; do
  [ "$(readlink "$H/bin/qmail-$n")" = "$n" ] || { fail "qmail-$n -> $n"; continue; }
  pass "bin/qmail-$n is a link to $n"
done
is "$(readlink "$H/bin/qmailctl")" "cairnctl" "bin/qmailctl is a link to cairnctl"
is "$(stat -c '%F %U %a' "$H/service/send/run" "$H/service/smtpd/log/run" | sort -u)" "regular file root 755" \
  "service/send and service/smtpd with their log/run, root, 755"
grep -q "^home=$H\$" "$H/bin/cairnctl"
ok $? "cairnctl has conf-home compiled in"
is "$(stat -c '%U %G %a' "$H/queue/todo/$b" "$H/queue/info/$((a % split))/$a" | tr '\n' '|')" \
  "qmailq qmail 644|qmails qmail 600|" "the queued entries keep qmail's owners and modes"
"$H/bin/instcheck" > "$T/ic" 2>&1
is "$?:$(cat "$T/ic")" "0:" "instcheck: the installation is sound"
chmod 700 "$H/queue/mess/3"
"$H/bin/instcheck" > "$T/ic" 2>&1
is "$?" 100 "instcheck catches a wrong mode (exit 100)"
like "$(cat "$T/ic")" "$H/queue/mess/3: mode 0700, should be 0750" "  naming the directory"
chmod 750 "$H/queue/mess/3"
r=$("$H/bin/cairnctl" check 2>&1)
is "$?:$r" "0:The control files of $H are sound." "cairnctl check: qmail's control files are sound for cairn"

# Start it as INSTALL says: s6-svscan on conf-home/service, smtpd on a
# free port of 127.0.0.1 (env/ files), logs into the test's directory.
PORT=$(free_port)
echo 127.0.0.1 > "$H/service/smtpd/env/SMTPD_IP"
echo "$PORT" > "$H/service/smtpd/env/SMTPD_PORT"
case ${CAIRN_EXTRA:-} in *sanitize=*address*) echo 0 > "$H/service/smtpd/env/SMTPD_MEMORY" ;; esac
for d in "$H"/service/*/; do s=$(basename "$d"); echo "$T/log/$s" > "$H/service/$s/log/env/LOGDIR"; done
# remote deliveries, if remote is installed, go nowhere outside this host
echo ':[127.0.0.1]:9' > "$H/control/smtproutes"
echo '127.0.0.1:allow,RELAYCLIENT=""' > "$H/control/tcp.smtp"
r=$("$H/bin/cairnctl" cdb 2>&1)
ok $? "cairnctl cdb"
like "$r" "Rebuilt control/tcp.smtp.cdb" "  compiles control/tcp.smtp"
test -s "$H/control/tcp.smtp.cdb" && test -s "$H/users/rcpt.cdb"
ok $? "  into control/tcp.smtp.cdb, and users/rcpt.cdb"
mkdir "$T/log"
setsid s6-svscan "$H/service" < /dev/null > "$T/svscan.out" 2>&1 &
echo $! > "$T/svscan.pid"
count() { find "$T/joe/Maildir/new" -type f | wc -l; }
atleast() { [ "$(count)" -ge "$1" ]; }
wait_for 20 atleast 2
ok $? "both queued messages are delivered to joe's Maildir"
got=$(cat "$T"/joe/Maildir/new/* 2> /dev/null)
like "$got" '^Subject: quarterly report$' "  1234567 (preprocessed by qmail) to joe@example.com"
like "$got" '^Subject: disk almost full$' "  1234580 (in todo/) to postmaster"
like "$got" '^Delivered-To: postmaster@mail.example.org$' "  through ~alias/.qmail-postmaster"
wait_for 10 sh -c "! '$H/bin/qread' | grep -q local"
ok $? "no local recipient is left in the queue"
like "$("$H/bin/qread")" "	remote	carol@example.org" "  carol's remote delivery stays queued, as qmail left it"
is "$(stat -c '%U %a' "$T/log/send" "$T/log/smtpd" | sort -u)" "qmaill 2750" "the loggers made their directories, owned by qmaill, 2750"
is "$(ps -o user= -p "$(pgrep -f "s6-log .*$T/log/send" | head -1)")" "qmaill" "  and run as qmaill"
like "$(grep 'status: local' "$T/log/send/current" | head -1)" '^@4000[0-9a-f]{20} status: local [0-9]+/5 ' \
  "send logs with TAI64N stamps, with qmail's concurrencylocal 5"
st=$("$H/bin/cairnctl" stat 2>&1)
ok $? "cairnctl stat"
for d in send send/log smtpd smtpd/log; do
  like "$st" "^$H/service/$d: up \\(pid [0-9]+" "  $d is up"
done
like "$st" '^messages in queue: 1$' "  and qstat counts what is queued"
wait_for 10 grep -q 'smtppool: status: 0/20' "$T/log/smtpd/current"
ok $? "smtppool runs with concurrencyincoming 20"
r=$(swaks --server "127.0.0.1:$PORT" --helo test.example --from alice@example.com --to joe@example.org \
  --header 'Subject: after the switch' 2>&1)
like "$r" '<-  220 mail.example.org ESMTP' "smtpd greets as control/me"
like "$r" '<-  250 2\.0\.0 ok' "  and takes mail for joe@example.org"
wait_for 10 atleast 3
ok $? "  which is delivered"
like "$(grep 'smtppool: ok' "$T/log/smtpd/current" | tail -1)" 'smtppool: ok [0-9]+ .*:127\.0\.0\.1:' "  and the connection is logged with the client's address"
"$H/bin/cairnctl" stop > /dev/null
ok $? "cairnctl stop"
wait_for 20 sh -c "s6-svstat '$H/service/send' | grep -q '^down'"
ok $? "  send is down"
like "$(s6-svstat "$H/service/smtpd")" '^down' "  smtpd is down"
is "$(tail -n 1 "$T/log/send/current" | cut -d' ' -f2-)" "status: exiting" "  send exited cleanly"
s6-svscanctl -t "$H/service"
wait_for 10 sh -c "! kill -0 $(cat "$T/svscan.pid") 2>/dev/null"
ok $? "s6-svscan stops"

# A fresh installation for users that do not exist yet.
H2=$T/fresh
mkdir "$T/conf2"
echo "$H2" > "$T/conf2/conf-home"
echo "$split" > "$T/conf2/conf-split"
printf '%s\n' cta ctd ctl ctp ctq ctr cts ctt ctqmail ctnofiles > "$T/conf2/conf-users"
for n in cta ctd ctl ctp ctq ctr cts ctt; do getent passwd $n > /dev/null && skip_all "user $n exists"; done
at_exit "for n in cta ctd ctl ctp ctq ctr cts ctt; do userdel \$n 2>/dev/null; done; groupdel ctqmail 2>/dev/null; groupdel ctnofiles 2>/dev/null"
make -s -C "$top" setup check O="$O" B="$T/bin2" CONF="$T/conf2" EXTRA="${CAIRN_EXTRA:-}" > "$T/setup2.out" 2>&1
st=$?
is "$st" 0 "make setup check into an empty home, users missing, exits 0"
[ "$st" = 0 ] || diag "$(tail -20 "$T/setup2.out")"
pw() { getent passwd "$1" | cut -d: -f6,7; }
is "$(pw cta)" "$H2/alias:/usr/sbin/nologin" "the alias user: home conf-home/alias, no login"
is "$(pw ctd) $(id -gn ctd)" "$H2:/usr/sbin/nologin ctnofiles" "qmaild's: home conf-home, group nofiles"
is "$(id -gn ctl) $(id -gn ctp) $(id -gn ctq) $(id -gn ctr) $(id -gn cts) $(id -gn ctt)" "ctnofiles ctnofiles ctqmail ctqmail ctqmail ctnofiles" \
  "qmaill and qmailp in nofiles; qmailq, qmailr, qmails in qmail; qmailt in nofiles"
is "$(stat -c '%U %G %a' "$H2/bin/queue" "$H2/alias" "$H2/queue/info/0" | tr '\n' '|')" \
  "ctq ctqmail 4711|cta ctqmail 2755|cts ctqmail 700|" "owners and modes come from the new users"
like "$(cat "$T/setup2.out")" 'users: useradd -g ctnofiles -d '"$H2"'/alias' "make setup says what it creates"
# the configuration of a fresh home, as qmail's config-fast and INSTALL.alias
me=$(cat "$H2/control/me" 2> /dev/null)
like "$me" '^[a-z0-9][a-z0-9.-]*$' "a fresh home gets control/me, this host's name"
is "$(cat "$H2/control/locals"):$(cat "$H2/control/rcpthosts")" "$me:$me" "  and locals and rcpthosts with it"
like "$(cat "$T/setup2.out")" "install: wrote $H2/control/me" "  saying so"
grep -qx '127.0.0.1:allow,RELAYCLIENT=""' "$H2/control/tcp.smtp" && test -s "$H2/control/tcp.smtp.cdb"
ok $? "  control/tcp.smtp relaying for 127.0.0.1, compiled into tcp.smtp.cdb"
is "$(cat "$H2/alias/.qmail-postmaster" "$H2/alias/.qmail-root" "$H2/alias/.qmail-mailer-daemon" | sort -u)" "./Maildir/" \
  "  ~alias/.qmail-postmaster, -root and -mailer-daemon deliver to ~alias/Maildir/"
is "$(stat -c '%U %a' "$H2/alias/Maildir" "$H2/alias/Maildir/new" | sort -u)" "cta 700" "  which the alias user owns, mode 700"
r=$(cd "$H2" && "$H2/bin/showctl" -q 2>&1)
is "$?:$r" "0:" "  and showctl finds the fresh configuration sound"
cp "$H2/control/me" "$T/me2"; echo other.example > "$H2/control/me"; rm "$H2/control/locals"
make -s -C "$top" setup O="$O" B="$T/bin2" CONF="$T/conf2" EXTRA="${CAIRN_EXTRA:-}" > "$T/setup3.out" 2>&1
is "$?:$(cat "$H2/control/me")" "0:other.example" "a second make setup keeps control/me"
test ! -e "$H2/control/locals"
ok $? "  and writes no default into a home that has control/me"
done_testing
