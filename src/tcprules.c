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
        size_t start = names->len ;
        if (!stralloc_catb(names, data + 1, (size_t)(eq - data - 1)) || !stralloc_0(names)) return -1 ;
        if (setenv(names->s + start, eq + 1, 1) < 0) { names->len = start ; return -1 ; }
      }
    }
    data += n + 1 ; len -= n + 1 ;
  }
  return allow ;
}

void tcprules_unset(stralloc *names)
{
  for (size_t i = 0 ; i < names->len ; i += strlen(names->s + i) + 1) unsetenv(names->s + i) ;
  names->len = 0 ;
}
