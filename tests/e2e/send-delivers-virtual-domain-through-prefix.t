#!/bin/sh
# control/virtualdomains "virtual.example:sergey" (seed 004): mail to
# sergey@virtual.example, a domain not in locals, is local, becomes
# sergey-sergey@virtual.example and reaches the user sergey through
# ~sergey/.qmail-sergey; another name at the domain falls to
# ~sergey/.qmail-default with $DEFAULT the name.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
echo 'virtual.example:sergey' > "$H/control/virtualdomains"
mta_user sergey
mta_user carol
mta_assign
s=$T/u/sergey
mkdir -p "$s/virt/new" "$s/virt/cur" "$s/virt/tmp" "$s/rest/new" "$s/rest/cur" "$s/rest/tmp"
echo ./virt/ > "$s/.qmail-sergey"
printf '|echo "$DEFAULT" > default.out\n./rest/\n' > "$s/.qmail-default"
mta_start

printf 'Subject: virtual\n\nfor sergey\n' | "$H/bin/inject" -f carol@example.org sergey@virtual.example
ok $? "inject exits 0"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(find "$s/virt/new" -type f | wc -l)" 1 "~sergey/.qmail-sergey delivered it to ./virt/"
f=$(find "$s/virt/new" -type f | head -1)
is "$(sed -n 2p "$f")" "Delivered-To: sergey-sergey@virtual.example" "Delivered-To names the rewritten address, as qmail"
is "$(tail -n 1 "$f")" "for sergey" "the body is there"
is "$(count_new sergey)$(find "$s/rest/new" -type f | wc -l)" 00 "nothing in ./Maildir/ or ./rest/"
is "$(count_new carol)" 0 "no bounce"

printf 'Subject: info\n\nfor info\n' | "$H/bin/inject" -f carol@example.org info@virtual.example
wait_for 10 queue_empty
ok $? "a second name at the virtual domain is delivered"
is "$(find "$s/rest/new" -type f | wc -l)" 1 "  through ~sergey/.qmail-default"
is "$(cat "$s/default.out" 2>&1)" "info" "  with DEFAULT=info"
is "$(find "$s/virt/new" -type f | wc -l)" 1 "  and not through .qmail-sergey"
mta_stop
like "$(cat "$T/log")" '^starting delivery [0-9]+: msg [0-9]+ to local sergey-sergey@virtual\.example$' "log: the delivery to the rewritten address"
done_testing
