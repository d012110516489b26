/* tcprules.c: tcpserver's rule lookup and environment (tcprules.h). */
#include <stdlib.h>
#include <string.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>
#include "tcprules.h"

int tcprules_find(cdb const *c, char const *ip, cdb_data *d)
{
  size_t len = strlen(ip) ;
  int r ;
  if (len > TCPRULES_IPMAX) return -1 ;
  r = cdb_find(c, d, ip, (uint32_t)len) ;
  if (r) return r < 0 ? -1 : 1 ;
  /* the shorter prefixes ending in '.' or ':', longest first; the whole
   * address was tried above (tcpserver tries it twice) */
  for (size_t n = len ; n > 0 ; n--)
  {
    if (ip[n - 1] != '.' && ip[n - 1] != ':') continue ;
    if (n == len) continue ;
    r = cdb_find(c, d, ip, (uint32_t)n) ;
    if (r) return r < 0 ? -1 : 1 ;
  }
  r = cdb_find(c, d, "", 0) ;
  return r < 0 ? -1 : r ;
}

/* Whether names (pairs of NAME and saved value, see tcprules_apply)
 * records name already. */
static int recorded(stralloc const *names, char const *name, size_t len)
{
  for (size_t i = 0 ; i < names->len ;)
  {
    size_t n = strlen(names->s + i) ;
    if (n == len && !memcmp(names->s + i, name, len)) return 1 ;
    i += n + 1 ;
    i += strlen(names->s + i) + 1 ;
  }
  return 0 ;
}

int tcprules_apply(char const *data, size_t len, stralloc *names)
{
  int allow = 1 ;
  while (len)
  {
    char const *end = memchr(data, 0, len) ;
    size_t n ;
    if (!end) break ;             /* an unterminated tail: tcpserver skips it too */
    n = (size_t)(end - data) ;
    if (data[0] == 'D') allow = 0 ;
    else if (data[0] == '+')
    {
      char const *eq = memchr(data + 1, '=', n - 1) ;
      if (eq && eq > data + 1)
      {
        size_t nlen = (size_t)(eq - data - 1), start = names->len, at ;
        if (!recorded(names, data + 1, nlen))
        {
          /* the value the service gave (or none), to be put back */
          char const *old ;
          if (!stralloc_catb(names, data + 1, nlen) || !stralloc_0(names)) return -1 ;
          old = getenv(names->s + start) ;
          if (!(old ? stralloc_catb(names, "=", 1) && stralloc_cats(names, old) : stralloc_catb(names, "!", 1))
              || !stralloc_0(names))
          {
            names->len = start ;
            return -1 ;
          }
        }
        /* a NUL-terminated copy of the name past the record, for setenv */
        at = names->len ;
        if (!stralloc_catb(names, data + 1, nlen) || !stralloc_0(names)) return -1 ;
        names->len = at ;
        if (setenv(names->s + at, eq + 1, 1) < 0) return -1 ;
      }
    }
    data += n + 1 ; len -= n + 1 ;
  }
  return allow ;
}

void tcprules_unset(stralloc *names)
{
  for (size_t i = 0 ; i < names->len ;)
  {
    char const *name = names->s + i ;
    char const *old = name + strlen(name) + 1 ;
    if (old[0] == '=') setenv(name, old + 1, 1) ;
    else unsetenv(name) ;
    i = (size_t)(old - names->s) + strlen(old) + 1 ;
  }
  names->len = 0 ;
}
