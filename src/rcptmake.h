/* rcptmake.h: the table of recipient validation (format in rcptcheck.h),
 * computed from exactly what local delivery reads, for mkrcpt. It runs in
 * conf-home (the current directory), as root, since it reads users'
 * homes.
 *
 * Local delivery bounces a local part L ("no mailbox here by that name")
 * when the user that lookup_local (lookup.h) gives for L has a non-empty
 * dash and no .qmail file that dotqmail_search (dotqmail.h) selects for
 * its ext; L over 1000 bytes is bounced too. Everything else is delivered
 * or deferred, never bounced. So the table is made owner by owner:
 *  - each users/cdb record: an exact one ("=local") decides its local
 *    part alone; a wildcard ("+prefix") decides every local part under
 *    its prefix, with ext its pre followed by the rest;
 *  - each password-database user n that lookup_local gives for n itself:
 *    n (dash empty: always delivered), and n "-" EXT for every EXT;
 *  - the alias user (home conf-home/alias): every local part, ext the
 *    whole of it.
 * A dash-empty owner takes everything it owns. Otherwise its keys come
 * from the .qmail-* names in its home (readdir, as no address can name a
 * file that is not there): ".qmail-X" accepts the local part whose ext
 * is X, ".qmail-Z" "default" (Z empty or ending in '-') every local part
 * whose ext starts with Z, and the owner's own prefix key says 0 for the
 * rest. Then each key is kept only if lookup_local gives the same home,
 * dash and ext for it (for a "+" key, for the key followed by a byte that
 * ends no name) as the owner that made it: so a key never speaks for
 * local parts that another owner takes, and the longest-match rule of
 * rcptcheck.h gives every local part the decision of its owner.
 * When that cannot be known -- a lookup fails (a group-writable home, an
 * alias user missing), a home cannot be listed or is group- or
 * world-writable -- the key says 1: local delivery would defer, not
 * bounce, and validation must never refuse what it would not bounce. */
#ifndef CAIRN_RCPTMAKE_H
#define CAIRN_RCPTMAKE_H

#include <skalibs/cdbmake.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

struct rcptmake {
  stralloc recs ;     /* records: value ('0' or '1'), key, NUL */
  genalloc idx ;      /* size_t offsets of the records in recs */
} ;
#define RCPTMAKE_ZERO { STRALLOC_ZERO, GENALLOC_ZERO }

/* Text of the last failure, NUL-terminated. */
extern stralloc rcptmake_error ;

/* Collects the table. warn (may be 0) is told, one line each, about what
 * was taken as deliverable because it could not be decided. Returns 1,
 * or 0 with rcptmake_error set: users/cdb unreadable or malformed, the
 * password database unreadable, no memory. */
int rcptmake_collect(struct rcptmake *t, void (*warn)(char const *)) ;

/* Sorts the keys, merges repeated ones (1 wins: an owner's own files over
 * its default 0) and adds them to c after the magic record. 1, or 0 with
 * errno set. */
int rcptmake_write(struct rcptmake *t, cdbmaker *c) ;

void rcptmake_free(struct rcptmake *t) ;

#endif
