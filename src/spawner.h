/* spawner.h: the event loop shared by the delivery spawners (lspawn,
 * rspawn). Requests arrive on fd 0 and results leave on fd 1, in the
 * protocol of spawnproto.h. Each request starts one delivery through the
 * spawner's start function, whose child writes its explanation to a pipe;
 * when the child has exited, the report function turns its exit status and
 * output into a result. Up to SPAWNER_MAX deliveries run at once (slots 0
 * to SPAWNER_MAX - 1), and no child, however slow, holds up the others or
 * the reading of requests.
 * End of input on fd 0: the deliveries still running finish, their results
 * are written, and spawner_run returns 0. A malformed request, or a request
 * for a slot still busy, means send and the spawner no longer agree: the
 * spawner dies with a message on fd 2 and exit 111. */
#ifndef CAIRN_SPAWNER_H
#define CAIRN_SPAWNER_H

#include <sys/types.h>
#include <skalibs/iopause.h>
#include <skalibs/stralloc.h>
#include <skalibs/tai.h>
#include "spawnproto.h"

#define SPAWNER_MAX 1000
/* Output kept of each child; the rest is read and dropped, so that a
 * talkative child never blocks on a full pipe. */
#define SPAWNER_OUTMAX SPAWNPROTO_TEXT_MAX
/* Returned by start: the delivery went elsewhere (lspawn's workers); its
 * slot stays busy until spawner_done or spawner_rerun. */
#define SPAWNER_ELSEWHERE ((pid_t)-2)
/* Descriptors the spawner's user may add to each wait. */
#define SPAWNER_EXTRA SPAWNER_MAX

struct spawner_ops {
  /* Starts the delivery of r. The child must write its explanation to
   * outfd (close-on-exec: move it to fd 1) and call spawner_child before
   * its exec. Returns the child's pid; or 0 for an immediate permanent
   * failure (D), -1 for an immediate temporary failure (Z), with the
   * explanation in err; or SPAWNER_ELSEWHERE (outfd is then unused). */
  pid_t (*start)(struct spawnreq const *r, int outfd, stralloc *err) ;
  /* Maps the wait status of a child and its output (at most
   * SPAWNER_OUTMAX bytes) to 'K', 'Z' or 'D' and the result text. */
  char (*report)(int wstat, char const *out, size_t outlen, stralloc *text) ;
  /* Optional (null when unused). Before each wait: adds at most max
   * entries to watch and may bring the deadline nearer; returns how many
   * it added. After each wait (or its timeout), with tain_now set: those
   * entries with their revents. Both may call spawner_done and
   * spawner_rerun. */
  unsigned int (*watch)(iopause_fd *x, unsigned int max, tain *deadline) ;
  void (*handle)(iopause_fd const *x, unsigned int n) ;
  /* Optional: a child that is no delivery of a slot has been reaped. */
  void (*reaped)(pid_t pid, int wstat) ;
} ;

/* The delivery in slot (handed elsewhere) has its result. */
void spawner_done(unsigned int slot, char status, char const *text, size_t len) ;
/* The delivery in r->slot (handed elsewhere) is started again with start,
 * as if just requested. */
void spawner_rerun(struct spawnreq const *r) ;

/* Serves fd 0 and fd 1 until end of input; returns 0, or dies (111). */
int spawner_run(struct spawner_ops const *) ;

/* In a child between fork and exec: gives back the signal mask and the
 * dispositions the loop changed (SIGCHLD blocked, SIGPIPE ignored), so the
 * delivery program starts as from a shell. */
void spawner_child(void) ;

#endif
