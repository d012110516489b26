/* localfwd.h: the forwards of one .qmail file, sent as one new message
 * through queue, as qmail-local does: the message with this delivery's
 * Delivered-To line first (so that a loop is seen where it closes), the
 * envelope sender local was given ($NEWSENDER: the original sender, or
 * LIST-owner@host for a mailing list with a .qmail-LIST-owner), and every
 * forward address as a recipient. */
#ifndef CAIRN_LOCALFWD_H
#define CAIRN_LOCALFWD_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>

/* recips holds n addresses, each NUL-terminated. Returns 0 with *qp the
 * pid of queue, or 100 (queue refused the message for good) or 111 with
 * why set. A read error on msgfd never lets queue commit a partial
 * message. */
int localfwd_send(int msgfd, char const *dtline, size_t dtlen, char const *sender,
  char const *recips, size_t recipslen, pid_t *qp, stralloc *why) ;

#endif
