/* smtpaddr.c: the path grammar of RFC 5321 section 4.1.2, by hand because
 * it is small and its limits are the point. */
#include <string.h>
#include <strings.h>
#include <skalibs/fmtscan.h>
#include "smtpaddr.h"

static int isalnum_(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ;
}

/* atext of RFC 5322, plus 8-bit bytes when utf8 */
static int atext(unsigned char c, int utf8)
{
  if (c >= 128) return utf8 ;
  return isalnum_(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ;
}

/* IPv4-address-literal: four Snum (1 to 3 digits, at most 255) and
 * three dots, nothing else. */
static int ip4lit(char const *s, size_t len, unsigned char *ip)
{
  size_t i = 0 ;
  for (unsigned int part = 0 ; part < 4 ; part++)
  {
    unsigned int v = 0, digits = 0 ;
    if (part && (i >= len || s[i++] != '.')) return 0 ;
    while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) { v = v * 10 + (unsigned int)(s[i++] - '0') ; digits++ ; }
    if (!digits || digits > 3 || v > 255) return 0 ;
    ip[part] = (unsigned char)v ;
  }
  return i == len ;
}

/* IPv6-addr of RFC 5321 4.1.3: skalibs' ip6_scan for the hex forms; the
 * IPv6v4 forms have their dotted quad checked here and replaced by two
 * hex groups before the scan. */
static int ip6lit(char const *s, size_t len, char *ip)
{
  char buf[64] ;
  unsigned char v4[4] ;
  char const *colon ;
  size_t n = len ;
  int dotted = 0 ;
  if (!len || len > 45) return 0 ;
  memcpy(buf, s, len) ;
  colon = memrchr(s, ':', len) ;
  if (!colon) return 0 ;
  if (memchr(colon, '.', len - (size_t)(colon - s)))
  {
    size_t c = (size_t)(colon - s) + 1 ;
    if (!ip4lit(s + c, len - c, v4)) return 0 ;
    memcpy(buf + c, "0:0", 3) ;
    n = c + 3 ;
    dotted = 1 ;
  }
  buf[n] = 0 ;
  if (ip6_scan(buf, ip) != n) return 0 ;
  if (dotted) memcpy(ip + 12, v4, 4) ;
  return 1 ;
}

static void mapped(char *ip, unsigned char const *v4)
{
  memset(ip, 0, 10) ;
  ip[10] = ip[11] = (char)0xff ;
  memcpy(ip + 12, v4, 4) ;
}

int smtpaddr_ip(char const *s, size_t len, char *ip)
{
  unsigned char v4[4] ;
  if (ip4lit(s, len, v4)) { mapped(ip, v4) ; return 1 ; }
  return ip6lit(s, len, ip) ;
}

int smtpaddr_literal(char const *s, size_t len, char *ip)
{
  unsigned char v4[4] ;
  if (len > 5 && !strncasecmp(s, "IPv6:", 5)) return ip6lit(s + 5, len - 5, ip) ;
  if (!ip4lit(s, len, v4)) return 0 ;
  mapped(ip, v4) ;
  return 1 ;
}

/* A domain: labels of letters, digits, hyphens (not first or last),
 * separated by dots; or an address literal in brackets. Returns the
 * length taken, 0 if none. */
static size_t domain(char const *s, size_t len, int utf8, enum smtpaddr_status *st)
{
  char ip[16] ;
  size_t i = 0 ;
  if (len && s[0] == '[')
  {
    for (i = 1 ; i < len && s[i] != ']' ; i++)
    {
      unsigned char c = s[i] ;
      if (c == '[' || c == '\\' || c < 33 || c > 126) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    }
    if (i >= len || i < 3) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    if (!smtpaddr_literal(s + 1, i - 1, ip)) { *st = SMTPADDR_EDOMAIN ; return 0 ; }
    i++ ;
  }
  else
  {
    size_t label = 0 ;
    for (;;)
    {
      unsigned char c = i < len ? s[i] : 0 ;
      if (isalnum_(c) || c == '-' || c == '_' || (c >= 128 && utf8))
      {
        label++ ; i++ ;
        continue ;
      }
      if (c >= 128) { *st = SMTPADDR_E8BIT ; return 0 ; }
      if (!label || s[i - 1] == '-' || s[i - label] == '-') { *st = SMTPADDR_EDOMAIN ; return 0 ; }
      if (c != '.') break ;
      if (label > 63) { *st = SMTPADDR_EDOMAIN ; return 0 ; }
      label = 0 ; i++ ;
    }
    if (label > 63) { *st = SMTPADDR_EDOMAIN ; return 0 ; }
  }
  if (i > SMTPADDR_DOMAINMAX) { *st = SMTPADDR_EDOMAIN ; return 0 ; }
  return i ;
}

