/* smtpaddr-paths: RFC 5321 paths as smtpd takes them (smtpaddr.h): the
 * null sender, quoted local parts unquoted, source routes dropped,
 * address literals checked (IPv4 numbers, IPv6 forms), the 64-octet
 * local part and 255-octet domain limits exactly at and past the limit,
 * 8-bit bytes refused without SMTPUTF8, and what "used" covers. */
#include <string.h>
#include <skalibs/stralloc.h>
#include "smtpaddr.h"
#include "tap.h"

static stralloc out = STRALLOC_ZERO ;

static enum smtpaddr_status parse(char const *s, int nullok, size_t *used)
{
  size_t u = 0 ;
  enum smtpaddr_status st ;
  out.len = 0 ;
  st = smtpaddr_parse(s, strlen(s), nullok, 0, &out, &u) ;
  if (used) *used = u ;
  return st ;
}

/* s parses and gives want, using all of s */
static void good(char const *s, char const *want, char const *name)
{
  size_t used ;
  int st = parse(s, 1, &used) ;
  is_int(st, SMTPADDR_OK, name) ;
  is_mem(out.s, out.len, want, strlen(want), name) ;
  is_int(used, strlen(s), name) ;
}

static void bad(char const *s, enum smtpaddr_status want, char const *name)
{
  is_int(parse(s, 1, 0), want, name) ;
  is_int(out.len, 0, "nothing left in out after an error") ;
}

static char const *repeat(char c, size_t n)
{
  static char buf[8][600] ;
  static unsigned int k ;
  char *b = buf[k++ % 8] ;
  memset(b, c, n) ;
  b[n] = 0 ;
  return b ;
}

