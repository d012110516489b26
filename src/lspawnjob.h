/* lspawnjob.h: one local delivery, as lspawn starts it and reports on it;
 * the two callbacks lspawn gives the spawner loop (spawner.h).
 * Start: the recipient is split at its last '@' into local and domain,
 * lookup_local finds the user (lookup.h), and a child, with the message
 * queue/mess/B/ID on fd 0 and the output pipe on fd 1 and 2, takes the
 * user's gid (no supplementary groups) and uid, changes to the home and
 * runs conf-home/bin/local as qmail-lspawn runs qmail-local:
 *   local -- user home local dash ext domain sender defaultdelivery
 * In a single-user build nothing changes ids: local runs as lspawn does.
 * Runs in conf-home (the current directory). */
#ifndef CAIRN_LSPAWNJOB_H
#define CAIRN_LSPAWNJOB_H

#include <sys/types.h>
#include <skalibs/stralloc.h>
#include "lookup.h"
#include "spawnproto.h"

/* The default delivery (qmail-start's argument, e.g. "./Maildir/") that
 * every local is given. Returns 1, or 0 on ENOMEM. */
int lspawnjob_init(char const *defaultdelivery, unsigned int maxprocs) ;

/* In a child: takes lk's gid (no supplementary groups) and uid, checks
 * that it is not root, and changes to the home; nothing changes ids in a
 * single-user build. 0, or the step that failed with errno set: 1 group,
 * 2 user, 3 still root (errno 0), 4 home. */
int lspawnjob_become(struct lookup const *lk) ;

/* spawner_ops.start: hands the delivery to a worker of the user
 * (lspawnwork.h) and returns SPAWNER_ELSEWHERE; or the child's pid; 0 with a permanent reason in err
 * (no user can own this address); -1 with a temporary one (lookup failed,
 * the user is root in a multi-user build, fork failed). */
pid_t lspawnjob_start(struct spawnreq const *r, int outfd, stralloc *err) ;

/* spawner_ops.report: local's exit 0 is K, 100 is D, 111 and any other
 * exit code Z, with local's output as the text (a fixed text when it said
 * nothing); death by a signal is Z "local crashed". */
char lspawnjob_report(int wstat, char const *out, size_t outlen, stralloc *text) ;
/* spawner_ops.report: lspawnjob_report for a per-delivery local, counted
 * as ended. */
char lspawnjob_childreport(int wstat, char const *out, size_t outlen, stralloc *text) ;

#endif
