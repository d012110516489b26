/* smtpreply.h: the replies of an SMTP server, as remote reads them, one
 * line at a time (CR LF or LF removed): "250-first", ..., "250 last". The
 * code is three digits, 2xx to 5xx, the same on every line of a reply. A
 * reply is bounded: at most SMTPREPLY_LINES lines of at most
 * SMTPREPLY_LINEMAX bytes each (the reader refuses longer lines); its text
 * is kept up to SMTPREPLY_TEXTMAX bytes, each line followed by '\n', with
 * NUL bytes made '?', for "Remote host said:" and the EHLO keywords.
 * smtpreply_ehlo reads the service extensions of an EHLO reply. */
#ifndef CAIRN_SMTPREPLY_H
#define CAIRN_SMTPREPLY_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define SMTPREPLY_LINEMAX 4096
#define SMTPREPLY_LINES 200
#define SMTPREPLY_TEXTMAX 8192

struct smtpreply {
  unsigned int code ;   /* 0 until the first line */
  unsigned int lines ;
  stralloc text ;
} ;
#define SMTPREPLY_ZERO { 0, 0, STRALLOC_ZERO }

enum smtpreply_status {
  SMTPREPLY_MORE = 0,   /* a continuation line: the reply goes on */
  SMTPREPLY_DONE,       /* the last line: the reply is complete */
  SMTPREPLY_BAD,        /* not a reply line: no code, another code, too many lines */
  SMTPREPLY_NOMEM
} ;

/* Starts a new reply. */
void smtpreply_start(struct smtpreply *) ;
enum smtpreply_status smtpreply_line(struct smtpreply *, char const *s, size_t len) ;

struct smtpext {
  int pipelining ;
  int eightbitmime ;
  int starttls ;
  int size ;                /* SIZE was offered */
  unsigned long sizemax ;   /* its limit; 0: none given */
} ;

/* The extensions named on the lines after the first of a reply's text
 * (keywords without regard to case). */
void smtpreply_ehlo(struct smtpext *, char const *text, size_t len) ;

#endif
