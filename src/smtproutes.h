/* smtproutes.h: control/smtproutes, qmail's static routes for remote
 * delivery, one "domain:relay[:port]" a line:
 *   example.com:relay.example.net      mail for example.com goes to relay
 *   .example.com:relay.example.net     and for every subdomain of it
 *   :smarthost.example.net:2525        every other domain (the default)
 *   example.org:                       an empty relay: use the MX records
 *   example.net:[192.0.2.1]  example.net:192.0.2.1  example.net:[IPv6:2001:db8::1]:25
 * The most specific line wins, as in qmail: the domain itself, then its
 * longest ".suffix", then the empty default; among equal lines the first.
 * Names compare without regard to case. A relay is a host name (its A and
 * AAAA records are used, never its MX) or an address literal; the port is
 * 1 to 65535, 25 by default. Every line is checked, so that a malformed
 * one defers the mail even when another line matches. */
#ifndef CAIRN_SMTPROUTES_H
#define CAIRN_SMTPROUTES_H

#include <stddef.h>
#include <stdint.h>
#include <skalibs/genalloc.h>
#include "dns.h"

#define SMTPROUTES_HOSTMAX 255

struct smtproute {
  unsigned int line ;                   /* its line in the file */
  int mx ;                              /* empty relay: the domain's MX */
  int literal ;                         /* the relay is the address ip */
  struct dns_ip ip ;                    /* when literal (pref 0, name 0) */
  char relay[SMTPROUTES_HOSTMAX + 1] ;  /* the relay's name, when neither */
  uint16_t port ;
} ;

/* One line (len bytes, no NUL needed). Returns 1 with the route in r and
 * its domain at *domain (*domainlen bytes, may be 0), or 0 with *why. */
int smtproutes_parse(char const *s, size_t len, struct smtproute *r,
  char const **domain, size_t *domainlen, char const **why) ;

/* The route of domain among the lines in routes (len bytes of
 * NUL-terminated lines, as control_readlist gives them, with their line
 * numbers in lines). Returns 1 with r set, 0 when no line matches, -1 when
 * a line is malformed, with control_error set to
 * "control/smtproutes:N: why". */
int smtproutes_find(struct smtproute *r, char const *routes, size_t len,
  genalloc const *lines, char const *domain) ;

/* An address literal of len bytes: "[192.0.2.1]" or "[IPv6:2001:db8::1]"
 * (and, when bare is set, a dotted quad alone). 1 with ip set, or 0. */
/* How well key (a line's domain part) matches domain, in qmail's lookup
 * order: 0 for the domain itself, the offset of the '.' for a ".suffix"
 * key, dlen for the empty key (the default route); -1 for no match. The
 * smallest rank wins; control/tlsdestinations matches the same way. */
/* 1 if the len bytes at s hold only a host name's characters (letters,
 * digits, '.', '-', '_'), else 0. */
int smtproutes_hostchars(char const *s, size_t len) ;

long smtproutes_rank(char const *key, size_t klen, char const *domain, size_t dlen) ;

int smtproutes_literal(char const *s, size_t len, int bare, struct dns_ip *ip) ;

#endif
