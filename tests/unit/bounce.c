/* bounce: bounce records in qmail-send's exact bytes and their parser, the
 * Status taken from failure texts, and the RFC 3464 report composed from
 * them (bounce.c).
 *
 * With arguments, "bounce.t print ME BOUNCEFROM BOUNCEHOST TO ID ARRIVAL
 * NOW DOUBLE BOUNCEFILE MESSFILE" prints the composed bounce instead, for
 * tests/e2e/bounce-is-valid-dsn.t to hand to a MIME parser. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "bounce.h"
#include "tap.h"

#define S(lit) lit, sizeof lit - 1
#define is_lit(got, glen, lit, name) is_mem(got, glen, lit, sizeof lit - 1, name)

/* A descriptor reading len bytes of s from their start. */
static int tmpfd(char const *s, size_t len)
{
  char fn[] = "/tmp/cairn-bounce.XXXXXX" ;
  int fd = mkstemp(fn) ;
  if (fd < 0) { printf("Bail out! mkstemp: %s\n", strerror(errno)) ; exit(1) ; }
  unlink(fn) ;
  if (write(fd, s, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0)
  { printf("Bail out! write tmp: %s\n", strerror(errno)) ; exit(1) ; }
  return fd ;
}

static stralloc rec = STRALLOC_ZERO ;

static char const *record(char const *rcpt, char const *text)
{
  rec.len = 0 ;
  if (!bounce_addrecord(&rec, rcpt, text) || !stralloc_0(&rec)) { printf("Bail out! addrecord\n") ; exit(1) ; }
  return rec.s ;
}

static char const *status(char const *text)
{
  static char st[BOUNCE_STATUSMAX] ;
  size_t n = bounce_status(text, strlen(text), st) ;
  if (n != strlen(st)) return "(length differs from the string)" ;
  return st ;
}

static size_t count(char const *s, size_t n, char const *t)
{
  size_t c = 0, tl = strlen(t) ;
  for (char const *p = s ; (p = memmem(p, n - (size_t)(p - s), t, tl)) ; p += tl) c++ ;
  return c ;
}

static int has(stralloc const *m, char const *t) { return count(m->s, m->len, t) > 0 ; }

static size_t longestline(char const *s, size_t n)
{
  size_t max = 0, col = 0 ;
  for (size_t i = 0 ; i < n ; i++)
    if (s[i] == '\n') { if (col > max) max = col ; col = 0 ; } else col++ ;
  return col > max ? col : max ;
}

/* The text between "\n\n" after the part whose Content-Type line is ct
 * and the next "\n--" delimiter. */
static int partbody(stralloc const *m, char const *ct, char const **b, size_t *n)
{
  char const *p = memmem(m->s, m->len, ct, strlen(ct)), *e ;
  if (!p) return 0 ;
  p = memmem(p, m->len - (size_t)(p - m->s), "\n\n", 2) ;
  if (!p) return 0 ;
  p += 2 ;
  e = memmem(p, m->len - (size_t)(p - m->s), "\n--=_cairn_", 11) ;
  if (!e) return 0 ;
  *b = p ; *n = (size_t)(e - p) ;
  return 1 ;
}

static struct bounce_params params(void)
{
  struct bounce_params p ;
  memset(&p, 0, sizeof p) ;
  p.me = "mx.example.org" ;
  p.bouncefrom = "MAILER-DAEMON" ;
  p.bouncehost = "example.org" ;
  p.to = "alice@example.com" ;
  p.id = 4242 ;
  p.arrival = 1795000000 ;   /* Wed, 18 Nov 2026 11:06:40 +0000 */
  p.now = 1795003600 ;
  return p ;
}

static int compose(stralloc *m, struct bounce_params const *p, char const *bt, size_t btlen, char const *mess, size_t messlen)
{
  int fd = tmpfd(mess, messlen), r ;
  m->len = 0 ;
  r = bounce_compose(m, p, bt, btlen, fd) ;
  close(fd) ;
  return r ;
}

static char const mess1[] =
  "Received: (qmail 1234 invoked by uid 1000); 18 Nov 2026 11:06:40 -0000\n"
  "From: alice@example.com\n"
  "To: bob@example.org\n"
  "Subject: lunch on friday\n"
  "\n"
  "Shall we?\n" ;

static char const local1[] = "Sorry, no mailbox here by that name. (#5.1.1)\n" ;

/* The whole bounce for one local failure, byte for byte. */
static char const want1[] =
  "Date: Wed, 18 Nov 2026 12:06:40 +0000\n"
  "From: \"MAILER-DAEMON\" <MAILER-DAEMON@example.org>\n"
  "To: alice@example.com\n"
  "Subject: failure notice\n"
  "Message-ID: <1795003600.4242.bounce@example.org>\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/report; report-type=delivery-status;\n"
  " boundary=\"=_cairn_4242_1795003600_0\"\n"
  "Auto-Submitted: auto-replied\n"
  "\n"
  "This is a MIME-formatted delivery status notification.\n"
  "\n"
  "--=_cairn_4242_1795003600_0\n"
  "Content-Type: text/plain; charset=us-ascii\n"
  "\n"
  "Hi. This is the cairn delivery program at mx.example.org.\n"
  "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
  "This is a permanent error; I've given up. Sorry it didn't work out.\n"
  "\n"
  "<bob@example.org>:\n"
  "Sorry, no mailbox here by that name. (#5.1.1)\n"
  "\n"
  "\n"
  "--=_cairn_4242_1795003600_0\n"
  "Content-Type: message/delivery-status\n"
  "\n"
  "Reporting-MTA: dns; mx.example.org\n"
  "Arrival-Date: Wed, 18 Nov 2026 11:06:40 +0000\n"
  "\n"
  "Final-Recipient: rfc822; bob@example.org\n"
  "Action: failed\n"
  "Status: 5.1.1\n"
  "Diagnostic-Code: x-cairn; Sorry, no mailbox here by that name. (#5.1.1)\n"
  "\n"
  "--=_cairn_4242_1795003600_0\n"
  "Content-Type: text/rfc822-headers\n"
  "\n"
  "Received: (qmail 1234 invoked by uid 1000); 18 Nov 2026 11:06:40 -0000\n"
  "From: alice@example.com\n"
  "To: bob@example.org\n"
  "Subject: lunch on friday\n"
  "\n"
  "--=_cairn_4242_1795003600_0--\n" ;

static int printmode(int argc, char const *const *argv)
{
  struct bounce_params p ;
  stralloc bt = STRALLOC_ZERO, m = STRALLOC_ZERO ;
  unsigned long id, arr, now ;
  int fd ;
  if (argc != 11 || !ulong_scan(argv[5], &id) || !ulong_scan(argv[6], &arr) || !ulong_scan(argv[7], &now))
  { fprintf(stderr, "usage: bounce.t print me bouncefrom bouncehost to id arrival now double bouncefile messfile\n") ; return 100 ; }
  memset(&p, 0, sizeof p) ;
  p.me = argv[1] ; p.bouncefrom = argv[2] ; p.bouncehost = argv[3] ; p.to = argv[4] ;
  p.id = id ; p.arrival = (time_t)arr ; p.now = (time_t)now ; p.doublebounce = argv[8][0] == '1' ;
  if (!openslurpclose(&bt, argv[9])) { perror(argv[9]) ; return 111 ; }
  fd = open(argv[10], O_RDONLY) ;
  if (fd < 0) { perror(argv[10]) ; return 111 ; }
  if (!bounce_compose(&m, &p, bt.s, bt.len, fd)) { perror("bounce_compose") ; return 111 ; }
  if (fwrite(m.s, 1, m.len, stdout) != m.len || fflush(stdout)) return 111 ;
  close(fd) ;
  stralloc_free(&bt) ; stralloc_free(&m) ;
  return 0 ;
}

int main(int argc, char const *const *argv)
{
  stralloc m = STRALLOC_ZERO, bt = STRALLOC_ZERO ;
  struct bounce_params p = params() ;
  struct bounce_record r ;
  size_t pos ;

  if (argc > 1 && !strcmp(argv[1], "print")) return printmode(argc - 1, argv + 1) ;

  /* bounce_addrecord: qmail-send's addbounce, byte for byte */
  is_str(record("bob@example.org", local1), "<bob@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n",
    "record: <rcpt>:, the text, an empty line") ;
  is_str(record("r@x", "no final newline"), "<r@x>:\nno final newline\n\n", "record: a LF is added to a text without one") ;
  is_str(record("r@x", ""), "<r@x>:\n\n", "record: an empty text gives the header and the empty line") ;
  is_str(record("r@x", "x\n\ny\n"), "<r@x>:\nx\n/y\n\n", "record: an empty line inside the text becomes /") ;
  is_str(record("r@x", "x\n\n\ny\n"), "<r@x>:\nx\n//y\n\n", "record: two empty lines become // as qmail writes them") ;
  is_str(record("r@x", "\nx\n"), "<r@x>:\n/x\n\n", "record: a text starting with an empty line") ;
  is_str(record("r@x", "x\n\n"), "<r@x>:\nx\n\n\n", "record: one empty line at the end stays, as in qmail") ;
  is_str(record("a\nb@x", "t\n"), "<a_b@x>:\nt\n\n", "record: a LF in the recipient becomes _") ;
  rec.len = 0 ;
  bounce_addrecord(&rec, "a@x", "one\n") ;
  bounce_addrecord(&rec, "b@x", "\ntwo") ;
  is_lit(rec.s, rec.len, ("<a@x>:\none\n\n<b@x>:\n/two\n\n"), "record: appending keeps the earlier record's bytes") ;

  /* bounce_nextrecord */
  {
    static char const file[] =
      "<a@x>:\nline one\nline two\n\n"
      "\n"                                  /* qmail's trailing-empty-line quirk */
      "<b@y>:\n\n"
      "garbage without the form\nmore\n\n"
      "<c@z>:\ncut short" ;
    size_t n = sizeof file - 1 ;
    pos = 0 ;
    is_int(bounce_nextrecord(file, n, &pos, &r), 1, "parse: first record") ;
    is_lit(r.rcpt, r.rcptlen, ("a@x"), "parse: recipient without < >:") ;
    is_lit(r.text, r.textlen, ("line one\nline two\n"), "parse: the text's lines") ;
    is_int(bounce_nextrecord(file, n, &pos, &r), 1, "parse: a stray empty line between records is skipped") ;
    is_lit(r.rcpt, r.rcptlen, ("b@y"), "parse: second recipient") ;
    is_int(r.textlen, 0, "parse: a record with an empty text") ;
    errno = 0 ;
    is_int(bounce_nextrecord(file, n, &pos, &r), -1, "parse: a record without <rcpt>: is an error") ;
    is_int(errno, EPROTO, "parse: ... with EPROTO") ;
    is_int(bounce_nextrecord(file, n, &pos, &r), 1, "parse: the record after a bad one is found") ;
    is_lit(r.rcpt, r.rcptlen, ("c@z"), "parse: the last record, cut short") ;
    is_lit(r.text, r.textlen, ("cut short"), "parse: its text up to the end") ;
    is_int(bounce_nextrecord(file, n, &pos, &r), 0, "parse: 0 at the end") ;
    is_int(pos, n, "parse: pos at the end") ;
  }

  /* round trip: parse(addrecord(r, t)) gives r and t (with qmail's /),
   * and addrecord of what was parsed gives the same bytes again */
  {
    static char const *const rc[] = { "a@x", "user@example.org", "\"odd <one>\"@x", "" } ;
    static char const *const tx[] = { local1, "x\n\ny\n\n\nz\n", "Remote host said: 550-a\n550 b\n", "one line" } ;
    static char const *const txparsed[] = { local1, "x\n/y\n//z\n", "Remote host said: 550-a\n550 b\n", "one line\n" } ;
    stralloc again = STRALLOC_ZERO ;
    unsigned int i = 0, good = 0 ;
    bt.len = 0 ;
    for (i = 0 ; i < 4 ; i++) bounce_addrecord(&bt, rc[i], tx[i]) ;
    pos = 0 ;
    for (i = 0 ; bounce_nextrecord(bt.s, bt.len, &pos, &r) == 1 ; i++)
    {
      char rs[100], ts[200] ;
      if (i >= 4) break ;
      memcpy(rs, r.rcpt, r.rcptlen) ; rs[r.rcptlen] = 0 ;
      memcpy(ts, r.text, r.textlen) ; ts[r.textlen] = 0 ;
      if (!strcmp(rs, rc[i]) && !strcmp(ts, txparsed[i])) good++ ;
      else printf("# record %u: got <%s> [%s]\n", i, rs, ts) ;
      bounce_addrecord(&again, rs, ts) ;
    }
    is_int(i, 4, "round trip: four records parsed back") ;
    is_int(good, 4, "round trip: each recipient and text as written (blank lines as /)") ;
    is_mem(again.s, again.len, bt.s, bt.len, "round trip: writing the parsed records gives the same bytes") ;
    stralloc_free(&again) ;
  }

  /* bounce_status */
  is_str(status(local1), "5.1.1", "status: (#5.1.1) from a local text") ;
  is_str(status("Unable to chdir to maildir. (#4.2.1)\nI'm not going to try again; this message has been in the queue too long. (#4.4.7)\n"),
    "5.4.7", "status: the last code counts, class 4 becomes 5 (expired)") ;
  is_str(status("Connected to 192.0.2.1 but sender was rejected.\nRemote host said: 553 5.7.1 <s@x>: Sender address rejected\n"),
    "5.7.1", "status: the enhanced code of a remote SMTP reply") ;
  is_str(status("192.0.2.1 does not like recipient.\nRemote host said: 550 no such user here\nGiving up on 192.0.2.1.\n"),
    "5.0.0", "status: an SMTP reply without an enhanced code: 5.0.0") ;
  is_str(status("Remote host said: 550-5.1.1 first line\n550 5.1.1 second line\n"), "5.1.1", "status: a multiline reply's code") ;
  is_str(status("Sorry, something went wrong.\n"), "5.0.0", "status: no code at all: 5.0.0") ;
  is_str(status("bad (#5.1) and (#5.1.1234) and (#x.1.1)\n"), "5.0.0", "status: malformed codes are not taken") ;
  is_str(status("deep (#5.123.456)\n"), "5.123.456", "status: three-digit subject and detail") ;
  is_str(status("has (#5.2.2) then 550 5.1.1 text\n"), "5.2.2", "status: (#...) wins over digits elsewhere") ;

  /* compose: one local failure, whole message */
  bt.len = 0 ;
  bounce_addrecord(&bt, "bob@example.org", local1) ;
  is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 1, "compose: one recipient: 1") ;
  is_lit(m.s, m.len, (want1), "compose: one local failure gives the whole expected report") ;

  /* compose: three recipients, remote SMTP texts and a local one */
  {
    static char const remote1[] =
      "Connected to 192.0.2.25 but sender was rejected.\n"
      "Remote host said: 553 5.7.1 <alice@example.com>: Sender address rejected\n" ;
    static char const remote2[] =
      "2001:db8::25 does not like recipient.\n"
      "Remote host said: 550-5.1.1 The email account that you tried to reach does not exist.\n"
      "550 5.1.1 Please check the address.\n"
      "Giving up on 2001:db8::25.\n" ;
    char const *b ;
    size_t n ;
    bt.len = 0 ;
    bounce_addrecord(&bt, "carol@remote.example", remote1) ;
    bounce_addrecord(&bt, "bob@example.org", local1) ;
    bounce_addrecord(&bt, "dave@other.example", remote2) ;
    is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 1, "compose: three recipients: 1") ;
    ok(partbody(&m, "Content-Type: text/plain", &b, &n), "three: a text/plain part") ;
    ok(n > bt.len && !memcmp(b + n - bt.len, bt.s, bt.len), "three: the text part ends with the bounce file as it is") ;
    ok(partbody(&m, "Content-Type: message/delivery-status", &b, &n), "three: a message/delivery-status part") ;
    is_int(count(b, n, "Final-Recipient: "), 3, "three: three Final-Recipient fields") ;
    is_int(count(b, n, "Action: failed\n"), 3, "three: three Action: failed") ;
    {
      char const *c = memmem(b, n, "rfc822; carol@remote.example", 28) ;
      char const *o = memmem(b, n, "rfc822; bob@example.org", 23) ;
      char const *d = memmem(b, n, "rfc822; dave@other.example", 26) ;
      ok(c && o && d && c < o && o < d, "three: recipients in the order of the records") ;
    }
    ok(memmem(b, n, S("Final-Recipient: rfc822; carol@remote.example\nAction: failed\nStatus: 5.7.1\nRemote-MTA: dns; [192.0.2.25]\n"
      "Diagnostic-Code: smtp; 553 5.7.1 <alice@example.com>: Sender address rejected\n")) != 0,
      "three: remote failure: Status, Remote-MTA and the SMTP reply (77 octets: not folded)") ;
    ok(memmem(b, n, S("Status: 5.1.1\nDiagnostic-Code: x-cairn; Sorry, no mailbox here by that name. (#5.1.1)\n")) != 0,
      "three: local failure: x-cairn diagnostic") ;
    ok(memmem(b, n, S("Remote-MTA: dns; [IPv6:2001:db8::25]\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach\n"
      " does not exist. 550 5.1.1 Please check the address.\n")) != 0,
      "three: a multiline reply joined, an IPv6 peer from 'does not like recipient'") ;
    ok(memmem(b, n, S("Giving up")) == 0, "three: the diagnostic stops at the end of the reply") ;
    ok(partbody(&m, "Content-Type: text/rfc822-headers", &b, &n), "three: a text/rfc822-headers part") ;
    is_mem(b, n, mess1, sizeof mess1 - 1 - 11, "three: the header of the original, without its body") ;
    is_int(count(m.s, m.len, "\n--=_cairn_4242_1795003600_0"), 4, "three: three delimiters and the close") ;
  }

  /* double bounce */
  p.doublebounce = 1 ;
  p.to = "postmaster@example.org" ;
  bt.len = 0 ;
  bounce_addrecord(&bt, "alice@example.com", local1) ;
  is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 1, "double: 1") ;
  ok(has(&m, "Hi. This is the cairn delivery program at mx.example.org.\n"
             "I tried to deliver a bounce message to this address, but the bounce bounced!\n\n<alice@example.com>:\n"),
    "double: qmail's double-bounce wording before the records") ;
  ok(!has(&m, "I'm afraid"), "double: not the single-bounce wording") ;
  ok(has(&m, "\nTo: postmaster@example.org\n"), "double: To: the double-bounce address") ;
  p = params() ;

  /* the original header */
  {
    static char const nobody[] = "Received: (qmail 1 invoked by uid 0); 1 Jan 2027 00:00:00 -0000\nSubject: header only" ;
    char const *b ;
    size_t n ;
    is_int(compose(&m, &p, bt.s, bt.len, S(nobody)), 1, "header only: 1") ;
    ok(partbody(&m, "Content-Type: text/rfc822-headers", &b, &n), "header only: a headers part") ;
    is_lit(b, n, ("Received: (qmail 1 invoked by uid 0); 1 Jan 2027 00:00:00 -0000\nSubject: header only\n"),
      "header only: the whole message, a LF added") ;
  }
  {
    stralloc big = STRALLOC_ZERO ;
    char const *b ;
    size_t n ;
    int wholelines ;
    stralloc_cats(&big, "Received: (qmail 1 invoked by uid 0); 1 Jan 2027 00:00:00 -0000\nSubject: huge\n") ;
    for (unsigned int i = 0 ; big.len < 200000 ; i++)
    {
      char num[UINT_FMT] ;
      stralloc_cats(&big, "X-Filler-") ;
      stralloc_catb(&big, num, uint_fmt(num, i)) ;
      stralloc_cats(&big, ": some header text to make the header long enough\n") ;
    }
    stralloc_cats(&big, "\nthe body\n") ;
    is_int(compose(&m, &p, bt.s, bt.len, big.s, big.len), 1, "huge header: 1") ;
    ok(partbody(&m, "Content-Type: text/rfc822-headers", &b, &n), "huge header: a headers part") ;
    ok(n <= BOUNCE_HEADMAX && n > BOUNCE_HEADMAX - 100, "huge header: cut to at most 64 KiB") ;
    wholelines = n && b[n - 1] == '\n' && !memcmp(b, big.s, n) && big.s[n - 1] == '\n' ;
    ok(wholelines, "huge header: a prefix of the original, cut after a LF") ;
    ok(!memmem(m.s, m.len, "the body", 8), "huge header: no body") ;
    stralloc_free(&big) ;
  }

  /* long lines and 8-bit text */
  {
    stralloc t = STRALLOC_ZERO ;
    stralloc_cats(&t, "Remote host said: 550 ") ;
    for (unsigned int i = 0 ; i < 3000 ; i++) stralloc_catb(&t, i % 7 ? "x" : " ", 1) ;
    stralloc_cats(&t, "\nand then a word without spaces: ") ;
    for (unsigned int i = 0 ; i < 2500 ; i++) stralloc_catb(&t, "y", 1) ;
    stralloc_cats(&t, "\n") ;
    stralloc_0(&t) ;
    bt.len = 0 ;
    bounce_addrecord(&bt, "long@example.com", t.s) ;
    is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 1, "long lines: 1") ;
    ok(longestline(m.s, m.len) <= 998, "long lines: no line of the report over 998 octets") ;
    ok(has(&m, "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n"),
      "long lines: the text part goes quoted-printable") ;
    stralloc_free(&t) ;
  }
  {
    static char const mess8[] = "Received: x\nSubject: =?utf-8?q?caf=C3=A9?=\nX-Raw: caf\303\251\n\nbody\n" ;
    bt.len = 0 ;
    bounce_addrecord(&bt, "ren\303\251@example.com", "Sorry, \303\251t\303\251 no mailbox. (#5.1.1)\n") ;
    is_int(compose(&m, &p, bt.s, bt.len, S(mess8)), 1, "8-bit: 1") ;
    ok(has(&m, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"), "8-bit: text part utf-8, 8bit") ;
    ok(has(&m, "Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: 8bit\n\n"), "8-bit: headers part 8bit") ;
    ok(has(&m, "\nContent-Transfer-Encoding: 8bit\nAuto-Submitted:"), "8-bit: the top level says 8bit too") ;
    ok(has(&m, "Final-Recipient: rfc822; ren??@example.com\n"), "8-bit: the delivery-status part stays US-ASCII") ;
    ok(has(&m, "<ren\303\251@example.com>:\n"), "8-bit: the text part keeps the bytes") ;
  }

  /* the boundary is never part of the content */
  {
    static char const trap[] = "Received: x\nSubject: --=_cairn_4242_1795003600_0\n\n" ;
    bt.len = 0 ;
    bounce_addrecord(&bt, "bob@example.org", local1) ;
    is_int(compose(&m, &p, bt.s, bt.len, S(trap)), 1, "boundary: 1") ;
    ok(has(&m, "boundary=\"=_cairn_4242_1795003600_1\""), "boundary: a header holding the first candidate moves it on") ;
    is_int(count(m.s, m.len, "\n--=_cairn_4242_1795003600_1"), 4, "boundary: the new one is used throughout") ;
  }

  /* quoting and refusals */
  p.to = "john doe@example.com" ;
  is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 1, "quoting: 1") ;
  ok(has(&m, "\nTo: \"john doe\"@example.com\n"), "quoting: a local part with a space is quoted in To:") ;
  p = params() ;
  p.to = "evil@example.com\nBcc: x@y" ;
  m.len = 0 ;
  errno = 0 ;
  is_int(compose(&m, &p, bt.s, bt.len, S(mess1)), 0, "refusal: a LF in To is refused") ;
  is_int(errno, EINVAL, "refusal: ... with EINVAL") ;
  is_int(m.len, 0, "refusal: nothing written") ;
  p = params() ;
  errno = 0 ;
  is_int(compose(&m, &p, "", 0, S(mess1)), 0, "refusal: an empty bounce file") ;
  is_int(errno, ENOMSG, "refusal: ... with ENOMSG") ;
  errno = 0 ;
  is_int(compose(&m, &p, S("not a record\n\n"), S(mess1)), 0, "refusal: no well-formed record") ;
  is_int(errno, ENOMSG, "refusal: ... with ENOMSG") ;
  {
    stralloc keep = STRALLOC_ZERO ;
    int fd = tmpfd(S(mess1)) ;
    stralloc_cats(&keep, "earlier bytes") ;
    bounce_compose(&keep, &p, bt.s, bt.len, fd) ;
    close(fd) ;
    ok(keep.len > 13 && !memcmp(keep.s, "earlier bytes", 13) && !memcmp(keep.s + 13, "Date: ", 6), "compose appends to msg") ;
    stralloc_free(&keep) ;
  }
  errno = 0 ;
  is_int(bounce_compose(&m, &p, bt.s, bt.len, -1), 0, "refusal: an unreadable message") ;
  is_int(errno, EBADF, "refusal: ... with the read error") ;

  stralloc_free(&m) ;
  stralloc_free(&bt) ;
  stralloc_free(&rec) ;
  return tap_done() ;
}
