/* smtpaddr.c: the path grammar of RFC 5321 section 4.1.2, by hand because
 * it is small and its limits are the point. */
#include <string.h>
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

/* A domain: labels of letters, digits, hyphens (not first or last),
 * separated by dots; or an address literal in brackets. Returns the
 * length taken, 0 if none. */
static size_t domain(char const *s, size_t len, int utf8, enum smtpaddr_status *st)
{
  size_t i = 0 ;
  if (len && s[0] == '[')
  {
    for (i = 1 ; i < len && s[i] != ']' ; i++)
    {
      unsigned char c = s[i] ;
      if (c == '[' || c == '\\' || c < 33 || c > 126) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
    }
    if (i >= len || i < 3) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
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
    if (i >= len) { *st = SMTPADDR_ESYNTAX ; return 0 ; }
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
  if (i > SMTPADDR_PATHMAX) { st = SMTPADDR_ELOCAL ; goto err ; }
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
