/* remotehosts-backup-mx: qmail's backup-MX rule drops every exchanger
 * that is this host (a loopback, unspecified or IPv4-mapped loopback
 * address, or a name equal to control/me or control/localiphost, without
 * regard to case or a final dot) and every one with the same or a worse
 * preference; none left is the "best-preference MX" failure. The routes
 * before any DNS lookup: a relay literal from smtproutes (its port, no
 * backup-MX rule), an address literal domain (with the rule), a
 * malformed smtproutes line (Z naming file and line). */
#include <ifaddrs.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <skalibs/fmtscan.h>
#include "dns.h"
#include "ipme.h"
#include "remotehosts.h"
#include "tap.h"

static struct remotehosts h = REMOTEHOSTS_ZERO ;

static void add(unsigned int pref, char const *name, char const *ip)
{
  struct dns_ip x ;
  memset(&x, 0, sizeof x) ;
  if (strchr(ip, ':')) { ip6_scan(ip, (char *)x.ip) ; x.is6 = 1 ; }
  else ip4_scan(ip, (char *)x.ip) ;
  x.pref = pref ;
  x.name = h.names.len ;
  stralloc_cats(&h.names, name) ;
  stralloc_0(&h.names) ;
  genalloc_append(struct dns_ip, &h.ips, &x) ;
}

static void reset(void)
{
  genalloc_setlen(struct dns_ip, &h.ips, 0) ;
  h.names.len = 0 ;
}

static size_t n(void) { return genalloc_len(struct dns_ip, &h.ips) ; }
static char const *name(size_t i) { return h.names.s + genalloc_s(struct dns_ip, &h.ips)[i].name ; }

