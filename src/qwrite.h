/* qwrite.h: writes one queue entry, in the order that keeps a crash from
 * ever exposing a half-written message in todo/ (see qwrite.c). Every call
 * runs in the queue directory and returns 0 or a qmail-queue exit code. */
#ifndef CAIRN_QWRITE_H
#define CAIRN_QWRITE_H

#include <sys/types.h>
#include <time.h>
#include "qpath.h"

struct qwrite {
  int fd ;                 /* mess file, open for writing */
  int intdfd ;
  unsigned long id ;       /* inode number of the mess file */
  unsigned int split ;
  unsigned int made ;      /* which names exist, for qwrite_abort */
  char pidfn[QPATH_MAX] ;
  char messfn[QPATH_MAX] ;
  char intdfn[QPATH_MAX] ;
  char todofn[QPATH_MAX] ;
} ;

/* pid/ file, named by inode, linked into mess/: 63 or 64 on failure. */
int qwrite_open(struct qwrite *, unsigned int split, pid_t pid, time_t now) ;
/* fsync and close the message: 53 on failure. */
int qwrite_message_done(struct qwrite *) ;
/* intd/ file holding head (u and p items) then the envelope, fsynced:
 * 65 if it cannot be made, 53 if it cannot be written. */
int qwrite_envelope(struct qwrite *, char const *head, size_t headlen, char const *env, size_t envlen) ;
/* link intd/ into todo/ and make it durable: 66 on failure. */
int qwrite_commit(struct qwrite *) ;
/* Removes whatever the entry has made; safe in a signal handler. */
void qwrite_abort(struct qwrite *) ;
/* Wakes send through lock/trigger; nothing happens if send is not there. */
void qwrite_trigger(void) ;

#endif
