/* qscan.c: a queue entry read back from its files (queue(5)), and the ids
 * of a queue directory. The order in which qscan_read looks at the files
 * follows the order in which queue and send make and remove them, so that
 * an entry changing state while it is read is seen either before or after
 * the change, never as a mixture that claims a broken queue. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "qscan.h"

static int fail(struct qscan_entry *e, char const *fn)
{
  int err = errno ;
  size_t n = strlen(fn) ;
  if (n >= sizeof e->what) n = sizeof e->what - 1 ;
  memcpy(e->what, fn, n) ;
  e->what[n] = 0 ;
  errno = err ;
  return -1 ;
}

/* Whole file fn into e->file: 1, 0 if it does not exist, -1 on error.
 * With st, the file is also fstat'ed (for its mtime) and its size checked
 * before reading; either way the bound holds while reading, since a file
 * may grow. O_NONBLOCK keeps a FIFO put in the queue from hanging us. */
static int readbounded(struct qscan_entry *e, char const *fn, struct stat *st)
{
  size_t want = 4096 ;
  int fd = open(fn, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) ;
  e->file.len = 0 ;
  if (fd < 0) return errno == ENOENT ? 0 : -1 ;
  if (st)
  {
    if (fstat(fd, st) < 0) goto err ;
    if (!S_ISREG(st->st_mode)) { errno = EBADMSG ; goto err ; }
    if ((uint64_t)st->st_size > QSCAN_FILE_MAX) { errno = EFBIG ; goto err ; }
    if ((size_t)st->st_size >= want) want = (size_t)st->st_size + 1 ;
  }
  for (;;)
  {
    /* A short read of a regular file is its end: small files cost one
     * read, not two. */
    ssize_t r ;
    if (!stralloc_readyplus(&e->file, want)) goto err ;
    r = fd_read(fd, e->file.s + e->file.len, want) ;
    if (r < 0) goto err ;
    e->file.len += (size_t)r ;
    if (e->file.len > QSCAN_FILE_MAX) { errno = EFBIG ; goto err ; }
    if ((size_t)r < want) break ;
    want = e->file.len ;   /* double each time */
  }
  fd_close(fd) ;
  return 1 ;
 err:
  {
    int err = errno ;
    fd_close(fd) ;
    errno = err ;
    return -1 ;
  }
}

/* The next NUL-terminated item of s at *pos: its start and length without
 * the NUL. 1, 0 at the end of s, -1 if the last item has no NUL. */
static int item(char const *s, size_t len, size_t *pos, char const **it, size_t *itlen)
{
  char const *nul ;
  if (*pos >= len) return 0 ;
  nul = memchr(s + *pos, 0, len - *pos) ;
  if (!nul) return -1 ;
  *it = s + *pos ;
  *itlen = (size_t)(nul - *it) ;
  *pos += *itlen + 1 ;
  return 1 ;
}

static int addtext(struct qscan_entry *e, char const *s, size_t n, size_t *off)
{
  *off = e->text.len ;
  if (!stralloc_catb(&e->text, s, n) || !stralloc_0(&e->text)) { errno = ENOMEM ; return 0 ; }
  return 1 ;
}

static int addrcpt(struct qscan_entry *e, enum qscan_channel c, int done, char const *s, size_t n)
{
  struct qscan_rcpt r = { 0, c, done } ;
  if (!addtext(e, s, n, &r.addr)) return 0 ;
  if (!genalloc_append(struct qscan_rcpt, &e->rcpts, &r)) { errno = ENOMEM ; return 0 ; }
  return 1 ;
}

static int bad(void)
{
  errno = EBADMSG ;
  return 0 ;
}

/* Skips the u and p items that queue writes before F; leaves *pos on the
 * F item and returns 1 with the sender, or 0 (EBADMSG) when there is none. */
static int sender(struct qscan_entry *e, char const *s, size_t len, size_t *pos)
{
  char const *it ;
  size_t n ;
  for (;;)
  {
    int r = item(s, len, pos, &it, &n) ;
    if (r <= 0) return bad() ;
    if (n && (it[0] == 'u' || it[0] == 'p')) continue ;
    if (!n || it[0] != 'F') return bad() ;
    return addtext(e, it + 1, n - 1, &e->sender) ;
  }
}

