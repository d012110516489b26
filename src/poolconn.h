/* poolconn.h: what tcpserver -H -R does for each connection before it
 * runs smtpd, done in a smtppool worker for a connection it accepted:
 * the environment (PROTO=TCP, TCPLOCALIP, TCPLOCALPORT, TCPLOCALHOST,
 * TCPREMOTEIP, TCPREMOTEPORT; TCPREMOTEHOST and TCPREMOTEINFO unset),
 * then the rule of the tcprules cdb (tcprules.h), and the log line
 * "smtppool: ok|deny PID localhost:localip:localport :remoteip::remoteport"
 * on stderr, as tcpserver -v writes it. Every variable the previous
 * connection's rule set is unset first. The cdb counts as it is when
 * the connection comes, as under tcpserver, which opens it for each:
 * it stays mapped from one connection to the next while stat shows it
 * unchanged (ctlcache.h), and is mapped again when tcprules replaced it. */
#ifndef CAIRN_POOLCONN_H
#define CAIRN_POOLCONN_H

#include <skalibs/stralloc.h>
#include "ctlcache.h"

struct poolconn {
  char const *localname ;  /* -l: TCPLOCALHOST, or 0 to leave it unset */
  char const *rules ;      /* -x: the cdb, or 0 for none */
  stralloc set ;           /* names the last rule set (tcprules_apply) */
  struct ctlcache cache ;  /* the rules cdb, mapped while stat shows it unchanged */
} ;
#define POOLCONN_ZERO { .localname = 0, .rules = 0, .set = STRALLOC_ZERO, .cache = CTLCACHE_ZERO }

/* For the connection on fd: 1 allow, 0 deny (both logged), -1 on an
 * error (getsockname, the rules unreadable, no memory: logged; the
 * connection must be dropped, as tcpserver's child dies). */
int poolconn_setup(struct poolconn *, int fd) ;

#endif
