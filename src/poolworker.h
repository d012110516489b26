/* poolworker.h: one smtppool worker, a child of the master running as
 * the unprivileged user. It accepts a connection on the shared listening
 * socket, tells the master it is busy, sets up the connection
 * (poolconn.h), runs an smtpd session on it as fds 0 and 1 with the
 * control files as they are at that moment (smtpconf_reload: those that
 * stat shows unchanged since the previous session are not read again;
 * smtpsess_run; STARTTLS
 * through the TLS broker when there is one; with implicit, the
 * handshake through the broker before the session, which then runs on
 * the engine's channel with TLS on), tells the
 * master it is idle, and accepts the next one. It exits 0 after maxuse
 * connections, when no connection came for the idle time (the listening
 * socket's SO_RCVTIMEO, set by the master), or on SIGTERM (at once when
 * idle, after the session when busy: the handler closes its copy of the
 * listening socket, so that a new master can bind the port at once);
 * and 111 on an error it cannot recover from. The master replaces it.
 *
 * The status pipe: each report is POOLWORKER_RECLEN bytes written in one
 * write (atomic on a pipe): the pid as 4 bytes in the machine's order,
 * then POOLWORKER_BUSY or POOLWORKER_IDLE, then 3 NULs. */
#ifndef CAIRN_POOLWORKER_H
#define CAIRN_POOLWORKER_H

#include "poolconn.h"

#define POOLWORKER_RECLEN 8
#define POOLWORKER_BUSY 'b'
#define POOLWORKER_IDLE 'i'

struct poolworker {
  int listen ;             /* the listening socket (blocking) */
  int status ;             /* the write end of the status pipe */
  int broker ;             /* the TLS broker's socket (tlsbroker.h), or -1:
                              no STARTTLS */
  int implicit ;           /* TLS from the first byte (port 465): each
                              connection goes to the broker first */
  unsigned int maxuse ;    /* connections before the worker exits */
  struct poolconn conn ;
} ;

void poolworker_run(struct poolworker *) __attribute__((noreturn)) ;

#endif
