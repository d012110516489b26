/* sendlog.c: send's log lines, to stdout. Lines are gathered and written
 * together once per turn of the event loop (sendlog_flush, before send
 * writes the requests its lines announce), in writes that
 * end at a line's end and stay near PIPE_BUF, so that a line never mixes
 * with what lspawn or clean write to the same log pipe. */
#include <string.h>
#include <skalibs/buffer.h>
#include <skalibs/types.h>
#include "sendlog.h"

static char safe(char c)
{
  if (c == '\n') return '/' ;
  if ((unsigned char)c < 33 || (unsigned char)c > 126) return '_' ;
  return c ;
}

int sendlog_escape(stralloc *sa, char const *s, size_t len)
{
  if (!stralloc_readyplus(sa, len)) return 0 ;
  for (size_t i = 0 ; i < len ; i++) sa->s[sa->len++] = safe(s[i]) ;
  return 1 ;
}

void sendlog_s(char const *s)
{
  buffer_puts(buffer_1, s) ;
}

void sendlog_u(unsigned long u)
{
  char fmt[ULONG_FMT] ;
  buffer_put(buffer_1, fmt, ulong_fmt(fmt, u)) ;
}

void sendlog_safe(char const *s, size_t len)
{
  for (size_t i = 0 ; i < len ; i++)
  {
    char c = safe(s[i]) ;
    buffer_put(buffer_1, &c, 1) ;
  }
}

/* Flushed at a line's end beyond this: one write stays under PIPE_BUF
 * (4096) unless a single line is longer. */
#define SENDLOG_GATHER 2048

void sendlog_end(void)
{
  buffer_put(buffer_1, "\n", 1) ;
  if (buffer_len(buffer_1) >= SENDLOG_GATHER) buffer_flush(buffer_1) ;
}

void sendlog_flush(void)
{
  buffer_flush(buffer_1) ;
}
