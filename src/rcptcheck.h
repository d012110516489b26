/* rcptcheck.h: recipient validation at RCPT time. mkrcpt writes
 * users/rcpt.cdb from what local delivery reads (see rcptmake.h); smtpd,
 * which as qmaild cannot read users' homes, asks only that table whether
 * local delivery would bounce a local address, and refuses such an
 * address with 550 instead of accepting mail it would have to bounce
 * later (backscatter).
 *
 * The table. Keys are local parts as send hands them to lspawn (after
 * virtualdomains), in lower case, with a ':' of a .qmail file name
 * written as the '.' that selects it (dot-qmail(5): ".qmail-a:b" is the
 * file for a.b):
 *   "=" local     exactly this local part
 *   "+" prefix    every local part starting with prefix ("+" alone: all)
 * The data of each is "1" (deliverable) or "0" (bounced). The decision for
 * a local part is the data of its "=" key if there is one, else of its
 * "+" key with the longest prefix, else "deliverable". One more record,
 * key "", data RCPTCHECK_MAGIC, marks a table made by mkrcpt.
 * A local part holding a ':' is not checked (taken as deliverable): the
 * keys cannot tell it from the '.' of the file name, and the check must
 * never refuse what local delivery would take. */
#ifndef CAIRN_RCPTCHECK_H
#define CAIRN_RCPTCHECK_H

#include <stddef.h>
#include <skalibs/cdb.h>
#include "rewrite.h"

#define RCPTCHECK_FILE "users/rcpt.cdb"
#define RCPTCHECK_MAGIC "cairn rcpt 1"
#define RCPTCHECK_LOCALMAX 1000     /* = LOOKUP_LOCALMAX: longer is bounced */

struct rcptcheck {
  int on ;                 /* users/rcpt.cdb exists and control/rcptcheck is not 0 */
  cdb table ;
  struct rewrite rw ;      /* locals and virtualdomains, as send applies them */
} ;
#define RCPTCHECK_ZERO { .on = 0, .table = CDB_ZERO, .rw = REWRITE_ZERO }

/* Reads control/rcptcheck (a number; 0 turns validation off, default 1),
 * users/rcpt.cdb (absent: off) and the tables of rewrite_load, relative
 * to the current directory, into r (RCPTCHECK_ZERO or freed). 1, or 0
 * with control_error set: an unreadable or foreign table, a malformed
 * control file. */
int rcptcheck_load(struct rcptcheck *r) ;

/* Frees what rcptcheck_load took; r is then as RCPTCHECK_ZERO. */
void rcptcheck_free(struct rcptcheck *r) ;

/* The decision of the table for local (len bytes, any case): 1 deliverable
 * (or not checked), 0 bounced, -1 the table is broken (temporary). */
int rcptcheck_local(cdb const *, char const *local, size_t len) ;

/* For an envelope recipient addr (len bytes) as smtpd would queue it: 1
 * when validation is off, when send would deliver it remotely, or when
 * its local part is deliverable; 0 when local delivery would bounce it;
 * -1 on a temporary failure. */
int rcptcheck_addr(struct rcptcheck const *, char const *addr, size_t len) ;

#endif
