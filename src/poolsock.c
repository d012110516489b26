/* poolsock.c: smtppool's listening socket (poolsock.h). */
#include <errno.h>
#include <string.h>
#include <skalibs/djbunix.h>
#include <skalibs/ip46.h>
#include <skalibs/socket.h>
#include "poolsock.h"

int poolsock_listen(char const *host, uint16_t port, unsigned int backlog)
{
  ip46 ip ;
  int s ;
  if (!strcmp(host, "0")) ip46_from_ip4(&ip, "\0\0\0\0") ;
  else
  {
    size_t n = ip46_scan(host, &ip) ;
    if (!n || host[n]) { errno = EINVAL ; return -1 ; }
  }
  s = socket_tcp46_internal(ip46_is6(&ip), O_CLOEXEC) ;
  if (s < 0) return -1 ;
  if (socket_bind46_reuse(s, &ip, port) < 0 || socket_listen(s, backlog > 65535 ? 65535 : (int)backlog) < 0)
  {
    int e = errno ;
    fd_close(s) ;
    errno = e ;
    return -1 ;
  }
  return s ;
}
