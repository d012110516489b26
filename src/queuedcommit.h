/* queuedcommit.h: queued's group commit. The entries of messages that
 * ended together (mess/ and intd/ written, not yet synced) are made
 * durable with one pass, linked into todo/, and todo/ is fsynced once:
 *
 *  step                                a crash after it leaves
 *  1 cut recycled files to their      mess + intd without todo, as a
 *    length (qwrite.c); sync: one      killed queue leaves them: send's
 *    syncfs of the queue's file        orphan sweep has clean remove
 *    system for two entries or more    them after 36 hours
 *    (Linux 5.8+, qsync.h), then each
 *    file's fsync (a write error
 *    another group's syncfs took); for
 *    one entry the fsyncs alone
 *  2 link each intd/ID to todo/ID      entries send may pick up, their
 *                                      clients not answered yet (as a
 *                                      queue killed before its exit)
 *  3 fsync todo/ once                  durable entries; then each client
 *                                      is answered 0
 * A failure at step 1 or 3 fails every entry of the group (53, 66), with
 * its todo/ link taken back and its files removed: a client is never
 * answered 0 for an entry that is not durable. */
#ifndef CAIRN_QUEUEDCOMMIT_H
#define CAIRN_QUEUEDCOMMIT_H

#include "qwrite.h"

/* Commits the n entries q[i], each with code[i] 0 on entry, and sets
 * code[i] to 0 (durable, in todo/) or queue's exit code (files removed).
 * qfd is the queue directory, opened before any of the files was
 * written (syncfs reports the errors that came after). Returns how many
 * were committed. */
unsigned int queuedcommit(struct qwrite *const *q, int *code, unsigned int n, int qfd) ;

#endif