/* The local part into out (unquoted). Returns bytes taken, 0 on error. */
static size_t localpart(char const *s, size_t len, int utf8, stralloc *out, enum smtpaddr_status *st)
{
  size_t i = 0, start = out->len ;
  if (len && s[0] == '"')
  {
    for (i = 1 ; i < len && s[i] != '"' ; i++)
    {
      unsigned char c = s[i] ;
      if (c == '\\')
      {
        if (++i >= len) break ;
        c = s[i] ;
        if (c < 32 || c == 127) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
      }
      else if (c < 32 || c == 127) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
      if (c >= 128 && !utf8) { *st = SMTPADDR_E8BIT ; return 0 ; }
      if (!stralloc_catb(out, (char *)&c, 1)) { *st = SMTPADDR_ENOMEM ; return 0 ; }
    }
    /* "" is a quoted string, but no mailbox: refused */
    if (i >= len || out->len == start) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    i++ ;
  }
  else
  {
    int dot = 1 ;
    for (; i < len ; i++)
    {
      unsigned char c = s[i] ;
      if (c == '.') { if (dot) break ; dot = 1 ; }
      else if (atext(c, utf8)) dot = 0 ;
      else if (c >= 128) { *st = SMTPADDR_E8BIT ; return 0 ; }
      else break ;
    }
    if (!i || dot) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    if (!stralloc_catb(out, s, i)) { *st = SMTPADDR_ENOMEM ; return 0 ; }
  }
  if (out->len - start > SMTPADDR_LOCALMAX || i > SMTPADDR_LOCALMAX + 2 + SMTPADDR_LOCALMAX)
  {
    *st = SMTPADDR_ELOCAL ;
    return 0 ;
  }
  return i ;
}

/* "@dom,@dom:" source route: skipped. Returns bytes taken (0: none). */
static size_t route(char const *s, size_t len, int utf8, enum smtpaddr_status *st)
{
  size_t i = 0 ;
  if (!len || s[0] != '@') return 0 ;
  for (;;)
  {
    size_t d ;
    if (i >= len || s[i] != '@') { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    d = domain(s + i + 1, len - i - 1, utf8, st) ;
    if (!d) return 0 ;
    i += 1 + d ;
    if (i < len && s[i] == ',') { i++ ; continue ; }
    if (i < len && s[i] == ':') return i + 1 ;
    *st = SMTPADDR_ESYNTAX ;
    return 0 ;
  }
}

enum smtpaddr_status smtpaddr_parse(char const *s, size_t len, int nullok, int utf8, stralloc *out, size_t *used)
{
  enum smtpaddr_status st = SMTPADDR_OK ;
  size_t i = 0, n, d, start = out->len ;
  int bracket = len && s[0] == '<' ;
  if (bracket) i++ ;
  if (bracket && i < len && s[i] == '>')
  {
    if (!nullok) return SMTPADDR_ESYNTAX ;
    *used = 2 ;
    return SMTPADDR_OK ;
  }
  if (bracket)
  {
    n = route(s + i, len - i, utf8, &st) ;
    if (st) return st ;
    i += n ;
  }
  n = localpart(s + i, len - i, utf8, out, &st) ;
  if (!n) goto err ;
  i += n ;
  if (i >= len || s[i] != '@') { st = SMTPADDR_ESYNTAX ; goto err ; }
  i++ ;
  d = domain(s + i, len - i, utf8, &st) ;
  if (!d) { if (!st) st = SMTPADDR_ESYNTAX ; goto err ; }
  if (!stralloc_catb(out, "@", 1) || !stralloc_catb(out, s + i, d)) { st = SMTPADDR_ENOMEM ; goto err ; }
  i += d ;
  if (bracket)
  {
    if (i >= len || s[i] != '>') { st = SMTPADDR_ESYNTAX ; goto err ; }
    i++ ;
  }
  *used = i ;
  return SMTPADDR_OK ;
 err:
  out->len = start ;
  return st ;
}

char const *smtpaddr_errstr(enum smtpaddr_status st)
{
  switch (st)
  {
    case SMTPADDR_OK: return "ok" ;
    case SMTPADDR_ESYNTAX: return "syntax error in address" ;
    case SMTPADDR_ELOCAL: return "address too long" ;
    case SMTPADDR_EDOMAIN: return "invalid domain in address" ;
    case SMTPADDR_E8BIT: return "8-bit address without SMTPUTF8" ;
    case SMTPADDR_ENOMEM: return "out of memory" ;
  }
  return "syntax error in address" ;
}