int qscan_parse_todo(struct qscan_entry *e, char const *s, size_t len)
{
  size_t pos = 0 ;
  if (!sender(e, s, len, &pos)) return 0 ;
  for (;;)
  {
    char const *it ;
    size_t n ;
    int r = item(s, len, &pos, &it, &n) ;
    if (!r) return 1 ;
    if (r < 0) return bad() ;
    /* qmail-queue stops at the last T item; an empty item is the end of
     * the envelope copied along with it, and may only come last. */
    if (!n) return pos == len ? 1 : bad() ;
    if (it[0] != 'T') return bad() ;
    if (!addrcpt(e, QSCAN_TODO, 0, it + 1, n - 1)) return 0 ;
  }
}

int qscan_parse_info(struct qscan_entry *e, char const *s, size_t len)
{
  size_t pos = 0 ;
  /* qmail writes the F item alone; whatever may follow it is for a later
   * version to define, and is not an error. */
  return sender(e, s, len, &pos) ;
}

int qscan_parse_channel(struct qscan_entry *e, enum qscan_channel c, char const *s, size_t len)
{
  size_t pos = 0 ;
  for (;;)
  {
    char const *it ;
    size_t n ;
    int r = item(s, len, &pos, &it, &n) ;
    if (!r) return 1 ;
    if (r < 0 || !n || (it[0] != 'T' && it[0] != 'D')) return bad() ;
    if (!addrcpt(e, c, it[0] == 'D', it + 1, n - 1)) return 0 ;
  }
}

static int channel(struct qscan_entry *e, char const *dir, enum qscan_channel c, unsigned int split)
{
  char fn[QPATH_MAX] ;
  int r ;
  qpath_fmt(fn, dir, e->id, split) ;
  r = readbounded(e, fn, 0) ;
  if (r < 0) return fail(e, fn) ;
  /* send removes local/ or remote/ once every address in it is done */
  if (!r) return 1 ;
  if (!qscan_parse_channel(e, c, e->file.s, e->file.len)) return fail(e, fn) ;
  return 1 ;
}

int qscan_read(struct qscan_entry *e, unsigned long id, unsigned int split)
{
  return qscan_readx(e, id, split, -1, -1) ;
}

int qscan_readx(struct qscan_entry *e, unsigned long id, unsigned int split, int intodo, int bouncing)
{
  char fn[QPATH_MAX] ;
  struct stat st ;
  int r ;

  e->id = id ; e->text.len = 0 ; e->rcpts.len = 0 ; e->what[0] = 0 ;
  e->preprocessed = 0 ; e->bouncing = 0 ;
  qpath_fmt(fn, "mess/", id, split) ;
  if (stat(fn, &st) < 0) return errno == ENOENT ? 0 : fail(e, fn) ;
  e->size = (uint64_t)st.st_size ;
  e->messtime = st.st_mtime ;

  /* todo/ first: send writes info/ before it removes todo/, so a message
   * that has left todo/ is found in info/, and one still in todo/ is not
   * preprocessed even if a half-made info/ is there. */
  qpath_fmt(fn, "todo/", id, split) ;
  r = intodo ? readbounded(e, fn, &st) : 0 ;
  if (r < 0) return fail(e, fn) ;
  if (r)
  {
    e->qtime = e->messtime ;
    if (!qscan_parse_todo(e, e->file.s, e->file.len)) return fail(e, fn) ;
    return 1 ;
  }

  qpath_fmt(fn, "info/", id, split) ;
  r = readbounded(e, fn, &st) ;
  if (r < 0) return fail(e, fn) ;
  if (!r) return 0 ;   /* queue still writing it, or done and being removed */
  e->qtime = st.st_mtime ;
  e->preprocessed = 1 ;
  if (!qscan_parse_info(e, e->file.s, e->file.len)) return fail(e, fn) ;
  if (channel(e, "local/", QSCAN_LOCAL, split) < 0) return -1 ;
  if (channel(e, "remote/", QSCAN_REMOTE, split) < 0) return -1 ;

  if (bouncing >= 0) { e->bouncing = bouncing ; return 1 ; }
  qpath_fmt(fn, "bounce/", id, split) ;
  if (stat(fn, &st) == 0) e->bouncing = 1 ;
  else if (errno != ENOENT) return fail(e, fn) ;
  return 1 ;
}

