/* poolmaster.h: smtppool's master, running as the unprivileged user
 * with the listening socket open. It forks workers (poolworker.h) so that
 * at least one is idle, in accept, whenever fewer than maxconn are busy;
 * with maxconn busy, new connections wait in the listen backlog. It learns
 * busy/idle from the status pipe and endings from SIGCHLD, logs
 * "smtppool: status: BUSY/MAXCONN" when the number of busy workers
 * changes, and a worker that ended by a signal or exit 111. On SIGTERM
 * it closes the socket, passes SIGTERM to every worker (idle ones exit,
 * busy ones finish their session first) and exits 0, as tcpserver does
 * under s6-svc -d. Returns only on SIGTERM (0), or when the TLS broker
 * (poolbroker.h), a child it cannot start again (it runs as root, the
 * master no longer), has ended: it logs that, stops the same way and
 * returns 111, so that the supervisor starts smtppool, and a broker,
 * again; sessions in progress answer STARTTLS 454 meanwhile. */
#ifndef CAIRN_POOLMASTER_H
#define CAIRN_POOLMASTER_H

#include <sys/types.h>
#include "poolworker.h"

/* w->listen is the socket; w->status is set here. idle: seconds.
 * broker: the TLS broker's pid, or 0 when there is none. The exit code. */
int poolmaster_run(struct poolworker *w, unsigned int maxconn, unsigned int idle, pid_t broker) ;

#endif
