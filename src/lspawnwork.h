/* lspawnwork.h: lspawn's long-lived local delivery workers (local -W,
 * local(8)), so that consecutive deliveries to one user create no process.
 * A worker is keyed by the user lookup_local found (uid, gid, home), runs
 * as that user, and gets only that user's deliveries, one at a time, over
 * its own socket (localjob.h) with the message's descriptor, which lspawn
 * opens as the per-delivery child opens it.
 *
 * A delivery goes to an idle worker of its user; else to a new one when
 * the workers and the per-delivery locals running number fewer than
 * concurrencylocal (the least recently used idle worker of another user
 * is ended to make room); else to a per-delivery local. A new worker is
 * started exactly as a per-delivery local (the same switch of user and
 * directory, bin/local with "-W" for arguments) and gets its first job
 * only after its hello. A worker is ended (its socket closed) after
 * LSPAWNWORK_IDLE seconds without a job or after LSPAWNWORK_JOBS jobs.
 *
 * Failures: a worker that dies or breaks the protocol during a job makes
 * that delivery a temporary failure ("local crashed"), as a per-delivery
 * local killed by a signal; a worker that ends between jobs costs nothing.
 * Workers are started only when bin/local holds the hello of localjob.h
 * (checked again whenever the file changes): a wrapper in its place runs
 * once per delivery, as before. A new worker that says something other
 * than hello, or LSPAWNWORK_STRIKES new workers in a row that exit (or stay
 * silent for LSPAWNWORK_HELLO seconds) before saying hello (one killed by
 * a signal is no strike), mean that
 * bin/local does not work as a worker: lspawn says so once in its log and
 * runs one local per delivery from then on. The job a worker never began
 * is started again, as if just requested. */
#ifndef CAIRN_LSPAWNWORK_H
#define CAIRN_LSPAWNWORK_H

#include <skalibs/iopause.h>
#include <skalibs/stralloc.h>
#include <skalibs/tai.h>
#include "lookup.h"
#include "spawnproto.h"

#define LSPAWNWORK_IDLE 10       /* seconds */
#define LSPAWNWORK_JOBS 1000
#define LSPAWNWORK_STRIKES 3
#define LSPAWNWORK_HELLO 30      /* seconds a new worker has to say hello */

/* localprog: conf-home/bin/local; max: processes (workers and
 * per-delivery locals) at once. */
void lspawnwork_init(char const *localprog, unsigned int max) ;

/* Hands the delivery r to a worker of lk's user: args are the 8 arguments
 * of local after "--", messfn the message's file. Returns 1 when handed
 * (its result comes through spawner_done, or it is started again with
 * spawner_rerun), 0 when the caller runs a per-delivery local, -1 with err
 * (newline-ended) for an immediate temporary failure. */
int lspawnwork_hand(struct spawnreq const *r, struct lookup const *lk, char const *messfn, char const *const *args, stralloc *err) ;

/* The per-delivery locals running: one more, one fewer. */
void lspawnwork_childstart(void) ;
void lspawnwork_childend(void) ;

/* spawner_ops.watch and .handle. */
unsigned int lspawnwork_watch(iopause_fd *x, unsigned int max, tain *deadline) ;
void lspawnwork_handle(iopause_fd const *x, unsigned int n) ;
/* spawner_ops.reaped: judges a worker that ended before its hello. */
void lspawnwork_reaped(pid_t pid, int wstat) ;

#endif
