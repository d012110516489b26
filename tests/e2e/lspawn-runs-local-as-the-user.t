#!/bin/bash
# lspawn-runs-local-as-the-user: in a multi-user build, lspawn (run as
# root) runs local with the uid and gid that the user lookup found and no
# supplementary groups, after opening the message as root; it refuses to
# deliver as root (Z, as qmail-lspawn) and never runs local then.
# bin/local is a stub that reports its ids.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
shopt -s lastpipe
[ "$(id -u)" = 0 ] || skip_all "needs root: lspawn changes uid"
getent passwd nobody > /dev/null && getent group nogroup > /dev/null || skip_all "needs user nobody and group nogroup"

# instance_new builds single-user; this build has an alias user (nobody)
# that differs from the others (root), so lspawn changes ids.
T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
chmod 755 "$T"
H=$T/home
mkdir "$T/conf"
echo "$H" > "$T/conf/conf-home"
echo 23 > "$T/conf/conf-split"
printf '%s\n' nobody root root root root root root root root nogroup > "$T/conf/conf-users"
make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/build.log" 2>&1 \
  || { echo "Bail out! cannot build: $(tail -5 "$T/build.log")"; exit 1; }
grep -q 'auto_singleuser = 0' "$T/bin/auto.c" || { echo "Bail out! the build is single-user"; exit 1; }
"$T/bin/install" "$T/bin" || { echo "Bail out! install failed"; exit 1; }
[ -x "$T/bin/newu" ] || { echo "Bail out! no newu to compile users/assign"; exit 1; }

S=$T/stub
mkdir -m 1777 "$S"
mkdir "$T/alice" "$T/root"
chown 54321:54322 "$T/alice"
export STUBDIR=$S
cat > "$H/bin/local" <<'EOF'
#!/bin/sh
echo "uid=$(id -u) gid=$(id -g) groups=$(id -G) pwd=$(pwd) bytes=$(wc -c | tr -d ' ')" > "$STUBDIR/$4"
echo "ran"
EOF
chmod 755 "$H/bin/local"
cat > "$H/users/assign" <<EOF
=alice:alice:54321:54322:$T/alice:::
=rootie:root:0:0:$T/root:::
.
EOF
"$T/bin/newu" || { echo "Bail out! newu failed"; exit 1; }

printf 'Subject: test\n\n%s\n' "$(seq 1 100)" > "$T/msg"
printf 'Fs@example.org\0Talice@example.org\0\0' > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" || { echo "Bail out! queue failed"; exit 1; }
id=$(ls "$H/queue/todo")
mess=$H/queue/mess/$((id % 23))/$id
chmod 600 "$mess"   # readable by root only: lspawn must open it before it changes uid

req() { printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "$4"; }
{ req 0 "$id" s@x alice@example.org; req 1 "$id" s@x rootie@example.org; } \
  | (cd / && "$T/bin/lspawn" ./Maildir/) > "$T/out" 2> "$T/err"
rc=$?
is "$rc" 0 "lspawn exits 0"
is "$(grep -v "bin/local has no worker mode (a wrapper?): running one local per delivery$" "$T/err")" "" "nothing on stderr but the note that the stub bin/local runs once per delivery"
is "$(tr '\0\n' '|~' < "$T/out" | sed 's/~|/~\n/g' | sort | tr -d '\n')" "0|Kran~1|ZNot allowed to perform deliveries as root. (#4.3.0)~" \
  "alice delivered; root refused with Z"
is "$(cat "$S/alice" 2>&1)" "uid=54321 gid=54322 groups=54322 pwd=$T/alice bytes=$(wc -c < "$mess" | tr -d ' ')" \
  "local runs as uid 54321, gid 54322, no other groups, in the home, with the whole message"
ok "$([ ! -e "$S/rootie" ]; echo $?)" "local never runs as root"

done_testing
