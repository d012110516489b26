/* qscan.h: reading the queue back (queue(5)): one entry into a struct, and
 * the ids of a queue directory one by one. For qread and qstat, and for
 * the tests of whatever writes the queue. Every call runs in the queue
 * directory. Nothing read from a queue file is trusted: each file is read
 * whole but only up to QSCAN_FILE_MAX bytes, and a file that is too big or
 * not in queue(5)'s format is an error for that entry, never a crash. */
#ifndef CAIRN_QSCAN_H
#define CAIRN_QSCAN_H

#include <dirent.h>
#include <stdint.h>
#include <time.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "qpath.h"

/* Largest todo/, info/, local/ or remote/ file accepted: four times what
 * queue itself accepts as an envelope, because send's rewriting of local
 * addresses (virtual domains) makes local/ longer than the envelope. */
#define QSCAN_FILE_MAX (16UL << 20)

enum qscan_channel {
  QSCAN_TODO = 0,     /* not yet preprocessed: neither local nor remote */
  QSCAN_LOCAL,
  QSCAN_REMOTE
} ;

struct qscan_rcpt {
  size_t addr ;              /* offset of the address in text, NUL-terminated */
  enum qscan_channel channel ;
  int done ;                 /* a D item: delivered, or bounced */
} ;

struct qscan_entry {
  unsigned long id ;
  /* The queue time. For a preprocessed message it is info/'s mtime, as
   * qmail-qread shows it and as qmail-send reckons queuelifetime from it;
   * before preprocessing it is mess/'s mtime, when queue wrote it. */
  time_t qtime ;
  time_t messtime ;          /* mess/'s mtime */
  uint64_t size ;            /* mess/'s size: the message with its Received line */
  int preprocessed ;         /* 1: info/ and local/, remote/; 0: todo/ only */
  int bouncing ;             /* bounce/ID exists */
  size_t sender ;            /* offset of the sender in text */
  stralloc text ;            /* sender and addresses, each NUL-terminated */
  genalloc rcpts ;           /* struct qscan_rcpt, local ones before remote */
  stralloc file ;            /* scratch: the file being parsed */
  char what[QPATH_MAX] ;     /* the file that failed, after -1 */
} ;
#define QSCAN_ENTRY_ZERO { 0, 0, 0, 0, 0, 0, 0, STRALLOC_ZERO, GENALLOC_ZERO, STRALLOC_ZERO, "" }

/* Reads message id of a queue split into split subdirectories. Returns 1
 * with e filled; 0 if there is no such message now (no mess/ file, or only
 * a mess/ that queue is still writing or that clean will remove); -1 with
 * errno set and e->what naming the file: EFBIG for a file over
 * QSCAN_FILE_MAX, EBADMSG for one not in queue(5)'s format, or the error
 * of a system call. */
int qscan_read(struct qscan_entry *e, unsigned long id, unsigned int split) ;
/* The same, with what the caller already knows from reading todo/ and
 * bounce/ whole (qscan_idset_load) before it found mess/ID: -1 "look",
 * 0 "was not there", 1 "was there". intodo 0 skips looking for todo/ID:
 * only a message queued since could have one, and it is then reported
 * absent (0), as if the caller had looked a moment earlier. bouncing 0 or
 * 1 is taken as the answer. Listing a whole queue this way saves a failed
 * lookup or two per message. */
int qscan_readx(struct qscan_entry *e, unsigned long id, unsigned int split, int intodo, int bouncing) ;
void qscan_entry_free(struct qscan_entry *e) ;

/* Parsers of one file's bytes, for qscan_read and the unit tests. They
 * append to e->text and e->rcpts; 1, or 0 with errno set (EBADMSG, or
 * ENOMEM). */
int qscan_parse_todo(struct qscan_entry *e, char const *s, size_t len) ;
int qscan_parse_info(struct qscan_entry *e, char const *s, size_t len) ;
int qscan_parse_channel(struct qscan_entry *e, enum qscan_channel c, char const *s, size_t len) ;

/* The ids in dir ("mess/", "info/", "local/", "remote/": every split
 * subdirectory in turn; "todo/", "intd/", "bounce/", "pid/": flat).
 * Names that are not a message id (not all digits, leading zeros, in the
 * wrong subdirectory) are skipped. */
struct qscan_iter {
  DIR *dir ;
  char const *top ;
  unsigned int split ;
  unsigned int bucket ;
  int hashed ;
  char path[QPATH_MAX] ;     /* the directory being read, for messages */
} ;

/* 1, or 0 with errno set and it->path naming the directory. */
int qscan_start(struct qscan_iter *it, char const *dir, unsigned int split) ;
/* 1 with *id set, 0 at the end, -1 with errno set and it->path. */
int qscan_next(struct qscan_iter *it, unsigned long *id) ;
void qscan_end(struct qscan_iter *it) ;

/* 1 if name is a message id as queue writes it (decimal, no leading zero). */
int qscan_idname(char const *name, unsigned long *id) ;

/* The ids of a directory, sorted, to look up many ids in (todo/ for qread).
 * Load: 1, or 0 with errno set and it->path naming the directory. */
struct qscan_idset {
  genalloc ids ;             /* unsigned long, ascending */
} ;
#define QSCAN_IDSET_ZERO { GENALLOC_ZERO }
int qscan_idset_load(struct qscan_idset *set, struct qscan_iter *it, char const *dir, unsigned int split) ;
int qscan_idset_has(struct qscan_idset const *set, unsigned long id) ;
void qscan_idset_free(struct qscan_idset *set) ;

#endif