int main(void)
{
  char s[1024] ;
  size_t used ;

  good("<alice@example.org>", "alice@example.org", "plain path") ;
  good("alice@example.org", "alice@example.org", "address without brackets") ;
  good("<first.last+tag@sub.example.org>", "first.last+tag@sub.example.org", "dot-string with + and dots") ;
  good("<>", "", "null sender") ;
  is_int(parse("<>", 0, 0), SMTPADDR_ESYNTAX, "null path refused where nullok is 0 (RCPT)") ;
  good("<\"john doe\"@example.org>", "john doe@example.org", "quoted local part is unquoted") ;
  good("<\"a\\\"b\\\\c\"@example.org>", "a\"b\\c@example.org", "quoted pairs in a quoted local part") ;
  good("<\"a@b\"@example.org>", "a@b@example.org", "@ inside quotes stays in the local part") ;
  good("<@relay.example,@two.example:bob@example.org>", "bob@example.org", "source route accepted and dropped") ;
  good("<bob@[192.0.2.1]>", "bob@[192.0.2.1]", "IPv4 address literal") ;
  good("<bob@[IPv6:2001:db8::25]>", "bob@[IPv6:2001:db8::25]", "IPv6 address literal") ;
  good("<bob@[ipv6:2001:DB8:0:0:0:0:0:25]>", "bob@[ipv6:2001:DB8:0:0:0:0:0:25]", "IPv6 literal, full form, tag in any case") ;
  good("<bob@[IPv6:::ffff:192.0.2.1]>", "bob@[IPv6:::ffff:192.0.2.1]", "IPv6v4 literal") ;
  good("<Bob@Example.ORG>", "Bob@Example.ORG", "case kept") ;

  bad("<bob@[192.0.2.256]>", SMTPADDR_EDOMAIN, "IPv4 literal with a number over 255") ;
  bad("<bob@[192.0.2]>", SMTPADDR_EDOMAIN, "IPv4 literal with three numbers") ;
  bad("<bob@[192.0.2.1.5]>", SMTPADDR_EDOMAIN, "IPv4 literal with five numbers") ;
  bad("<bob@[IPv6:2001:db8:::1]>", SMTPADDR_EDOMAIN, "IPv6 literal with ':::'") ;
  bad("<bob@[IPv6:fe80::1%eth0]>", SMTPADDR_EDOMAIN, "IPv6 literal with a zone") ;
  bad("<bob@[x-tag:stuff]>", SMTPADDR_EDOMAIN, "general address literal refused") ;
  bad("<bob@[]>", SMTPADDR_ESYNTAX, "empty literal") ;
  bad("<bob@[1.2.3.4>", SMTPADDR_ESYNTAX, "literal without ]") ;
  bad("<\"\"@example.org>", SMTPADDR_ESYNTAX, "empty quoted local part") ;
  bad("<\"abc@example.org>", SMTPADDR_ESYNTAX, "unterminated quoted string") ;
  bad("<.bob@example.org>", SMTPADDR_ESYNTAX, "leading dot") ;
  bad("<bob.@example.org>", SMTPADDR_ESYNTAX, "trailing dot in the local part") ;
  bad("<bo..b@example.org>", SMTPADDR_ESYNTAX, "two dots") ;
  bad("<bob@example.org", SMTPADDR_ESYNTAX, "no >") ;
  bad("<bob>", SMTPADDR_ESYNTAX, "no domain") ;
  bad("<bob@>", SMTPADDR_EDOMAIN, "empty domain") ;
  bad("<bob@-example.org>", SMTPADDR_EDOMAIN, "label starting with -") ;
  bad("<bob@example-.org>", SMTPADDR_EDOMAIN, "label ending with -") ;
  bad("<bob@example..org>", SMTPADDR_EDOMAIN, "empty label") ;
  bad("<bob@example.org.>", SMTPADDR_EDOMAIN, "final dot") ;
  bad("<@relay.example:bob@example.org", SMTPADDR_ESYNTAX, "route without >") ;
  bad("<@relay.example bob@example.org>", SMTPADDR_ESYNTAX, "route without :") ;
  bad("<b\xc3\xa9@example.org>", SMTPADDR_E8BIT, "8-bit local part") ;
  bad("<bob@exampl\xc3\xa9.org>", SMTPADDR_E8BIT, "8-bit domain") ;
  bad("<\"b\xc3\xa9\"@example.org>", SMTPADDR_E8BIT, "8-bit quoted local part") ;
  bad("<\"a\tb\"@example.org>", SMTPADDR_ESYNTAX, "control character in a quoted local part") ;
  {
    size_t u ;
    out.len = 0 ;
    is_int(smtpaddr_parse("<b\xc3\xa9@ex\xc3\xa9.org>", 15, 1, 1, &out, &u), SMTPADDR_OK, "8-bit taken with utf8 (SMTPUTF8)") ;
  }

  /* the limits, at and past them */
  strcpy(s, "<") ; strcat(s, repeat('l', 64)) ; strcat(s, "@example.org>") ;
  is_int(parse(s, 1, 0), SMTPADDR_OK, "64-octet local part accepted") ;
  strcpy(s, "<") ; strcat(s, repeat('l', 65)) ; strcat(s, "@example.org>") ;
  is_int(parse(s, 1, 0), SMTPADDR_ELOCAL, "65-octet local part refused") ;
  strcpy(s, "<\"") ; strcat(s, repeat(' ', 64)) ; strcat(s, "\"@example.org>") ;
  is_int(parse(s, 1, 0), SMTPADDR_OK, "64 octets once unquoted accepted") ;
  strcpy(s, "<\"") ; strcat(s, repeat(' ', 65)) ; strcat(s, "\"@example.org>") ;
  is_int(parse(s, 1, 0), SMTPADDR_ELOCAL, "65 octets once unquoted refused") ;
  /* 63 + 1 + 63 + 1 + 63 + 1 + 63 = 255 */
  strcpy(s, "<postmaster@") ;
  strcat(s, repeat('a', 63)) ; strcat(s, ".") ; strcat(s, repeat('b', 63)) ; strcat(s, ".") ;
  strcat(s, repeat('c', 63)) ; strcat(s, ".") ; strcat(s, repeat('d', 63)) ; strcat(s, ">") ;
  is_int(parse(s, 1, &used), SMTPADDR_OK, "255-octet domain accepted") ;
  is_int(out.len, 11 + 255, "the whole domain kept") ;
  strcpy(s, "<postmaster@") ;
  strcat(s, repeat('a', 63)) ; strcat(s, ".") ; strcat(s, repeat('b', 63)) ; strcat(s, ".") ;
  strcat(s, repeat('c', 63)) ; strcat(s, ".") ; strcat(s, repeat('d', 62)) ; strcat(s, ".e>") ;
  is_int(parse(s, 1, 0), SMTPADDR_EDOMAIN, "256-octet domain refused") ;
  strcpy(s, "<x@") ; strcat(s, repeat('a', 64)) ; strcat(s, ".org>") ;
  is_int(parse(s, 1, 0), SMTPADDR_EDOMAIN, "64-octet label refused") ;
  strcpy(s, "<x@") ; strcat(s, repeat('a', 63)) ; strcat(s, ">") ;
  is_int(parse(s, 1, 0), SMTPADDR_OK, "63-octet label accepted") ;

  /* used: the path only, parameters follow */
  is_int(parse("<a@b.example> SIZE=10", 1, &used), SMTPADDR_OK, "path then parameters") ;
  is_int(used, 13, "used stops after >") ;
  is_int(parse("a@b.example SIZE=10", 1, &used), SMTPADDR_OK, "bare address then parameters") ;
  is_int(used, 11, "used stops at the space") ;
  is_int(parse("<> BODY=8BITMIME", 1, &used), SMTPADDR_OK, "null path then parameters") ;
  is_int(used, 2, "used is 2 for <>") ;

  /* literals as bytes */
  {
    char ip[16] ;
    static char const v4[16] = { 0,0,0,0,0,0,0,0,0,0,(char)0xff,(char)0xff,(char)192,0,2,1 } ;
    static char const v6[16] = { 0x20,0x01,0x0d,(char)0xb8,0,0,0,0,0,0,0,0,0,0,0,0x25 } ;
    ok(smtpaddr_literal("192.0.2.1", 9, ip) && !memcmp(ip, v4, 16), "IPv4 literal as ::ffff:192.0.2.1") ;
    ok(smtpaddr_literal("IPv6:2001:db8::25", 17, ip) && !memcmp(ip, v6, 16), "IPv6 literal bytes") ;
    ok(smtpaddr_literal("IPv6:::ffff:192.0.2.1", 21, ip) && !memcmp(ip, v4, 16), "IPv6v4 literal bytes") ;
    ok(smtpaddr_ip("::ffff:192.0.2.1", 16, ip) && !memcmp(ip, v4, 16), "TCPLOCALIP in the mapped form") ;
    ok(smtpaddr_ip("192.0.2.1", 9, ip) && !memcmp(ip, v4, 16), "TCPLOCALIP IPv4") ;
    ok(!smtpaddr_literal("2001:db8::25", 12, ip), "IPv6 without its tag is no literal") ;
  }
  return tap_done() ;
}
