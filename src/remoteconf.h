/* remoteconf.h: the control files remote reads, from conf-home:
 * me, helohost (default me), localiphost (default me), smtproutes,
 * timeoutconnect (seconds, default 60), timeoutremote (default 1200) and
 * resolvers (given whole to dns_init; /etc/resolv.conf when missing),
 * tlsdestinations (tlsdest.h) and tlsca (the file of certificate
 * authorities for verified TLS, default REMOTECONF_TLSCA). */
#ifndef CAIRN_REMOTECONF_H
#define CAIRN_REMOTECONF_H

#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

struct remoteconf {
  stralloc me ;             /* each NUL-terminated */
  stralloc helohost ;
  stralloc localiphost ;
  stralloc routes ;         /* smtproutes lines, NUL-terminated */
  genalloc routelines ;     /* unsigned int: their line numbers */
  stralloc resolvers ;
  int haveresolvers ;
  unsigned long timeoutconnect ;
  unsigned long timeoutremote ;
  stralloc tlsdest ;        /* tlsdestinations lines, NUL-terminated */
  genalloc tlsdestlines ;   /* unsigned int: their line numbers */
  stralloc tlsca ;          /* NUL-terminated */
} ;
#define REMOTECONF_ZERO { STRALLOC_ZERO, STRALLOC_ZERO, STRALLOC_ZERO, STRALLOC_ZERO, GENALLOC_ZERO, STRALLOC_ZERO, 0, 60, 1200, STRALLOC_ZERO, GENALLOC_ZERO, STRALLOC_ZERO }
#define REMOTECONF_TLSCA "/etc/ssl/certs/ca-certificates.crt"

/* 1, or 0 with control_error saying which file and why. */
int remoteconf_read(struct remoteconf *) ;

#endif
