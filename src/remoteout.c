/* remoteout.c: remote's report (remoteout.h). The records collect in a
 * buffer on fd 1 and go out when the message record is written, so that
 * rspawn reads one whole report. A report that cannot be written is exit
 * 111: rspawn then defers the delivery. */
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/stralloc.h>
#include "remoteout.h"

/* A worker's report (remoteout_capture), and where the message record
 * returns to. */
static stralloc *capture ;
static jmp_buf *back ;

void remoteout_capture(stralloc *sa, jmp_buf *jb)
{
  capture = sa ;
  back = jb ;
}

static void put(char const *s, size_t len)
{
  if (capture ? !stralloc_catb(capture, s, len) : buffer_put(buffer_1, s, len) < 0) _exit(111) ;
}

static void puts_(char const *s)
{
  if (s) put(s, strlen(s)) ;
}

static stralloc note = STRALLOC_ZERO ;

int remoteout_note(char const *s)
{
  size_t len = s ? strlen(s) : 0 ;
  if (len > REMOTEOUT_SAIDMAX) len = REMOTEOUT_SAIDMAX ;
  note.len = 0 ;
  return stralloc_catb(&note, s ? s : "", len) ;
}

static void said(struct smtpreply const *r)
{
  size_t len ;
  if (!r || !r->text.len) return ;
  len = r->text.len > REMOTEOUT_SAIDMAX ? REMOTEOUT_SAIDMAX : r->text.len ;
  puts_("Remote host said: ") ;
  put(r->text.s, len) ;
  if (r->text.s[len - 1] != '\n') put("\n", 1) ;
}

void remoteout_rcpt(char status, char const *host, struct smtpreply const *r)
{
  put(&status, 1) ;
  if (status != 'r')
  {
    puts_(host) ;
    puts_(" does not like recipient.\n") ;
    said(r) ;
  }
  put("", 1) ;
}

void remoteout_rcpttext(char status, char const *text)
{
  put(&status, 1) ;
  puts_(text) ;
  put("", 1) ;
}

void remoteout_final(char status, char const *a, char const *b, char const *c, int dot, struct smtpreply const *r)
{
  put(&status, 1) ;
  puts_(a) ; puts_(b) ; puts_(c) ;
  if (dot) puts_(".\n") ;
  said(r) ;
  if (note.len) put(note.s, note.len) ;
  put("", 1) ;
  if (capture) longjmp(*back, 1) ;
  if (!buffer_flush(buffer_1)) _exit(111) ;
  _exit(0) ;
}

void remoteout_die(char status, char const *text)
{
  remoteout_final(status, text, 0, 0, 0, 0) ;
}
