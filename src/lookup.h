/* lookup.h: which user a local address belongs to, decided as
 * qmail-lspawn and qmail-getpw decide it. lspawn calls lookup_local for
 * every local delivery, in conf-home (the current directory), and runs
 * local as the user found with qmail-local's arguments
 *   user home local dash ext domain sender defaultdelivery
 * local is the local part as send hands it over: after virtualdomains
 * ("sergey-sergey" for sergey@virtual.example with
 * "virtual.example:sergey"), in the case the sender wrote it.
 *
 * The first rule that gives a user wins:
 * 1. users/cdb (users/assign compiled by newu; see assign.h): the exact
 *    entry =local, else the wildcard +prefix with the longest prefix of
 *    local (the empty prefix "+:" catches everything). A wildcard's ext
 *    is its pre followed by the rest of local. local is matched without
 *    regard to case; the rest keeps the sender's case. No users/cdb: go
 *    on. An unreadable or malformed one: temporary error.
 * 2. the password database, with qmail-getpw's rules: the candidate
 *    names are local itself and then each prefix of it that ends just
 *    before a '-', longest first ("a-b-c": a-b-c, a-b, a), at most
 *    LOOKUP_USERMAX bytes, in lower case. A candidate is taken when it
 *    names a user whose uid is not 0 and whose home directory exists and
 *    is owned by that uid; otherwise (no such user, root, a system
 *    account with home / or a missing home) the next one is tried. dash
 *    is "-" and ext what follows that '-' when local goes on after the
 *    name, else both are "". A home that passes but is group- or
 *    world-writable is a temporary error (#4.7.0) rather than a reason
 *    to go on: the mail waits until the owner fixes the mode instead of
 *    reaching the alias user (qmail-local defers it the same way).
 * 3. the alias user (conf-users' first line), with home conf-home/alias
 *    whatever the password database says, dash "-" and ext the whole
 *    local part: ~alias/.qmail-postmaster, -root, -mailer-daemon and
 *    -default handle those names and every unknown one. An alias user
 *    missing from the password database is a temporary error.
 *
 * uid and gid are the ones found, also in a single-user build (where
 * lspawn cannot change uid and runs local as itself: that is lspawn's
 * decision, not this module's). A uid of 0 can come from users/cdb, or
 * be the alias user's in an instance run by root: lspawn decides what to
 * do with it (qmail-lspawn refuses to deliver as root). */
#ifndef CAIRN_LOOKUP_H
#define CAIRN_LOOKUP_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>

#define LOOKUP_LOCALMAX 1000   /* = ASSIGN_LOCALMAX */
#define LOOKUP_USERMAX 32      /* longest password-database name tried */

enum lookup_source { LOOKUP_ASSIGN, LOOKUP_PASSWD, LOOKUP_ALIAS } ;

struct lookup {
  char const *user ;     /* NUL-terminated, pointing into sa */
  uid_t uid ;
  gid_t gid ;
  char const *home ;
  char const *dash ;     /* "" or "-" */
  char const *ext ;
  enum lookup_source source ;
  stralloc sa ;          /* holds the strings; reused by the next call */
} ;
#define LOOKUP_ZERO { .user = 0, .home = 0, .dash = 0, .ext = 0, .sa = STRALLOC_ZERO }

/* Text of the last failure, NUL-terminated: "unable to read users/cdb:
 * Permission denied". */
extern stralloc lookup_error ;

/* Finds the user for local (len bytes, not NUL-terminated). Returns 1
 * with r filled; 0 when no user can own local because it is longer than
 * LOOKUP_LOCALMAX or holds a NUL (permanent: bounce); -1 on a temporary
 * failure. lookup_error says why for 0 and -1. */
int lookup_local(char const *local, size_t len, struct lookup *r) ;

void lookup_free(struct lookup *r) ;

/* The password-database candidates of rule 2, for tests and tools: start
 * with *n = len + 1; each call sets *n to the length of the next shorter
 * candidate name and returns 1, or returns 0 when none is left. */
int lookup_nextname(char const *local, size_t len, size_t *n) ;

#endif
