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
#include <skalibs/stralloc.h>
#include "spawnproto.h"

#define SPAWNER_MAX 1000
/* Output kept of each child; the rest is read and dropped, so that a
 * talkative child never blocks on a full pipe. */
#define SPAWNER_OUTMAX SPAWNPROTO_TEXT_MAX

struct spawner_ops {
  /* Starts the delivery of r. The child must write its explanation to
   * outfd (close-on-exec: move it to fd 1) and call spawner_child before
   * its exec. Returns the child's pid; or 0 for an immediate permanent
   * failure (D), -1 for an immediate temporary failure (Z), with the
   * explanation in err. */
  pid_t (*start)(struct spawnreq const *r, int outfd, stralloc *err) ;
  /* Maps the wait status of a child and its output (at most
   * SPAWNER_OUTMAX bytes) to 'K', 'Z' or 'D' and the result text. */
  char (*report)(int wstat, char const *out, size_t outlen, stralloc *text) ;
} ;

/* Serves fd 0 and fd 1 until end of input; returns 0, or dies (111). */
int spawner_run(struct spawner_ops const *) ;

/* In a child between fork and exec: gives back the signal mask and the
 * dispositions the loop changed (SIGCHLD blocked, SIGPIPE ignored), so the
 * delivery program starts as from a shell. */
void spawner_child(void) ;

#endif
