/* queuedloop.h: queued's event loop: accepts clients on the listening
 * socket (at most max at once; the others wait in the kernel's backlog,
 * and beyond it their connect fails and they run queue instead), reads
 * them all without blocking, and commits the messages that finished
 * while no committer was free as one group (queuedcommit.h), on one of
 * two committer threads, then answers each with its code. EOF on
 * lifefd (start's pipe: send has gone) or SIGTERM stops accepting; the
 * loop returns once every message in progress is answered or dropped.
 * Runs in the queue directory. */
#ifndef CAIRN_QUEUEDLOOP_H
#define CAIRN_QUEUEDLOOP_H

#define QUEUED_CLIENTS 500

void queuedloop_run(int lfd, int lifefd, unsigned int max) ;

#endif
