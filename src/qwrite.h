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
  unsigned int recycled ;  /* files taken from a spare (spare.h) whose old
                            * tail is not cut off yet */
  char pidfn[QPATH_MAX] ;
  char messfn[QPATH_MAX] ;
  char intdfn[QPATH_MAX] ;
  char todofn[QPATH_MAX] ;
} ;

/* pid/ file, named by inode, linked into mess/: 63 or 64 on failure.
 * The mess/ and intd/ files are spares taken from pid/ when there are
 * some (spare.h), written over from offset 0 and cut to their new length
 * before their fsync. */
int qwrite_open(struct qwrite *, unsigned int split, pid_t pid, time_t now) ;
/* The same for a writer of many entries at once (queued): the pid/ name
 * is pid.now.seq, seq taken from *seq and advanced past every try. */
int qwrite_openseq(struct qwrite *, unsigned int split, pid_t pid, time_t now, unsigned long *seq) ;
/* fsync and close the message: 53 on failure. */
int qwrite_message_done(struct qwrite *) ;
/* intd/ file holding head (u and p items) then the envelope, fsynced:
 * 65 if it cannot be made, 53 if it cannot be written. */
int qwrite_envelope(struct qwrite *, char const *head, size_t headlen, char const *env, size_t envlen) ;
/* fsync mess/B/ (53 on failure), then link intd/ into todo/
 * and make that durable: 66 on failure. */
int qwrite_commit(struct qwrite *) ;
/* The steps of qwrite_envelope and qwrite_commit for a group of entries
 * made durable together (queued): the intd/ file created with head, left
 * open for the group's sync (65 or 53); both files synced (fsync each)
 * unless the caller synced them and their directories (53); closed (53); linked into
 * todo/ (66) without the fsync of todo/, which the caller does once for
 * the group, then calls qwrite_done or, when it failed, qwrite_unlink_todo
 * and qwrite_abort. */
int qwrite_intd_open(struct qwrite *, char const *head, size_t headlen) ;
int qwrite_sync(struct qwrite *) ;
/* The part of qwrite_sync that cuts recycled files to their length, for a
 * caller that syncs the file system first (53); qwrite_sync does it when
 * it was not done. */
int qwrite_trim(struct qwrite *) ;
int qwrite_close(struct qwrite *) ;
int qwrite_link(struct qwrite *) ;
void qwrite_unlink_todo(struct qwrite *) ;
void qwrite_done(struct qwrite *) ;
/* Removes whatever the entry has made and closes its files; safe in a
 * signal handler. */
void qwrite_abort(struct qwrite *) ;
/* Wakes send through lock/trigger; nothing happens if send is not there. */
void qwrite_trigger(void) ;

#endif
