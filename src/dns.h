/* dns.h: the DNS lookups of remote delivery, through c-ares.
 *
 * One resolver per process. The servers come from the contents of a
 * control file (control/resolvers: "IP" or "IP:port" or "[IPv6]:port", one
 * a line, '#' comments), or from /etc/resolv.conf when there is none.
 * Every lookup waits at most the timeout given to dns_init for the whole
 * exchange, retries and all servers included: dns_ip and dns_txt at most
 * the timeout, dns_mx at most twice (the MX query, then the A and AAAA
 * queries of all exchangers at once). Names are looked up as given, never
 * with search domains; queries use EDNS and fall back to TCP.
 *
 * Results are exchanger addresses: struct dns_ip, kept in a genalloc, with
 * the exchanger's name at offset name in a stralloc of NUL-terminated names.
 * Return values of the lookups: DNS_OK, DNS_SOFT (a temporary failure:
 * timeout, SERVFAIL, refused, no server; defer), DNS_HARD (the name does not
 * exist, NXDOMAIN, or is not a valid name; bounce). A reason for SOFT and
 * HARD is left in why, NUL-terminated, with why->len not counting the NUL,
 * fit for a log line or a bounce ("domain example.test does not exist
 * (NXDOMAIN)"). On failure nothing is appended to ips, names or txt.
 * dns_mx and dns_ip append at most 64 addresses a call; dns_mx keeps at
 * most 64 exchangers. Each name appended to names is appended once, with
 * its addresses after it in ips all pointing at it. */
#ifndef CAIRN_DNS_H
#define CAIRN_DNS_H

#include <stddef.h>
#include <skalibs/stralloc.h>
#include <skalibs/genalloc.h>

#define DNS_OK 0
#define DNS_SOFT (-1)
#define DNS_HARD (-2)

struct dns_ip {
  unsigned char ip[16] ;  /* IPv4 in the first 4 bytes when !is6 */
  unsigned char is6 ;
  unsigned int pref ;     /* MX preference; 0 for an implicit MX or a host */
  size_t name ;           /* offset of the exchanger's name in names */
} ;

/* resolvers: the contents of control/resolvers (len bytes), or 0 to read
 * /etc/resolv.conf (also used when the contents list no server).
 * timeoutms: bound of one lookup. Returns DNS_OK or DNS_SOFT with why set
 * ("control/resolvers line 4: not an IPv4 address"); after DNS_SOFT the
 * lookups return DNS_SOFT. Calling it again starts a new resolver. */
int dns_init(char const *resolvers, size_t len, unsigned int timeoutms, stralloc *why) ;

/* The exchangers of domain, each with its A and AAAA addresses, appended to
 * ips: sorted by preference, in random order among equal preferences, an
 * exchanger's addresses together, IPv4 first. CNAMEs are followed (an MX
 * naming a CNAME, a domain that is a CNAME); an exchanger listed twice is
 * kept once with its best preference. A domain with no MX
 * records but an address is its own exchanger (pref 0). An exchanger whose
 * addresses cannot be found is left out; when none is left: DNS_SOFT if a
 * lookup failed temporarily, otherwise DNS_HARD. "MX 0 ." (RFC 7505, null
 * MX) is DNS_HARD with why saying so. */
int dns_mx(genalloc *ips, stralloc *names, char const *domain, stralloc *why) ;

/* The A and AAAA addresses of host (CNAMEs followed), appended to ips with
 * the given pref, IPv4 first. DNS_OK when there is at least one address
 * (even if the other family's query failed); otherwise DNS_SOFT if one of
 * the two queries failed temporarily, else DNS_HARD (NXDOMAIN, or no A and
 * no AAAA). */
int dns_ip(genalloc *ips, stralloc *names, char const *host, unsigned int pref, stralloc *why) ;

/* The TXT records of name, each appended to txt with a NUL after it (the
 * strings of one record joined). DNS_HARD also when there are none. */
int dns_txt(stralloc *txt, char const *name, stralloc *why) ;

/* Formats ip for a log line or a Received line: dotted quad, or IPv6
 * text. Returns the length written to s (at least 46 bytes); no NUL. */
size_t dns_fmtip(char *s, struct dns_ip const *ip) ;

/* Frees the resolver; dns_init may be called again. */
void dns_done(void) ;

#endif
