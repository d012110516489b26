/* localenv.c: Delivered-To, Return-Path and the environment of a local
 * delivery. */
#include <stdlib.h>
#include <string.h>
#include <skalibs/bytestr.h>
#include "localenv.h"

static void nonewline(stralloc *sa, size_t from)
{
  for (size_t i = from ; i < sa->len ; i++) if (sa->s[i] == '\n') sa->s[i] = '_' ;
}

int localenv_dtline(stralloc *sa, char const *local, char const *host)
{
  size_t base = sa->len ;
  if (!stralloc_cats(sa, "Delivered-To: ") || !stralloc_cats(sa, local)
   || !stralloc_catb(sa, "@", 1) || !stralloc_cats(sa, host)) return 0 ;
  nonewline(sa, base) ;
  return stralloc_catb(sa, "\n", 1) ;
}

/* atext of RFC 5322, and "." between atoms */
static int atext(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
      || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ;
}

static int needquote(char const *s, size_t n)
{
  if (!n || s[0] == '.' || s[n - 1] == '.') return 1 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (s[i] == '.') { if (s[i + 1] == '.') return 1 ; continue ; }
    if (!atext((unsigned char)s[i])) return 1 ;
  }
  return 0 ;
}

int localenv_rpline(stralloc *sa, char const *sender)
{
  size_t base = sa->len, len = strlen(sender), at = byte_rchr(sender, len, '@') ;
  if (!stralloc_cats(sa, "Return-Path: <")) return 0 ;
  if (len)
  {
    if (!needquote(sender, at)) { if (!stralloc_catb(sa, sender, at)) return 0 ; }
    else
    {
      if (!stralloc_readyplus(sa, 2 * at + 2)) return 0 ;
      sa->s[sa->len++] = '"' ;
      for (size_t i = 0 ; i < at ; i++)
      {
        if (sender[i] == '"' || sender[i] == '\\' || sender[i] == '\r' || sender[i] == '\n') sa->s[sa->len++] = '\\' ;
        sa->s[sa->len++] = sender[i] ;
      }
      sa->s[sa->len++] = '"' ;
    }
    if (!stralloc_catb(sa, sender + at, len - at)) return 0 ;
  }
  nonewline(sa, base) ;
  return stralloc_cats(sa, ">\n") ;
}

int localenv_hostn(stralloc *sa, char const *host, unsigned int n)
{
  size_t i = strlen(host) ;
  while (n--) i = byte_rchr(host, i, '.') ;
  return stralloc_catb(sa, host, i) && stralloc_0(sa) ;
}

char const *localenv_extn(char const *ext, unsigned int n)
{
  while (n--)
  {
    ext += str_chr(ext, '-') ;
    if (*ext) ext++ ;
  }
  return ext ;
}

int localenv_put(struct localenv const *e)
{
  stralloc sa = STRALLOC_ZERO ;
  int ok = 0 ;
  char const *names[3] = { "HOST2", "HOST3", "HOST4" } ;
  if (setenv("USER", e->user, 1) < 0 || setenv("HOME", e->home, 1) < 0
   || setenv("LOCAL", e->local, 1) < 0 || setenv("HOST", e->host, 1) < 0
   || setenv("SENDER", e->sender, 1) < 0 || setenv("EXT", e->ext, 1) < 0
   || setenv("EXT2", localenv_extn(e->ext, 1), 1) < 0
   || setenv("EXT3", localenv_extn(e->ext, 2), 1) < 0
   || setenv("EXT4", localenv_extn(e->ext, 3), 1) < 0
   || setenv("DTLINE", e->dtline, 1) < 0 || setenv("RPLINE", e->rpline, 1) < 0
   || setenv("UFLINE", e->ufline, 1) < 0
   || unsetenv("DEFAULT") < 0 || unsetenv("NEWSENDER") < 0) return 0 ;
  for (unsigned int i = 0 ; i < 3 ; i++)
  {
    sa.len = 0 ;
    if (!localenv_hostn(&sa, e->host, i + 1) || setenv(names[i], sa.s, 1) < 0) goto end ;
  }
  sa.len = 0 ;
  if (!stralloc_cats(&sa, e->local) || !stralloc_catb(&sa, "@", 1) || !stralloc_cats(&sa, e->host)
   || !stralloc_0(&sa) || setenv("RECIPIENT", sa.s, 1) < 0) goto end ;
  ok = 1 ;
 end:
  stralloc_free(&sa) ;
  return ok ;
}
