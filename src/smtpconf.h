/* smtpconf.h: what smtpd reads for a connection: control files (from
 * conf-home) and the environment tcpserver and tcprules set. */
#ifndef CAIRN_SMTPCONF_H
#define CAIRN_SMTPCONF_H

#include <stddef.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>
#include "ctlcache.h"
#include "rcptcheck.h"

struct smtpconf {
  stralloc me ;             /* control/me */
  stralloc greeting ;       /* control/smtpgreeting, default "me ESMTP" */
  stralloc localiphost ;    /* control/localiphost, default me */
  stralloc rcpthosts ;      /* NUL-separated, lower case */
  stralloc badmailfrom ;    /* NUL-separated, lower case */
  cdb morercpthosts ;
  int havemore ;
  unsigned long ctldatabytes ; /* control/databytes */
  unsigned long databytes ; /* 0: no limit; $DATABYTES over ctldatabytes */
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
  int ctltlsrequired ;      /* control/tlsrequired */
  int tlsrequired ;         /* $TLSREQUIRED, else ctltlsrequired */
} ;

/* Reads everything. 1, or 0 with control_error set (the caller answers
 * 421 and exits 111). A missing control/rcpthosts is an error: smtpd
 * never runs as an open relay. $DATABYTES, when set, must be a number; it
 * overrides control/databytes. $TLSREQUIRED, when set, overrides
 * control/tlsrequired: "0" or empty is no, anything else yes. */
int smtpconf_load(struct smtpconf *) ;

/* For a long-lived server (a smtppool worker), before each connection:
 * smtpconf_load with the control files read through cc (and from this
 * call on every control_* read of the process: control_usecache), so
 * that only the files changed since the previous call are read again,
 * and when none changed, what they said is kept as it is; the
 * environment's part is applied each time. The same results and
 * failures as smtpconf_load at that moment (ctlcache.h). */
int smtpconf_reload(struct smtpconf *, struct ctlcache *cc) ;

/* Releases what smtpconf_load mapped (the cdbs, unless a ctlcache holds
 * them), so that the next smtpconf_load on the same struct reads
 * everything afresh without leaking. */
void smtpconf_free(struct smtpconf *) ;

/* 1 if mail for domain (len bytes, any case) may be accepted from anyone:
 * listed in rcpthosts (exactly, or under a ".suffix" entry) or in
 * morercpthosts.cdb. */
int smtpconf_rcpthost(struct smtpconf const *, char const *domain, size_t len) ;

/* 1 if addr (any case) is refused as a sender: an exact badmailfrom
 * entry, or an "@domain" entry matching its domain. */
int smtpconf_badmailfrom(struct smtpconf const *, char const *addr, size_t len) ;

#endif
