/* qlist.c: qread's lines for one queue entry (see qlist.h). */
#include <skalibs/types.h>
#include "date822.h"
#include "qlist.h"

static int putsafe(buffer *b, char const *s)
{
  char tmp[256] ;
  size_t n = 0 ;
  for (; *s ; s++)
  {
    unsigned char c = (unsigned char)*s ;
    tmp[n++] = c >= 32 && c <= 126 ? (char)c : '_' ;
    if (n == sizeof tmp)
    {
      if (buffer_put(b, tmp, n) < 0) return 0 ;
      n = 0 ;
    }
  }
  return buffer_put(b, tmp, n) >= 0 ;
}

static int puts_(buffer *b, char const *s)
{
  return buffer_puts(b, s) >= 0 ;
}

static int header(buffer *b, struct qscan_entry const *e)
{
  char date[DATE822_MAX] ;
  char num[UINT64_FMT] ;
  size_t n = date822_qmail(date, e->qtime) ;
  /* qmail-qread cuts the " -0000" zone and says GMT instead */
  if (buffer_put(b, date, n - 6) < 0) return 0 ;
  if (!puts_(b, " GMT  #")) return 0 ;
  if (buffer_put(b, num, ulong_fmt(num, e->id)) < 0) return 0 ;
  if (!puts_(b, "  ")) return 0 ;
  if (buffer_put(b, num, uint64_fmt(num, e->size)) < 0) return 0 ;
  if (!puts_(b, "  <") || !putsafe(b, e->text.s + e->sender) || !puts_(b, "> ")) return 0 ;
  if (e->bouncing && !puts_(b, " bouncing")) return 0 ;
  if (!e->preprocessed && !puts_(b, " not yet preprocessed")) return 0 ;
  return puts_(b, "\n") ;
}

int qlist_put(buffer *b, struct qscan_entry const *e)
{
  static char const *const chan[] = { "\ttodo\t", "\tlocal\t", "\tremote\t" } ;
  struct qscan_rcpt const *r = genalloc_s(struct qscan_rcpt, &e->rcpts) ;
  size_t n = genalloc_len(struct qscan_rcpt, &e->rcpts) ;
  if (!header(b, e)) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (r[i].done && !puts_(b, "  done")) return 0 ;
    if (!puts_(b, chan[r[i].channel]) || !putsafe(b, e->text.s + r[i].addr) || !puts_(b, "\n")) return 0 ;
  }
  return 1 ;
}
