/* Unit tests for addrlist: address lists as qmail-inject reads them, and
 * the qualification of bare names. */
#include <string.h>
#include <skalibs/stralloc.h>
#include "addrlist.h"
#include "envelope.h"
#include "tap.h"

static struct addrlist_qualify const q = { "box", "example.org", "plus.example.net" } ;

static stralloc out, addrs ;
static size_t n ;

static enum addrlist_status run(char const *s, struct addrlist_qualify const *qq)
{
  out.len = 0 ; addrs.len = 0 ; n = 0 ;
  return addrlist_parse(s, strlen(s), qq, &out, &addrs, &n) ;
}

/* The addresses found, joined by "|" for comparison. */
static char const *found(void)
{
  static stralloc j ;
  j.len = 0 ;
  for (size_t i = 0 ; i < addrs.len ; i += strlen(addrs.s + i) + 1)
  {
    if (i) stralloc_catb(&j, "|", 1) ;
    stralloc_cats(&j, addrs.s + i) ;
  }
  stralloc_0(&j) ;
  return j.s ;
}

static char const *text(void)
{
  static stralloc t ;
  stralloc_copyb(&t, out.s, out.len) ;
  stralloc_0(&t) ;
  return t.s ;
}

static void one(char const *in, char const *wantaddrs, char const *wanttext, char const *name)
{
  int r = run(in, &q) ;
  is_int(r, ADDRLIST_OK, name) ;
  is_str(found(), wantaddrs, name) ;
  is_str(text(), wanttext, name) ;
}

static char const *env1(char const *s, struct addrlist_qualify const *qq, int *r)
{
  addrs.len = 0 ;
  *r = addrlist_envelope(s, strlen(s), qq, &addrs) ;
  return *r ? "(error)" : addrs.s ;
}

