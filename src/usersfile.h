/* usersfile.h: the ids of the users and groups named in conf-users,
 * read from /etc/passwd and /etc/group themselves (fgetpwent,
 * fgetgrent) rather than through NSS, for programs linked statically
 * (conf-static), where getpwnam and getgrnam are not available. A name
 * defined only in another NSS database (LDAP ...) is not found: callers
 * use it where a missing name costs a wording (queue), or where it stops
 * a program that would switch to it before it does anything (tlsd,
 * smtppool's TLS broker), never where a message could be lost. */
#ifndef CAIRN_USERSFILE_H
#define CAIRN_USERSFILE_H

#include <sys/types.h>
#include "auto.h"

/* Fills uid[0..AUTO_NUSERS-1] in conf-users order. Returns 1, or 0 with
 * *missing set to a name not in the file (errno 0) or with errno set when
 * /etc/passwd could not be read (*missing is then "/etc/passwd"). */
int usersfile_uids(uid_t uid[AUTO_NUSERS], char const **missing) ;

/* The same for gid[0..AUTO_NGROUPS-1] from /etc/group. */
int usersfile_gids(gid_t gid[AUTO_NGROUPS], char const **missing) ;

#endif
