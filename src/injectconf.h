/* injectconf.h: where inject's settings come from, as qmail-inject(8)
 * documents them.
 *
 * Control files, read in the current directory (conf-home): control/me,
 * and control/defaulthost, defaultdomain, plusdomain, idhost, each
 * defaulting to me when missing or empty, else to its own name
 * ("defaulthost", ...). QMAILDEFAULTHOST, QMAILDEFAULTDOMAIN,
 * QMAILPLUSDOMAIN and QMAILIDHOST override the files.
 *
 * Environment: From's local part from QMAILUSER, MAILUSER, USER, LOGNAME
 * (else "anonymous"); its host from QMAILHOST, MAILHOST (else
 * defaulthost); the display name from QMAILNAME, MAILNAME, NAME; the
 * default envelope sender from QMAILSUSER and QMAILSHOST, falling back to
 * From's. QMAILINJECT letters: c (From in address-comment style), s (drop
 * Return-Path unread), f (drop From), i (drop Message-ID); r and m
 * (qmail's VERP letters) are not supported and are ignored. */
#ifndef CAIRN_INJECTCONF_H
#define CAIRN_INJECTCONF_H

#include <skalibs/stralloc.h>
#include "injecthead.h"

struct injectconf {
  stralloc me ;
  stralloc defaulthost ;    /* each NUL-terminated */
  stralloc defaultdomain ;
  stralloc plusdomain ;
  stralloc idhost ;
  struct injecthead_conf hc ;   /* points into the above and environ */
} ;
#define INJECTCONF_ZERO { .me = STRALLOC_ZERO, .defaulthost = STRALLOC_ZERO, .defaultdomain = STRALLOC_ZERO, \
  .plusdomain = STRALLOC_ZERO, .idhost = STRALLOC_ZERO }

/* Fills c. 1, or 0 with errno set and *fn naming the file that could not
 * be read. */
int injectconf_read(struct injectconf *c, char const **fn) ;

#endif
