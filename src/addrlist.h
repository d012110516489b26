/* addrlist.h: address lists of header fields (To, Cc, From, ...; RFC 5322
 * section 3.4), read the lenient way qmail-inject reads them, and the
 * qualification of bare names (qmail-header(5)).
 *
 * Understood: comments, quoted strings, domain literals, display names
 * with <angle addresses>, source routes <@a,@b:u@h> (dropped), groups
 * "name: a, b;", and qmail's "illegal space": "djb fred" is two addresses.
 *
 * Qualification, in this order, when q is given:
 *   no @          append @defaulthost
 *   host ends +   drop the +, append .plusdomain
 *   host no dot   append .defaultdomain
 * Domain literals ([192.0.2.1]) and the empty address <> are left alone.
 *
 * Addresses come out in envelope form: the local part unquoted, then @,
 * then the domain, e.g. "john doe"@example.com gives john doe@example.com,
 * each at most ENVELOPE_ADDR_MAX bytes and free of control characters. */
#ifndef CAIRN_ADDRLIST_H
#define CAIRN_ADDRLIST_H

#include <stddef.h>
#include <skalibs/stralloc.h>

struct addrlist_qualify {
  char const *defaulthost ;     /* NUL-terminated, all three */
  char const *defaultdomain ;
  char const *plusdomain ;
} ;

enum addrlist_status {
  ADDRLIST_OK = 0,
  ADDRLIST_ESYNTAX,    /* unclosed quote, comment, literal or <, or a stray special */
  ADDRLIST_ETOOLONG,   /* an address over ENVELOPE_ADDR_MAX */
  ADDRLIST_EBAD,       /* a control character in an address */
  ADDRLIST_ENOMEM
} ;

/* Parses the address list s (a field's value; CR, LF, space and tab are
 * white space). Appends to out the same text with every address replaced
 * by its qualified header form (q 0: not qualified, only normalized), and
 * a comma after an address followed by another without one. Appends each
 * address in envelope form and a NUL to addrs (the empty address as a lone
 * NUL), counting them in *n. On error out and addrs may hold a part. */
enum addrlist_status addrlist_parse(char const *s, size_t len, struct addrlist_qualify const *q,
                                    stralloc *out, stralloc *addrs, size_t *n) ;

/* One address already in envelope form (a command-line recipient, -f):
 * split at its last @ and qualified (q may be 0). An empty s stays empty.
 * Appends the address and a NUL to addrs. */
enum addrlist_status addrlist_envelope(char const *s, size_t len, struct addrlist_qualify const *q, stralloc *addrs) ;

/* Appends the header form of an envelope address: the local part as a
 * quoted string unless it is a dot-atom. 1, or 0 on ENOMEM. */
int addrlist_quote(stralloc *out, char const *addr, size_t len) ;

/* Human text for a status. */
char const *addrlist_strerror(enum addrlist_status) ;

#endif
