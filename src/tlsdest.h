/* tlsdest.h: control/tlsdestinations, remote's TLS policy per destination,
 * in smtproutes' style, one "domain[:level]" a line:
 *   example.com               mail for example.com: TLS verified (= :verify)
 *   .example.com:encrypt      every subdomain: TLS required, any certificate
 *   legacy.example.net:none   never STARTTLS (a peer whose TLS is broken)
 *   :verify                   every other domain (the default line)
 *   partner.example.com:may   opportunistic, as without a line
 * Levels: may (STARTTLS when offered; a failure falls back to plaintext),
 * encrypt (STARTTLS must be offered and succeed, or the mail is deferred),
 * verify (as encrypt, and the certificate must lead to control/tlsca's
 * authorities and name the exchanger), none (no STARTTLS). The domain is
 * the one remote delivers to (its first argument). The most specific line
 * wins, as in smtproutes: the domain itself, then its longest ".suffix",
 * then the empty default; among equal lines the first. Names compare
 * without regard to case. Every line is checked, so that a malformed one
 * defers the mail even when another line matches. */
#ifndef CAIRN_TLSDEST_H
#define CAIRN_TLSDEST_H

#include <stddef.h>
#include <skalibs/genalloc.h>

enum tlsdest_level { TLSDEST_NONE, TLSDEST_MAY, TLSDEST_ENCRYPT, TLSDEST_VERIFY } ;

/* One line (len bytes). 1 with *level and the domain at *domain
 * (*domainlen bytes, may be 0), or 0 with *why. */
int tlsdest_parse(char const *s, size_t len, enum tlsdest_level *level,
  char const **domain, size_t *domainlen, char const **why) ;

/* The level for domain among the lines (NUL-terminated, as
 * control_readlist gives them, line numbers in lines): TLSDEST_MAY when no
 * line matches; -1 when a line is malformed, with control_error set to
 * "control/tlsdestinations:N: why". */
int tlsdest_find(char const *lines, size_t len, genalloc const *num, char const *domain) ;

/* "none", "may", "encrypt", "verify" */
char const *tlsdest_name(enum tlsdest_level) ;

#endif
