# tests/lib/netns.sh: several hosts in network namespaces for the
# multi-host end-to-end tests (tests/e2e/net-*.t). Sourced after tap.sh,
# instance.sh and mta.sh.
#
# The network: one bridge (br0) in a "switch" namespace; each host is a
# namespace joined to it by a veth pair (eth0 in the host). Host addresses
# come from 192.0.2.0/24 (and 198.51.100.0/24, 203.0.113.0/24, all three
# on-link on every host that has IPv4) and 2001:db8::/64 (added nodad, so
# usable at once). Namespaces are named cairn$$-HOST, so tests run in
# parallel (prove -j) do not meet. Every host reads the test DNS server
# through /etc/netns/cairn$$-HOST/resolv.conf, which "ip netns exec" mounts
# over /etc/resolv.conf (this is how Postfix and other libc programs find it).
#
# DNS: host "ns" (192.0.2.53, 2001:db8::53) runs Debian's nsd, authoritative
# for the zone "test." as a whole, so any unknown name under .test is
# NXDOMAIN, and for in-addr.arpa and ip6.arpa. Every host NAME gets
# mx.NAME.test with an A record per IPv4 and an AAAA record per IPv6
# address, and the PTR records back; the test adds the rest (MX, TXT, ...)
# as zone-file lines with net_dns, then starts the server with net_dns_start.
#
# A cairn host NAME is its own single-user instance (built as instance_new
# does, with its own home and programs) whose name is mx.NAME.test, whose
# local domains (control/locals and rcpthosts) are NAME.test and
# mx.NAME.test, and whose control/resolvers is 192.0.2.53. Its send chain
# (start: send, lspawn, rspawn, clean) and its smtpd (tcpserver on port 25
# of each of its addresses) run inside its namespace.
#
#   net_init              skips the test (skip_all) unless root and allowed
#                         to make namespaces; makes $NET (removed at exit),
#                         the switch and host "ns"; cleanup at exit, pass or
#                         fail: every process of every namespace killed,
#                         the namespaces and /etc/netns entries removed
#                         (with NET_KEEP=1 in the environment, a copy of
#                         $NET is kept in $NET.kept, for a post-mortem)
#   net_host NAME ADDR... a host (namespace) with these addresses
#   net_need6             skips the test when the kernel has no IPv6
#   net_exec NAME CMD...  CMD inside host NAME's namespace
#   net_dns LINE...       zone-file lines (absolute names: "b.test. MX 10
#                         mx.b.test.")
#   net_dns_start         (re)starts nsd with the zone as it is now
#   net_cairn NAME ADDR...  net_host, then a cairn instance for it (built in
#                         the background; the first net_use waits for it)
#   net_use NAME          T, H and MTA_PID of host NAME, so that mta.sh's
#                         helpers (mta_user, mta_assign, count_new,
#                         count_is, log_has, queue_is, queued, mta_alrm)
#                         act on that host
#   net_start NAME        starts its send chain in its namespace (log in
#                         $T/log); net_stop NAME: TERM to send, waits
#   net_smtpd_start NAME [RULE...]  tcpserver + smtpd on port 25 of each of
#                         its addresses (tcprules RULE lines, default
#                         ":allow"); net_smtpd_stop NAME stops them;
#                         $SMTPD_CMD, when set, runs instead of $H/bin/smtpd
#                         (e.g. "$H/bin/tlsd $H/bin/smtpd" for STARTTLS)
#   net_inject NAME ARG...  bin/inject ARG... on host NAME (message on stdin)
#   net_postfix NAME DOMAIN USER...  a private Postfix on host NAME (which
#                         must exist) taking DOMAIN's mail for USERs into
#                         $PF/vmail/USER/Maildir (as nobody), logging to
#                         $PF/maillog, sending through DNS (MX) with
#                         Postfix's own smtp client; sets PF (its directory:
#                         $PF/etc is its config_directory)
#   net_postfix_start NAME  postfix start in the namespace; waits for 220
#   net_port_open NAME ADDR PORT  from host NAME, ADDR:PORT answers 220
#   net_peer NAME DIR ARG...  tests/lib/netpeer.py on port 25 of host
#                         NAME's first address (see there), DIR its state;
#                         net_peer_stop NAME stops it
#   net_maildir_count DIR the number of messages in DIR/new
#   net_header FILE       the header of message FILE, one line per field
#                         (folded lines joined by one space), with RFC 5322
#                         dates after "; " shown as DATE and the number in
#                         qmail's "(qmail 1234 invoked ...)" as PID
#
# A test, in short:
#   net_init
#   net_cairn a 192.0.2.1; net_cairn b 192.0.2.2 2001:db8::2
#   net_dns 'b.test. IN MX 10 mx.b.test.'
#   net_dns_start
#   net_use b; mta_user bob; mta_assign; net_start b; net_smtpd_start b
#   net_use a; net_start a
#   echo hi | net_inject a bob@b.test
#   net_use b; wait_for 60 count_is bob 1
#
# wait_for SECS CMD is mta.sh's, except that it polls less often as the
# wait grows (every 0.1 s at first, then up to every 0.5 s): several hosts
# and their waits add up on a loaded machine, and a check forks.
_net_lib=$top/tests/lib
wait_for() {
  _wf_left=$(($1 * 10)); _wf_step=1; shift
  while :; do
    "$@" && return 0
    [ "$_wf_left" -gt 0 ] || return 1
    sleep "0.$_wf_step"
    _wf_left=$((_wf_left - _wf_step))
    [ "$_wf_step" -lt 5 ] && _wf_step=$((_wf_step + 1))
  done
}
NETPY=/usr/bin/python3
[ -x "$NETPY" ] || NETPY=python3
NET_DNS4=192.0.2.53
NET_DNS6=2001:db8::53