int main(void)
{
  int r ;

  /* plain lists */
  one(" a@x.example.com\n", "a@x.example.com", " a@x.example.com\n", "one qualified address is left as written") ;
  one(" a@x.example.com, b@y.example.com", "a@x.example.com|b@y.example.com", " a@x.example.com, b@y.example.com", "two addresses") ;
  one("a@x.example.com,,b@y.example.com,", "a@x.example.com|b@y.example.com", "a@x.example.com,,b@y.example.com,", "empty list members are skipped") ;
  one("", "", "", "an empty field has no address") ;

  /* comments, quotes, display names */
  one(" a@x.example.com (Alice, Smith)", "a@x.example.com", " a@x.example.com (Alice, Smith)", "a comment with a comma is not a separator") ;
  one(" a(c1)@(c2)x.example.com", "a@x.example.com", " a@x.example.com", "comments inside an address are dropped from it") ;
  one(" (nested (comment) here) a@x.example.com", "a@x.example.com", " (nested (comment) here) a@x.example.com", "nested comments") ;
  one(" \"Smith, John\" <js@x.example.com>", "js@x.example.com", " \"Smith, John\" <js@x.example.com>", "quoted display name with comma") ;
  one(" John Smith <js>", "js@box.example.org", " John Smith <js@box.example.org>", "display name, bare name in angle brackets") ;
  one(" \"john doe\"@x.example.com", "john doe@x.example.com", " \"john doe\"@x.example.com", "quoted local part: envelope form unquoted") ;
  one(" \"a\\\"b\"@x.example.com", "a\"b@x.example.com", " \"a\\\"b\"@x.example.com", "backslash in a quoted local part") ;
  one(" \"plain\"@x.example.com", "plain@x.example.com", " plain@x.example.com", "needless quotes are dropped") ;
  one(" <@r1.example,@r2.example:u@h.example.com>", "u@h.example.com", " <u@h.example.com>", "source route is removed") ;
  one(" Joe <>", "", " Joe <>", "the empty address is kept as a lone NUL and left alone") ;
  one(" a@[192.0.2.1]", "a@[192.0.2.1]", " a@[192.0.2.1]", "domain literal is not qualified") ;
  one(" Ünïcode Näme <u@x.example.com>", "u@x.example.com", " Ünïcode Näme <u@x.example.com>", "8-bit display name kept") ;

  /* groups */
  one(" friends: a@x.example.com, b;, c", "a@x.example.com|b@box.example.org|c@box.example.org",
      " friends: a@x.example.com, b@box.example.org;, c@box.example.org", "a group and an address after it") ;
  one(" undisclosed-recipients:;", "", " undisclosed-recipients:;", "empty group") ;
  one(" recipient list not shown: ;", "", " recipient list not shown: ;", "qmail's own empty group") ;

  /* qmail's illegal space */
  one(" djb fred", "djb@box.example.org|fred@box.example.org", " djb@box.example.org, fred@box.example.org", "a space between names becomes a comma") ;

  /* qualification */
  one(" bob", "bob@box.example.org", " bob@box.example.org", "bare name gets defaulthost and defaultdomain") ;
  one(" bob@silverton", "bob@silverton.example.org", " bob@silverton.example.org", "host without dot gets defaultdomain") ;
  one(" eric@mammoth.cs+", "eric@mammoth.cs.plus.example.net", " eric@mammoth.cs.plus.example.net", "host ending in + gets plusdomain") ;
  one(" eric@mammoth+", "eric@mammoth.plus.example.net", " eric@mammoth.plus.example.net", "plusdomain, not defaultdomain, for a dotless host with +") ;
  {
    struct addrlist_qualify const q2 = { "host+", "dd.example", "pd.example" } ;
    is_int(run(" x", &q2), ADDRLIST_OK, "defaulthost ending in +") ;
    is_str(found(), "x@host.pd.example", "defaulthost ending in + is itself completed with plusdomain") ;
  }
  is_int(run(" bob", 0), ADDRLIST_OK, "no qualification asked") ;
  is_str(found(), "bob", "without q a bare name stays bare") ;
  one(" a@b@x.example.com", "a@b@x.example.com", " \"a@b\"@x.example.com", "the last @ separates the domain") ;

  /* folding, CRLF */
  one(" a@x.example.com,\r\n\tb@y.example.com\r\n", "a@x.example.com|b@y.example.com",
      " a@x.example.com,\r\n\tb@y.example.com\r\n", "folded list with CRLF") ;

  /* errors */
  is_int(run(" \"unclosed@x", &q), ADDRLIST_ESYNTAX, "unclosed quoted string") ;
  is_int(run(" a@x (unclosed", &q), ADDRLIST_ESYNTAX, "unclosed comment") ;
  is_int(run(" Joe <a@x", &q), ADDRLIST_ESYNTAX, "unclosed angle bracket") ;
  is_int(run(" a@x>", &q), ADDRLIST_ESYNTAX, "stray >") ;
  is_int(run(" <a@x> <b@y>", &q), ADDRLIST_ESYNTAX, "two angle addresses in one mailbox") ;
  is_int(run(" a@[1.2.3.4", &q), ADDRLIST_ESYNTAX, "unclosed domain literal") ;
  is_int(run(" \"a\001b\"@x.example.com", &q), ADDRLIST_EBAD, "control character in an address") ;
  {
    stralloc big = STRALLOC_ZERO ;
    stralloc_cats(&big, " ") ;
    for (unsigned int i = 0 ; i < ENVELOPE_ADDR_MAX ; i++) stralloc_catb(&big, "a", 1) ;
    stralloc_cats(&big, "@x.example.com") ;
    out.len = 0 ; addrs.len = 0 ; n = 0 ;
    is_int(addrlist_parse(big.s, big.len, &q, &out, &addrs, &n), ADDRLIST_ETOOLONG, "address over ENVELOPE_ADDR_MAX") ;
    big.len = 1 + ENVELOPE_ADDR_MAX - 14 ;
    stralloc_cats(&big, "@x.example.com") ;
    out.len = 0 ; addrs.len = 0 ; n = 0 ;
    is_int(addrlist_parse(big.s, big.len, &q, &out, &addrs, &n), ADDRLIST_OK, "address of exactly ENVELOPE_ADDR_MAX") ;
    stralloc_free(&big) ;
  }
  {
    /* 100,000 addresses: no quadratic behaviour, every one counted */
    stralloc big = STRALLOC_ZERO ;
    for (unsigned int i = 0 ; i < 100000 ; i++) stralloc_cats(&big, "u@h.example, ") ;
    out.len = 0 ; addrs.len = 0 ; n = 0 ;
    is_int(addrlist_parse(big.s, big.len, &q, &out, &addrs, &n), ADDRLIST_OK, "a very long list parses") ;
    is_int(n, 100000, "and every address is counted") ;
    stralloc_free(&big) ;
  }

  /* envelope addresses (arguments, -f) */
  is_str(env1("bob", &q, &r), "bob@box.example.org", "argument: bare name qualified") ;
  is_str(env1("bob@x.example.com", &q, &r), "bob@x.example.com", "argument: full address kept") ;
  is_str(env1("john doe@silverton", &q, &r), "john doe@silverton.example.org", "argument: spaces kept, host completed") ;
  is_str(env1("@fred", &q, &r), "fred@box.example.org", "argument: stray leading @ dropped") ;
  is_str(env1("x@h+", &q, &r), "x@h.plus.example.net", "argument: plusdomain") ;
  is_str(env1("", &q, &r), "", "argument: the empty address stays empty") ;
  env1("a\nb", &q, &r) ;
  is_int(r, ADDRLIST_EBAD, "argument: newline refused") ;

  /* header form */
  out.len = 0 ; addrlist_quote(&out, "john doe@x.example", 18) ;
  is_str(text(), "\"john doe\"@x.example", "quote: local part with a space") ;
  out.len = 0 ; addrlist_quote(&out, "a.b+c@x.example", 15) ;
  is_str(text(), "a.b+c@x.example", "quote: dot-atom untouched") ;
  out.len = 0 ; addrlist_quote(&out, "a..b@x", 6) ;
  is_str(text(), "\"a..b\"@x", "quote: double dot needs quotes") ;
  out.len = 0 ; addrlist_quote(&out, "", 0) ;
  is_str(text(), "", "quote: empty address is empty") ;

  return tap_done() ;
}
