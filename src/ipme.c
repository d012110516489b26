/* ipme.c: this host's addresses (see ipme.h). */
#include <ifaddrs.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <skalibs/genalloc.h>
#include "ipme.h"

struct ipme { unsigned char ip[16] ; unsigned char is6 ; } ;
static genalloc ips = GENALLOC_ZERO ;   /* struct ipme */

static int add(unsigned char const *ip, int is6)
{
  struct ipme x ;
  memset(&x, 0, sizeof x) ;
  memcpy(x.ip, ip, is6 ? 16 : 4) ;
  x.is6 = !!is6 ;
  return genalloc_append(struct ipme, &ips, &x) ;
}

int ipme_init(void)
{
  struct ifaddrs *ifa, *p ;
  int ok = 1 ;
  genalloc_setlen(struct ipme, &ips, 0) ;
  if (getifaddrs(&ifa) < 0) return 0 ;
  for (p = ifa ; p && ok ; p = p->ifa_next)
  {
    if (!p->ifa_addr) continue ;
    if (p->ifa_addr->sa_family == AF_INET)
      ok = add((unsigned char const *)&((struct sockaddr_in const *)p->ifa_addr)->sin_addr, 0) ;
    else if (p->ifa_addr->sa_family == AF_INET6)
      ok = add(((struct sockaddr_in6 const *)p->ifa_addr)->sin6_addr.s6_addr, 1) ;
  }
  freeifaddrs(ifa) ;
  return ok ;
}

static int is4me(unsigned char const *ip)
{
  static unsigned char const zero[4] = { 0, 0, 0, 0 } ;
  struct ipme const *x = genalloc_s(struct ipme, &ips) ;
  size_t n = genalloc_len(struct ipme, &ips) ;
  if (ip[0] == 127 || !memcmp(ip, zero, 4)) return 1 ;
  for (size_t i = 0 ; i < n ; i++) if (!x[i].is6 && !memcmp(x[i].ip, ip, 4)) return 1 ;
  return 0 ;
}

int ipme_is(unsigned char const *ip, int is6)
{
  static unsigned char const mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff } ;
  static unsigned char const zero[15] = { 0 } ;
  struct ipme const *x = genalloc_s(struct ipme, &ips) ;
  size_t n = genalloc_len(struct ipme, &ips) ;
  if (!is6) return is4me(ip) ;
  if (!memcmp(ip, mapped, 12)) return is4me(ip + 12) ;
  if (!memcmp(ip, zero, 15) && (ip[15] == 0 || ip[15] == 1)) return 1 ;   /* :: and ::1 */
  for (size_t i = 0 ; i < n ; i++) if (x[i].is6 && !memcmp(x[i].ip, ip, 16)) return 1 ;
  return 0 ;
}
