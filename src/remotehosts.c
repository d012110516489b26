/* remotehosts.c: the exchangers of a domain (remotehosts.h). */
#include <string.h>
#include <strings.h>
#include "control.h"
#include "dns.h"
#include "ipme.h"
#include "remotehosts.h"
#include "smtproutes.h"

static char text_ambigmx[] =
  "Sorry. Although I'm listed as a best-preference MX or A for that host,\n"
  "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n" ;

static int settext(stralloc *t, char const *a, char const *b, char const *c, stralloc const *why)
{
  t->len = 0 ;
  if (!stralloc_cats(t, a) || !stralloc_cats(t, b) || !stralloc_cats(t, c)) return 0 ;
  if (why && why->len && (!stralloc_catb(t, why->s, why->len) || !stralloc_catb(t, "\n", 1))) return 0 ;
  return 1 ;
}

static char nomem(stralloc *t)
{
  settext(t, "Out of memory. (#4.3.0)\n", "", "", 0) ;
  return 'Z' ;
}

/* name equals host, without regard to case or a final dot */
static int samename(char const *name, char const *host)
{
  size_t n = strlen(name), h = strlen(host) ;
  if (n && name[n - 1] == '.') n-- ;
  if (h && host[h - 1] == '.') h-- ;
  return n && n == h && !strncasecmp(name, host, n) ;
}

int remotehosts_notme(struct remotehosts *h, char const *me, char const *localiphost)
{
  struct dns_ip *ip = genalloc_s(struct dns_ip, &h->ips) ;
  size_t n = genalloc_len(struct dns_ip, &h->ips), k = 0 ;
  unsigned long prefme = (unsigned long)-1 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    char const *name = ip[i].name < h->names.len ? h->names.s + ip[i].name : "" ;
    if (ipme_is(ip[i].ip, ip[i].is6) || samename(name, me) || samename(name, localiphost))
      if (ip[i].pref < prefme) prefme = ip[i].pref ;
  }
  for (size_t i = 0 ; i < n ; i++) if (ip[i].pref < prefme) ip[k++] = ip[i] ;
  genalloc_setlen(struct dns_ip, &h->ips, k) ;
  return k > 0 ;
}

/* one address, named name */
static int addone(struct remotehosts *h, struct dns_ip *ip, char const *name)
{
  ip->pref = 0 ;
  ip->name = h->names.len ;
  return stralloc_cats(&h->names, name) && stralloc_0(&h->names)
    && genalloc_append(struct dns_ip, &h->ips, ip) ;
}

char remotehosts_find(struct remotehosts *h, char const *domain, struct remoteconf const *c, stralloc *text)
{
  static stralloc why = STRALLOC_ZERO ;
  struct smtproute route ;
  struct dns_ip lit ;
  int r ;
  genalloc_setlen(struct dns_ip, &h->ips, 0) ;
  h->names.len = 0 ;
  h->port = 25 ;
  h->relay = 0 ;
  why.len = 0 ;

  r = smtproutes_find(&route, c->routes.s, c->routes.len, &c->routelines, domain) ;
  if (r < 0)
  {
    if (!settext(text, "Unable to read control files: ", control_error.s, " (#4.3.0)\n", 0)) return nomem(text) ;
    return 'Z' ;
  }
  if (r) h->port = route.port ;
  if (r && !route.mx)
  {
    h->relay = 1 ;
    if (route.literal) return addone(h, &route.ip, route.relay) ? 'K' : nomem(text) ;
    r = dns_ip(&h->ips, &h->names, route.relay, 0, &why) ;
    domain = route.relay ;
  }
  else if (smtproutes_literal(domain, strlen(domain), 0, &lit))
    r = addone(h, &lit, domain) ? DNS_OK : -100 ;
  else r = dns_mx(&h->ips, &h->names, domain, &why) ;

  switch (r)
  {
    case DNS_OK: break ;
    case DNS_SOFT:
      if (!settext(text, "Sorry, I couldn't find any host by that name. (#4.1.2)\n", "", "", &why)) return nomem(text) ;
      return 'Z' ;
    case DNS_HARD:
      if (!settext(text, "Sorry, I couldn't find any host named ", domain, ". (#5.1.2)\n", &why)) return nomem(text) ;
      return 'D' ;
    default: return nomem(text) ;
  }
  if (!genalloc_len(struct dns_ip, &h->ips))
  {
    if (!settext(text, "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n", "", "", &why)) return nomem(text) ;
    return 'D' ;
  }
  if (!h->relay && !remotehosts_notme(h, c->me.s, c->localiphost.s))
  {
    if (!settext(text, text_ambigmx, "", "", 0)) return nomem(text) ;
    return 'D' ;
  }
  return 'K' ;
}