net_init() {
  [ "$(id -u)" = 0 ] || skip_all "needs root to make network namespaces"
  command -v ip > /dev/null || skip_all "needs ip (iproute2)"
  command -v nsd > /dev/null || skip_all "needs nsd (package/deps test)"
  NETP=cairn$$
  NET_NSES=
  # namespaces named after this pid are left over from a test that was
  # killed (no live process has this pid but this one): remove them
  for _ni_ns in $(ip netns list 2>/dev/null | sed -n "s/^\($NETP-[a-z0-9]*\)\( .*\)\?$/\1/p"); do
    ip netns pids "$_ni_ns" | xargs -r kill -KILL 2>/dev/null
    ip netns del "$_ni_ns"
    rm -rf "/etc/netns/$_ni_ns"
  done
  # the switch is the first namespace: if it cannot be made, or nothing
  # can run in it, skip
  _net_err=$(ip netns add "$NETP-sw" 2>&1) || skip_all "ip netns add is not permitted here: $_net_err"
  NET_NSES="$NETP-sw"
  at_exit net_cleanup
  _net_err=$(ip netns exec "$NETP-sw" true 2>&1) || skip_all "ip netns exec is not permitted here: $_net_err"
  NET=$(mktemp -d "${TMPDIR:-/tmp}/cairn-net.XXXXXX")
  chmod 755 "$NET"
  NET_BUILDS=
  make -s -C "$top" progs O="$O" EXTRA="${CAIRN_EXTRA:-}" > "$NET/build.log" 2>&1 \
    || { echo "Bail out! cannot build: $(tail -5 "$NET/build.log")"; exit 1; }
  ip -n "$NETP-sw" link set lo up
  ip -n "$NETP-sw" link add br0 type bridge
  ip -n "$NETP-sw" link set br0 up || { echo "Bail out! cannot make the bridge"; exit 1; }
  mkdir "$NET/dns"
  cat > "$NET/dns/test.zone" <<EOZ
\$ORIGIN test.
\$TTL 60
@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ IN NS ns.test.
ns IN A $NET_DNS4
ns IN AAAA $NET_DNS6
EOZ
  for _ni_z in in-addr.arpa ip6.arpa; do
    printf '$ORIGIN %s.\n$TTL 60\n@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60\n@ IN NS ns.test.\n' \
      "$_ni_z" > "$NET/dns/$_ni_z.zone"
  done
  # a kernel without IPv6 (ipv6.disable=1): IPv4 only; tests that need
  # IPv6 skip (net_need6)
  if [ -e /proc/net/if_inet6 ]; then NET_HAVE6=1; net_host ns "$NET_DNS4" "$NET_DNS6"
  else NET_HAVE6=; net_host ns "$NET_DNS4"; fi
}

