/* ctlcache.c: control files read once, read again when stat says they
 * changed (ctlcache.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/cdb.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "ctlcache.h"

static void stamp(struct ctlcache_stamp *s, struct stat const *st)
{
  s->dev = st->st_dev ;
  s->ino = st->st_ino ;
  s->size = st->st_size ;
  s->mtim = st->st_mtim ;
  s->ctim = st->st_ctim ;
}

static int same(struct ctlcache_stamp const *s, struct stat const *st)
{
  return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size
      && s->mtim.tv_sec == st->st_mtim.tv_sec && s->mtim.tv_nsec == st->st_mtim.tv_nsec
      && s->ctim.tv_sec == st->st_ctim.tv_sec && s->ctim.tv_nsec == st->st_ctim.tv_nsec ;
}

/* 1 if t is later than now - racy: the file may change again within the
 * same tick of the file system's clock without its stamp showing it. */
static int recent(struct timespec const *t, struct timespec const *now, uint64_t racy)
{
  uint64_t a, b ;
  if (t->tv_sec < 0 || now->tv_sec < 0) return 1 ;
  a = (uint64_t)t->tv_sec * 1000000000ULL + (uint64_t)t->tv_nsec ;
  b = (uint64_t)now->tv_sec * 1000000000ULL + (uint64_t)now->tv_nsec ;
  return a + racy > b ;
}

static void forget(struct ctlcache_file *f)
{
  if (f->kind == CTLCACHE_CDB) cdb_free(&f->map) ;
  f->map = cdb_zero ;
  f->text.len = 0 ;
  f->kind = 0 ;
  f->racy = 0 ;
  f->bydir = 0 ;
}

#define DIRNAME_MAX 256

/* fn's directory into d, NUL-terminated: 0 if it does not fit */
static int dirof(char const *fn, char *d)
{
  char const *slash = strrchr(fn, '/') ;
  size_t len ;
  if (!slash) { memcpy(d, ".", 2) ; return 1 ; }
  len = slash == fn ? 1 : (size_t)(slash - fn) ;
  if (len >= DIRNAME_MAX) return 0 ;
  memcpy(d, fn, len) ;
  d[len] = 0 ;
  return 1 ;
}

/* f was just found absent, and ds is its directory's stat, taken since:
 * f is watched through the directory's stamp (bydir 1) if that stamp is
 * not recent and the directory then holds no entry of f's name at all;
 * bydir -1 if it holds one (a dangling symlink, whose target can appear
 * without the directory changing): never through the directory; 0 to
 * try again at the next round. errno is kept. */
static void trust_dir(struct ctlcache *c, struct ctlcache_file *f, struct stat const *ds)
{
  struct stat ls ;
  struct timespec now ;
  int e = errno ;
  f->bydir = 0 ;
  if (clock_gettime(CLOCK_REALTIME, &now) == 0
   && !recent(&ds->st_mtim, &now, c->racy) && !recent(&ds->st_ctim, &now, c->racy))
  {
    c->statted++ ;
    if (lstat(f->name.s, &ls) == 0) f->bydir = -1 ;
    else if (errno == ENOENT)
    {
      stamp(&f->dirst, ds) ;
      f->bydir = 1 ;
    }
  }
  errno = e ;
}

/* the directories stat'ed in one round of ctlcache_changed */
#define DIRSEEN_MAX 8
struct dirseen {
  char name[DIRNAME_MAX] ;
  int ok ;
  struct stat st ;
} ;

/* the stat of f's directory in this round (made once), or 0 */
static struct stat const *dirstat(struct ctlcache *c, struct ctlcache_file const *f, struct dirseen *seen, unsigned int *nseen)
{
  char d[DIRNAME_MAX] ;
  static struct stat st ;
  int ok ;
  if (!dirof(f->name.s, d)) return 0 ;
  for (unsigned int k = 0 ; k < *nseen ; k++)
    if (!strcmp(seen[k].name, d)) return seen[k].ok ? &seen[k].st : 0 ;
  c->statted++ ;
  ok = stat(d, &st) == 0 ;
  if (*nseen < DIRSEEN_MAX)
  {
    struct dirseen *s = seen + (*nseen)++ ;
    memcpy(s->name, d, strlen(d) + 1) ;
    s->ok = ok ;
    s->st = st ;
    return ok ? &s->st : 0 ;
  }
  return ok ? &st : 0 ;
}

static void drop(struct ctlcache_file *f)
{
  forget(f) ;
  stralloc_free(&f->text) ;
  stralloc_free(&f->name) ;
}

int ctlcache_changed(struct ctlcache *c)
{
  struct ctlcache_file *f = genalloc_s(struct ctlcache_file, &c->files) ;
  size_t n = genalloc_len(struct ctlcache_file, &c->files) ;
  int changed = !c->valid ;
  struct dirseen seen[DIRSEEN_MAX] ;
  unsigned int nseen = 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    struct stat st ;
    int r ;
    if (!f[i].kind) { changed = 1 ; continue ; }
    if (f[i].racy) { forget(f + i) ; changed = 1 ; continue ; }
    if (f[i].kind == CTLCACHE_ABSENT && f[i].bydir == 1)
    {
      struct stat const *ds = dirstat(c, f + i, seen, &nseen) ;
      if (ds && same(&f[i].dirst, ds)) continue ;
      f[i].bydir = 0 ;
    }
    c->statted++ ;
    r = stat(f[i].name.s, &st) ;
    if (f[i].kind == CTLCACHE_ABSENT && r < 0 && errno == ENOENT)
    {
      if (!f[i].bydir)
      {
        struct stat const *ds = dirstat(c, f + i, seen, &nseen) ;
        if (ds) trust_dir(c, f + i, ds) ;
      }
      continue ;
    }
    if (f[i].kind != CTLCACHE_ABSENT && !r && same(&f[i].st, &st)) continue ;
    /* changed, created, removed, or not to be seen (EACCES, EIO): the
     * next read opens it and says what is wrong, if anything */
    forget(f + i) ;
    changed = 1 ;
  }
  if (changed)
    for (size_t i = 0 ; i < n ; i++) f[i].used = 0 ;
  return changed ;
}

