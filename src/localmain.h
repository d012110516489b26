/* localmain.h: local's main as a function, so that the same delivery runs
 * either as the program local (exec'd by lspawn, or by hand as qmail-local
 * is) or in lspawn's child without an exec. The caller has done what
 * lspawn does before it runs local: the message on fd 0, the output pipe
 * on fd 1 and 2, ids switched to the user, the home as working directory,
 * the signal mask empty and SIGPIPE and SIGCHLD at their defaults, no
 * other descriptor open; the environment is what local would inherit.
 * It never returns: it exits 0, 100 or 111 with its report on fd 1
 * (localreport.h). argv is local's, argv[0] included. */
#ifndef CAIRN_LOCALMAIN_H
#define CAIRN_LOCALMAIN_H

#include <skalibs/gccattributes.h>

/* A string that bin/local holds when it is this code: lspawn delivers in
 * its own child only then, and runs bin/local otherwise (a wrapper the
 * administrator put in its place, as qmail-local is wrapped). */
#define LOCALMAIN_MARK "cairn-localmain: lspawn may run this delivery without exec, v1"
extern char const localmain_mark[] ;

void localmain(int argc, char const *const *argv) gccattr_noreturn ;

#endif