int main(void)
{
  struct remoteconf c = REMOTECONF_ZERO ;
  stralloc text = STRALLOC_ZERO ;
  unsigned int one = 1, two = 2 ;
  if (!ipme_init()) { printf("Bail out! ipme_init\n") ; return 1 ; }

  reset() ; add(10, "mx1.example", "203.0.113.1") ; add(20, "mx2.example", "203.0.113.2") ;
  ok(remotehosts_notme(&h, "me.test", "me.test") && n() == 2, "no exchanger is this host: all kept") ;

  reset() ; add(10, "mx1.example", "203.0.113.1") ; add(20, "ME.test.", "203.0.113.2") ; add(30, "mx3.example", "203.0.113.3") ;
  ok(remotehosts_notme(&h, "me.test", "other.test") && n() == 1 && !strcmp(name(0), "mx1.example"),
    "named as control/me (any case, final dot) at 20: only the better one kept") ;

  reset() ; add(10, "mx1.example", "203.0.113.1") ; add(20, "relay.test", "203.0.113.2") ; add(20, "mx2b.example", "203.0.113.4") ;
  ok(remotehosts_notme(&h, "me.test", "relay.test") && n() == 1, "named as localiphost: it and its equals dropped") ;

  reset() ; add(10, "a.example", "203.0.113.1") ; add(10, "b.example", "127.0.0.5") ;
  ok(!remotehosts_notme(&h, "me.test", "me.test") && n() == 0, "a loopback exchanger among the best: none left") ;

  reset() ; add(0, "x.example", "::1") ;
  ok(!remotehosts_notme(&h, "me.test", "me.test"), "::1 is this host") ;
  reset() ; add(0, "x.example", "::ffff:7f00:1") ;
  ok(!remotehosts_notme(&h, "me.test", "me.test"), "an IPv4-mapped loopback is this host") ;
  reset() ; add(0, "x.example", "0.0.0.0") ;
  ok(!remotehosts_notme(&h, "me.test", "me.test"), "0.0.0.0 is this host") ;
  reset() ; add(5, "x.example", "203.0.113.1") ; add(7, "y.example", "2001:db8::7") ;
  ok(remotehosts_notme(&h, "me.test", "me.test") && n() == 2, "documentation addresses are not this host") ;
  reset() ; add(5, "x.example", "203.0.113.1") ; add(7, "me.test", "203.0.113.9") ; add(7, "me.test", "2001:db8::9") ;
  ok(remotehosts_notme(&h, "me.test", "me.test") && n() == 1, "both addresses of this host's name dropped") ;

  {
    /* an address of an interface of this host, when there is one */
    struct ifaddrs *ifa, *p ;
    char ip[IP4_FMT] = "" ;
    if (getifaddrs(&ifa) == 0)
    {
      for (p = ifa ; p ; p = p->ifa_next)
        if (p->ifa_addr && p->ifa_addr->sa_family == AF_INET)
        {
          unsigned char const *a = (unsigned char const *)&((struct sockaddr_in const *)p->ifa_addr)->sin_addr ;
          if (a[0] != 127) { ip[ip4_fmt(ip, (char const *)a)] = 0 ; break ; }
        }
      freeifaddrs(ifa) ;
    }
    if (*ip)
    {
      reset() ; add(10, "a.example", "203.0.113.1") ; add(20, "b.example", ip) ;
      ok(remotehosts_notme(&h, "me.test", "me.test") && n() == 1, "an address of an interface of this host is this host") ;
    }
    else ok(1, "# SKIP no interface address but loopback") ;
  }

  stralloc_copys(&c.me, "me.test") ; stralloc_0(&c.me) ;
  stralloc_copys(&c.localiphost, "me.test") ; stralloc_0(&c.localiphost) ;
  stralloc_catb(&c.routes, "x.test:203.0.113.9:2525", sizeof "x.test:203.0.113.9:2525") ;
  genalloc_append(unsigned int, &c.routelines, &one) ;
  is_int(remotehosts_find(&h, "x.test", &c, &text), 'K', "a route to a literal: found without DNS") ;
  ok(n() == 1 && h.port == 2525 && h.relay && genalloc_s(struct dns_ip, &h.ips)[0].ip[3] == 9, "its address and port") ;

  c.routes.len = 0 ; genalloc_setlen(unsigned int, &c.routelines, 0) ;
  stralloc_catb(&c.routes, "x.test:127.0.0.1:2525", sizeof "x.test:127.0.0.1:2525") ;
  genalloc_append(unsigned int, &c.routelines, &one) ;
  is_int(remotehosts_find(&h, "x.test", &c, &text), 'K', "a route to this host is taken as given (no backup-MX rule)") ;

  is_int(remotehosts_find(&h, "[203.0.113.3]", &c, &text), 'K', "an address literal domain") ;
  ok(n() == 1 && h.port == 25 && !h.relay, "one address, port 25") ;
  is_int(remotehosts_find(&h, "[127.0.0.1]", &c, &text), 'D', "this host's address as the domain: D") ;
  stralloc_0(&text) ;
  is_str(text.s, "Sorry. Although I'm listed as a best-preference MX or A for that host,\n"
    "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n", "with qmail's text") ;

  stralloc_catb(&c.routes, "y.test:[IPv6:zz]", sizeof "y.test:[IPv6:zz]") ;
  genalloc_append(unsigned int, &c.routelines, &two) ;
  is_int(remotehosts_find(&h, "[203.0.113.3]", &c, &text), 'Z', "a malformed smtproutes line: Z, whatever the domain") ;
  stralloc_0(&text) ;
  is_str(text.s, "Unable to read control files: control/smtproutes:2: bad address literal for the relay (#4.3.0)\n", "naming file and line") ;
  stralloc_free(&c.me) ; stralloc_free(&c.localiphost) ; stralloc_free(&c.routes) ;
  genalloc_free(unsigned int, &c.routelines) ; stralloc_free(&text) ;
  genalloc_free(struct dns_ip, &h.ips) ; stralloc_free(&h.names) ;
  return tap_done() ;
}
