/* poolsock.h: smtppool's listening socket. host is a numeric address:
 * "0" for every IPv4 address (tcpserver's "0"), "::" for every address
 * (IPv6, and IPv4 as ::ffff:a.b.c.d on a dual-stack system), or one
 * IPv4 or IPv6 address. No DNS: smtppool is linked statically and calls
 * no NSS function. */
#ifndef CAIRN_POOLSOCK_H
#define CAIRN_POOLSOCK_H

#include <stdint.h>

/* A blocking, close-on-exec socket bound (SO_REUSEADDR) and listening:
 * its descriptor, or -1 with errno set (EINVAL for a host that is not an
 * address). */
int poolsock_listen(char const *host, uint16_t port, unsigned int backlog) ;

#endif
