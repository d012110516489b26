/* hier.h: the layout of a cairn home (conf-home), with qmail's owners and
 * modes, as one table that install applies and the tests read. */
#ifndef CAIRN_HIER_H
#define CAIRN_HIER_H

#include "users.h"

/* HIER_PROG: bin/NAME, copied from srcdir/NAME; HIER_COPY: PATH, copied
 * from srcdir/PATH (the service directories' scripts). Both are replaced
 * at each install, atomically. */
enum hier_kind { HIER_DIR, HIER_SPLITDIR, HIER_FILE, HIER_FIFO, HIER_PROG, HIER_COPY, HIER_LINK } ;
enum hier_owner { HIER_ROOT = -1 } ;   /* otherwise an auto_user index */

struct hier {
  enum hier_kind kind ;
  char const *path ;       /* relative to the home */
  int owner ;              /* HIER_ROOT or AUTO_ALIAS ... AUTO_QMAILS */
  unsigned int mode ;
  char const *target ;     /* HIER_LINK: what the name points to */
} ;

extern struct hier const hier_table[] ;
extern unsigned int const hier_n ;

/* Creates what is missing of the layout under home, copying programs from
 * srcdir. Existing directories and files are left as they are, so that an
 * installation over qmail keeps its control files and queue. When ids are
 * not changeable (not root, or single-user), owners are left alone.
 * Returns 1, or 0 with errno set and *what naming the failing path. */
int hier_install(char const *home, char const *srcdir, struct users const *, char const **what) ;

/* Checks the layout under home against the table: every entry present,
 * of its kind, with its owner and mode (owners and setuid bits only in a
 * multi-user build). Calls report(path, what is wrong) for each problem
 * and returns how many there were. */
unsigned int hier_check(char const *home, struct users const *, void (*report)(char const *path, char const *why)) ;

#endif
