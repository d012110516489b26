#!/bin/sh
# mkrcpt-lists-deliverable-local-parts: with real users made for the run
# (as root; removed at exit), users/assign entries and ~alias files,
# mkrcpt writes users/rcpt.cdb holding exactly the keys of rcptcheck.h
# that local delivery's rules give: users' own names, their .qmail-EXT
# and .qmail-EXT-default files (':' in a name as '.', names with '.' or
# upper case left out, a dangling link left out), 0 for the rest of each
# user's extensions, users/assign exact and wildcard entries, the alias
# user's files and its "+" catch-all; a key that another owner takes is
# left out (an alias file for a user's extension, a user that a wildcard
# shadows); a user whose mail would wait (world-writable home) is taken
# as deliverable with a warning. The table is written atomically, mode
# 0644 whatever the umask; a broken users/cdb changes nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates test users with useradd"
command -v useradd >/dev/null || skip_all "needs useradd"
users_lock
instance_new
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
p=rc$$
mkdir "$T/homes" "$T/homes/shared"
chmod 755 "$T/homes"

# mkuser NAME MODE [OWNER]: a user whose home $T/homes/NAME has MODE and
# belongs to OWNER (default: the user)
mkuser() {
  useradd -M -d "$T/homes/$1" -s /usr/sbin/nologin "$1" || { echo "Bail out! useradd $1 failed"; exit 1; }
  at_exit "user_del $1 2>/dev/null"
  mkdir "$T/homes/$1"
  chown "${3:-$1}" "$T/homes/$1"
  chmod "$2" "$T/homes/$1"
}
mkuser "${p}a" 755
mkuser "${p}b" 755
mkuser "${p}c" 755
mkuser "${p}w" 777
mkuser "${p}s" 755 root
mkuser "${p}d" 755
for f in list list-default a:b Upper x.y; do : > "$T/homes/${p}a/.qmail-$f"; done
ln -s "$T/nowhere" "$T/homes/${p}a/.qmail-gone"
: > "$T/homes/${p}b/.qmail-default"
: > "$T/homes/shared/.qmail-sales"
: > "$T/homes/shared/.qmail-shop-orders"
for f in postmaster root mailer-daemon "${p}c-foo" "${p}s"; do : > "$H/alias/.qmail-$f"; done

S=$T/homes/shared
cat > "$H/users/assign" <<EOA
=sales:root:0:0:$S:-:sales:
=nobox:root:0:0:$S:-:nobox:
+shop-:root:0:0:$S:-:shop-:
=plain:root:0:0:$S:::
+${p}d:root:0:0:$S:::
.
EOA
"$H/bin/newu" || { echo "Bail out! newu failed"; exit 1; }

keys() {
  "$PY" "$top/tests/lib/cdbdump.py" "$H/users/rcpt.cdb" \
    | grep -E "^([=+](${p}|sales|nobox|shop-|plain|postmaster|root|mailer-daemon)|\+	)" | sort
}

( umask 077; "$H/bin/mkrcpt" ) 2>"$T/err"
ok $? "mkrcpt exits 0"
is "$(stat -c %a "$H/users/rcpt.cdb")" 644 "users/rcpt.cdb is mode 0644 under umask 077 (smtpd reads it as qmaild)"
is "$(ls "$H/users")" "assign
cdb
rcpt.cdb" "no temporary file left in users/"
"$PY" "$top/tests/lib/cdbdump.py" "$H/users/rcpt.cdb" > "$T/dump"
ok $? "users/rcpt.cdb is a well-formed cdb"
is "$(sed -n 1p "$T/dump")" "	cairn rcpt 1" "first record: the magic one"
is "$(keys)" "$(sort <<EOK
+	0
+${p}a-	0
+${p}a-list-	1
+${p}b-	1
+${p}c-	0
+${p}d	1
+${p}w-	1
+shop-	0
=${p}a	1
=${p}a-a.b	1
=${p}a-list	1
=${p}a-list-default	1
=${p}b	1
=${p}b-default	1
=${p}c	1
=${p}s	1
=${p}w	1
=mailer-daemon	1
=nobox	0
=plain	1
=postmaster	1
=root	1
=sales	1
=shop-orders	1
EOK
)" "the keys: users, their files, assign entries, alias files, each owner's 0"
unlike "$(cat "$T/dump")" "^=${p}c-foo	" "an alias file for a user's extension is not the alias user's to decide"
unlike "$(cat "$T/dump")" "^[=+]${p}a-(upper|x.y|gone)" "names with upper case or '.', and a dangling link, are not keys"
unlike "$(cat "$T/dump")" "^(=${p}d|\+${p}d-)	" "a user under a users/assign wildcard has no keys of its own"
like "$(cat "$T/err")" "^mkrcpt: warning: taken as deliverable: ${p}w: .*group- or world-writable" "a world-writable home: warning, taken as deliverable"

: > "$H/alias/.qmail-default"
"$H/bin/mkrcpt" 2>/dev/null
is "$(keys | grep '^+	')" "+	1" "with ~alias/.qmail-default the catch-all key says 1"
rm "$H/alias/.qmail-default"
cp "$H/users/rcpt.cdb" "$T/before"
printf 'garbage' > "$H/users/cdb"
out=$("$H/bin/mkrcpt" 2>&1); st=$?
is "$st" 111 "a broken users/cdb: exit 111"
is "$out" "mkrcpt: fatal: users/cdb is not a valid users table: run newu" "a broken users/cdb: message"
cmp_files "$H/users/rcpt.cdb" "$T/before" "a broken users/cdb leaves the table as it was"
is "$(ls "$H/users" | grep -c tmp)" 0 "and no temporary file"
done_testing
