/* qqstore.h: the whole of queue's job on two descriptors: read the message
 * from msgfd and the envelope from envfd, and write one queue entry with
 * qmail's Received line prepended. Runs in the queue directory. Returns 0,
 * or a qmail-queue exit code with the entry not committed (the caller then
 * calls qwrite_abort). */
#ifndef CAIRN_QQSTORE_H
#define CAIRN_QQSTORE_H

#include <sys/types.h>
#include <skalibs/stralloc.h>
#include "qwrite.h"
#include "received.h"

#define QQSTORE_DEATH 86400   /* seconds queue may live, as qmail */

int qqstore(struct qwrite *, int msgfd, int envfd, uid_t uid, pid_t pid) ;

/* Which Received wording a message from uid gets. */
enum received_kind qqstore_kind(uid_t uid) ;

/* Reads one envelope from fd into sa (bytes up to and with the final NUL).
 * Returns 0 or 54, 91, 11, 31 (envelope_exitcode), 51 on ENOMEM. */
int qqstore_readenvelope(int fd, stralloc *sa) ;

#endif
