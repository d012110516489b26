/* ipme.h: the addresses of this host (qmail's ipme), for remote's
 * backup-MX rule: an exchanger at one of these is this host. They are the
 * addresses of every interface (getifaddrs), and always 127.0.0.0/8, ::1,
 * 0.0.0.0 and ::, which reach this host whatever the interfaces say; an
 * IPv4-mapped IPv6 address counts as its IPv4 address. */
#ifndef CAIRN_IPME_H
#define CAIRN_IPME_H

/* Reads the interface addresses. 1, or 0 with errno set. */
int ipme_init(void) ;

/* 1 if ip (16 bytes, or 4 when !is6) is one of this host's addresses. */
int ipme_is(unsigned char const *ip, int is6) ;

#endif
