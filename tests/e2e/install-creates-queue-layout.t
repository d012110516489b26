#!/bin/bash
# install-creates-queue-layout: install makes qmail's layout in the home,
# with qmail's modes (queue 0750, pid 0700, intd 0700, todo 0750, bounce
# 0700, mess/info/local/remote with 23 subdirectories each, lock/trigger a
# FIFO 0622, lock/sendmutex 0600, lock/tcpto 0644), installs queue with its
# qmail-queue name, and running it again changes nothing and keeps what is
# already there (a control file, a queued message).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new

# mode TYPE PATH: "TYPE MODE" as stat shows them (octal, no leading zeros)
mode() { stat -c '%F %a' "$H/$1" 2>&1; }
for d in ":755" "bin:755" "control:755" "users:755" "man:755" "alias:2755" \
         "queue:750" "queue/pid:700" "queue/intd:700" "queue/todo:750" \
         "queue/bounce:700" "queue/lock:750" \
         "queue/mess:750" "queue/info:700" "queue/local:700" "queue/remote:700"; do
  is "$(mode "${d%:*}")" "directory ${d#*:}" "${d%:*}/ is a directory with mode 0${d#*:}"
done
for d in mess:750 info:700 local:700 remote:700; do
  want=$(for i in $(seq 0 22); do echo "$i directory ${d#*:}"; done)
  got=$(cd "$H/queue/${d%:*}" && for f in *; do echo "$f $(stat -c '%F %a' "$f")"; done | sort -n)
  is "$got" "$want" "queue/${d%:*}/ holds exactly 0..22, directories with mode 0${d#*:}"
done
is "$(mode queue/lock/trigger)" "fifo 622" "queue/lock/trigger is a FIFO with mode 0622"
is "$(mode queue/lock/sendmutex)" "regular empty file 600" "queue/lock/sendmutex is an empty file with mode 0600"
is "$(mode queue/lock/tcpto)" "regular empty file 644" "queue/lock/tcpto is an empty file with mode 0644"
is "$(mode bin/queue)" "regular file 711" "bin/queue is installed, mode 0711 (no setuid bit in a single-user build)"
is "$(readlink "$H/bin/qmail-queue")" "queue" "bin/qmail-queue is a symlink to queue"
cmp -s "$H/bin/queue" "$T/bin/queue"
ok $? "bin/queue is the program that was built"

# A second install keeps what is there and changes nothing else. Programs
# are replaced on purpose (that is an upgrade), and so are the service
# directories' run scripts: for bin/ and service/ only names, types, modes, sizes and
# link targets are compared.
echo 'mail.example.org' > "$H/control/me"
printf 'Subject: kept\n\n' | "$H/bin/queue" 1< <(printf 'Fa@b\0Tc@d\0\0')
is $? 0 "a message is queued before the second install"
state() {
  (cd "$H" && find . \( -path ./bin -o -path ./service \) -prune -o -printf '%p %y %m %U %G %i %s %T@\n' | sort
   find ./bin ./service -printf '%p %y %m %s %l\n' | sort)
}
state > "$T/before"
"$T/bin/install" "$T/bin" 2> "$T/err"
is $? 0 "install runs a second time"
is "$(cat "$T/err")" "" "and says nothing"
state > "$T/after"
cmp_files "$T/after" "$T/before" "the second install changes no file, directory, mode, owner, inode or time"
is "$(cat "$H/control/me")" "mail.example.org" "control/me is kept"
is "$(ls "$H/queue/todo" | wc -l)" 1 "the queued message is kept"
done_testing
