/* localreport.c: local's report line. */
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include "localreport.h"

int localreport_cat(stralloc *sa, char const *s, size_t len)
{
  size_t room = sa->len < LOCALREPORT_MAX ? LOCALREPORT_MAX - sa->len : 0 ;
  if (len > room) len = room ;
  if (!stralloc_readyplus(sa, len)) return 0 ;
  for (size_t i = 0 ; i < len ; i++)
  {
    unsigned char c = s[i] ;
    sa->s[sa->len++] = c == '\t' ? ' ' : c < 32 || c == 127 ? '?' : (char)c ;
  }
  return 1 ;
}

void localreport_exit(stralloc const *sa, int code)
{
  /* Nothing can be done about a failed write: lspawn then sees an empty
   * report, and the exit code still says what happened. */
  if (sa->len) allwrite(1, sa->s, sa->len) ;
  allwrite(1, "\n", 1) ;
  _exit(code) ;
}
