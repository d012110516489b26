/* instcheck: checks the installation in conf-home (qmail's "make check"):
 * the users and groups of conf-users exist, and every directory, file,
 * program and link of the layout (hier.c) is there with its owner and
 * mode. Reports every problem; exits 0 when there is none, 100 when
 * something is wrong, 111 when it cannot look. */
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "hier.h"
#include "users.h"

static void report(char const *path, char const *why)
{
  strerr_warnw(path, ": ", why) ;
}

int main(void)
{
  struct users u ;
  char const *what ;
  unsigned int bad ;
  PROG = "instcheck" ;
  if (!users_load(&u, &what))
    strerr_dief(100, "no user or group ", what, " (conf-users): make setup creates them") ;
  bad = hier_check(auto_home, &u, &report) ;
  if (bad)
  {
    char num[UINT_FMT] ;
    num[uint_fmt(num, bad)] = 0 ;
    strerr_dief(100, num, " problems in the installation in ", auto_home, ": run make setup again") ;
  }
  return 0 ;
}
