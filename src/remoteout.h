/* remoteout.h: remote's report on fd 1, in qmail-remote's format
 * (remote(8)). First one record per recipient, in the order of the
 * arguments, once the server has answered for it:
 *   r NUL                          accepted
 *   h TEXT NUL                     refused for good (5xx)
 *   s TEXT NUL                     refused for now (4xx)
 * then one record for the message:
 *   K TEXT NUL                     delivered to the accepted recipients
 *   Z TEXT NUL                     not delivered; try again later
 *   D TEXT NUL                     not delivered; give up
 * When the message fails before any recipient was answered, the message
 * record alone stands for every recipient. TEXT is lines ending in '\n';
 * what the server said follows "Remote host said: ", cut at
 * REMOTEOUT_SAIDMAX bytes so that a whole report fits what rspawn keeps. */
#ifndef CAIRN_REMOTEOUT_H
#define CAIRN_REMOTEOUT_H

#include <setjmp.h>
#include <stddef.h>
#include <skalibs/stralloc.h>
#include "smtpreply.h"

#define REMOTEOUT_SAIDMAX 1000

/* For a worker (remotework.h): from now on the records are appended to
 * sa, and the message record, instead of exiting, returns to jb with
 * longjmp (value 1). Running out of memory for a record is still exit
 * 111. */
void remoteout_capture(stralloc *sa, jmp_buf *jb) ;

/* A recipient's record: status 'r', 'h' or 's'; for h and s the text is
 * "HOST does not like recipient.\n" and the reply. */
void remoteout_rcpt(char status, char const *host, struct smtpreply const *r) ;

/* A recipient's record with a text of remote's own (ending in "\n"). */
void remoteout_rcpttext(char status, char const *text) ;

/* The message record: status, then a, b, c (each may be 0), ".\n" when
 * dot is set, and the reply r (may be 0); then writes the report out and
 * exits 0 (or returns to the worker's jb). */
void remoteout_final(char status, char const *a, char const *b, char const *c, int dot, struct smtpreply const *r) __attribute__((noreturn)) ;

/* A note (lines ending in '\n', or 0 for none) that ends the message
 * record's text, whatever its status: how the session was protected,
 * "TLS: TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384 (not verified)\n". It is
 * copied (at most REMOTEOUT_SAIDMAX bytes). 1, or 0 on ENOMEM. */
int remoteout_note(char const *note) ;

/* The message record with a fixed text (ending in "\n"), and exit 0. */
void remoteout_die(char status, char const *text) __attribute__((noreturn)) ;

#endif
