/* sendmailopt.h: the command line of sendmail(8), the sendmail-compatible
 * front end, read the way qmail's sendmail reads it and a little wider.
 *
 * Options end at "--", at "-" or at the first word not starting with "-";
 * the words left are recipients. A word of options is read letter by
 * letter ("-ti" is -t -i); an option that takes an argument takes the rest
 * of its word or, when that is empty, the next word.
 *
 *   -t          recipients from the header too (inject -H)
 *   -f S, -r S  envelope sender
 *   -F N        full name of the added From field
 *   -bm         deliver the message (the default)
 *   -bs         SMTP on stdin/stdout       -bp   list the queue (mailq)
 *   -bi         rebuild the aliases (newaliases)
 *   -q[X]       retry the queue now (X, an interval, is ignored)
 *
 * Accepted and ignored, as sendmail's habits: -i -oi (inject never ends a
 * message at a lone dot), -oX... (-odb -odi -oem ...), -v -m -x -n -G -I
 * -U -c, and with an argument -B -C -e -h -L -N -O -p -R -V -X.
 * Unsupported modes (-bd -bt -bv ...) are usage errors. Any other letter
 * is ignored with a warning, with the rest of its word (which might be
 * its argument), as qmail's sendmail users expect. */
#ifndef CAIRN_SENDMAILOPT_H
#define CAIRN_SENDMAILOPT_H

#include <skalibs/stralloc.h>

enum sendmailopt_mode {
  SENDMAIL_INJECT,   /* -bm */
  SENDMAIL_SMTP,     /* -bs */
  SENDMAIL_MAILQ,    /* -bp */
  SENDMAIL_ALIASES,  /* -bi */
  SENDMAIL_FLUSH     /* -q */
} ;

struct sendmailopt {
  enum sendmailopt_mode mode ;
  int headers ;              /* -t */
  char const *sender ;       /* -f or -r; 0 if none */
  char const *fullname ;     /* -F; 0 if none */
  unsigned int rcpt ;        /* index in argv of the first recipient */
  stralloc ignored ;         /* each unknown option word, NUL-terminated */
  char const *error ;        /* usage error: what is wrong; 0 if none */
} ;
#define SENDMAILOPT_ZERO { .mode = SENDMAIL_INJECT, .headers = 0, .sender = 0, .fullname = 0, \
  .rcpt = 0, .ignored = STRALLOC_ZERO, .error = 0 }

/* Reads argv (argv[0] is the program). 1, or 0 when out of memory.
 * A usage error is reported in o->error with 1 returned. */
int sendmailopt_parse(struct sendmailopt *o, unsigned int argc, char const *const *argv) ;

#endif
