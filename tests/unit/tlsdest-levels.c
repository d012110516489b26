/* tlsdest-levels: control/tlsdestinations lines parse (domain alone is
 * verify; :none, :may, :encrypt, :verify in any case; the empty default),
 * the most specific line wins as in smtproutes, no line means may, and a
 * malformed line anywhere is refused with its line number; remotetls
 * tells addresses from names. */
#include <string.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "remotetls.h"
#include "tlsdest.h"
#include "tap.h"

static stralloc text = STRALLOC_ZERO ;
static genalloc lines = GENALLOC_ZERO ;

static void set(char const *t)
{
  unsigned int n = 0 ;
  text.len = 0 ;
  genalloc_setlen(unsigned int, &lines, 0) ;
  while (*t)
  {
    char const *nl = strchr(t, '\n') ;
    size_t len = nl ? (size_t)(nl - t) : strlen(t) ;
    n++ ;
    stralloc_catb(&text, t, len) ;
    stralloc_0(&text) ;
    genalloc_append(unsigned int, &lines, &n) ;
    t += len + !!nl ;
  }
}

static int find(char const *d)
{
  return tlsdest_find(text.s, text.len, &lines, d) ;
}

int main(void)
{
  enum tlsdest_level l ;
  char const *d, *why ;
  size_t dl ;
  ok(tlsdest_parse("example.com", 11, &l, &d, &dl, &why) && l == TLSDEST_VERIFY && dl == 11, "a domain alone: verify") ;
  ok(tlsdest_parse("example.com:ENCRYPT", 19, &l, &d, &dl, &why) && l == TLSDEST_ENCRYPT && dl == 11, "level in any case") ;
  ok(tlsdest_parse(":may", 4, &l, &d, &dl, &why) && l == TLSDEST_MAY && !dl, "the empty default") ;
  ok(tlsdest_parse(".example.com:none", 17, &l, &d, &dl, &why) && l == TLSDEST_NONE && dl == 12, ".suffix:none") ;
  ok(!tlsdest_parse("example.com:secure", 18, &l, &d, &dl, &why) && !strcmp(why, "unknown level (none, may, encrypt or verify)"), "unknown level refused") ;
  ok(!tlsdest_parse("exa mple.com", 12, &l, &d, &dl, &why) && !strcmp(why, "bad domain"), "white space refused") ;
  ok(!tlsdest_parse(".", 1, &l, &d, &dl, &why), "a lone dot refused") ;
  ok(!tlsdest_parse("example.com:", 12, &l, &d, &dl, &why), "an empty level refused") ;

  set("") ;
  is_int(find("example.com"), TLSDEST_MAY, "no file: may") ;
  set("example.com\n.example.com:encrypt\n:none\nmail.example.com:may\nEXAMPLE.ORG:verify") ;
  is_int(find("example.com"), TLSDEST_VERIFY, "the domain itself") ;
  is_int(find("Example.COM."), TLSDEST_VERIFY, "without regard to case or a final dot") ;
  is_int(find("a.b.example.com"), TLSDEST_ENCRYPT, "a subdomain: the .suffix line") ;
  is_int(find("mail.example.com"), TLSDEST_MAY, "the exact line beats the .suffix line") ;
  is_int(find("example.org"), TLSDEST_VERIFY, "upper case in the file") ;
  is_int(find("other.net"), TLSDEST_NONE, "the default line") ;
  is_int(find("notexample.com"), TLSDEST_NONE, ".example.com does not match notexample.com") ;
  set("a.example\nb.example:bogus\n") ;
  is_int(find("a.example"), -1, "a malformed line refuses even when another matches") ;
  is_str(control_error.s, "control/tlsdestinations:2: unknown level (none, may, encrypt or verify)", "the error names file and line") ;
  set("first.example:encrypt\nfirst.example:none") ;
  is_int(find("first.example"), TLSDEST_ENCRYPT, "among equal lines the first") ;

  ok(remotetls_isaddress("192.0.2.1"), "an IPv4 address") ;
  ok(remotetls_isaddress("2001:db8::1"), "an IPv6 address") ;
  ok(remotetls_isaddress("[192.0.2.1]"), "a literal") ;
  ok(remotetls_isaddress(""), "nothing is no name") ;
  ok(!remotetls_isaddress("mx.example.com"), "a name") ;
  ok(!remotetls_isaddress("192.0.2.1.example"), "a name that starts like an address") ;
  return tap_done() ;
}
