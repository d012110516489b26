/* rspawnjob.h: one remote delivery, as rspawn starts it and reports on
 * it; the two callbacks rspawn gives the spawner loop (spawner.h).
 * Start: a child, with the message queue/mess/B/ID on fd 0 and the output
 * pipe on fd 1 and 2, runs conf-home/bin/remote as qmail-rspawn runs
 * qmail-remote:  remote domain sender recipient  (domain: what follows the
 * recipient's last '@'). Runs in conf-home (the current directory).
 * Report: remote's records (remoteout.h) become one result, as
 * qmail-rspawn makes them: the recipient's record decides (r: the
 * message record's K, Z or D; s: Z; h: D), and the text is the
 * recipient's text followed by the message record's.
 * A delivery goes to one of rspawn's remote workers (rspawnwork.h) when
 * bin/remote has the worker mode; to a per-delivery remote otherwise. */
#ifndef CAIRN_RSPAWNJOB_H
#define CAIRN_RSPAWNJOB_H

#include <sys/types.h>
#include <skalibs/stralloc.h>
#include "spawnproto.h"

/* maxprocs: the remotes (workers and per-delivery) at once. 1, or 0 on
 * ENOMEM. */
int rspawnjob_init(unsigned int maxprocs) ;

/* spawner_ops.start: SPAWNER_ELSEWHERE for a worker, or the child's pid; 0 with a permanent reason in err (a
 * recipient with no domain); -1 with a temporary one (fork failed). */
pid_t rspawnjob_start(struct spawnreq const *r, int outfd, stralloc *err) ;

/* spawner_ops.report: remote's exit 0 with its records as above; death
 * by a signal, another exit code or no records: Z (remote's output, if
 * any, as the text). */
char rspawnjob_report(int wstat, char const *out, size_t outlen, stralloc *text) ;
/* spawner_ops.report: rspawnjob_report for a per-delivery remote, counted
 * as ended. */
char rspawnjob_childreport(int wstat, char const *out, size_t outlen, stralloc *text) ;

#endif
