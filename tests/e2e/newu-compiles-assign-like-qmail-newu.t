#!/bin/bash
# newu-compiles-assign-like-qmail-newu: newu turns $H/users/assign into
# $H/users/cdb with qmail-newu's records, read back here by an independent
# cdb reader (python): "!"+lower(local)+NUL for =local, "!"+lower(prefix)
# for +prefix, data user NUL uid NUL gid NUL home NUL dash NUL ext, then
# the "" record with the last character of each wildcard prefix; mode
# 0644, no users/cdb.tmp left. A malformed users/assign (each kind) makes
# newu exit 111 with "newu: fatal: users/assign line N: reason" and leaves
# the old users/cdb byte for byte.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new

# dump FILE: every record in file order, "key -> data" with bytes escaped,
# after checking that each key is found again through the hash tables.
dump() {
  python3 - "$1" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
def h(k):
    x = 5381
    for c in k: x = (((x << 5) + x) ^ c) & 0xffffffff
    return x
def get(k):
    x = h(k); pos, n = struct.unpack_from('<II', b, (x & 255) * 8)
    if not n: return None
    s = (x >> 8) % n
    for i in range(n):
        hh, p = struct.unpack_from('<II', b, pos + ((s + i) % n) * 8)
        if not p: return None
        if hh == x:
            kl, dl = struct.unpack_from('<II', b, p)
            if b[p + 8:p + 8 + kl] == k: return b[p + 8 + kl:p + 8 + kl + dl]
    return None
end = min(struct.unpack_from('<I', b, i * 8)[0] for i in range(256))
p = 2048
esc = lambda s: ''.join(chr(c) if 32 < c < 127 and c != 92 else '\\%03o' % c for c in s)
while p < end:
    kl, dl = struct.unpack_from('<II', b, p)
    k, d = b[p + 8:p + 8 + kl], b[p + 8 + kl:p + 8 + kl + dl]
    first = get(k)
    print('%s -> %s%s' % (esc(k), esc(d), '' if first is not None else '  (NOT FOUND BY HASH)'))
    p += 8 + kl + dl
PY
}

cat > "$H/users/assign" <<EOF
=Joe.Shmoe:joe:503:78:/home/joe:::
+:alias:7790:2108:$H/alias:-::
+joe-:joe:507:100:/home/joe:-::
=joe:joe:507:100:/home/joe:::
+Sales@Virtual.Example-:sales:600:600:/home/sales:-:in-:
+list-:list:0601:601:/home/list:-::
.
EOF
out=$("$T/bin/newu" 2>&1); st=$?
is "$st" 0 "newu: exit 0 for a valid users/assign"
is "$out" "" "newu: says nothing when it works"
cat > "$T/want" <<EOF
!joe.shmoe\\000 -> joe\\000503\\00078\\000/home/joe\\000\\000
! -> alias\\0007790\\0002108\\000$H/alias\\000-\\000
!joe- -> joe\\000507\\000100\\000/home/joe\\000-\\000
!joe\\000 -> joe\\000507\\000100\\000/home/joe\\000\\000
!sales@virtual.example- -> sales\\000600\\000600\\000/home/sales\\000-\\000in-
!list- -> list\\000601\\000601\\000/home/list\\000-\\000
 -> -
EOF
dump "$H/users/cdb" > "$T/got"
cmp_files "$T/got" "$T/want" "users/cdb: qmail-newu's keys and data, in order, found through the hash tables"
is "$(stat -c %a "$H/users/cdb")" 644 "users/cdb: mode 0644"
ok "$([ ! -e "$H/users/cdb.tmp" ]; echo $?)" "no users/cdb.tmp left after success"
is "$(readlink "$H/bin/qmail-newu")" newu "install: qmail-newu is a link to newu"
is "$(readlink "$H/bin/qmail-getpw")" getpw "install: qmail-getpw is a link to getpw"
is "$(stat -c %a "$H/bin/getpw")" 711 "install: getpw mode 0711"

# only the dot line: an empty table that lookups can still read
printf '.\n' > "$H/users/assign"
"$T/bin/newu"; is "$?" 0 "newu: a users/assign with only the dot line"
is "$(dump "$H/users/cdb")" " -> " "empty table: the \"\" record alone"

# a good table to keep through the failures below
printf '=a:u:1:1:/h:::\n+b-:u:2:2:/h:-:x:\n.\n' > "$H/users/assign"
"$T/bin/newu"; is "$?" 0 "newu: the table kept through the failures below"
cp "$H/users/cdb" "$T/good.cdb"

bad() { # bad NAME WANT-MESSAGE: the current users/assign is refused
  out=$("$T/bin/newu" 2>&1); st=$?
  is "$st" 111 "$1: exit 111"
  is "$out" "$2" "$1: message"
  cmp_files "$H/users/cdb" "$T/good.cdb" "$1: users/cdb unchanged"
  ok "$([ ! -e "$H/users/cdb.tmp" ]; echo $?)" "$1: no users/cdb.tmp left"
}
printf '=a:u:1:1:/h:::\n=b:u:x:1:/h:::\n.\n' > "$H/users/assign"
bad "bad uid" "newu: fatal: users/assign line 2: uid is not a number below 4294967295"
printf '=a:u:1:1:/h:::\n=b:u:1:1:/h::\n.\n' > "$H/users/assign"
bad "six fields" "newu: fatal: users/assign line 2: fewer than seven fields each ended by a colon"
printf '=a:u:1:1:/h:::\n' > "$H/users/assign"
bad "no dot line" "newu: fatal: users/assign line 2: missing the last line, a single dot"
printf '=a:u:1:1:/h:::\n=b:u:1:1:/h:::' > "$H/users/assign"
bad "unfinished last line" "newu: fatal: users/assign line 2: last line does not end with a newline"
printf '=a:u:1:1:/h:::\n\n=c:u:1:1:/h:::\n.\n' > "$H/users/assign"
bad "empty line" "newu: fatal: users/assign line 2: empty line"
printf '# users\n=a:u:1:1:/h:::\n.\n' > "$H/users/assign"
bad "comment line" "newu: fatal: users/assign line 1: line starts with neither = nor +"
printf '=a:u:1:1:/h:::\r\n.\n' > "$H/users/assign"
bad "CRLF line" "newu: fatal: users/assign line 1: text after the colon that ends the seventh field"
printf '=a:u:1:1:/h:x::\n.\n' > "$H/users/assign"
bad "dash x" "newu: fatal: users/assign line 1: dash is neither empty nor -"
printf '=a:u:1:1:/h:::\n=b\0:u:1:1:/h:::\n.\n' > "$H/users/assign"
bad "NUL byte" "newu: fatal: users/assign line 2: line contains a NUL byte"
{ printf '='; head -c 1001 /dev/zero | tr '\0' a; printf ':u:1:1:/h:::\n.\n'; } > "$H/users/assign"
bad "1001-byte address" "newu: fatal: users/assign line 1: address longer than 1000 bytes"
rm "$H/users/assign"
bad "no users/assign" "newu: fatal: unable to read users/assign: No such file or directory"

# a stale users/cdb.tmp from a crashed run does not matter
printf '=a:u:1:1:/h:::\n+b-:u:2:2:/h:-:x:\n.\n' > "$H/users/assign"
echo junk > "$H/users/cdb.tmp"
"$T/bin/newu"; is "$?" 0 "newu: runs over a stale users/cdb.tmp"
cmp_files "$H/users/cdb" "$T/good.cdb" "same assign, same users/cdb bytes"

done_testing
