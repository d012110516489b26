#!/bin/bash
# lookup-users-assign-first-then-alias: getpw (the lookup lspawn makes)
# prints qmail-getpw's six NUL-ended fields. With users/cdb from newu:
# exact entries (without regard to case) before wildcards, the longest
# wildcard prefix, a wildcard's pre followed by the rest of the address in
# the sender's case; an exact entry overrides the password database (even
# for root). Names nobody owns - unknown ones, root, postmaster, system
# accounts without a home of their own - go to the alias user with home
# $H/alias, dash "-" and ext the whole local part. Broken users/cdb:
# exit 111 and a message; an over-long address: exit 100.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un) uid=$(id -u) gid=$(id -g)

getpw() { "$T/bin/getpw" "$1" | tr '\0' ':'; }
alias_for() { printf '%s:%s:%s:%s:-:%s:' "$me" "$uid" "$gid" "$H/alias" "$1"; }

# no users/cdb: the password database's rules, then the alias user
is "$(getpw Postmaster)" "$(alias_for Postmaster)" "postmaster goes to the alias user, ext keeps its case"
is "$(getpw mailer-daemon)" "$(alias_for mailer-daemon)" "mailer-daemon goes to the alias user"
is "$(getpw root)" "$(alias_for root)" "root (uid 0) goes to the alias user"
is "$(getpw ROOT-x)" "$(alias_for ROOT-x)" "root with an extension goes to the alias user, whole local part as ext"
is "$(getpw no-such-user-here)" "$(alias_for no-such-user-here)" "unknown name goes to the alias user"
if getent passwd nobody | grep -q ':/nonexistent:'; then
  is "$(getpw nobody)" "$(alias_for nobody)" "nobody (home /nonexistent) goes to the alias user"
fi
if [ "$(stat -c %u "$(getent passwd bin | cut -d: -f6)")" = 0 ] && [ "$(getent passwd bin | cut -d: -f3)" != 0 ]; then
  is "$(getpw bin)" "$(alias_for bin)" "bin (home owned by root) goes to the alias user"
fi
"$T/bin/getpw" postmaster > "$T/raw"
printf '%s\0%s\0%s\0%s\0-\0postmaster\0' "$me" "$uid" "$gid" "$H/alias" > "$T/rawwant"
cmp_files "$T/raw" "$T/rawwant" "getpw: fields each ended by NUL, as qmail-getpw prints them"

cat > "$H/users/assign" <<EOF
=joe:joe:507:100:/home/joe:::
+joe-:joe:507:100:/home/joe:-::
+joe-list-:list:601:602:/home/list:-:L-:
=Root:admin:1000:1000:/home/admin:::
+Virtual.Example-:virt:700:700:/home/virt:-:v-:
=joe-:other:9:9:/other:::
.
EOF
"$T/bin/newu"; is "$?" 0 "newu: compiled the table"
is "$(getpw joe)" "joe:507:100:/home/joe:::" "exact entry"
is "$(getpw JOE)" "joe:507:100:/home/joe:::" "exact entry without regard to case"
is "$(getpw joe-Direct)" "joe:507:100:/home/joe:-:Direct:" "wildcard: ext is the rest, in its case"
is "$(getpw joe-list-News)" "list:601:602:/home/list:-:L-News:" "longest wildcard prefix wins, pre + rest"
is "$(getpw joe-)" "other:9:9:/other:::" "exact entry beats the wildcard with the same text"
is "$(getpw root)" "admin:1000:1000:/home/admin:::" "exact entry overrides the alias user for root"
is "$(getpw virtual.example-Sergey)" "virt:700:700:/home/virt:-:v-Sergey:" "virtual-domain prefix as a wildcard"
is "$(getpw postmaster)" "$(alias_for postmaster)" "no entry and no user: still the alias user"

printf '+:catchall:800:800:/home/catchall:-:all-:\n=joe:joe:507:100:/home/joe:::\n.\n' > "$H/users/assign"
"$T/bin/newu"
is "$(getpw root)" "catchall:800:800:/home/catchall:-:all-root:" "catch-all +: takes root too (users/cdb comes first)"
is "$(getpw joe)" "joe:507:100:/home/joe:::" "catch-all does not override an exact entry"

# failures
out=$("$T/bin/getpw" "$(head -c 1001 /dev/zero | tr '\0' a)" 2>&1); st=$?
is "$st" 100 "1001-byte local part: exit 100"
is "$out" "getpw: fatal: address local part longer than 1000 bytes" "1001-byte local part: message"
is "$(getpw "$(head -c 1000 /dev/zero | tr '\0' b)" | cut -d: -f1)" catchall "1000-byte local part is looked up"
head -c 3000 /dev/zero | tr '\0' '\377' > "$H/users/cdb"
out=$("$T/bin/getpw" joe 2>&1); st=$?
is "$st" 111 "garbage users/cdb: exit 111, not another user"
is "$out" "getpw: fatal: users/cdb is not a valid cdb: run newu" "garbage users/cdb: message"
head -c 3000 /dev/zero > "$H/users/cdb"
out=$("$T/bin/getpw" joe 2>&1); st=$?
is "$st" 111 "users/cdb without the \"\" record: exit 111"
is "$out" "getpw: fatal: users/cdb has no record of wildcard characters: run newu" "users/cdb without the \"\" record: message"
printf '.\n' > "$H/users/assign"; "$T/bin/newu"
if [ "$(id -u)" != 0 ]; then   # root reads it anyway
  chmod 000 "$H/users"
  out=$("$T/bin/getpw" joe 2>&1); st=$?
  chmod 755 "$H/users"
  is "$st" 111 "unreadable users/cdb: exit 111"
  is "$out" "getpw: fatal: unable to read users/cdb: Permission denied" "unreadable users/cdb: message"
fi
rm -f "$H/users/cdb"
is "$(getpw joe-x)" "$(alias_for joe-x)" "without users/cdb the entries are gone"

done_testing