/* The entry for fn, made (forgotten) if there is none; 0 on ENOMEM. */
static struct ctlcache_file *entry(struct ctlcache *c, char const *fn)
{
  struct ctlcache_file *f = genalloc_s(struct ctlcache_file, &c->files) ;
  size_t n = genalloc_len(struct ctlcache_file, &c->files) ;
  struct ctlcache_file z = { .name = STRALLOC_ZERO, .kind = 0, .text = STRALLOC_ZERO, .map = CDB_ZERO } ;
  for (size_t i = 0 ; i < n ; i++)
    if (!strcmp(f[i].name.s, fn)) { f[i].used = 1 ; return f + i ; }
  if (!stralloc_copys(&z.name, fn) || !stralloc_0(&z.name)) return 0 ;
  if (!genalloc_append(struct ctlcache_file, &c->files, &z)) { stralloc_free(&z.name) ; return 0 ; }
  f = genalloc_s(struct ctlcache_file, &c->files) + n ;
  f->used = 1 ;
  return f ;
}

/* Opens fn for f (forgotten): the fd, stamped; -1 with f marked absent
 * (ENOENT) or left forgotten (any other error), errno set. */
static int open_stamped(struct ctlcache *c, struct ctlcache_file *f, char const *fn)
{
  struct stat st ;
  struct timespec now ;
  int fd = open(fn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0)
  {
    if (errno == ENOENT)
    {
      char d[DIRNAME_MAX] ;
      struct stat ds ;
      int e = errno ;
      f->kind = CTLCACHE_ABSENT ;
      f->bydir = 0 ;
      if (!dirof(fn, d)) f->bydir = -1 ;
      else if (c->statted++, stat(d, &ds) == 0) trust_dir(c, f, &ds) ;
      errno = e ;
    }
    return -1 ;
  }
  c->opened++ ;
  if (fstat(fd, &st) < 0 || clock_gettime(CLOCK_REALTIME, &now) < 0)
  {
    fd_close(fd) ;
    return -1 ;
  }
  stamp(&f->st, &st) ;
  f->racy = recent(&st.st_ctim, &now, c->racy) || recent(&st.st_mtim, &now, c->racy) ;
  return fd ;
}

int ctlcache_read(struct ctlcache *c, stralloc *sa, char const *fn)
{
  struct ctlcache_file *f = entry(c, fn) ;
  int fd ;
  if (!f) return -1 ;
  if (f->kind == CTLCACHE_CDB) forget(f) ;
  if (f->kind == CTLCACHE_ABSENT) { errno = ENOENT ; return 0 ; }
  if (f->kind == CTLCACHE_TEXT) return stralloc_catb(sa, f->text.s, f->text.len) ? 1 : -1 ;
  fd = open_stamped(c, f, fn) ;
  if (fd < 0) return errno == ENOENT ? 0 : -1 ;
  f->text.len = 0 ;
  if (!slurp(&f->text, fd))
  {
    int e = errno ;
    fd_close(fd) ;
    forget(f) ;
    errno = e ;
    return -1 ;
  }
  fd_close(fd) ;
  f->kind = CTLCACHE_TEXT ;
  return stralloc_catb(sa, f->text.s, f->text.len) ? 1 : -1 ;
}

int ctlcache_cdb(struct ctlcache *c, cdb *out, char const *fn)
{
  struct ctlcache_file *f = entry(c, fn) ;
  int fd ;
  if (!f) return 0 ;
  if (f->kind == CTLCACHE_TEXT) forget(f) ;
  if (f->kind == CTLCACHE_ABSENT) { errno = ENOENT ; return 0 ; }
  if (f->kind == CTLCACHE_CDB) { *out = f->map ; return 1 ; }
  fd = open_stamped(c, f, fn) ;
  if (fd < 0) return 0 ;
  if (!cdb_init_fromfd(&f->map, fd))
  {
    int e = errno ;
    fd_close(fd) ;
    forget(f) ;
    errno = e ;
    return 0 ;
  }
  fd_close(fd) ;
  f->kind = CTLCACHE_CDB ;
  *out = f->map ;
  return 1 ;
}

void ctlcache_done(struct ctlcache *c, int ok)
{
  struct ctlcache_file *f = genalloc_s(struct ctlcache_file, &c->files) ;
  size_t n = genalloc_len(struct ctlcache_file, &c->files), k = 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (!f[i].used) { drop(f + i) ; continue ; }
    if (k != i) f[k] = f[i] ;
    k++ ;
  }
  genalloc_setlen(struct ctlcache_file, &c->files, k) ;
  c->valid = ok ;
}

void ctlcache_free(struct ctlcache *c)
{
  struct ctlcache_file *f = genalloc_s(struct ctlcache_file, &c->files) ;
  size_t n = genalloc_len(struct ctlcache_file, &c->files) ;
  for (size_t i = 0 ; i < n ; i++) drop(f + i) ;
  genalloc_free(struct ctlcache_file, &c->files) ;
  c->valid = 0 ;
  c->opened = 0 ;
  c->statted = 0 ;
}
