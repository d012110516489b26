/* todo.h: preprocessing new queue entries (todo/ID) into the files the
 * scheduler delivers from: local/B/ID and remote/B/ID (a T item per
 * recipient still to do) and info/B/ID (the sender). Runs in the queue
 * directory. Entries are preprocessed in groups that share one sync (a
 * group commit: one sync for several entries instead of two or three
 * fsyncs each, one after another, in the one send process). Order, and
 * what a crash leaves:
 *   1 for each entry of the group, write local/ and remote/ (only those
 *     with recipients) and info/, not yet durable (todo_preprocess)
 *   2 make all of them durable: syncfs of the queue's file system for a
 *     group of two or more entries; for one, its files and the
 *     directories that hold their names fsynced at the same time
 *     (qsync_all; todo_commit)
 *   3 only then the caller asks clean to remove todo/ID and intd/ID of
 *     each entry
 * A crash before 3 leaves todo/ID, and the entry is preprocessed again
 * from scratch (the files are rewritten, never appended to); the entry
 * counts as preprocessed only once todo/ is gone, and the scheduler never
 * schedules from info/ an id that is still in todo/, so the order of the
 * files within 1 does not matter. */
#ifndef CAIRN_TODO_H
#define CAIRN_TODO_H

#include <sys/types.h>
#include <time.h>
#include <skalibs/stralloc.h>
#include "qpath.h"
#include "rewrite.h"
#include "spare.h"

struct todoinfo {
  unsigned long id ;
  unsigned long uid ;
  unsigned long pid ;
  unsigned long bytes ;    /* size of the message file */
  size_t nrcpt[2] ;        /* local, remote */
  time_t birth ;
  stralloc sender ;        /* not NUL-terminated */
} ;
#define TODOINFO_ZERO { 0, 0, 0, 0, { 0, 0 }, 0, STRALLOC_ZERO }

#define TODO_GROUP 20   /* entries at most in one group (3 files each) */

/* The files written for a group, open until todo_commit, and the
 * directories that hold their names. Each file is a spare from sp when
 * there is one (spare.h): renamed to its name and written over; the
 * commit makes it durable with its directory (a file system without a
 * journal writes no parent of a renamed file at its fsync). */
struct todogroup {
  int fd[3 * TODO_GROUP] ;
  unsigned int nfiles ;
  char dir[3 * TODO_GROUP][QPATH_MAX] ;
  unsigned int ndirs ;
  unsigned int entries ;   /* preprocessed without failure */
  struct spares *sp ;      /* 0: always new files */
} ;
#define TODOGROUP_ZERO { .nfiles = 0, .ndirs = 0, .entries = 0, .sp = 0 }

/* Step 1 for one entry, its files added to g (which must have room for
 * three more: at most TODO_GROUP entries). 1 done, not yet durable; 0
 * temporary failure (try again later), -1 the entry is unreadable
 * garbage. In both failure cases err says why. */
int todo_preprocess(unsigned long id, unsigned int split, struct rewrite const *, struct todoinfo *, struct todogroup *g, stralloc *err) ;

/* Step 2: makes every file of g durable and closes them; g is then empty.
 * 1, or 0 with err saying why (every entry of the group must then be
 * preprocessed again). */
int todo_commit(struct todogroup *g, stralloc *err) ;

#endif