# net_cleanup: every process in each namespace (TERM, then KILL after 3 s),
# then the namespaces, their /etc/netns entries and $NET.
net_cleanup() {
  for _nc_p in ${NET_BUILDS:-}; do wait "$_nc_p"; done
  for _nc_ns in $NET_NSES; do
    ip netns pids "$_nc_ns" 2>/dev/null | xargs -r kill -TERM 2>/dev/null
  done
  _nc_n=30
  while [ "$_nc_n" -gt 0 ]; do
    _nc_left=
    for _nc_ns in $NET_NSES; do _nc_left=$_nc_left$(ip netns pids "$_nc_ns" 2>/dev/null); done
    [ -z "$_nc_left" ] && break
    sleep 0.1
    _nc_n=$((_nc_n - 1))
  done
  for _nc_ns in $NET_NSES; do
    ip netns pids "$_nc_ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$_nc_ns" 2>/dev/null
    rm -rf "/etc/netns/$_nc_ns"
  done
  if [ -n "${NET:-}" ] && [ -n "${NET_KEEP:-}" ]; then
    rm -rf "$NET.kept" && cp -a "$NET" "$NET.kept" && diag "NET_KEEP: the hosts' files are in $NET.kept"
  fi
  [ -n "${NET:-}" ] && rm -rf "$NET"
}

# _net_var KIND NAME: the value of NET_KIND_NAME
_net_var() { eval "printf '%s' \"\${NET_$1_$2:-}\""; }

net_host() {
  _nh=$1; shift
  # a shell variable suffix and part of an interface name (sw-NAME, 15 at most)
  case $_nh in *[!a-z0-9]*|'') echo "Bail out! host names are [a-z0-9]+: $_nh"; exit 1 ;; esac
  [ ${#_nh} -le 12 ] || { echo "Bail out! host names have 12 characters at most: $_nh"; exit 1; }
  _nh_ns=$NETP-$_nh
  ip netns add "$_nh_ns" || { echo "Bail out! ip netns add $_nh_ns failed"; exit 1; }
  NET_NSES="$NET_NSES $_nh_ns"
  mkdir -p "/etc/netns/$_nh_ns"
  printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$NET_DNS4" > "/etc/netns/$_nh_ns/resolv.conf"
  ip -n "$_nh_ns" link set lo up
  ip -n "$NETP-sw" link add name "sw-$_nh" type veth peer name eth0 netns "$_nh_ns" \
    && ip -n "$NETP-sw" link set dev "sw-$_nh" master br0 up \
    && ip -n "$_nh_ns" link set eth0 up \
    || { echo "Bail out! cannot join $_nh to the switch"; exit 1; }
  _nh_v4=
  for _nh_a in "$@"; do
    case $_nh_a in
      *:*) ip -n "$_nh_ns" addr add "$_nh_a/64" dev eth0 nodad || { echo "Bail out! cannot add $_nh_a"; exit 1; }
           _nh_rr=AAAA _nh_z=ip6.arpa
           _nh_ptr=$("$NETPY" -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]).reverse_pointer)' "$_nh_a") ;;
      *) ip -n "$_nh_ns" addr add "$_nh_a/24" dev eth0 || { echo "Bail out! cannot add $_nh_a"; exit 1; }
         _nh_v4=$_nh_v4${_nh_a%.*}.0/24' '
         _nh_rr=A _nh_z=in-addr.arpa
         _nh_ptr=$(echo "$_nh_a" | awk -F. '{ print $4 "." $3 "." $2 "." $1 ".in-addr.arpa" }') ;;
    esac
    [ "$_nh" = ns ] && continue
    echo "mx.$_nh.test. IN $_nh_rr $_nh_a" >> "$NET/dns/test.zone"
    echo "$_nh_ptr. IN PTR mx.$_nh.test." >> "$NET/dns/$_nh_z.zone"
  done
  # the other documentation ranges are on the same wire
  if [ -n "$_nh_v4" ]; then
    for _nh_r in 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24; do
      case " $_nh_v4" in *" $_nh_r "*) continue ;; esac
      ip -n "$_nh_ns" route add "$_nh_r" dev eth0 || { echo "Bail out! cannot route $_nh_r"; exit 1; }
    done
  fi
  eval "NET_NS_$_nh=\$_nh_ns; NET_ADDRS_$_nh=\$*"
}

