/* ctlcache.h: a set of control files read once and read again only when
 * stat says they changed, for a long-lived process (a smtppool worker)
 * that must see, at each connection, what the files say at that moment,
 * without opening every one of them each time.
 *
 * Each file read through the cache is remembered with what fstat said of
 * it when it was opened (st_dev, st_ino, st_size, st_mtim and st_ctim to
 * the nanosecond), or as absent (ENOENT). ctlcache_changed stats each
 * remembered name once: a file edited in place, replaced by rename,
 * created or removed since it was read is forgotten, so that the next
 * read of it opens it again; the others are served from memory. An absent
 * file costs less: a name can only appear through a new entry in its
 * directory, which changes the directory's mtime and ctime, so a file
 * found absent with no entry at all (lstat: not even a dangling symlink)
 * is remembered with its directory's stamp, taken before that lstat, and
 * while the directory keeps that stamp the file is not looked at; one
 * stat of the directory per round stands for all of its absent files. A
 * directory stamped less than racy nanoseconds before is not trusted this
 * way. A file
 * whose ctime or mtime was less than racy nanoseconds before the moment it
 * was read, or is later, is read again at the next ctlcache_changed even
 * when its stamp is the same: a second edit within one tick of the file
 * system's clock can leave the same size and times (git's "racily clean"
 * entries). A read that fails other than with ENOENT is not remembered:
 * it is tried again each time, and fails as it would without the cache.
 *
 * Use, before each connection:
 *   if (ctlcache_changed(&cc)) { read with ctlcache_read and ctlcache_cdb,
 *     derive what is needed; ctlcache_done(&cc, ok) ; }
 * Names are paths as open(2) takes them (relative to the current
 * directory). */
#ifndef CAIRN_CTLCACHE_H
#define CAIRN_CTLCACHE_H

#include <stdint.h>
#include <time.h>
#include <sys/types.h>
#include <skalibs/cdb.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

#define CTLCACHE_RACY 1000000000ULL    /* 1 s: well over any file system's tick */

struct ctlcache_stamp {
  dev_t dev ;
  ino_t ino ;
  off_t size ;
  struct timespec mtim ;
  struct timespec ctim ;
} ;

struct ctlcache_file {
  stralloc name ;          /* NUL-terminated */
  int kind ;               /* CTLCACHE_ABSENT, _TEXT, _CDB; 0: forgotten */
  int racy ;               /* read again at the next ctlcache_changed */
  int used ;               /* read since the last ctlcache_changed */
  int bydir ;              /* _ABSENT: 1 watched through dirst, 0 not yet,
                            * -1 never (a dangling symlink) */
  struct ctlcache_stamp st ;
  struct ctlcache_stamp dirst ;  /* its directory's, when found absent */
  stralloc text ;          /* _TEXT: the file's bytes */
  cdb map ;                /* _CDB: the file mapped */
} ;
#define CTLCACHE_ABSENT 1
#define CTLCACHE_TEXT 2
#define CTLCACHE_CDB 3

struct ctlcache {
  genalloc files ;         /* struct ctlcache_file */
  int valid ;              /* the last round ended with ctlcache_done(ok) */
  uint64_t racy ;          /* nanoseconds; CTLCACHE_RACY */
  unsigned long opened ;   /* files opened so far (for tests and counts) */
  unsigned long statted ;  /* stat and lstat calls so far (the same) */
} ;
#define CTLCACHE_ZERO { .files = GENALLOC_ZERO, .valid = 0, .racy = CTLCACHE_RACY, .opened = 0, .statted = 0 }

/* Stats every remembered file and forgets those that changed, or were
 * read racily. 1 when anything changed, or when the previous round did
 * not end with ctlcache_done(ok) (or there was none): the caller reads its
 * files again (the unchanged served from memory) and then calls
 * ctlcache_done; every cdb that ctlcache_cdb handed out before may be
 * unmapped and must not be used again. 0 when every file is as it was
 * read: what the caller derived from them still holds. */
int ctlcache_changed(struct ctlcache *) ;

/* fn's bytes appended to sa: 1; 0 when fn does not exist (errno ENOENT);
 * -1 on any other error, with errno (as openslurpclose). */
int ctlcache_read(struct ctlcache *, stralloc *sa, char const *fn) ;

/* fn as a cdb in *c: 1; 0 with errno (ENOENT: absent), as cdb_init. The
 * mapping is the cache's: never cdb_free it; it stays valid until
 * ctlcache_changed returns 1. */
int ctlcache_cdb(struct ctlcache *, cdb *c, char const *fn) ;

/* Ends a round after ctlcache_changed returned 1: forgets the files not
 * read since (what the caller no longer reads need not be watched);
 * ok 0 (the caller could not derive its state, e.g. a malformed file)
 * makes the next ctlcache_changed return 1 whatever the files do. */
void ctlcache_done(struct ctlcache *, int ok) ;

/* Forgets everything; the cache is then as CTLCACHE_ZERO (racy kept). */
void ctlcache_free(struct ctlcache *) ;

#endif
