/* queuedcommit.h: queued's group commit. The entries of messages that
 * ended together (mess/ and intd/ written, not yet synced) are made
 * durable with one pass, linked into todo/, and todo/ is fsynced once:
 *
 *  step                                a crash after it leaves
 *  1 cut recycled files to their      mess + intd without todo, as a
 *    length (qwrite.c); fsync every    killed queue leaves them: send's
 *    file of the group at once         orphan sweep has clean remove
 *    (qsync_all), each failure         them after 36 hours
 *    failing its own entry
 *  2 link each intd/ID to todo/ID      entries send may pick up, their
 *                                      clients not answered yet (as a
 *                                      queue killed before its exit)
 *  3 fsync todo/ once                  durable entries; then each client
 *                                      is answered 0
 * A failed fsync at step 1 fails its entry (53); a failure at step 3
 * fails every entry of the group (66), with
 * its todo/ link taken back and its files removed: a client is never
 * answered 0 for an entry that is not durable. */
#ifndef CAIRN_QUEUEDCOMMIT_H
#define CAIRN_QUEUEDCOMMIT_H

#include "qwrite.h"

/* Commits the n entries q[i], each with code[i] 0 on entry, and sets
 * code[i] to 0 (durable, in todo/) or queue's exit code (files removed).
 * synced, when not 0, is called with arg once step 1 is over. Returns
 * how many were committed. */
unsigned int queuedcommit(struct qwrite *const *q, int *code, unsigned int n, void (*synced)(void *), void *arg) ;

#endif