net_need6() { [ -n "$NET_HAVE6" ] || skip_all "this kernel has no IPv6"; }

net_exec() { _ne_ns=$(_net_var NS "$1"); shift; ip netns exec "$_ne_ns" "$@"; }

net_dns() { printf '%s\n' "$@" >> "$NET/dns/test.zone"; }

net_dns_start() {
  # a restart: the old server goes first (the namespace runs nothing else)
  if [ -f "$NET/dns/nsd.pid" ]; then
    ip netns pids "$NETP-ns" | xargs -r kill -TERM 2>/dev/null
    wait_for 60 _net_ns_empty || { echo "Bail out! nsd does not stop"; exit 1; }
    rm -f "$NET/dns/nsd.pid"
  fi
  cat > "$NET/dns/nsd.conf" <<EOC
server:
  ip-address: $NET_DNS4
${NET_HAVE6:+  ip-address: $NET_DNS6}
  port: 53
  username: ""
  chroot: ""
  zonesdir: "$NET/dns"
  database: ""
  zonelistfile: "$NET/dns/zone.list"
  xfrdfile: "$NET/dns/xfrd.state"
  pidfile: "$NET/dns/nsd.pid"
  logfile: "$NET/dns/nsd.log"
  server-count: 1
  hide-version: yes
remote-control:
  control-enable: no
zone:
  name: test
  zonefile: test.zone
zone:
  name: in-addr.arpa
  zonefile: in-addr.arpa.zone
zone:
  name: ip6.arpa
  zonefile: ip6.arpa.zone
EOC
  for _nd_z in test in-addr.arpa ip6.arpa; do
    nsd-checkzone "$_nd_z" "$NET/dns/$_nd_z.zone" > "$NET/dns/check.out" 2>&1 \
      || { echo "Bail out! bad zone $_nd_z: $(cat "$NET/dns/check.out")"; exit 1; }
  done
  : > "$NET/dns/nsd.log"
  ip netns exec "$NETP-ns" nsd -d -c "$NET/dns/nsd.conf" > "$NET/dns/nsd.out" 2>&1 &
  wait_for 60 grep -q 'nsd started' "$NET/dns/nsd.log" \
    || { echo "Bail out! nsd did not start: $(cat "$NET/dns/nsd.log" "$NET/dns/nsd.out")"; exit 1; }
}
_net_ns_empty() { [ -z "$(ip netns pids "$NETP-ns")" ]; }

# The hosts' programs are built side by side (each host has its own home,
# so its own programs): net_cairn starts the build in the background, the
# first use of the host (net_use) waits for it, installs the home and
# writes the control files. The shared objects in $O are brought up to
# date once, first (net_init), so the parallel makes only link.
net_cairn() {
  _nc_name=$1
  net_host "$@"
  T=$NET/host-$_nc_name
  H=$T/home
  mkdir -p "$T/conf"
  chmod 755 "$T"
  echo "$H" > "$T/conf/conf-home"
  echo "${CAIRN_SPLIT:-23}" > "$T/conf/conf-split"
  _nc_me=$(id -un); _nc_grp=$(id -gn)
  printf '%s\n' "$_nc_me" "$_nc_me" "$_nc_me" "$_nc_me" "$_nc_me" "$_nc_me" "$_nc_me" "$_nc_grp" "$_nc_grp" > "$T/conf/conf-users"
  ( make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/build.log" 2>&1
    echo $? > "$T/build.rc" ) &
  NET_BUILDS="$NET_BUILDS $!"
  eval "NET_T_$_nc_name=\$T"
}

