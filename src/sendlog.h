/* sendlog.h: send's log on stdout, in qmail-send's line formats so that
 * existing qmail log tools keep working (see send(8)). Text that comes
 * from outside (addresses, delivery reports) is made one printable word:
 * a newline becomes '/', a space or any other unprintable byte '_'. */
#ifndef CAIRN_SENDLOG_H
#define CAIRN_SENDLOG_H

#include <stddef.h>
#include <skalibs/stralloc.h>

void sendlog_s(char const *) ;
void sendlog_u(unsigned long) ;
void sendlog_safe(char const *, size_t) ;
/* Ends the line; it is written out with the lines before it when they
 * reach about 2 KiB, or at the next sendlog_flush. */
void sendlog_end(void) ;
/* Writes out every line ended so far: before send waits for anything,
 * and before it exits. */
void sendlog_flush(void) ;

/* The escaping alone, appended to sa: 1 or 0 (ENOMEM). */
int sendlog_escape(stralloc *sa, char const *s, size_t len) ;

#endif
