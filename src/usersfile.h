/* usersfile.h: the uids of the users named in conf-users, read from
 * /etc/passwd itself (fgetpwent) rather than through NSS, for programs
 * linked statically (conf-static), where getpwnam is not available. A
 * user defined only in another NSS database (LDAP ...) is not found:
 * callers use it where a missing user costs a wording, never a message. */
#ifndef CAIRN_USERSFILE_H
#define CAIRN_USERSFILE_H

#include <sys/types.h>
#include "auto.h"

/* Fills uid[0..AUTO_NUSERS-1] in conf-users order. Returns 1, or 0 with
 * *missing set to a name not in the file (errno 0) or with errno set when
 * /etc/passwd could not be read (*missing is then "/etc/passwd"). */
int usersfile_uids(uid_t uid[AUTO_NUSERS], char const **missing) ;

#endif
