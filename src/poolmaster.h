/* poolmaster.h: smtppool's master, running as the unprivileged user
 * with the listening socket open. It forks workers (poolworker.h) so that
 * at least one is idle, in accept, whenever fewer than maxconn are busy;
 * with maxconn busy, new connections wait in the listen backlog. It learns
 * busy/idle from the status pipe and endings from SIGCHLD, logs
 * "smtppool: status: BUSY/MAXCONN" when the number of busy workers
 * changes, and a worker that ended by a signal or exit 111. On SIGTERM
 * it closes the socket, passes SIGTERM to every worker (idle ones exit,
 * busy ones finish their session first) and exits 0, as tcpserver does
 * under s6-svc -d. Returns only on SIGTERM. */
#ifndef CAIRN_POOLMASTER_H
#define CAIRN_POOLMASTER_H

#include "poolworker.h"

/* w->listen is the socket; w->status is set here. idle: seconds. */
void poolmaster_run(struct poolworker *w, unsigned int maxconn, unsigned int idle) ;

#endif
