/* install: creates what is missing of the cairn home compiled into it
 * (conf-home), with qmail's owners and modes, and installs the programs
 * found in SRCDIR (default: the directory install itself was run from).
 * Control files, alias files and the queue that exist are kept. */
#include <string.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/djbunix.h>
#include "auto.h"
#include "hier.h"
#include "users.h"

int main(int argc, char const *const *argv)
{
  struct users u ;
  char const *what ;
  char const *srcdir = argc > 1 ? argv[1] : 0 ;
  stralloc dir = STRALLOC_ZERO ;
  PROG = "install" ;
  if (!srcdir)
  {
    char const *slash = strrchr(argv[0], '/') ;
    if (!slash) strerr_dieusage(100, "install srcdir") ;
    if (!stralloc_catb(&dir, argv[0], slash - argv[0]) || !stralloc_0(&dir)) strerr_diefu(111, "allocate") ;
    srcdir = dir.s ;
  }
  if (!users_load(&u, &what))
    strerr_dief(111, "unknown user or group ", what, " (see conf-users; INSTALL says how to create them)") ;
  if (!hier_install(auto_home, srcdir, &u, &what)) strerr_diefusys(111, "install ", what) ;
  return 0 ;
}
