/* rewrite.h: what send does to each envelope recipient when it
 * preprocesses a new message, as qmail-send does (qmail-send(8),
 * cairn-control(5)): it decides whether the recipient is delivered locally
 * or remotely, and rewrites it.
 *
 *  1 an address without @ gets @envnoathost;
 *  2 while its domain is in percenthack and its local part holds a '%',
 *    user%host@domain becomes user@host (so a%b%c@d may become a@b);
 *  3 a domain in locals: local, the address as it is;
 *  4 virtualdomains, first match wins: the exact user@domain line, then
 *    domain, then .suffix wildcards from the longest suffix to the
 *    shortest (.b.example before .example for a@x.b.example), then the
 *    catch-all ":prefix". A match with a prefix: local, as
 *    prefix-user@domain; a match with an empty prefix: the address is
 *    not virtual (remote);
 *  5 otherwise remote.
 * Domains, and whole user@domain keys, compare without regard to case;
 * the domain is written in lower case in the result, the local part as
 * it came. When a control file names a key twice, the later line wins
 * (as qmail's constmap). Lookups are binary searches over sorted tables,
 * so hundreds of thousands of lines cost O(log n) per recipient. */
#ifndef CAIRN_REWRITE_H
#define CAIRN_REWRITE_H

#include <stddef.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

#define REWRITE_ADDRMAX 1000   /* longest address taken (= ENVELOPE_ADDR_MAX) */

/* Results of rewrite_addr: the channel numbers of send (retry.h). */
#define REWRITE_LOCAL 0
#define REWRITE_REMOTE 1

/* One control file as a sorted table; entries point into data. */
struct rewrite_table {
  stralloc data ;   /* the file's values, keys lowercased, NUL-separated */
  genalloc index ;  /* struct rewrite_entry, sorted by key */
} ;
#define REWRITE_TABLE_ZERO { STRALLOC_ZERO, GENALLOC_ZERO }

struct rewrite {
  stralloc envnoathost ;
  struct rewrite_table locals ;
  struct rewrite_table percenthack ;
  struct rewrite_table vdoms ;      /* key user@domain, domain, .suffix or "" */
} ;
#define REWRITE_ZERO { STRALLOC_ZERO, REWRITE_TABLE_ZERO, REWRITE_TABLE_ZERO, REWRITE_TABLE_ZERO }

/* Reads control/me, control/envnoathost (default me), control/locals
 * (default: me alone), control/percenthack and control/virtualdomains,
 * relative to the current directory. 1 with rw filled (what it held
 * before is freed); -1 with control_error saying which file and line and
 * why ("control/virtualdomains:3: line without ':'"), rw unchanged.
 * control/me is needed only when envnoathost or locals is missing. */
int rewrite_load(struct rewrite *rw) ;

/* Rewrites addr (len bytes, no NUL needed) and appends the result to out,
 * without a NUL. Returns REWRITE_LOCAL or REWRITE_REMOTE, or -1 with errno
 * ENAMETOOLONG (len over REWRITE_ADDRMAX) or ENOMEM (out unchanged). */
int rewrite_addr(struct rewrite const *rw, char const *addr, size_t len, stralloc *out) ;

/* For bounces, as qmail-send's stripvdomprepend: when addr (len bytes) is
 * a result of virtualdomains (prefix-user@domain, the prefix the table
 * gives for user@domain, domain, a wildcard or the catch-all), returns the
 * offset of user@domain in addr; else 0. */
size_t rewrite_unvirtual(struct rewrite const *rw, char const *addr, size_t len) ;

void rewrite_free(struct rewrite *rw) ;

#endif
