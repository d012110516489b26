/* spare.h: recycled queue files.
 *
 * A queue file that is done with (a delivered message's mess/, intd/,
 * info/, local/ or remote/ file) is renamed into a spare slot, DIR/spare.K
 * for K below SPARE_SLOTS, instead of being unlinked; the next queue file
 * to be made takes a spare by renaming it to its own name instead of
 * creating a new inode. On ext4 without a journal, making a file soon after
 * many were removed scans every inode of the group freed in the last
 * minute (or five), which took a third of cairn's CPU time per message
 * under load; a rename is two directory entries and no inode. The number
 * of spares is bounded by the slots: a file with no free slot is unlinked,
 * and a writer that finds no spare creates a file as before.
 *
 * DIR is outside the hashed subdirectories (pid/ for qmailq's mess/ and
 * intd/ files, info/ for send's): qmail's programs and cairn's listings
 * never read it, and a queue without spares (qmail's) works unchanged.
 *
 * A spare keeps its old bytes until it is overwritten: a writer writes
 * from offset 0 and then truncates to what it wrote (spare_trim), never to
 * 0 first (ext4 starts a writeback of a file truncated to 0 at its close).
 * It is never visible under a queue name before its new content is
 * durable plus the step that commits it (todo/ID for queue entries, the
 * removal of todo/ID for send's files), as a new file would be. */
#ifndef CAIRN_SPARE_H
#define CAIRN_SPARE_H

#include <sys/types.h>

#define SPARE_SLOTS 1024
#define SPARE_RESCAN 16    /* operations after a look that found nothing before the next look, */
#define SPARE_BACKOFF 6    /* doubled after each further such look, up to 2^6 times */

/* What one process knows of the slots: those it saw holding a spare
 * (known, where spare_open takes from) and those it saw empty (empty,
 * where spare_put puts), learnt from its own takes and puts and from
 * looking at dir, which refreshes both. Others may have changed a slot
 * since: a rename never replaces (RENAME_NOREPLACE), so a wrong guess
 * costs one failed rename and teaches the truth about that slot. A
 * process that alone uses its dir (send's info/) thus knows every slot
 * exactly after its first look, and takes and puts without a failure. */
struct spares {
  char const *dir ;             /* "pid" or "info": relative to the queue */
  unsigned short known[SPARE_SLOTS] ;   /* slots seen holding a spare */
  unsigned int nknown ;
  unsigned short empty[SPARE_SLOTS] ;   /* slots seen empty */
  unsigned int nempty ;
  unsigned int sincescan ;      /* operations since the last look at dir */
  unsigned int scanknown ;      /* spares that look found */
  unsigned int scanempty ;      /* empty slots that look found */
  unsigned int fruitless ;      /* looks in a row that found nothing for their operation */
  int off ;                     /* renameat2 is not supported here */
} ;
#define SPARES_ZERO(d) { .dir = (d), .nknown = 0, .nempty = 0, .sincescan = SPARE_RESCAN, .scanknown = 0, .scanempty = 0, .fruitless = 0, .off = 0 }

/* Renames fn (a regular file with no other link) into a slot it knows to
 * be empty, or unlinks it when it knows none (or recycling does not work
 * here). When it knows none it looks at dir first, unless its last look
 * found every slot full and fewer than SPARE_RESCAN operations have
 * passed since (a queue drain whose files outnumber the slots: each put
 * then unlinks at once; with 1,024 slots a look reads a directory of
 * that many names, so each further look in a row that finds them full
 * doubles the wait, up to 1,024 operations). Returns 1 when fn is gone either way, 0 on error
 * (errno; fn may stay): ENOENT counts as gone. */
int spare_put(struct spares *sp, char const *fn) ;

/* spare_put's first half: 1 when fn went into a slot, 0 when it did not
 * and the caller must unlink it. For a caller that keeps sp under a lock,
 * which the unlink (a wait for a discard, on some file systems) need not
 * hold. */
int spare_stash(struct spares *sp, char const *fn) ;

/* Takes a spare under the name to, which must not exist, and opens it for
 * writing (O_WRONLY | O_CLOEXEC | O_NOFOLLOW). Returns the descriptor, or
 * -1: errno ENOENT when there was no usable spare (the caller creates to
 * itself), another errno for a real error. When it knows no spare it looks
 * at dir, unless its last look found none and fewer than SPARE_RESCAN
 * operations have passed since. A spare that turns out to have another
 * link or not to be a regular file is unlinked and never used. */
int spare_open(struct spares *sp, char const *to) ;

/* After writing len bytes from offset 0 into a taken spare: cuts off the
 * rest of its old content. 1, or 0 (errno). */
int spare_trim(int fd, off_t len) ;

#endif