# _net_built NAME: waits for host NAME's build, then installs its home and
# writes its control files (once)
_net_built() {
  [ -f "$T/ready" ] && return 0
  wait_for 600 test -s "$T/build.rc" || { echo "Bail out! the build for $1 does not end"; exit 1; }
  [ "$(cat "$T/build.rc")" = 0 ] || { echo "Bail out! cannot build instance $1: $(tail -5 "$T/build.log")"; exit 1; }
  "$T/bin/install" "$T/bin" || { echo "Bail out! install failed for $1"; exit 1; }
  echo "mx.$1.test" > "$H/control/me"
  printf '%s\n' "$1.test" "mx.$1.test" > "$H/control/locals"
  cp "$H/control/locals" "$H/control/rcpthosts"
  echo "$1.test" > "$H/control/defaultdomain"
  echo "$1.test" > "$H/control/defaulthost"
  echo "$NET_DNS4" > "$H/control/resolvers"
  : > "$T/ready"
}

net_use() {
  T=$(_net_var T "$1")
  [ -n "$T" ] || { echo "Bail out! no cairn host $1"; exit 1; }
  H=$T/home
  _net_built "$1"
  MTA_PID=$(_net_var PID "$1")
  MTA_DOMAIN=$1.test
}

net_start() {
  net_use "$1"
  touch "$T/log"
  _ms_n=$(grep -c '^status: local' "$T/log")
  # ip, sh and start each exec the next: $! is send's pid
  ip netns exec "$(_net_var NS "$1")" sh -c 'cd "$1" && exec bin/start ./Maildir/' start "$H" >> "$T/log" 2>&1 &
  MTA_PID=$!
  eval "NET_PID_$1=\$MTA_PID"
  wait_for 60 _mta_started || { echo "Bail out! send did not start on $1: $(cat "$T/log")"; exit 1; }
}

net_stop() {
  net_use "$1"
  kill -TERM "$MTA_PID" 2>/dev/null
  wait "$MTA_PID" 2>/dev/null
  eval "NET_PID_$1="
}

net_smtpd_start() {
  _ns_h=$1; shift
  net_use "$_ns_h"
  [ $# -gt 0 ] || set -- ':allow'
  printf '%s\n' "$@" > "$T/tcp.smtp"
  tcprules "$T/tcp.smtp.cdb" "$T/tcp.smtp.tmp" < "$T/tcp.smtp" || { echo "Bail out! tcprules failed"; exit 1; }
  _ns_pids=
  for _ns_a in $(_net_var ADDRS "$_ns_h"); do
    : > "$T/tcpserver-$_ns_a.log"
    ip netns exec "$(_net_var NS "$_ns_h")" tcpserver -v -H -R -l "mx.$_ns_h.test" -x "$T/tcp.smtp.cdb" "$_ns_a" 25 ${SMTPD_CMD:-"$H/bin/smtpd"} \
      2>> "$T/tcpserver-$_ns_a.log" &
    _ns_pids="$_ns_pids $!"
    wait_for 60 grep -q 'status: 0/' "$T/tcpserver-$_ns_a.log" \
      || { echo "Bail out! tcpserver on $_ns_h $_ns_a did not start: $(cat "$T/tcpserver-$_ns_a.log")"; exit 1; }
  done
  eval "NET_SMTPD_$_ns_h=\$_ns_pids"
}

net_smtpd_stop() {
  for _ns_p in $(_net_var SMTPD "$1"); do
    kill -TERM "$_ns_p" 2>/dev/null
    wait "$_ns_p" 2>/dev/null
  done
  eval "NET_SMTPD_$1="
}

net_inject() {
  _ni_h=$1; shift
  net_use "$_ni_h"
  net_exec "$_ni_h" "$H/bin/inject" "$@"
}

net_port_open() {
  net_exec "$1" "$NETPY" -c 'import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
    s.settimeout(5)
    ok = s.recv(512).startswith(b"220")
    s.sendall(b"QUIT\r\n")
except OSError:
    ok = False
sys.exit(0 if ok else 1)' "$2" "$3"
}

net_maildir_count() { find "$1/new" -type f | wc -l; }

net_header() {
  awk '/^$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next } { if (NR > 1) print h; h = $0 } END { print h }' "$1" | sed \
    -e 's/; \([A-Z][a-z][a-z], \)\?[0-9]* [A-Z][a-z]* [0-9]* [0-9:]* [-+][0-9]*\( (UTC)\)\?$/; DATE/' \
    -e 's/^\(Received: (qmail \)[0-9]*\( invoked \)/\1PID\2/'
}

# ---------------------------------------------------------------- Postfix
net_postfix() {
  _np_h=$1; _np_dom=$2; shift 2
  PF=$NET/postfix-$_np_h
  mkdir -p "$PF/etc" "$PF/queue" "$PF/data"
  chown postfix "$PF/data"
  _np_v4= _np_v6= _np_if=
  for _np_a in $(_net_var ADDRS "$_np_h"); do
    case $_np_a in *:*) _np_v6=1 ;; *) _np_v4=1 ;; esac
    _np_if=${_np_if:+$_np_if, }$_np_a
  done
  if [ -n "$_np_v4" ] && [ -n "$_np_v6" ]; then _np_proto=all; elif [ -n "$_np_v6" ]; then _np_proto=ipv6; else _np_proto=ipv4; fi
  : > "$PF/etc/vmailbox"
  for _np_u in "$@"; do
    mkdir -p "$PF/vmail/$_np_u/Maildir/new" "$PF/vmail/$_np_u/Maildir/cur" "$PF/vmail/$_np_u/Maildir/tmp"
    echo "$_np_u@$_np_dom $_np_u/Maildir/" >> "$PF/etc/vmailbox"
  done
  chown -R nobody:nogroup "$PF/vmail"
  cat > "$PF/etc/main.cf" <<EOC
