/* users.h: uids and gids of the users and groups named in conf-users,
 * looked up at run time so that "make" works before they exist. */
#ifndef CAIRN_USERS_H
#define CAIRN_USERS_H

#include <sys/types.h>
#include "auto.h"

struct users {
  uid_t uid[AUTO_NUSERS] ;
  gid_t ugid[AUTO_NUSERS] ;   /* each user's primary group */
  gid_t gid[AUTO_NGROUPS] ;
} ;

/* Fills u. Returns 1, or 0 with *missing set to the name that was not
 * found (errno 0) or could not be looked up (errno set). */
int users_load(struct users *u, char const **missing) ;

#endif
