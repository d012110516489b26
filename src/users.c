/* users.c: conf-users names to ids. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include "users.h"

int users_load(struct users *u, char const **missing)
{
  for (unsigned int i = 0 ; i < AUTO_NUSERS ; i++)
  {
    struct passwd *pw ;
    errno = 0 ;
    pw = getpwnam(auto_user[i]) ;
    if (!pw) { *missing = auto_user[i] ; return 0 ; }
    u->uid[i] = pw->pw_uid ;
    u->ugid[i] = pw->pw_gid ;
  }
  for (unsigned int i = 0 ; i < AUTO_NGROUPS ; i++)
  {
    struct group *gr ;
    errno = 0 ;
    gr = getgrnam(auto_group[i]) ;
    if (!gr) { *missing = auto_group[i] ; return 0 ; }
    u->gid[i] = gr->gr_gid ;
  }
  return 1 ;
}
