/* aliasfile.c: reading the aliases(5) format (aliasfile.h). */
#include <string.h>
#include <strings.h>
#include <skalibs/bytestr.h>
#include <skalibs/types.h>
#include "aliasfile.h"

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' ; }

static int fail(stralloc *err, char const *fn, unsigned int line, char const *what, char const *s, size_t n)
{
  char num[UINT_FMT] ;
  err->len = 0 ;
  if (!stralloc_cats(err, fn) || !stralloc_catb(err, ":", 1)
   || !stralloc_catb(err, num, uint_fmt(num, line)) || !stralloc_cats(err, ": ")
   || !stralloc_cats(err, what) || !stralloc_catb(err, s, n > 200 ? 200 : n) || !stralloc_0(err)) return -1 ;
  for (size_t i = 0 ; i + 1 < err->len ; i++)
    if ((unsigned char)err->s[i] < 32 || err->s[i] == 127) err->s[i] = '?' ;
  return 0 ;
}

/* line of offset i of s, which started at line */
static unsigned int lineat(char const *s, size_t i, unsigned int line)
{
  for (size_t k = 0 ; k < i ; k++) if (s[k] == '\n') line++ ;
  return line ;
}

int aliasfile_next(char const *text, size_t len, size_t *pos, unsigned int *line,
  size_t *start, size_t *elen, unsigned int *eline, char const *fn, stralloc *err)
{
  size_t i = *pos ;
  for (;;)
  {
    size_t eol ;
    if (i >= len) { *pos = i ; return 0 ; }
    eol = i + byte_chr(text + i, len - i, '\n') ;
    (*line)++ ;
    if (text[i] == '#' || eol == i || (eol == i + 1 && text[i] == '\r')) { i = eol + 1 ; continue ; }
    if (blank(text[i]))
    {
      size_t k = i ;
      while (k < eol && blank(text[k])) k++ ;
      if (k == eol) { i = eol + 1 ; continue ; }   /* a line of white space */
      fail(err, fn, *line, "continuation line without an entry before it: ", text + i, eol - i) ;
      return -1 ;
    }
    *start = i ; *eline = *line ;
    for (;;)
    {
      i = eol < len ? eol + 1 : len ;
      if (i >= len || !(text[i] == ' ' || text[i] == '\t')) break ;
      eol = i + byte_chr(text + i, len - i, '\n') ;
      (*line)++ ;
    }
    *elen = (i > *start && text[i - 1] == '\n' ? i - 1 : i) - *start ;
    *pos = i ;
    return 1 ;
  }
}

/* Appends s (n bytes) with quotes removed and backslashes undone. */
static int unquote(stralloc *out, char const *s, size_t n)
{
  int q = 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (s[i] == '"') { q = !q ; continue ; }
    if (s[i] == '\\' && q && i + 1 < n) i++ ;
    if (!stralloc_catb(out, s + i, 1)) return 0 ;
  }
  return 1 ;
}

static int ctl(char const *s, size_t n)
{
  for (size_t i = 0 ; i < n ; i++) if ((unsigned char)s[i] < 32 || s[i] == 127) return 1 ;
  return 0 ;
}

