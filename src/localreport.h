/* localreport.h: the one line local leaves on its standard output, which
 * lspawn passes to the scheduler's log and into bounces. It is made of
 * segments each ending in "/", the way qmail-send shows qmail-local's
 * lines ("did 0+1+0/", "did 1+0+0/qp 1234/"), except a failure, which is
 * its one sentence. Control bytes become "?" and tabs spaces, so the line
 * holds no NUL and no newline but its last; it is cut at LOCALREPORT_MAX
 * bytes. */
#ifndef CAIRN_LOCALREPORT_H
#define CAIRN_LOCALREPORT_H

#include <stddef.h>
#include <skalibs/gccattributes.h>
#include <skalibs/stralloc.h>

#define LOCALREPORT_MAX 1000

/* Appends s, cleaned and within the bound. 1, or 0 on ENOMEM. */
int localreport_cat(stralloc *sa, char const *s, size_t len) ;

/* Writes sa and a newline to fd 1 and exits with code. */
void localreport_exit(stralloc const *sa, int code) gccattr_noreturn ;

#endif
