/* tlsdest.c: control/tlsdestinations (tlsdest.h). */
#include <string.h>
#include <strings.h>
#include "control.h"
#include "smtproutes.h"
#include "tlsdest.h"

static char const *const names[] = { "none", "may", "encrypt", "verify" } ;

char const *tlsdest_name(enum tlsdest_level l)
{
  return names[l] ;
}

int tlsdest_parse(char const *s, size_t len, enum tlsdest_level *level,
  char const **domain, size_t *domainlen, char const **why)
{
  char const *colon = memchr(s, ':', len) ;
  size_t dl = colon ? (size_t)(colon - s) : len ;
  if (!len) { *why = "empty line" ; return 0 ; }
  if (dl > 255 || !smtproutes_hostchars(s, dl) || (dl == 1 && s[0] == '.')) { *why = "bad domain" ; return 0 ; }
  if (!dl && !colon) { *why = "bad domain" ; return 0 ; }
  *domain = s ;
  *domainlen = dl ;
  *level = TLSDEST_VERIFY ;
  if (colon)
  {
    char const *l = colon + 1 ;
    size_t ll = len - dl - 1, i ;
    for (i = 0 ; i < 4 ; i++)
      if (ll == strlen(names[i]) && !strncasecmp(l, names[i], ll)) break ;
    if (i == 4) { *why = "unknown level (none, may, encrypt or verify)" ; return 0 ; }
    *level = (enum tlsdest_level)i ;
  }
  return 1 ;
}

int tlsdest_find(char const *lines, size_t len, genalloc const *num, char const *domain)
{
  size_t dlen = strlen(domain), pos = 0, i = 0 ;
  unsigned int const *n = genalloc_s(unsigned int, num) ;
  size_t nlines = genalloc_len(unsigned int, num) ;
  long best = -1 ;
  int level = TLSDEST_MAY ;
  if (dlen && domain[dlen - 1] == '.') dlen-- ;
  while (pos < len)
  {
    size_t l = strlen(lines + pos) ;
    char const *key, *why ;
    size_t klen ;
    enum tlsdest_level x ;
    long k ;
    if (!tlsdest_parse(lines + pos, l, &x, &key, &klen, &why))
    {
      control_seterror("control/tlsdestinations", i < nlines ? n[i] : (unsigned int)i + 1, why) ;
      return -1 ;
    }
    k = smtproutes_rank(key, klen, domain, dlen) ;
    if (k >= 0 && (best < 0 || k < best)) { best = k ; level = (int)x ; }
    pos += l + 1 ;
    i++ ;
  }
  return level ;
}
