/* todo.c: todo/ID -> local/, remote/, info/ (see todo.h for the order). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "envelope.h"
#include "qpath.h"
#include "retry.h"
#include "todo.h"

#define TODO_MAX (ENVELOPE_MAX + 64)

int todo_writefile(char const *fn, char const *data, size_t len)
{
  int fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) ;
  if (fd < 0) return 0 ;
  if (allwrite(fd, data, len) < len || fd_sync(fd) < 0)
  {
    int e = errno ;
    close(fd) ;
    errno = e ;
    return 0 ;
  }
  return close(fd) == 0 ;
}

/* Sets err to what + fn (+ the errno text when sys) and returns ret. */
static int fail(stralloc *err, int ret, char const *what, char const *fn, int sys)
{
  char const *e = sys ? strerror(errno) : 0 ;
  err->len = 0 ;
  if (stralloc_cats(err, what) && stralloc_cats(err, fn)
   && (!e || (stralloc_cats(err, ": ") && stralloc_cats(err, e))))
    stralloc_0(err) ;
  return ret ;
}

/* Reads the number after a u or p item; garbage gives 0. */
static unsigned long num(char const *s)
{
  unsigned long u = 0 ;
  ulong_scan(s, &u) ;
  return u ;
}

int todo_preprocess(unsigned long id, unsigned int split, struct rewrite const *rw, struct todoinfo *ti, stralloc *err)
{
  static stralloc file = STRALLOC_ZERO, chan[2] = { STRALLOC_ZERO, STRALLOC_ZERO }, addr = STRALLOC_ZERO ;
  char fn[QPATH_MAX] ;
  struct stat st ;
  size_t i = 0 ;
  int sawf = 0 ;

  ti->id = id ; ti->uid = 0 ; ti->pid = 0 ; ti->nrcpt[0] = ti->nrcpt[1] = 0 ; ti->sender.len = 0 ;
  chan[0].len = chan[1].len = 0 ; file.len = 0 ;

  qpath_fmt(fn, "mess/", id, split) ;
  if (stat(fn, &st) < 0) return fail(err, 0, "unable to stat ", fn, 1) ;
  ti->bytes = (unsigned long)st.st_size ;

  qpath_fmt(fn, "todo/", id, split) ;
  if (!openslurpclose(&file, fn)) return fail(err, 0, "unable to read ", fn, 1) ;
  if (file.len > TODO_MAX) return fail(err, -1, "oversized entry ", fn, 0) ;

  while (i < file.len)
  {
    char const *item = file.s + i ;
    size_t n = strnlen(item, file.len - i) ;
    if (i + n >= file.len) return fail(err, -1, "entry without final NUL: ", fn, 0) ;
    i += n + 1 ;
    if (!n) break ;                 /* the final NUL */
    switch (item[0])
    {
      case 'u': ti->uid = num(item + 1) ; break ;
      case 'p': ti->pid = num(item + 1) ; break ;
      case 'F':
        if (!stralloc_copyb(&ti->sender, item + 1, n - 1)) return fail(err, 0, "out of memory for ", fn, 0) ;
        sawf = 1 ;
        break ;
      case 'T':
      {
        int c ;
        if (!sawf) return fail(err, -1, "recipient before sender in ", fn, 0) ;
        addr.len = 0 ;
        c = rewrite_addr(rw, item + 1, n - 1, &addr) ;
        if (c < 0) return fail(err, 0, "unable to rewrite a recipient of ", fn, 1) ;
        if (!stralloc_catb(&chan[c], "T", 1) || !stralloc_cat(&chan[c], &addr) || !stralloc_0(&chan[c]))
          return fail(err, 0, "out of memory for ", fn, 0) ;
        ti->nrcpt[c]++ ;
        break ;
      }
      default: return fail(err, -1, "unknown item in ", fn, 0) ;
    }
  }
  if (!sawf) return fail(err, -1, "no sender in ", fn, 0) ;

  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    if (!chan[c].len) continue ;
    qpath_fmt(fn, c == CHAN_LOCAL ? "local/" : "remote/", id, split) ;
    if (!todo_writefile(fn, chan[c].s, chan[c].len)) return fail(err, 0, "unable to write ", fn, 1) ;
  }
  addr.len = 0 ;
  if (!stralloc_catb(&addr, "F", 1) || !stralloc_cat(&addr, &ti->sender) || !stralloc_0(&addr))
    return fail(err, 0, "out of memory for ", fn, 0) ;
  qpath_fmt(fn, "info/", id, split) ;
  if (!todo_writefile(fn, addr.s, addr.len)) return fail(err, 0, "unable to write ", fn, 1) ;
  if (stat(fn, &st) < 0) return fail(err, 0, "unable to stat ", fn, 1) ;
  ti->birth = st.st_mtime ;
  return 1 ;
}
