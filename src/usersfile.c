/* usersfile.c: conf-users names to ids, from /etc/passwd and
 * /etc/group without NSS. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include "usersfile.h"

/* After the reading loop over f (name is its path): a read error, or
 * the first of the n names not found, makes it fail with *missing set. */
static int finish(FILE *f, char const *name, int const *found, char const *const *names, unsigned int n, char const **missing)
{
  if (errno && errno != ENOENT)
  {
    int e = errno ;
    fclose(f) ;
    errno = e ;
    *missing = name ;
    return 0 ;
  }
  fclose(f) ;
  for (unsigned int i = 0 ; i < n ; i++)
    if (!found[i]) { *missing = names[i] ; errno = 0 ; return 0 ; }
  return 1 ;
}

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
  return finish(f, "/etc/passwd", found, auto_user, AUTO_NUSERS, missing) ;
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
  return finish(f, "/etc/group", found, auto_group, AUTO_NGROUPS, missing) ;
}
