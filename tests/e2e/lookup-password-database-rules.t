#!/bin/bash
# lookup-password-database-rules: with real users made for the run (as
# root; removed at exit), getpw applies qmail-getpw's rules: the longest
# name that ends before a '-' (or is the whole local part) and names a
# user with uid not 0 whose home exists and is owned by that user, in
# lower case; dash "-" and ext the rest (case kept) when there is a rest.
# A home owned by someone else or missing: not a mail user, the alias user
# gets it. A group- or world-writable home: exit 111 with #4.7.0, the mail
# waits. users/cdb entries come before all of this.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates test users with useradd"
command -v useradd >/dev/null || skip_all "needs useradd"
users_lock
instance_new
me=$(id -un) uid=$(id -u) gid=$(id -g)
p=ct$$
mkdir "$T/homes"

# mkuser NAME MODE [OWNER]: a user whose home $T/homes/NAME has MODE and
# belongs to OWNER (default: the user); MODE "none" leaves it missing
mkuser() {
  useradd -M -d "$T/homes/$1" -s /usr/sbin/nologin "$1" || { echo "Bail out! useradd $1 failed"; exit 1; }
  at_exit "user_del $1 2>/dev/null"
  [ "$2" = none ] && return
  mkdir "$T/homes/$1"
  chown "${3:-$1}" "$T/homes/$1"
  chmod "$2" "$T/homes/$1"
}
mkuser "${p}a" 755
mkuser "${p}a-x" 700
mkuser "${p}w" 777
mkuser "${p}g" 775
mkuser "${p}r" 755 root
mkuser "${p}m" none

getpw() { "$T/bin/getpw" "$1" | tr '\0' ':'; }
user() { printf '%s:%s:%s:%s' "$1" "$(id -u "$1")" "$(id -g "$1")" "$T/homes/$1"; }
alias_for() { printf '%s:%s:%s:%s:-:%s:' "$me" "$uid" "$gid" "$H/alias" "$1"; }
A=$(user "${p}a")
is "$(getpw "${p}a")" "$A:::" "user with a good home: dash and ext empty"
is "$(getpw "${p}a-foo-Bar")" "$A:-:foo-Bar:" "user-ext: dash -, ext is the rest in its case"
is "$(getpw "$(echo "${p}a" | tr a-z A-Z)-Ext")" "$A:-:Ext:" "name in upper case is looked up in lower case"
is "$(getpw "${p}a-${p}a")" "$A:-:${p}a:" "virtual-domain form name-name (sergey-sergey) goes to name with ext name"
is "$(getpw "${p}a-")" "$A:-::" "trailing dash: dash -, empty ext"
is "$(getpw "${p}a-x-foo")" "$(user "${p}a-x"):-:foo:" "the longest user name wins (${p}a-x over ${p}a)"
is "$(getpw "${p}a-x")" "$(user "${p}a-x"):::" "user name with a dash in it"
is "$(getpw "${p}a-y-foo")" "$A:-:y-foo:" "no user ${p}a-y: falls back to ${p}a"
is "$(getpw "${p}r")" "$(alias_for "${p}r")" "home owned by root: alias user"
is "$(getpw "${p}r-ext")" "$(alias_for "${p}r-ext")" "home owned by root, with ext: alias user, whole local part"
is "$(getpw "${p}m")" "$(alias_for "${p}m")" "missing home: alias user"

out=$("$T/bin/getpw" "${p}w-ext" 2>&1); st=$?
is "$st" 111 "world-writable home: exit 111 (the mail waits)"
is "$out" "getpw: fatal: home directory $T/homes/${p}w of ${p}w is group- or world-writable (#4.7.0)" "world-writable home: message"
out=$("$T/bin/getpw" "${p}g" 2>&1); st=$?
is "$st" 111 "group-writable home: exit 111"
is "$out" "getpw: fatal: home directory $T/homes/${p}g of ${p}g is group- or world-writable (#4.7.0)" "group-writable home: message"
chmod 755 "$T/homes/${p}w"
is "$(getpw "${p}w-ext")" "$(user "${p}w"):-:ext:" "the same user once the home is fixed"

# users/cdb comes first, and its homes are not checked here (local does)
cat > "$H/users/assign" <<EOF
=${p}a:${p}a:4000:4001:/elsewhere:::
+${p}r-:${p}w:4002:4003:$T/homes/${p}g:-::
.
EOF
"$T/bin/newu"; is "$?" 0 "newu: compiled the table"
is "$(getpw "${p}a")" "${p}a:4000:4001:/elsewhere:::" "users/cdb entry before the password database"
is "$(getpw "${p}a-z")" "$A:-:z:" "an exact entry does not cover extensions: password database"
is "$(getpw "${p}r-q")" "${p}w:4002:4003:$T/homes/${p}g:-:q:" "users/cdb home is taken as written"

done_testing
