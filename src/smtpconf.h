/* smtpconf.h: what smtpd reads once per connection: control files (from
 * conf-home) and the environment tcpserver and tcprules set. */
#ifndef CAIRN_SMTPCONF_H
#define CAIRN_SMTPCONF_H

#include <stddef.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>
#include "rcptcheck.h"

struct smtpconf {
  stralloc me ;             /* control/me */
  stralloc greeting ;       /* control/smtpgreeting, default "me ESMTP" */
  stralloc localiphost ;    /* control/localiphost, default me */
  stralloc rcpthosts ;      /* NUL-separated, lower case */
  stralloc badmailfrom ;    /* NUL-separated, lower case */
  cdb morercpthosts ;
  int havemore ;
  unsigned long databytes ; /* 0: no limit */
  unsigned long timeout ;   /* seconds */
  unsigned long maxrcpt ;
  unsigned long maxerrors ;
  char const *relayclient ; /* $RELAYCLIENT, or 0 */
  char const *remoteip ;
  char const *remotehost ;
  char const *remoteinfo ;
  char const *localip ;     /* $TCPLOCALIP, or 0 */
  struct rcptcheck rcpt ;   /* recipient validation (rcptcheck.h) */
  int tlsctl ;              /* $TLSCTLFD: tlsd's control channel, or -1 */
  int tlsbroker ;           /* smtppool's TLS broker (tlsbroker.h), or -1;
                               set by the caller after smtpconf_load */
  char const *tlsprotocol ; /* $TLS_PROTOCOL, $TLS_CIPHER: TLS is on from */
  char const *tlscipher ;   /* the start (tlsd -i), or 0 */
  int tlsrequired ;         /* $TLSREQUIRED, else control/tlsrequired */
} ;

/* Reads everything. 1, or 0 with control_error set (the caller answers
 * 421 and exits 111). A missing control/rcpthosts is an error: smtpd
 * never runs as an open relay. $DATABYTES, when set, must be a number; it
 * overrides control/databytes. $TLSREQUIRED, when set, overrides
 * control/tlsrequired: "0" or empty is no, anything else yes. */
int smtpconf_load(struct smtpconf *) ;

/* Releases what smtpconf_load mapped (the cdbs), so that the next
 * smtpconf_load on the same struct, for the next connection of a
 * long-lived server, reads everything afresh without leaking. */
void smtpconf_free(struct smtpconf *) ;

/* 1 if mail for domain (len bytes, any case) may be accepted from anyone:
 * listed in rcpthosts (exactly, or under a ".suffix" entry) or in
 * morercpthosts.cdb. */
int smtpconf_rcpthost(struct smtpconf const *, char const *domain, size_t len) ;

/* 1 if addr (any case) is refused as a sender: an exact badmailfrom
 * entry, or an "@domain" entry matching its domain. */
int smtpconf_badmailfrom(struct smtpconf const *, char const *addr, size_t len) ;

#endif
