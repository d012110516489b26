/* servstub.c: getservbyname and getservbyport_r for programs that link
 * libcares.a statically (remote). c-ares refers to them from
 * ares_getaddrinfo and ares_getnameinfo, which cairn never calls (dns.c
 * asks ares_query only, and ports are numbers); glibc's own versions would
 * need its shared NSS libraries at run time, which a static program does
 * not have. These find no service, as a lookup without a services
 * database does. Linked only into the static remote (src/libs.mk). */
#include <errno.h>
#include <stddef.h>
#include <netdb.h>

struct servent *getservbyname(char const *name, char const *proto)
{
  (void)name ; (void)proto ;
  return 0 ;
}

int getservbyport_r(int port, char const *proto, struct servent *sv, char *buf, size_t len, struct servent **res)
{
  (void)port ; (void)proto ; (void)sv ; (void)buf ; (void)len ;
  *res = 0 ;
  return ENOENT ;
}
