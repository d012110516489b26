/* remotehosts.h: where remote delivers mail for a domain, in order:
 *   1. control/smtproutes (smtproutes.h): a relay's addresses (its A and
 *      AAAA records, or its literal), on the route's port;
 *   2. an address literal as the domain ("[192.0.2.1]", "[IPv6:...]");
 *   3. the domain's MX records (dns_mx), on port 25 (or the port of a
 *      route with an empty relay).
 * Then, except for a relay, qmail's backup-MX rule: when one of the
 * exchangers is this host (ipme.h, or named as control/me or
 * control/localiphost), it and every exchanger with a preference as bad
 * or worse are dropped; none left means this host is the best MX of a
 * domain it does not treat as local, a permanent failure. */
#ifndef CAIRN_REMOTEHOSTS_H
#define CAIRN_REMOTEHOSTS_H

#include <stdint.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "remoteconf.h"

struct remotehosts {
  genalloc ips ;       /* struct dns_ip, in the order to try */
  stralloc names ;     /* their exchangers' names */
  uint16_t port ;
  int relay ;          /* from smtproutes with a relay */
} ;
#define REMOTEHOSTS_ZERO { GENALLOC_ZERO, STRALLOC_ZERO, 25, 0 }

/* Returns 'K' with h filled, or 'Z' (try later) or 'D' (give up) with the
 * explanation (lines ending in '\n') in text. Call ipme_init and dns_init
 * first. */
char remotehosts_find(struct remotehosts *h, char const *domain, struct remoteconf const *c, stralloc *text) ;

/* Drops the exchangers that are this host and those after them (the
 * backup-MX rule); me and localiphost are names of this host. Returns 1,
 * or 0 when none is left because this host is the best. */
int remotehosts_notme(struct remotehosts *h, char const *me, char const *localiphost) ;

#endif