/* One target t (n bytes, trimmed, not empty). */
static int target(char const *t, size_t n, char const *fn, unsigned int line, stralloc *out, stralloc *err)
{
  stralloc u = STRALLOC_ZERO ;
  size_t base = out->len ;
  int r = -1 ;
  char kind ;
  char const *arg ;
  size_t alen ;

  if (n > ALIASFILE_ADDRMAX) return fail(err, fn, line, "target too long: ", t, n) ;
  /* A target wholly in quotes: unquoted, then read like any other. */
  if (n >= 2 && t[0] == '"' && t[n - 1] == '"' && byte_chr(t + 1, n - 2, '"') == n - 2)
  {
    if (!unquote(&u, t, n)) goto end ;
    t = u.s ; n = u.len ;
    while (n && blank(*t)) { t++ ; n-- ; }
    while (n && blank(t[n - 1])) n-- ;
    if (!n) { r = fail(err, fn, line, "empty quoted target", "", 0) ; goto end ; }
  }
  arg = t ; alen = n ;
  if (t[0] == '|')
  {
    kind = ALIAS_PROGRAM ; arg++ ; alen-- ;
    while (alen && blank(*arg)) { arg++ ; alen-- ; }
    if (!alen) { r = fail(err, fn, line, "empty program: ", t, n) ; goto end ; }
  }
  else if (t[0] == '/' || (n > 2 && t[0] == '.' && t[1] == '/')) kind = ALIAS_FILE ;
  else if (n >= 9 && !strncasecmp(t, ":include:", 9))
  {
    kind = ALIAS_INCLUDE ; arg += 9 ; alen -= 9 ;
    while (alen && blank(*arg)) { arg++ ; alen-- ; }
    if (!alen || arg[0] != '/') { r = fail(err, fn, line, ":include: needs an absolute path: ", t, n) ; goto end ; }
  }
  else if (n >= 6 && !strncasecmp(t, "error:", 6)) { kind = ALIAS_ERROR ; arg += 6 ; alen -= 6 ; }
  else
  {
    /* An address: <addr>, \user (sendmail: "do not alias again"; here the
     * address is forwarded, see aliases(5)), quoted parts unquoted. */
    stralloc a = STRALLOC_ZERO ;
    int q = 0 ;
    kind = ALIAS_ADDRESS ;
    if (t[0] == '<' && t[n - 1] == '>') { arg++ ; alen -= 2 ; }
    if (alen && arg[0] == '\\') { arg++ ; alen-- ; }
    for (size_t i = 0 ; i < alen ; i++)
    {
      if (arg[i] == '"') q = !q ;
      else if (q && arg[i] == '\\') i++ ;
      else if (!q && (blank(arg[i]) || strchr("<>()[],;:", arg[i]) || (arg[i] == '@' && i + 1 == alen)))
      {
        stralloc_free(&a) ;
        r = fail(err, fn, line, "not an address: ", t, n) ;
        goto end ;
      }
    }
    if (!alen || q) { stralloc_free(&a) ; r = fail(err, fn, line, "not an address: ", t, n) ; goto end ; }
    if (!unquote(&a, arg, alen)) { stralloc_free(&a) ; goto end ; }
    if (!a.len || a.s[0] == '@' || ctl(a.s, a.len))
    { r = fail(err, fn, line, "not an address: ", t, n) ; stralloc_free(&a) ; goto end ; }
    r = stralloc_catb(out, &kind, 1) && stralloc_catb(out, a.s, a.len) && stralloc_0(out) ? 1 : -1 ;
    stralloc_free(&a) ;
    goto end ;
  }
  if (ctl(arg, alen) && kind != ALIAS_ERROR) { r = fail(err, fn, line, "control character in target: ", t, n) ; goto end ; }
  if (byte_chr(arg, alen, 0) < alen) { r = fail(err, fn, line, "NUL in target", "", 0) ; goto end ; }
  r = stralloc_catb(out, &kind, 1) && stralloc_catb(out, arg, alen) && stralloc_0(out) ? 1 : -1 ;
 end:
  if (r != 1) out->len = base ;
  stralloc_free(&u) ;
  return r ;
}

int aliasfile_targets(char const *s, size_t len, char const *fn, unsigned int line, stralloc *out, stralloc *err)
{
  size_t i = 0 ;
  while (i < len)
  {
    size_t b, e, f ;
    int q = 0, angle = 0 ;
    for (e = i ; e < len ; e++)
    {
      char c = s[e] ;
      if (q) { if (c == '\\' && e + 1 < len) e++ ; else if (c == '"') q = 0 ; continue ; }
      if (c == '"') q = 1 ;
      else if (c == '<') angle++ ;
      else if (c == '>' && angle) angle-- ;
      else if ((c == ',' || c == '\n') && !angle) break ;
    }
    if (q) return fail(err, fn, lineat(s, i, line), "unclosed quote: ", s + i, e - i) ;
    if (angle) return fail(err, fn, lineat(s, i, line), "unclosed angle bracket: ", s + i, e - i) ;
    b = i ; f = e ;
    while (b < e && blank(s[b])) b++ ;
    while (f > b && blank(s[f - 1])) f-- ;
    if (f > b)
    {
      int r = target(s + b, f - b, fn, lineat(s, b, line), out, err) ;
      if (r != 1) return r ;
    }
    i = e + 1 ;
  }
  return 1 ;
}

int aliasfile_entry(char const *s, size_t len, char const *fn, unsigned int line,
  stralloc *name, stralloc *out, stralloc *err)
{
  size_t colon, b = 0, e ;
  int q = 0 ;
  size_t before = out->len ;
  int r ;
  for (colon = 0 ; colon < len ; colon++)
  {
    if (q) { if (s[colon] == '\\' && colon + 1 < len) colon++ ; else if (s[colon] == '"') q = 0 ; continue ; }
    if (s[colon] == '"') q = 1 ;
    else if (s[colon] == ':' || s[colon] == '\n') break ;
  }
  if (colon >= len || s[colon] != ':') return fail(err, fn, line, "no colon after the alias name: ", s, byte_chr(s, len, '\n')) ;
  e = colon ;
  while (e > b && blank(s[e - 1])) e-- ;
  name->len = 0 ;
  for (size_t i = b ; i < e ; i++)
    if (s[i] != '"' && (blank(s[i]) || (unsigned char)s[i] < 32) && !memchr(s + b, '"', e - b))
      return fail(err, fn, line, "white space in an unquoted alias name: ", s, e) ;
  if (!unquote(name, s + b, e - b)) return -1 ;
  if (!name->len) return fail(err, fn, line, "empty alias name", "", 0) ;
  if (ctl(name->s, name->len)) return fail(err, fn, line, "control character in alias name", "", 0) ;
  case_lowerb(name->s, name->len) ;
  if (!stralloc_0(name)) return -1 ;
  name->len-- ;
  r = aliasfile_targets(s + colon + 1, len - colon - 1, fn, line, out, err) ;
  if (r != 1) return r ;
  if (out->len == before) return fail(err, fn, line, "alias without targets: ", name->s, name->len) ;
  return 1 ;
}
