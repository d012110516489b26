#!/bin/bash
# bounce-is-valid-dsn: the bounces that bounce_compose builds (printed by
# the bounce unit test in its print mode) are read by python3's email
# package as RFC 3464 reports: multipart/report with report-type
# delivery-status; a text/plain part with qmail's wording and the bounce
# file's records unchanged; a message/delivery-status part whose
# per-recipient blocks carry Final-Recipient, Action: failed and a 5.x.y
# Status; a text/rfc822-headers part with the original Subject and not
# the body; and no line over 998 octets. Cases: three recipients (remote
# SMTP replies and a local failure), a double bounce, and a failure text
# with a 3000-octet line next to an 8-bit header (quoted-printable and
# 8bit parts that must decode to the original bytes).
. "$(dirname "$0")/../lib/tap.sh"
export LC_ALL=C
top=${CAIRN_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${CAIRN_O:-$top/build}
command -v python3 >/dev/null || skip_all "needs python3"
T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
make -s -C "$top" O="$O" EXTRA="${CAIRN_EXTRA:-}" "$O/tests/unit/bounce.t" >"$T/build.log" 2>&1 \
  || { echo "Bail out! cannot build the bounce unit test: $(tail -5 "$T/build.log")"; exit 1; }
gen=$O/tests/unit/bounce.t

# A bounce file in qmail-send's format (what bounce_addrecord writes).
record() { printf '<%s>:\n%s\n\n' "$1" "$2"; }

# check NAME BOUNCE BOUNCEFILE MESSFILE SUBJECT NRCPT DOUBLE: runs the
# checks on the composed message and reports each one.
check() {
  python3 - "$2" "$3" "$4" "$5" "$6" "$7" <<'EOF' > "$T/result" 2>&1
import email, os, re, sys
raw = open(sys.argv[1], 'rb').read()
bfile = open(sys.argv[2], 'rb').read()
mess = open(sys.argv[3], 'rb').read()
subject, nrcpt, double = os.fsencode(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == '1'
def check(name, cond, detail=''):
    print(('PASS ' if cond else 'FAIL ') + name + ('' if cond else ': ' + detail))
m = email.message_from_bytes(raw)
check('parses as multipart/report', m.get_content_type() == 'multipart/report', m.get_content_type())
check('report-type is delivery-status', m.get_param('report-type') == 'delivery-status', str(m.get_param('report-type')))
check('no MIME defects', not m.defects and all(not p.defects for p in m.walk()),
      str([d for p in m.walk() for d in p.defects]))
parts = m.get_payload() if m.is_multipart() else []
check('three parts', len(parts) == 3, str(len(parts)))
if len(parts) != 3: sys.exit(0)
t, d, h = parts
check('part 1 is text/plain', t.get_content_type() == 'text/plain', t.get_content_type())
text = t.get_payload(decode=True)
wording = b'I tried to deliver a bounce message to this address, but the bounce bounced!\n\n' if double else \
          b"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
check('part 1 has the wording', text.startswith(b'Hi. This is the cairn delivery program at mx.example.org.\n') and wording in text, repr(text[:200]))
check('part 1 ends with the bounce file unchanged', text.endswith(bfile), repr(text[-200:]))
check('part 2 is message/delivery-status', d.get_content_type() == 'message/delivery-status', d.get_content_type())
blocks = d.get_payload()
check('part 2: per-message block and one block per recipient', len(blocks) == 1 + nrcpt, str(len(blocks)))
check('per-message: Reporting-MTA', blocks[0]['Reporting-MTA'] == 'dns; mx.example.org', str(blocks[0]['Reporting-MTA']))
check('per-message: Arrival-Date', blocks[0]['Arrival-Date'] is not None, 'missing')
rcpts = [l[1:-2].decode('utf-8', 'replace') for l in bfile.split(b'\n') if l.startswith(b'<') and l.endswith(b'>:')]
bad = []
for i, b in enumerate(blocks[1:]):
    fr, act, st = b['Final-Recipient'], b['Action'], b['Status']
    if not fr or not fr.startswith('rfc822; ') or (i < len(rcpts) and fr[8:] != rcpts[i]): bad.append('Final-Recipient %r' % fr)
    if act != 'failed': bad.append('Action %r' % act)
    if not st or not re.fullmatch(r'5\.\d{1,3}\.\d{1,3}', st): bad.append('Status %r' % st)
    if not b['Diagnostic-Code']: bad.append('no Diagnostic-Code')
check('per-recipient: Final-Recipient (the records, in order), Action: failed, Status 5.x.y, Diagnostic-Code', not bad, '; '.join(bad))
check('part 3 is text/rfc822-headers', h.get_content_type() == 'text/rfc822-headers', h.get_content_type())
hdr = h.get_payload(decode=True)
check('part 3 has the original Subject', b'Subject: ' + subject + b'\n' in hdr, repr(hdr[:300]))
check('part 3 is the original header, without the body', mess.startswith(hdr) and mess[len(hdr):len(hdr) + 1] == b'\n', repr(hdr[-100:]))
long = [len(l) for l in raw.split(b'\n') if len(l) > 998]
check('no line over 998 octets', not long, str(long[:5]))
EOF
  while IFS= read -r line; do
    case $line in
      PASS\ *) pass "$1: ${line#PASS }" ;;
      FAIL\ *) fail "$1: ${line#FAIL }" ;;
      *) fail "$1: python: $line" ;;
    esac
  done < "$T/result"
}

