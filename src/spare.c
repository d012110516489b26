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

static void forget(struct spares *sp, unsigned int k)
{
  if (sp->nempty < SPARE_SLOTS) sp->empty[sp->nempty++] = (unsigned short)k ;
}

/* Learns both lists afresh from what dir holds now. */
static void rescan(struct spares *sp)
{
  unsigned char seen[SPARE_SLOTS] ;
  DIR *d = opendir(sp->dir) ;
  struct dirent *de ;
  sp->sincescan = 0 ;
  sp->nknown = sp->nempty = 0 ;
  sp->scanknown = sp->scanempty = 0 ;
  if (!d) return ;
  memset(seen, 0, sizeof seen) ;
  while ((de = readdir(d)))
  {
    unsigned int k ;
    size_t n ;
    if (strncmp(de->d_name, "spare.", 6)) continue ;
    n = uint_scan(de->d_name + 6, &k) ;
    if (n && !de->d_name[6 + n] && k < SPARE_SLOTS && !seen[k]) { seen[k] = 1 ; remember(sp, k) ; }
  }
  closedir(d) ;
  /* highest first, so that puts fill the low slots first */
  for (unsigned int k = SPARE_SLOTS ; k-- ;) if (!seen[k]) forget(sp, k) ;
  sp->scanknown = sp->nknown ;
  sp->scanempty = sp->nempty ;
}

/* Whether a list found empty is worth a look at dir now: not when the
 * last look found nothing for this kind of operation and too few
 * operations have passed since for others to have changed much (more
 * after each such look in a row). found(sp) is what a look found for
 * the operation. */
static int lookagain(struct spares *sp, unsigned int lastfound, unsigned int const *found)
{
  unsigned int wait = SPARE_RESCAN << (sp->fruitless > SPARE_BACKOFF + 1 ? SPARE_BACKOFF : sp->fruitless > 1 ? sp->fruitless - 1 : 0) ;
  if (!lastfound && sp->sincescan < wait) { sp->sincescan++ ; return 0 ; }
  rescan(sp) ;
  if (*found) sp->fruitless = 0 ;
  else if (sp->fruitless <= SPARE_BACKOFF) sp->fruitless++ ;
  return 1 ;
}

int spare_put(struct spares *sp, char const *fn)
{
  return spare_stash(sp, fn) || unlink(fn) == 0 || errno == ENOENT ;
}

int spare_stash(struct spares *sp, char const *fn)
{
  char slot[64] ;
  unsigned int tries = 0 ;
  int looked = 0 ;
  if (strlen(sp->dir) > sizeof slot - 20) sp->off = 1 ;
  while (!sp->off && tries < PUT_TRIES)
  {
    unsigned int k ;
    if (!sp->nempty && (looked++ || !lookagain(sp, sp->scanempty, &sp->scanempty) || !sp->nempty)) break ;
    k = sp->empty[--sp->nempty] ;
    tries++ ;
    slotname(slot, sp->dir, k) ;
    if (renameat2(AT_FDCWD, fn, AT_FDCWD, slot, RENAME_NOREPLACE) == 0)
    {
      sp->sincescan++ ;
      remember(sp, k) ;
      return 1 ;
    }
    /* another process filled it: a spare to take later */
    if (errno == EEXIST) { remember(sp, k) ; continue ; }
    if (errno == EINVAL || errno == ENOSYS) sp->off = 1 ;
    /* anything else (fn already gone, no dir, EXDEV...): unlink decides */
    break ;
  }
  return 0 ;
}

int spare_open(struct spares *sp, char const *to)
{
  char slot[64] ;
  int looked = 0 ;
  if (strlen(sp->dir) > sizeof slot - 20) sp->off = 1 ;
  while (!sp->off)
  {
    struct stat st ;
    unsigned int k ;
    int fd ;
    if (!sp->nknown && (looked++ || !lookagain(sp, sp->scanknown, &sp->scanknown) || !sp->nknown)) break ;
    k = sp->known[--sp->nknown] ;
    slotname(slot, sp->dir, k) ;
    if (renameat2(AT_FDCWD, slot, AT_FDCWD, to, RENAME_NOREPLACE) < 0)
    {
      /* taken by another writer, or swept: empty now */
      if (errno == ENOENT) { forget(sp, k) ; continue ; }
      if (errno == EINVAL || errno == ENOSYS) { sp->off = 1 ; break ; }
      return -1 ;
    }
    /* the slot is empty now: the next put fills it */
    forget(sp, k) ;
    sp->sincescan++ ;
    fd = open(to, O_WRONLY | O_CLOEXEC | O_NOFOLLOW) ;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1) return fd ;
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
