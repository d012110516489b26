/* newaliases: compiles /etc/aliases (or the file given with -f) into
 * FILE.cdb for aliases(8), the delivery program that ~alias/.qmail-default
 * runs (aliasmake.h). Exit 0, 100 on a format error (file:line on
 * stderr, nothing written), 111 on a system error. See newaliases(8). */
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include "aliasmake.h"

#define USAGE "newaliases [ -f aliasfile ] [ -o cdbfile ]"

static void warn(char const *s)
{
  strerr_warnw1x(s) ;
}

int main(int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  char const *fn = "/etc/aliases", *cdbfn = 0 ;
  stralloc out = STRALLOC_ZERO, err = STRALLOC_ZERO ;
  int r ;

  PROG = "newaliases" ;
  for (int opt ; (opt = subgetopt_r(argc, argv, "f:o:", &l)) != -1 ; )
    switch (opt)
    {
      case 'f': fn = l.arg ; break ;
      case 'o': cdbfn = l.arg ; break ;
      default: strerr_dieusage(100, USAGE) ;
    }
  if (argc - l.ind) strerr_dieusage(100, USAGE) ;
  if (!cdbfn)
  {
    if (!stralloc_cats(&out, fn) || !stralloc_cats(&out, ".cdb") || !stralloc_0(&out)) strerr_diefu1sys(111, "allocate") ;
    cdbfn = out.s ;
  }
  r = aliasmake(fn, cdbfn, &err, &warn) ;
  if (r == 100) strerr_dief1x(100, err.len ? err.s : "format error") ;
  if (r) strerr_diefu1sys(111, err.len ? err.s : "compile the aliases") ;
  stralloc_free(&out) ;
  stralloc_free(&err) ;
  return 0 ;
}
