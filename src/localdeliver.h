/* localdeliver.h: one local delivery, as qmail-local makes it: the .qmail
 * file the address selects (dotqmail.h), or the default delivery, line by
 * line: Maildir, mbox, program; the forwards last, as one new message.
 * The message is on fd 0 (a seekable file) and the current directory may
 * be anything: the delivery switches to the home itself. Used by local,
 * once per process or, as a worker (local -W), once per job: it returns
 * instead of exiting, and what it sets for one delivery (the current
 * directory, the umask, the environment of qmail-command(8), DEFAULT and
 * NEWSENDER) is set again or removed by the next. */
#ifndef CAIRN_LOCALDELIVER_H
#define CAIRN_LOCALDELIVER_H

#include <skalibs/stralloc.h>

struct localdeliver_args {
  char const *user, *home, *local, *dash, *ext, *host, *sender, *defaultdelivery ;
} ;

/* Delivers, or with doit 0 prints on fd 1 the deliveries it would make.
 * Returns local's exit code (0 delivered, 100 permanent failure, 111
 * temporary failure) and sets report to local's report (localreport.h),
 * without its final newline. */
int localdeliver(struct localdeliver_args const *a, int doit, stralloc *report) ;

#endif