# 1. three recipients
{
  record carol@remote.example "Connected to 192.0.2.25 but sender was rejected.
Remote host said: 553 5.7.1 <alice@example.com>: Sender address rejected"
  record bob@example.org "Sorry, no mailbox here by that name. (#5.1.1)"
  record dave@other.example "2001:db8::25 does not like recipient.
Remote host said: 550-5.1.1 The email account that you tried to reach does not exist.
550 5.1.1 Please check the address.
Giving up on 2001:db8::25."
} > "$T/b1"
printf 'Received: (qmail 1234 invoked by uid 1000); 18 Nov 2026 11:06:40 -0000\nFrom: alice@example.com\nTo: bob@example.org, carol@remote.example, dave@other.example\nSubject: Quarterly figures\nMessage-ID: <q1@example.com>\n\nthe body\n' > "$T/m1"
"$gen" print mx.example.org MAILER-DAEMON example.org alice@example.com 4242 1795000000 1795003600 0 "$T/b1" "$T/m1" > "$T/out1"
ok $? "three recipients: composed"
check "three recipients" "$T/out1" "$T/b1" "$T/m1" "Quarterly figures" 3 0

# 2. a double bounce: the original is a bounce that bounced
record alice@example.com "Sorry, no mailbox here by that name. (#5.1.1)" > "$T/b2"
"$gen" print mx.example.org MAILER-DAEMON example.org alice@example.com 4242 1795000000 1795003600 0 "$T/b1" "$T/m1" > "$T/bounce"
cp "$T/bounce" "$T/m2"
"$gen" print mx.example.org MAILER-DAEMON example.org postmaster@example.org 4243 1795003600 1795007200 1 "$T/b2" "$T/m2" > "$T/out2"
ok $? "double bounce: composed"
check "double bounce" "$T/out2" "$T/b2" "$T/m2" "failure notice" 1 1
like "$(grep -c '^To: postmaster@example.org$' "$T/out2")" '^1$' "double bounce: To: the double-bounce address"

# 3. a 3000-octet line in the failure text, 8-bit bytes in the header
long=$(head -c 3000 /dev/zero | tr '\0' 'x')
record "eve@example.net" "Remote host said: 552 5.3.4 message too big: $long" > "$T/b3"
printf 'Received: (qmail 9 invoked by uid 1000); 18 Nov 2026 11:06:40 -0000\nSubject: caf\303\251 cr\303\250me\nX-Long: %s\n\nbody\n' "$long" > "$T/m3"
"$gen" print mx.example.org MAILER-DAEMON example.org alice@example.com 7 1795000000 1795003600 0 "$T/b3" "$T/m3" > "$T/out3"
ok $? "long lines: composed"
check "long lines" "$T/out3" "$T/b3" "$T/m3" "$(printf 'caf\303\251 cr\303\250me')" 1 0
like "$(grep -c 'quoted-printable' "$T/out3")" '^2$' "long lines: both text parts travel quoted-printable"

done_testing
