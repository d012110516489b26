/* qqclient.h: hands one message to queue (or to the program named by
 * $QMAILQUEUE, the filter hook) the way qmail's callers do: message
 * bytes to its fd 0, then the envelope to its fd 1, then its exit code.
 * When queued listens on conf-home/queued/socket (queued(8)) and neither
 * a program nor $QMAILQUEUE is asked for, the message goes to queued
 * over that socket instead, with no process made; when it cannot be
 * reached, queue runs as before. Used by inject, smtpd, local (forwards)
 * and send (bounces). */
#ifndef CAIRN_QQCLIENT_H
#define CAIRN_QQCLIENT_H

#include <sys/types.h>
#include <skalibs/buffer.h>

struct qqclient {
  pid_t pid ;          /* queue's, or ours with queued: the pid that the
                        * Received line names (qmail's "qp") */
  int sock ;           /* the socket to queued, or -1 */
  int msgfd ;          /* queue's fd 0 */
  int envfd ;          /* queue's fd 1 */
  int failed ;         /* a write to queue failed (it died early) */
  buffer b ;
  char buf[8192] ;
} ;

/* Starts prog; prog 0 means $QMAILQUEUE if set and usequeuevar, else
 * conf-home/bin/queue. Returns 1, or 0 with errno set. */
int qqclient_start(struct qqclient *, char const *prog, int usequeuevar) ;

/* Message bytes (buffered). A failed write is remembered, not fatal: the
 * exit code of queue tells what went wrong. */
void qqclient_put(struct qqclient *, char const *, size_t) ;
void qqclient_puts(struct qqclient *, char const *) ;

/* Ends the message, writes the envelope (F..., T..., final NUL as made by
 * envelope_add/envelope_end), waits for queue. Returns its exit code (0 ok;
 * 81 if it died by a signal; 120 if it could not be run; 54 if it exited 0
 * but did not take the whole message), or queued's answer (81 if the
 * connection broke before it: queued died, as a queue killed by a signal). */
int qqclient_finish(struct qqclient *, char const *env, size_t envlen) ;

#endif
