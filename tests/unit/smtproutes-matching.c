/* smtproutes-matching: control/smtproutes lines parse as qmail's
 * (domain:relay:port, .domain wildcards, the empty default, empty relay =
 * MX, address literals, bare IPv4), the most specific line wins, names
 * match without regard to case, and a malformed line anywhere is refused
 * with its line number. */
#include <string.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "smtproutes.h"
#include "tap.h"

static stralloc routes = STRALLOC_ZERO ;
static genalloc lines = GENALLOC_ZERO ;

/* the lines of text (separated by '\n'), numbered from 1 */
static void setroutes(char const *text)
{
  unsigned int n = 0 ;
  routes.len = 0 ;
  genalloc_setlen(unsigned int, &lines, 0) ;
  while (*text)
  {
    char const *nl = strchr(text, '\n') ;
    size_t len = nl ? (size_t)(nl - text) : strlen(text) ;
    n++ ;
    stralloc_catb(&routes, text, len) ;
    stralloc_0(&routes) ;
    genalloc_append(unsigned int, &lines, &n) ;
    text += len + !!nl ;
  }
}

static int find(char const *domain, struct smtproute *r)
{
  return smtproutes_find(r, routes.s, routes.len, &lines, domain) ;
}

int main(void)
{
  struct smtproute r ;
  char const *d, *why ;
  size_t dlen ;

  ok(smtproutes_parse("example.com:relay.example.net", 29, &r, &d, &dlen, &why), "name relay parses") ;
  is_str(r.relay, "relay.example.net", "relay name") ;
  is_int(r.port, 25, "port 25 by default") ;
  is_mem(d, dlen, "example.com", 11, "domain part") ;
  ok(!r.mx && !r.literal, "neither MX nor literal") ;

  ok(smtproutes_parse("x.test:127.0.0.1:2525", 21, &r, &d, &dlen, &why), "bare IPv4 relay with port parses") ;
  ok(r.literal && !r.ip.is6 && !memcmp(r.ip.ip, "\177\0\0\1", 4), "bare IPv4 is a literal") ;
  is_int(r.port, 2525, "port given") ;

  ok(smtproutes_parse("x.test:[192.0.2.1]", 18, &r, &d, &dlen, &why) && r.literal && r.ip.ip[0] == 192 && r.ip.ip[3] == 1, "[IPv4] literal") ;
  ok(smtproutes_parse("x.test:[IPv6:2001:db8::1]:587", 29, &r, &d, &dlen, &why), "[IPv6:...] literal with port parses") ;
  ok(r.literal && r.ip.is6 && r.ip.ip[0] == 0x20 && r.ip.ip[1] == 0x01 && r.ip.ip[15] == 1, "the IPv6 address") ;
  is_int(r.port, 587, "port after an IPv6 literal") ;

  ok(smtproutes_parse(":smart.example.net", 18, &r, &d, &dlen, &why) && !dlen, "the default route: empty domain") ;
  ok(smtproutes_parse("x.test:", 7, &r, &d, &dlen, &why) && r.mx, "empty relay: use MX") ;

  ok(!smtproutes_parse("x.test", 6, &r, &d, &dlen, &why), "no colon: refused") ;
  is_str(why, "no colon after the domain", "why: no colon") ;
  ok(!smtproutes_parse("x.test:relay:0", 14, &r, &d, &dlen, &why), "port 0 refused") ;
  ok(!smtproutes_parse("x.test:relay:65536", 18, &r, &d, &dlen, &why), "port 65536 refused") ;
  ok(!smtproutes_parse("x.test:relay:25x", 16, &r, &d, &dlen, &why), "port with a letter refused") ;
  ok(!smtproutes_parse("x.test:relay:", 13, &r, &d, &dlen, &why), "empty port refused") ;
  is_str(why, "bad port", "why: bad port") ;
  ok(!smtproutes_parse("x.test:[300.1.1.1]", 18, &r, &d, &dlen, &why), "bad IPv4 literal refused") ;
  ok(!smtproutes_parse("x.test:[IPv6:zz::1]", 19, &r, &d, &dlen, &why), "bad IPv6 literal refused") ;
  ok(!smtproutes_parse("x.test:re lay", 13, &r, &d, &dlen, &why), "space in the relay refused") ;
  ok(!smtproutes_parse("x te:relay", 10, &r, &d, &dlen, &why), "space in the domain refused") ;

  setroutes("example.com:exact.relay\n.example.com:sub.relay\n.com:com.relay\n:default.relay:26\nmx.example.com:") ;
  ok(find("example.com", &r) == 1, "exact domain found") ;
  is_str(r.relay, "exact.relay", "the exact line wins over .com and the default") ;
  is_int(r.line, 1, "its line number") ;
  ok(find("a.b.example.com", &r) == 1, "subdomain found") ;
  is_str(r.relay, "sub.relay", ".example.com wins over .com for a subdomain") ;
  ok(find("EXAMPLE.COM", &r) == 1 && !strcmp(r.relay, "exact.relay"), "case does not matter") ;
  ok(find("other.com", &r) == 1 && !strcmp(r.relay, "com.relay"), ".com for other.com") ;
  ok(find("example.org", &r) == 1 && !strcmp(r.relay, "default.relay") && r.port == 26, "the default route for the rest, with its port") ;
  ok(find("mx.example.com", &r) == 1 && r.mx, "an exact line with an empty relay: MX, not .example.com") ;
  ok(find("xexample.com", &r) == 1 && !strcmp(r.relay, "com.relay"), "example.com does not match xexample.com") ;

  setroutes("example.com:a.relay\nexample.com:b.relay") ;
  ok(find("example.com", &r) == 1 && !strcmp(r.relay, "a.relay"), "the first of equal lines wins") ;
  ok(find("example.org", &r) == 0, "no default route: not found") ;

  setroutes("example.com:a.relay\n\nbroken\n") ;
  lines.len = 0 ;
  {
    unsigned int one = 1, four = 4 ;
    routes.len = 0 ;
    stralloc_catb(&routes, "example.com:a.relay", 20) ;
    stralloc_catb(&routes, "broken", 7) ;
    genalloc_append(unsigned int, &lines, &one) ;
    genalloc_append(unsigned int, &lines, &four) ;
  }
  ok(find("example.com", &r) == -1, "a malformed line refuses even when another matches") ;
  is_str(control_error.s, "control/smtproutes:4: no colon after the domain", "the error names file and line") ;

  ok(smtproutes_literal("[192.0.2.7]", 11, 0, &r.ip) && r.ip.ip[3] == 7, "address literal domain") ;
  ok(!smtproutes_literal("192.0.2.7", 9, 0, &r.ip), "a bare dotted quad is no domain literal") ;
  ok(smtproutes_literal("[IPv6:::1]", 10, 0, &r.ip) && r.ip.is6 && r.ip.ip[15] == 1, "[IPv6:::1]") ;
  ok(!smtproutes_literal("[192.0.2.7", 10, 0, &r.ip), "unclosed bracket refused") ;
  return tap_done() ;
}
