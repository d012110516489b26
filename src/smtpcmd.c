/* smtpcmd.c: verbs and the arguments of MAIL and RCPT (see smtpcmd.h). */
#include <limits.h>
#include <string.h>
#include <strings.h>
#include "smtpaddr.h"
#include "smtpcmd.h"

#define NOMEM "421 4.3.0 out of memory; closing connection"

static struct { char const *name ; enum smtpcmd_verb verb ; } const verbs[] = {
  { "HELO", SMTPCMD_HELO }, { "EHLO", SMTPCMD_EHLO }, { "MAIL", SMTPCMD_MAIL },
  { "RCPT", SMTPCMD_RCPT }, { "DATA", SMTPCMD_DATA }, { "RSET", SMTPCMD_RSET },
  { "NOOP", SMTPCMD_NOOP }, { "QUIT", SMTPCMD_QUIT }, { "VRFY", SMTPCMD_VRFY },
  { "HELP", SMTPCMD_HELP }, { "STARTTLS", SMTPCMD_STARTTLS },
} ;

enum smtpcmd_verb smtpcmd_verb(char const *line, size_t len, size_t *arg)
{
  /* every verb has four letters, but STARTTLS (RFC 3207) */
  for (size_t i = 0 ; i < sizeof verbs / sizeof *verbs ; i++)
  {
    size_t n = strlen(verbs[i].name) ;
    if (len < n || (len > n && line[n] != ' ')) continue ;
    if (!strncasecmp(line, verbs[i].name, n))
    {
      *arg = len > n ? n + 1 : n ;
      return verbs[i].verb ;
    }
  }
  return SMTPCMD_UNKNOWN ;
}

/* "FROM:" or "TO:" (any case), then any spaces before the path: RFC 5321
 * has none, but many clients send one. 1 and *i moved past them, or 0. */
static int prefix(char const *s, size_t len, size_t *i, char const *p)
{
  size_t n = strlen(p) ;
  if (len < n || strncasecmp(s, p, n)) return 0 ;
  *i = n ;
  while (*i < len && s[*i] == ' ') (*i)++ ;
  return 1 ;
}

/* The reply for a path that smtpaddr_parse refused; code is 5.1.7 for a
 * sender, 5.1.3 for a recipient (RFC 3463). */
static char const *addrerror(enum smtpaddr_status st, int sender)
{
  switch (st)
  {
    case SMTPADDR_ENOMEM: return NOMEM ;
    case SMTPADDR_E8BIT: return "553 5.6.7 8-bit characters in an address need SMTPUTF8, which I do not offer" ;
    case SMTPADDR_ELOCAL: return sender ? "501 5.1.7 local part of the address longer than 64 octets" : "501 5.1.3 local part of the address longer than 64 octets" ;
    case SMTPADDR_EDOMAIN: return sender ? "501 5.1.7 invalid domain in the address" : "501 5.1.3 invalid domain in the address" ;
    default: return sender ? "501 5.1.7 syntax error in the address" : "501 5.1.3 syntax error in the address" ;
  }
}

/* One MAIL parameter, p (n bytes, no space). */
static char const *param(char const *p, size_t n, unsigned long databytes, struct smtpcmd_mail *m, int *seen)
{
  if (n > 5 && !strncasecmp(p, "SIZE=", 5))
  {
    unsigned long size = 0 ;
    if (*seen & 1) return "501 5.5.4 SIZE given twice" ;
    *seen |= 1 ;
    for (size_t i = 5 ; i < n ; i++)
    {
      unsigned int d = (unsigned char)p[i] - '0' ;
      if (d > 9) return "501 5.5.4 syntax error in SIZE" ;
      /* a size past what we can count is past any limit */
      size = size > (ULONG_MAX - d) / 10 ? ULONG_MAX : size * 10 + d ;
    }
    m->size = size ;
    if (databytes && size > databytes) return "552 5.3.4 sorry, that message size exceeds my databytes limit" ;
    return 0 ;
  }
  if (n > 5 && !strncasecmp(p, "BODY=", 5))
  {
    if (*seen & 2) return "501 5.5.4 BODY given twice" ;
    *seen |= 2 ;
    if (n == 9 && !strncasecmp(p + 5, "7BIT", 4)) return 0 ;
    if (n == 13 && !strncasecmp(p + 5, "8BITMIME", 8)) { m->body8 = 1 ; return 0 ; }
    return "555 5.5.4 BODY must be 7BIT or 8BITMIME" ;
  }
  return "555 5.5.4 unknown MAIL parameter" ;
}

char const *smtpcmd_mail(char const *s, size_t len, unsigned long databytes, stralloc *addr, struct smtpcmd_mail *m)
{
  enum smtpaddr_status st ;
  size_t used, i ;
  int seen = 0 ;
  m->size = 0 ;
  m->body8 = 0 ;
  addr->len = 0 ;
  if (!prefix(s, len, &i, "FROM:")) return "501 5.5.4 syntax: MAIL FROM:<address>" ;
  st = smtpaddr_parse(s + i, len - i, 1, 0, addr, &used) ;
  if (st) return addrerror(st, 1) ;
  i += used ;
  if (i < len && s[i] != ' ') { addr->len = 0 ; return "501 5.5.4 syntax error after the address" ; }
  while (i < len)
  {
    size_t end ;
    char const *r ;
    if (s[i] == ' ') { i++ ; continue ; }
    for (end = i ; end < len && s[end] != ' ' ; end++) ;
    r = param(s + i, end - i, databytes, m, &seen) ;
    if (r) { addr->len = 0 ; return r ; }
    i = end ;
  }
  return 0 ;
}

char const *smtpcmd_rcpt(char const *s, size_t len, char const *me, size_t melen, stralloc *addr)
{
  enum smtpaddr_status st ;
  size_t used, i ;
  addr->len = 0 ;
  if (!prefix(s, len, &i, "TO:")) return "501 5.5.4 syntax: RCPT TO:<address>" ;
  if (len - i >= 12 && !strncasecmp(s + i, "<postmaster>", 12))
  {
    if (!stralloc_cats(addr, "postmaster@") || !stralloc_catb(addr, me, melen)) return NOMEM ;
    used = 12 ;
  }
  else
  {
    st = smtpaddr_parse(s + i, len - i, 0, 0, addr, &used) ;
    if (st) return addrerror(st, 0) ;
  }
  i += used ;
  while (i < len && s[i] == ' ') i++ ;
  if (i == len) return 0 ;
  addr->len = 0 ;
  return s[i - 1] == ' ' ? "555 5.5.4 RCPT parameters are not supported" : "501 5.5.4 syntax error after the address" ;
}

int smtpcmd_literalme(char const *addr, size_t len, char const *localip, size_t *dom)
{
  char const *at = memrchr(addr, '@', len) ;
  char a[16], b[16] ;
  size_t d ;
  if (!at || !localip) return 0 ;
  d = (size_t)(at + 1 - addr) ;
  if (len - d < 3 || addr[d] != '[' || addr[len - 1] != ']') return 0 ;
  if (!smtpaddr_literal(addr + d + 1, len - d - 2, a)) return 0 ;
  if (!smtpaddr_ip(localip, strlen(localip), b) || memcmp(a, b, 16)) return 0 ;
  *dom = d ;
  return 1 ;
}
