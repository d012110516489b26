/* received.h: the Received line that queue prepends to every message, in
 * qmail-queue's form:
 *   Received: (qmail PID invoked by uid UID); 24 Nov 2026 05:33:12 -0000
 * with "invoked by alias", "invoked from network" or "invoked for bounce"
 * when the invoking uid is the alias, qmaild or qmails user. */
#ifndef CAIRN_RECEIVED_H
#define CAIRN_RECEIVED_H

#include <sys/types.h>
#include <time.h>

enum received_kind { RECEIVED_UID, RECEIVED_ALIAS, RECEIVED_NETWORK, RECEIVED_BOUNCE } ;

#define RECEIVED_MAX 128

/* Formats the line with its final LF into s (RECEIVED_MAX bytes); returns
 * its length. uid is used only for RECEIVED_UID. */
size_t received_fmt(char *s, pid_t pid, enum received_kind, uid_t uid, time_t t) ;

#endif