void qscan_entry_free(struct qscan_entry *e)
{
  stralloc_free(&e->text) ;
  genalloc_free(struct qscan_rcpt, &e->rcpts) ;
  stralloc_free(&e->file) ;
}

int qscan_idname(char const *name, unsigned long *id)
{
  size_t n, len = strlen(name) ;
  if (!len || (name[0] == '0' && len > 1)) return 0 ;
  for (size_t i = 0 ; i < len ; i++)
    if (name[i] < '0' || name[i] > '9') return 0 ;
  n = ulong_scan(name, id) ;
  return n == len ;   /* shorter: the number does not fit */
}

static int opendir_bucket(struct qscan_iter *it)
{
  size_t n = strlen(it->top) ;
  memcpy(it->path, it->top, n) ;
  if (it->hashed) n += uint_fmt(it->path + n, it->bucket) ;
  else n-- ;   /* "todo/" -> "todo" */
  it->path[n] = 0 ;
  it->dir = opendir(it->path) ;
  return !!it->dir ;
}

int qscan_start(struct qscan_iter *it, char const *dir, unsigned int split)
{
  size_t n = strlen(dir) ;
  it->dir = 0 ;
  it->top = dir ;
  it->split = split ? split : 1 ;
  it->bucket = 0 ;
  it->hashed = qpath_hashed(dir) ;
  it->path[0] = 0 ;
  if (!n || dir[n - 1] != '/' || n + UINT_FMT >= sizeof it->path) { errno = EINVAL ; return 0 ; }
  return opendir_bucket(it) ;
}

int qscan_next(struct qscan_iter *it, unsigned long *id)
{
  while (it->dir)
  {
    struct dirent *d ;
    errno = 0 ;
    d = readdir(it->dir) ;
    if (d)
    {
      if (!qscan_idname(d->d_name, id)) continue ;
      if (it->hashed && qpath_bucket(*id, it->split) != it->bucket) continue ;
      return 1 ;
    }
    if (errno) return -1 ;
    closedir(it->dir) ;
    it->dir = 0 ;
    if (!it->hashed || ++it->bucket >= it->split) return 0 ;
    if (!opendir_bucket(it)) return -1 ;
  }
  return 0 ;
}

void qscan_end(struct qscan_iter *it)
{
  if (it->dir) closedir(it->dir) ;
  it->dir = 0 ;
}

static int cmpid(void const *a, void const *b)
{
  unsigned long x = *(unsigned long const *)a, y = *(unsigned long const *)b ;
  return x < y ? -1 : x > y ;
}

int qscan_idset_load(struct qscan_idset *set, struct qscan_iter *it, char const *dir, unsigned int split)
{
  unsigned long id ;
  int r ;
  set->ids.len = 0 ;
  if (!qscan_start(it, dir, split)) return 0 ;
  while ((r = qscan_next(it, &id)) > 0)
    if (!genalloc_append(unsigned long, &set->ids, &id)) { qscan_end(it) ; errno = ENOMEM ; return 0 ; }
  if (r < 0) { int e = errno ; qscan_end(it) ; errno = e ; return 0 ; }
  /* qsort and bsearch want a real array even when it is empty */
  if (set->ids.len) qsort(set->ids.s, genalloc_len(unsigned long, &set->ids), sizeof(unsigned long), &cmpid) ;
  return 1 ;
}

int qscan_idset_has(struct qscan_idset const *set, unsigned long id)
{
  if (!set->ids.len) return 0 ;
  return !!bsearch(&id, set->ids.s, genalloc_len(unsigned long, &set->ids), sizeof(unsigned long), &cmpid) ;
}

void qscan_idset_free(struct qscan_idset *set)
{
  genalloc_free(unsigned long, &set->ids) ;
}
