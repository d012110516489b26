/* todo.h: preprocessing one new queue entry (todo/ID) into the files the
 * scheduler delivers from: local/B/ID and remote/B/ID (a T item per
 * recipient still to do) and info/B/ID (the sender). Runs in the queue
 * directory. Order, and what a crash leaves:
 *   1 write and fsync local/ and remote/ (only those with recipients)
 *   2 write and fsync info/          (the entry counts as preprocessed
 *                                      only once todo/ is gone)
 *   3 the caller asks clean to remove todo/ID and intd/ID
 * A crash before 3 leaves todo/ID, and the entry is preprocessed again
 * from scratch (the files are rewritten, never appended to); the
 * scheduler never schedules from info/ an id that is still in todo/. */
#ifndef CAIRN_TODO_H
#define CAIRN_TODO_H

#include <sys/types.h>
#include <time.h>
#include <skalibs/stralloc.h>
#include "rewrite.h"

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

/* 1 done; 0 temporary failure (try again later), -1 the entry is
 * unreadable garbage. In both failure cases err says why. */
int todo_preprocess(unsigned long id, unsigned int split, struct rewrite const *, struct todoinfo *, stralloc *err) ;

/* Writes data to fn (mode 0600, truncated) and fsyncs it. 1 or 0 (errno). */
int todo_writefile(char const *fn, char const *data, size_t len) ;

#endif
