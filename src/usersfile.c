/* usersfile.c: conf-users names to ids, from /etc/passwd and
 * /etc/group without NSS. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include "usersfile.h"

int usersfile_uids(uid_t uid[AUTO_NUSERS], char const **missing)
{
  int found[AUTO_NUSERS] = { 0 } ;
  struct passwd *pw ;
  FILE *f = fopen("/etc/passwd", "re") ;
  if (!f) { *missing = "/etc/passwd" ; return 0 ; }
  /* The first entry of a name wins, as getpwnam's files lookup. */
  while ((errno = 0, pw = fgetpwent(f)))
    for (unsigned int i = 0 ; i < AUTO_NUSERS ; i++)
      if (!found[i] && !strcmp(pw->pw_name, auto_user[i])) { uid[i] = pw->pw_uid ; found[i] = 1 ; }
  if (errno && errno != ENOENT)
  {
    int e = errno ;
    fclose(f) ;
    errno = e ;
    *missing = "/etc/passwd" ;
    return 0 ;
  }
  fclose(f) ;
  for (unsigned int i = 0 ; i < AUTO_NUSERS ; i++)
    if (!found[i]) { *missing = auto_user[i] ; errno = 0 ; return 0 ; }
  return 1 ;
}

int usersfile_gids(gid_t gid[AUTO_NGROUPS], char const **missing)
{
  int found[AUTO_NGROUPS] = { 0 } ;
  struct group *gr ;
  FILE *f = fopen("/etc/group", "re") ;
  if (!f) { *missing = "/etc/group" ; return 0 ; }
  /* the first entry of a name wins, as getgrnam's files lookup */
  while ((errno = 0, gr = fgetgrent(f)))
    for (unsigned int i = 0 ; i < AUTO_NGROUPS ; i++)
      if (!found[i] && !strcmp(gr->gr_name, auto_group[i])) { gid[i] = gr->gr_gid ; found[i] = 1 ; }
  if (errno && errno != ENOENT)
  {
    int e = errno ;
    fclose(f) ;
    errno = e ;
    *missing = "/etc/group" ;
    return 0 ;
  }
  fclose(f) ;
  for (unsigned int i = 0 ; i < AUTO_NGROUPS ; i++)
    if (!found[i]) { *missing = auto_group[i] ; errno = 0 ; return 0 ; }
  return 1 ;
}
