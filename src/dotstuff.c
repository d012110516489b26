/* dotstuff.c: line ends and dot-stuffing for SMTP DATA (dotstuff.h). */
#include <string.h>
#include "dotstuff.h"

void dotstuff_init(struct dotstuff *d)
{
  d->bol = 1 ;
  d->cr = 0 ;
  d->high = 0 ;
}

size_t dotstuff_run(struct dotstuff *d, char const *in, size_t len, char *out)
{
  size_t w = 0 ;
  for (size_t i = 0 ; i < len ; i++)
  {
    char c = in[i] ;
    if (d->cr)
    {
      d->cr = 0 ;
      out[w++] = '\r' ; out[w++] = '\n' ;
      d->bol = 1 ;
      if (c == '\n') continue ;
    }
    if ((unsigned char)c > 127) d->high = 1 ;
    switch (c)
    {
      case '\r': d->cr = 1 ; break ;
      case '\n': out[w++] = '\r' ; out[w++] = '\n' ; d->bol = 1 ; break ;
      case '.':
        if (d->bol) out[w++] = '.' ;
        out[w++] = '.' ; d->bol = 0 ; break ;
      default: out[w++] = c ; d->bol = 0 ; break ;
    }
  }
  return w ;
}

size_t dotstuff_end(struct dotstuff *d, char *out)
{
  size_t w = 0 ;
  if (d->cr || !d->bol) { out[w++] = '\r' ; out[w++] = '\n' ; }
  d->cr = 0 ; d->bol = 1 ;
  memcpy(out + w, ".\r\n", 3) ;
  return w + 3 ;
}
