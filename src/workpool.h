/* workpool.h: a spawner's long-lived delivery workers (lspawnwork.h,
 * rspawnwork.h), so that consecutive deliveries create no process. Each
 * worker is a child on its own SOCK_SEQPACKET socket (localjob.h's packet
 * transfer) that says its hello once, then takes one job at a time (a
 * packet with the message's descriptor) and answers each with a report
 * packet (localjob_putreport: an exit code and the text a per-delivery
 * child writes). A worker carries a key: the user it runs as (lspawn), or
 * the destination it may still hold a session with (rspawn).
 *
 * A delivery goes to an idle worker with its key; else, when the pool
 * allows any worker to take any key, to an idle worker whose key has
 * lapsed (idle for at least the pool's lapse); else to a new worker when
 * the workers and the per-delivery children running number fewer than max
 * (the least recently used idle worker is ended to make room); else, when
 * any worker may take any key, to the least recently used idle one; else
 * the caller runs a per-delivery child. A new worker gets its first job
 * only after its hello. A worker is ended (its socket closed) after
 * WORKPOOL_IDLE seconds without a job or after WORKPOOL_JOBS jobs.
 *
 * Failures: a worker that dies or breaks the protocol during a job makes
 * that delivery a temporary failure, worded as for a per-delivery child
 * killed by a signal; a worker that ends between jobs costs nothing.
 * Workers are started only when the program holds the hello (checked
 * again whenever the file changes): a wrapper in its place runs once per
 * delivery, as before. A program the spawner may run but not read (mode
 * 0711) is no script, and is started as a worker. A new worker that says something other than hello,
 * or WORKPOOL_STRIKES new workers in a row that exit (or stay silent for
 * WORKPOOL_HELLO seconds) before saying hello (one killed by a signal is
 * no strike), mean that the program does not work as a worker: the
 * spawner says so once in its log and runs one child per delivery from
 * then on. The job a worker never began is started again, as if just
 * requested. */
#ifndef CAIRN_WORKPOOL_H
#define CAIRN_WORKPOOL_H

#include <sys/types.h>
#include <skalibs/iopause.h>
#include <skalibs/stralloc.h>
#include <skalibs/tai.h>
#include "spawnproto.h"

#define WORKPOOL_IDLE 10       /* seconds */
#define WORKPOOL_JOBS 1000
#define WORKPOOL_STRIKES 3
#define WORKPOOL_HELLO 30      /* seconds a new worker has to say hello */

struct workpool_ops {
  char const *prog ;       /* the worker program, checked for the hello */
  char const *what ;       /* its name in the log: "local", "remote" */
  char const *hello ;      /* the hello packet */
  size_t hellolen ;
  /* Starts a worker with sock on its fd 0 (arg: the hand call's);
   * returns its pid, or -1 when it could not start. */
  pid_t (*fork)(int sock, void const *arg) ;
  /* The spawner's report function (spawner.h), for a worker's report
   * (the wait status of a per-delivery child that exited with its code)
   * and for a worker lost during a job (SIGKILL). */
  char (*report)(int wstat, char const *out, size_t outlen, stralloc *text) ;
  /* Seconds after which an idle worker's key no longer holds anything (a
   * session it has closed by then), so that it takes any key; 0: a worker
   * only ever takes its own key. */
  unsigned int lapse ;
} ;

/* max: processes (workers and per-delivery children) at once. */
void workpool_init(struct workpool_ops const *ops, unsigned int max) ;

/* Hands the delivery r to a worker for key (keylen bytes): pkt is the job
 * packet, messfn the message's file (opened here, with err set when it
 * cannot be), arg goes to ops->fork. Returns 1 when handed (its result
 * comes through spawner_done, or it is started again with spawner_rerun),
 * 0 when the caller runs a per-delivery child, -1 with err (newline-ended)
 * for an immediate temporary failure. */
int workpool_hand(struct spawnreq const *r, char const *key, size_t keylen, char const *pkt, size_t pktlen,
  char const *messfn, void const *arg, stralloc *err) ;

/* The per-delivery children running: one more, one fewer. */
void workpool_childstart(void) ;
void workpool_childend(void) ;

/* spawner_ops.watch, .handle and .reaped (the last judges a worker that
 * ended before its hello). */
unsigned int workpool_watch(iopause_fd *x, unsigned int max, tain *deadline) ;
void workpool_handle(iopause_fd const *x, unsigned int n) ;
void workpool_reaped(pid_t pid, int wstat) ;

#endif
