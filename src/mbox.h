/* mbox.h: delivery to an mbox file as qmail-local makes it: the From_ line
 * (UFLINE), Return-Path and Delivered-To, the message with every line that
 * matches ">*From " given one more ">" (qmail's quoting, which can be
 * undone), a newline if the last line had none, and one empty line. */
#ifndef CAIRN_MBOX_H
#define CAIRN_MBOX_H

#include <stddef.h>
#include <time.h>
#include <skalibs/stralloc.h>

#define MBOX_LOCK_TIMEOUT 30   /* seconds to wait for another writer's lock */

/* Appends "From SENDER DATE\n": blanks in the sender become "-", the null
 * sender is MAILER-DAEMON, DATE is asctime's form in UTC with a two-digit
 * day ("Tue Nov 04 05:33:12 2026"). 1, or 0 on ENOMEM. */
int mbox_ufline(stralloc *sa, char const *sender, time_t t) ;

/* Streaming From_ quoting; the state is what a line start has held back
 * so far (">" count and how much of "From " matched). */
struct mbox_quote {
  unsigned int state ;   /* 0 line start, 1 inside "From ", 2 rest of line */
  size_t gt ;
  size_t from ;
} ;
#define MBOX_QUOTE_ZERO { 0, 0, 0 }

/* Appends the quoted form of s to out. 1, or 0 on ENOMEM. */
int mbox_quote(struct mbox_quote *q, stralloc *out, char const *s, size_t len) ;
/* End of the message: what was held back, a newline if the last line
 * lacked one, and the empty line that ends the mbox entry. */
int mbox_quote_end(struct mbox_quote *q, stralloc *out) ;

/* Appends the message on msgfd (read from offset 0) to the mbox fn, after
 * head (UFLINE, RPLINE, DTLINE), under an exclusive lock (fcntl and flock,
 * so that mail readers using either see it), then fsync. On a write or
 * read failure the file is cut back to its old size (when locked: else
 * another writer's bytes could be cut). Returns 0, or 111 with why set. */
int mbox_deliver(char const *fn, int msgfd, char const *head, size_t headlen, stralloc *why) ;

#endif
