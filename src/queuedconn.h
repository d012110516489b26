/* queuedconn.h: one client of queued: its protocol decoder (qqproto.h)
 * and the queue entry being written as the bytes arrive, in queue(5)'s
 * order: pid/ file linked into mess/, Received line and message into
 * mess/, then the intd/ file (u and p items, the envelope without its
 * final NUL). Nothing is synced or linked into todo/ here: a whole
 * message waits (QUEUEDCONN_READY) for queued's group commit
 * (queuedcommit.h). Every call runs in the queue directory. */
#ifndef CAIRN_QUEUEDCONN_H
#define CAIRN_QUEUEDCONN_H

#include <sys/types.h>
#include <skalibs/tai.h>
#include "envelope.h"
#include "qqproto.h"
#include "qwrite.h"

#define QUEUED_IDLE 3600   /* seconds a client may send nothing */

struct queuedconn {
  int fd ;                /* the client's socket, -1 for a free slot */
  uid_t uid ;             /* SO_PEERCRED: who connected */
  pid_t pid ;
  tain death ;            /* accepted + QQSTORE_DEATH */
  tain idle ;             /* last bytes + QUEUED_IDLE */
  struct qqproto p ;
  struct qwrite q ;
  struct envelope_scan es ;
  enum envelope_status est ;
  int inmsg ;             /* the message's files exist */
  int code ;              /* its first failure (queue's exit code), or 0 */
} ;

enum queuedconn_status { QUEUEDCONN_MORE, QUEUEDCONN_READY, QUEUEDCONN_BAD } ;

/* A new client on fd with the kernel's uid and pid for it. */
void queuedconn_start(struct queuedconn *, int fd, uid_t uid, pid_t pid) ;

/* Takes bytes read from the client. QUEUEDCONN_READY: a message and its
 * envelope are whole (code tells whether it can be committed); the client
 * must send nothing more before its reply, so bytes after the envelope
 * are QUEUEDCONN_BAD, as is any malformed framing: the caller then drops
 * the client. seq names pid/ files (qwrite_openseq), self is queued's pid. */
enum queuedconn_status queuedconn_feed(struct queuedconn *, char const *s, size_t n, pid_t self, unsigned long *seq) ;

/* After the reply: ready for the client's next message. */
void queuedconn_next(struct queuedconn *) ;

/* Removes the files of an uncommitted message and closes the socket. */
void queuedconn_drop(struct queuedconn *) ;

/* 1 if no message is in progress: the client may be closed without loss. */
int queuedconn_idle(struct queuedconn const *) ;

#endif
