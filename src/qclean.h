/* qclean.h: the removals clean makes in the queue (clean(8)); every call
 * runs in the queue directory. */
#ifndef CAIRN_QCLEAN_H
#define CAIRN_QCLEAN_H

#include <time.h>
#include "cleanproto.h"

/* A pid/ file untouched this long is left from a queue that died: queue
 * kills itself after 24 hours (QQSTORE_DEATH), so none is still at work. */
#define QCLEAN_OSSIFIED 129600

/* Removes the files a request names, in qmail-clean's order (intd/ first,
 * so that the entry's envelope never outlives its message or todo/ name).
 * A file with no other name becomes a spare in pid/ (spare.h) for queue
 * and queued to write the next entry into: foop/ID's intd/ID and
 * mess/B/ID; for todo/ID, intd/ID is unlinked (it is todo/ID's second
 * name) and then todo/ID is the spare. A file that is already gone is
 * fine. Returns CLEANPROTO_OK, or CLEANPROTO_FAILED with errno set. */
char qclean_do(struct cleanproto_req const *req, unsigned int split) ;

/* Removes the regular files of pid/ whose access and modification times
 * are both at least age seconds before now: pid files and spares alike (a
 * spare keeps a finished message's times; dropping one costs only the
 * inode it would have saved). Returns how many it removed, or -1 with
 * errno set when pid/ cannot be read. */
long qclean_pids(time_t now, unsigned long age) ;

#endif
