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
#include "qsync.h"
#include "retry.h"
#include "todo.h"

#define TODO_MAX (ENVELOPE_MAX + 64)

/* The queue directory, for syncfs: opened before the first file it must
 * cover is written, since syncfs reports the writeback errors that
 * happened after the descriptor was opened (or last reported). */
static int qfd = -1 ;

/* Notes the directory of fn in g, once. */
static void adddir(struct todogroup *g, char const *fn)
{
  char const *slash = strrchr(fn, '/') ;
  size_t n = slash ? (size_t)(slash - fn) : 0 ;
  if (!n || n >= QPATH_MAX) return ;
  for (unsigned int i = 0 ; i < g->ndirs ; i++)
    if (!strncmp(g->dir[i], fn, n) && !g->dir[i][n]) return ;
  if (g->ndirs >= sizeof g->dir / sizeof *g->dir) return ;
  memcpy(g->dir[g->ndirs], fn, n) ;
  g->dir[g->ndirs++][n] = 0 ;
}

/* Writes data to fn (mode 0600, truncated), left open in g for
 * todo_commit. 1 or 0 (errno). */
static int writefile(struct todogroup *g, char const *fn, char const *data, size_t len)
{
  int fd ;
  if (g->nfiles >= sizeof g->fd / sizeof *g->fd) return (errno = EMFILE, 0) ;
  if (qfd < 0) qfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  /* a spare is written over and cut to length; an existing fn (an entry
   * preprocessed again after a crash) is rewritten whole */
  fd = g->sp ? spare_open(g->sp, fn) : -1 ;
  if (fd < 0)
  {
    fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) ;
    if (fd < 0) return 0 ;
  }
  else if (!spare_trim(fd, (off_t)len)) { int e = errno ; close(fd) ; errno = e ; return 0 ; }
  if (allwrite(fd, data, len) < len)
  {
    int e = errno ;
    close(fd) ;
    errno = e ;
    return 0 ;
  }
  g->fd[g->nfiles++] = fd ;
  adddir(g, fn) ;
  return 1 ;
}

int todo_commit(struct todogroup *g, stralloc *err)
{
  int fd[2 * 3 * TODO_GROUP], errs[2 * 3 * TODO_GROUP] ;
  unsigned int n = g->nfiles ;
  int ok = 1, e = 0 ;
  char const *what = "unable to sync the queue: " ;
  /* Several entries: one syncfs writes all their files and directories
   * with one cache flush, and costs less here than their fsyncs even all
   * at once (2,000 queued messages drained: 955-969 msg/s against
   * 622-789). One entry: its files and their directories, all at once
   * (qsync_all), cost less than a sync of all the file system's dirty
   * data. */
  if (g->entries >= 2 && qfd >= 0 && qsync_fs_reports_errors())
  {
    if (syncfs(qfd) < 0) { ok = 0 ; e = errno ; }
  }
  else
  {
    char const *dir[3 * TODO_GROUP] ;
    for (unsigned int i = 0 ; i < g->ndirs ; i++) dir[i] = g->dir[i] ;
    memcpy(fd, g->fd, n * sizeof *fd) ;
    if (qsync_with_dirs(fd, errs, n, dir, g->ndirs))
      for (unsigned int i = 0 ; i < n + g->ndirs ; i++)
        if (errs[i] && ok)
        {
          ok = 0 ;
          e = errs[i] ;
          what = i < n ? "unable to fsync a new file: " : "unable to sync a queue directory: " ;
        }
  }
  for (unsigned int i = 0 ; i < g->nfiles ; i++)
    if (close(g->fd[i]) < 0 && ok) { ok = 0 ; e = errno ; what = "unable to close a new file: " ; }
  g->nfiles = 0 ;
  g->ndirs = 0 ;
  g->entries = 0 ;
  if (!ok)
  {
    err->len = 0 ;
    if (!stralloc_cats(err, what) || !stralloc_cats(err, strerror(e)) || !stralloc_0(err)) err->len = 0 ;
  }
  return ok ;
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

int todo_preprocess(unsigned long id, unsigned int split, struct rewrite const *rw, struct todoinfo *ti, struct todogroup *g, stralloc *err)
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
    if (!writefile(g, fn, chan[c].s, chan[c].len)) return fail(err, 0, "unable to write ", fn, 1) ;
  }
  addr.len = 0 ;
  if (!stralloc_catb(&addr, "F", 1) || !stralloc_cat(&addr, &ti->sender) || !stralloc_0(&addr))
    return fail(err, 0, "out of memory for ", fn, 0) ;
  qpath_fmt(fn, "info/", id, split) ;
  if (!writefile(g, fn, addr.s, addr.len)) return fail(err, 0, "unable to write ", fn, 1) ;
  if (fstat(g->fd[g->nfiles - 1], &st) < 0) return fail(err, 0, "unable to stat ", fn, 1) ;
  ti->birth = st.st_mtime ;
  g->entries++ ;
  return 1 ;
}
