/* qclean.c: clean's removals (qclean.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qclean.h"
#include "qpath.h"
#include "spare.h"

/* The spares are pid/'s (spare.h), where queue and queued take them.
 * clean removes several requests' files at once (cleanpool.h): what it
 * knows of the slots is under a lock, which an unlink does not hold. */
static struct spares spares = SPARES_ZERO("pid") ;
static pthread_mutex_t sparelock = PTHREAD_MUTEX_INITIALIZER ;

static int gone(char const *dir, unsigned long id, unsigned int split)
{
  char fn[QPATH_MAX] ;
  qpath_fmt(fn, dir, id, split) ;
  return unlink(fn) == 0 || errno == ENOENT ;
}

/* The file leaves its queue name as a spare when it is a regular file
 * with no other name (a spare is written over), else it is unlinked: a
 * queue killed between its link into mess/ and the unlink of its pid/
 * name leaves a mess/ file with two. */
static int recycled(char const *dir, unsigned long id, unsigned int split)
{
  char fn[QPATH_MAX] ;
  struct stat st ;
  qpath_fmt(fn, dir, id, split) ;
  if (lstat(fn, &st) < 0) return errno == ENOENT ;
  if (S_ISREG(st.st_mode) && st.st_nlink == 1)
  {
    int stashed ;
    pthread_mutex_lock(&sparelock) ;
    stashed = spare_stash(&spares, fn) ;
    pthread_mutex_unlock(&sparelock) ;
    if (stashed) return 1 ;
  }
  return unlink(fn) == 0 || errno == ENOENT ;
}

char qclean_do(struct cleanproto_req const *req, unsigned int split)
{
  if (req->kind == CLEANPROTO_TODO)
  {
    /* todo/ID is intd/ID's second name: the inode is free for a spare
     * only once intd/ID is gone. */
    if (!gone("intd/", req->id, split)) return CLEANPROTO_FAILED ;
    if (!recycled("todo/", req->id, split)) return CLEANPROTO_FAILED ;
  }
  else
  {
    if (!recycled("intd/", req->id, split)) return CLEANPROTO_FAILED ;
    if (!recycled("mess/", req->id, split)) return CLEANPROTO_FAILED ;
  }
  return CLEANPROTO_OK ;
}

long qclean_pids(time_t now, unsigned long age)
{
  DIR *dir = opendir("pid") ;
  long n = 0 ;
  if (!dir) return -1 ;
  for (;;)
  {
    struct dirent *d ;
    struct stat st ;
    time_t last ;
    errno = 0 ;
    d = readdir(dir) ;
    if (!d) break ;
    if (d->d_name[0] == '.') continue ;
    if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) continue ;
    /* qmail looks at the access time only; asking that neither time be
     * recent also spares a file that a clock or mount option (noatime)
     * keeps from ever looking read. */
    last = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime ;
    if (now < last || (unsigned long)(now - last) < age) continue ;
    if (unlinkat(dirfd(dir), d->d_name, 0) == 0) n++ ;
  }
  if (errno)
  {
    int e = errno ;
    closedir(dir) ;
    errno = e ;
    return -1 ;
  }
  closedir(dir) ;
  return n ;
}
