/* smtproutes.c: parsing and matching control/smtproutes (smtproutes.h). */
#include <string.h>
#include <strings.h>
#include <skalibs/fmtscan.h>
#include <skalibs/types.h>
#include "control.h"
#include "smtproutes.h"

int smtproutes_literal(char const *s, size_t len, int bare, struct dns_ip *ip)
{
  char buf[64] ;
  int is6 = 0 ;
  memset(ip, 0, sizeof *ip) ;
  if (len >= 2 && s[0] == '[' && s[len - 1] == ']')
  {
    s++ ; len -= 2 ;
    if (len >= 5 && !strncasecmp(s, "IPv6:", 5)) { s += 5 ; len -= 5 ; is6 = 1 ; }
  }
  else if (!bare) return 0 ;
  if (!len || len >= sizeof buf) return 0 ;
  memcpy(buf, s, len) ;
  buf[len] = 0 ;
  if (is6) { if (ip6_scan(buf, (char *)ip->ip) != len) return 0 ; }
  else
  {
    /* ip4_scan takes octets over 255; the canonical form does not */
    char back[IP4_FMT] ;
    if (ip4_scan(buf, (char *)ip->ip) != len) return 0 ;
    if (ip4_fmt(back, (char const *)ip->ip) != len || memcmp(back, buf, len)) return 0 ;
  }
  ip->is6 = (unsigned char)is6 ;
  return 1 ;
}

int smtproutes_hostchars(char const *s, size_t len)
{
  for (size_t i = 0 ; i < len ; i++)
  {
    char c = s[i] ;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
      return 0 ;
  }
  return 1 ;
}

/* End of a field starting at s[i]: past a bracketed literal, then up to
 * the next ':' or the end. */
static size_t fieldend(char const *s, size_t len, size_t i)
{
  if (i < len && s[i] == '[')
  {
    char const *e = memchr(s + i, ']', len - i) ;
    if (e) i = (size_t)(e - s) + 1 ;
  }
  while (i < len && s[i] != ':') i++ ;
  return i ;
}

int smtproutes_parse(char const *s, size_t len, struct smtproute *r,
  char const **domain, size_t *domainlen, char const **why)
{
  size_t d = fieldend(s, len, 0), rs, re ;
  memset(r, 0, sizeof *r) ;
  r->port = 25 ;
  if (d >= len) { *why = "no colon after the domain" ; return 0 ; }
  if (!(d && s[0] == '[' && s[d - 1] == ']') && !smtproutes_hostchars(s, d)) { *why = "bad character in the domain" ; return 0 ; }
  *domain = s ; *domainlen = d ;
  rs = d + 1 ;
  re = fieldend(s, len, rs) ;
  if (re < len)
  {
    uint16_t port ;
    size_t plen = len - re - 1 ;
    char buf[8] ;
    if (!plen || plen >= sizeof buf) { *why = "bad port" ; return 0 ; }
    memcpy(buf, s + re + 1, plen) ;
    buf[plen] = 0 ;
    if (uint16_scan(buf, &port) != plen || !port) { *why = "bad port" ; return 0 ; }
    r->port = port ;
  }
  if (re == rs) { r->mx = 1 ; return 1 ; }
  if (s[rs] == '[' || smtproutes_literal(s + rs, re - rs, 1, &r->ip))
  {
    if (!smtproutes_literal(s + rs, re - rs, 1, &r->ip)) { *why = "bad address literal for the relay" ; return 0 ; }
    r->literal = 1 ;
    return 1 ;
  }
  if (re - rs > SMTPROUTES_HOSTMAX || !smtproutes_hostchars(s + rs, re - rs)) { *why = "bad relay host name" ; return 0 ; }
  memcpy(r->relay, s + rs, re - rs) ;
  r->relay[re - rs] = 0 ;
  return 1 ;
}

long smtproutes_rank(char const *key, size_t klen, char const *domain, size_t dlen)
{
  if (!klen) return (long)dlen ;
  if (klen == dlen && !strncasecmp(key, domain, dlen)) return 0 ;
  if (key[0] == '.' && klen < dlen && domain[dlen - klen] == '.' && !strncasecmp(key, domain + dlen - klen, klen))
    return (long)(dlen - klen) ;
  return -1 ;
}

int smtproutes_find(struct smtproute *r, char const *routes, size_t len,
  genalloc const *lines, char const *domain)
{
  size_t dlen = strlen(domain), pos = 0, i = 0 ;
  unsigned int const *num = genalloc_s(unsigned int, lines) ;
  size_t nlines = genalloc_len(unsigned int, lines) ;
  long best = -1 ;
  struct smtproute x ;
  while (pos < len)
  {
    size_t l = strlen(routes + pos) ;
    char const *key, *why ;
    size_t klen ;
    long k ;
    unsigned int line = i < nlines ? num[i] : (unsigned int)i + 1 ;
    if (!smtproutes_parse(routes + pos, l, &x, &key, &klen, &why))
    {
      control_seterror("control/smtproutes", line, why) ;
      return -1 ;
    }
    k = smtproutes_rank(key, klen, domain, dlen) ;
    if (k >= 0 && (best < 0 || k < best)) { best = k ; *r = x ; r->line = line ; }
    pos += l + 1 ;
    i++ ;
  }
  return best >= 0 ;
}
