/* localenv.h: the lines local adds to a message and the environment it
 * gives to delivery commands, as qmail-local(8) and qmail-command(8)
 * define them. None of these values is quoted for a shell: they come from
 * remote senders. */
#ifndef CAIRN_LOCALENV_H
#define CAIRN_LOCALENV_H

#include <skalibs/stralloc.h>

/* "Delivered-To: LOCAL@HOST\n" (a newline inside becomes "_"). */
int localenv_dtline(stralloc *sa, char const *local, char const *host) ;

/* "Return-Path: <SENDER>\n", the local part of SENDER quoted as RFC 5322
 * wants when it is not a dot-atom ("<>" for the null sender). */
int localenv_rpline(stralloc *sa, char const *sender) ;

/* HOST with its last n dot-separated parts removed (n = 1 for HOST2 ...):
 * "a.b.c" gives "a.b", "a", "a". Appended to sa, NUL-terminated. */
int localenv_hostn(stralloc *sa, char const *host, unsigned int n) ;

/* EXT after its first n dashes: "" when EXT has fewer. */
char const *localenv_extn(char const *ext, unsigned int n) ;

struct localenv {
  char const *user, *home, *local, *host, *ext, *sender ;
  char const *dtline, *rpline, *ufline ;   /* NUL-terminated, with their newline */
} ;

/* Sets USER HOME LOCAL HOST HOST2 HOST3 HOST4 RECIPIENT SENDER EXT EXT2
 * EXT3 EXT4 DTLINE RPLINE UFLINE and removes DEFAULT and NEWSENDER (set
 * later, when known). 1, or 0 on ENOMEM. */
int localenv_put(struct localenv const *) ;

#endif