# written by tests/lib/netns.sh: Postfix's defaults except for where things
# are and what this host is
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
myhostname = mx.$_np_h.test
mydomain = $_np_dom
myorigin = \$mydomain
mydestination =
inet_interfaces = $_np_if
inet_protocols = $_np_proto
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
virtual_mailbox_domains = $_np_dom
virtual_mailbox_base = $PF/vmail
virtual_mailbox_maps = texthash:$PF/etc/vmailbox
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
virtual_minimum_uid = 1
# a test does not wait for Postfix's retry schedule: postqueue -f
minimal_backoff_time = 10s
maximal_backoff_time = 20s
queue_run_delay = 10s
EOC
  cat > "$PF/etc/master.cf" <<'EOC'
# written by tests/lib/netns.sh: Debian's services, none chrooted
smtp      inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOC
  eval "NET_PF_$_np_h=\$PF"
}

net_postfix_start() {
  PF=$(_net_var PF "$1")
  net_exec "$1" postfix -c "$PF/etc" start > "$PF/start.out" 2>&1 \
    || { echo "Bail out! postfix start failed: $(cat "$PF/start.out")"; exit 1; }
  set -- "$1" $(_net_var ADDRS "$1")
  wait_for 90 net_port_open "$1" "$2" 25 \
    || { echo "Bail out! Postfix does not answer on $2: $(tail -5 "$PF/maillog" 2>/dev/null)"; exit 1; }
}

# ---------------------------------------------------------------- peer
net_peer() {
  _np_h=$1; _np_dir=$2; shift 2
  mkdir -p "$_np_dir"
  rm -f "$_np_dir/ready"
  set -- $(_net_var ADDRS "$_np_h") -- "$@"
  _np_a=$1
  while [ "$1" != -- ]; do shift; done; shift
  # ip execs python: $! is the server's pid
  ip netns exec "$(_net_var NS "$_np_h")" "$NETPY" "$_net_lib/netpeer.py" "$_np_a" 25 "$_np_dir" "$@" \
    >> "$_np_dir/out" 2>&1 &
  eval "NET_PEER_$_np_h=\$!"
  wait_for 60 test -f "$_np_dir/ready" || { echo "Bail out! netpeer did not start: $(cat "$_np_dir/out")"; exit 1; }
}

net_peer_stop() {
  _nps=$(_net_var PEER "$1")
  [ -n "$_nps" ] || return 0
  kill -TERM "$_nps" 2>/dev/null
  wait "$_nps" 2>/dev/null
  eval "NET_PEER_$1="
}
