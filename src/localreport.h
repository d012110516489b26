/* localreport.h: what local leaves on its standard output, which lspawn
 * passes to the scheduler's log (where each newline shows as "/") and into
 * bounces. qmail-local's lines: on success the first output line of each
 * command, then "did F+M+P" (forwards, files, programs), then "qp PID"
 * after a forward; on failure one sentence. Text from outside (command
 * output, file names, addresses) goes through localreport_cat: control
 * bytes become "?" and tabs spaces, so it holds no NUL and no newline, and
 * it is cut at LOCALREPORT_MAX bytes of report. */
#ifndef CAIRN_LOCALREPORT_H
#define CAIRN_LOCALREPORT_H

#include <stddef.h>
#include <skalibs/gccattributes.h>
#include <skalibs/stralloc.h>

#define LOCALREPORT_MAX 1000

/* Appends s, cleaned and within the bound. 1, or 0 on ENOMEM. */
int localreport_cat(stralloc *sa, char const *s, size_t len) ;

/* Writes sa and a final newline to fd 1 and exits with code. */
void localreport_exit(stralloc const *sa, int code) gccattr_noreturn ;

#endif
