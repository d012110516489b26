/* spare.c: recycled queue files (spare.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/types.h>
#include "spare.h"

#define PUT_TRIES 4        /* slots spare_put tries before it unlinks */

/* dir + "/spare." + K: the name of slot k. */
static void slotname(char *s, char const *dir, unsigned int k)
{
  size_t n = strlen(dir) ;
  memcpy(s, dir, n) ;
  memcpy(s + n, "/spare.", 7) ; n += 7 ;
  n += uint_fmt(s + n, k) ;
  s[n] = 0 ;
}

static void remember(struct spares *sp, unsigned int k)
{
  if (sp->nknown < SPARE_SLOTS) sp->known[sp->nknown++] = (unsigned short)k ;
}

/* Fills known from what dir holds now. */
static void rescan(struct spares *sp)
{
  DIR *d = opendir(sp->dir) ;
  struct dirent *de ;
  sp->sincescan = 0 ;
  if (!d) return ;
  while ((de = readdir(d)) && sp->nknown < SPARE_SLOTS)
  {
    unsigned int k ;
    size_t n ;
    if (strncmp(de->d_name, "spare.", 6)) continue ;
    n = uint_scan(de->d_name + 6, &k) ;
    if (n && !de->d_name[6 + n] && k < SPARE_SLOTS) remember(sp, k) ;
  }
  closedir(d) ;
}

int spare_put(struct spares *sp, char const *fn)
{
  char slot[64] ;
  unsigned int taken = 0 ;
  if (strlen(sp->dir) > sizeof slot - 20) sp->off = 1 ;
  if (sp->skipputs) sp->skipputs-- ;
  else for (unsigned int i = 0 ; i < PUT_TRIES && !sp->off ; i++)
  {
    unsigned int k = sp->next ;
    sp->next = (k + 1) % SPARE_SLOTS ;
    slotname(slot, sp->dir, k) ;
    if (renameat2(AT_FDCWD, fn, AT_FDCWD, slot, RENAME_NOREPLACE) == 0)
    {
      remember(sp, k) ;
      return 1 ;
    }
    if (errno == EEXIST) { if (++taken == PUT_TRIES) sp->skipputs = SPARE_FULLSKIP ; continue ; }
    if (errno == EINVAL || errno == ENOSYS) sp->off = 1 ;
    /* anything else (fn already gone, no dir, EXDEV...): unlink decides */
    break ;
  }
  return unlink(fn) == 0 || errno == ENOENT ;
}

int spare_open(struct spares *sp, char const *to)
{
  char slot[64] ;
  if (strlen(sp->dir) > sizeof slot - 20) sp->off = 1 ;
  while (!sp->off)
  {
    struct stat st ;
    unsigned int k ;
    int fd ;
    if (!sp->nknown)
    {
      if (sp->sincescan++ < SPARE_RESCAN) break ;
      rescan(sp) ;
      if (!sp->nknown) break ;
    }
    k = sp->known[--sp->nknown] ;
    slotname(slot, sp->dir, k) ;
    if (renameat2(AT_FDCWD, slot, AT_FDCWD, to, RENAME_NOREPLACE) < 0)
    {
      if (errno == ENOENT) continue ;   /* taken by another writer, or swept */
      if (errno == EINVAL || errno == ENOSYS) { sp->off = 1 ; break ; }
      return -1 ;
    }
    fd = open(to, O_WRONLY | O_CLOEXEC | O_NOFOLLOW) ;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1)
    {
      /* the list ran dry with spares still coming: look again at once */
      sp->sincescan = SPARE_RESCAN ;
      /* a slot is free now: the next put tries it first */
      sp->skipputs = 0 ;
      sp->next = k ;
      return fd ;
    }
    /* not a spare we may write over: its name goes, its inode is left alone */
    if (fd >= 0) close(fd) ;
    if (unlink(to) < 0 && errno != ENOENT) return -1 ;
  }
  errno = ENOENT ;
  return -1 ;
}

int spare_trim(int fd, off_t len)
{
  return ftruncate(fd, len) == 0 ;
}
