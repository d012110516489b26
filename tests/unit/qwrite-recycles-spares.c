/* qwrite-recycles-spares: clean's removals (qclean.c) leave a finished
 * entry's files as spares in pid/ (a file with another name is unlinked
 * instead), and the queue writer (qwrite.c) writes the next entries into
 * them: same inodes, exactly the new bytes (the old, longer content cut
 * off), fresh times for the sweeps that go by them, and a writer that
 * finds no spare creates files as before. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "qclean.h"
#include "qpath.h"
#include "qwrite.h"
#include "spare.h"
#include "tap.h"

#define SPLIT 23

static ino_t inode(char const *fn)
{
  struct stat st ;
  return lstat(fn, &st) < 0 ? 0 : st.st_ino ;
}

static void put(char const *fn, char const *data, size_t len)
{
  int fd = open(fn, O_WRONLY | O_CREAT | O_EXCL, 0644) ;
  if (fd < 0 || write(fd, data, len) != (ssize_t)len) { perror(fn) ; exit(1) ; }
  close(fd) ;
}

/* The whole file, in a static buffer; *len its length. */
static char const *slurp(char const *fn, size_t *len)
{
  static char buf[16384] ;
  int fd = open(fn, O_RDONLY) ;
  ssize_t r = fd < 0 ? -1 : read(fd, buf, sizeof buf) ;
  if (fd >= 0) close(fd) ;
  *len = r < 0 ? 0 : (size_t)r ;
  return buf ;
}

static void age(char const *fn)
{
  struct timespec t[2] = { { .tv_sec = time(0) - 3 * 86400 }, { .tv_sec = time(0) - 3 * 86400 } } ;
  utimensat(AT_FDCWD, fn, t, AT_SYMLINK_NOFOLLOW) ;
}

static int spares(void)
{
  int n = 0 ;
  char fn[32] ;
  for (unsigned int k = 0 ; k < SPARE_SLOTS ; k++)
  {
    snprintf(fn, sizeof fn, "pid/spare.%u", k) ;
    n += !!inode(fn) ;
  }
  return n ;
}

static int entries(char const *dir)
{
  DIR *d = opendir(dir) ;
  struct dirent *de ;
  int n = 0 ;
  if (!d) return -1 ;
  while ((de = readdir(d))) n += de->d_name[0] != '.' ;
  closedir(d) ;
  return n ;
}

int main(void)
{
  char tmpl[] = "/tmp/qwrite-recycles.XXXXXX" ;
  char old[8192], fn[QPATH_MAX], fn2[QPATH_MAX] ;
  struct cleanproto_req req ;
  struct qwrite q ;
  struct stat st ;
  ino_t im, ii, it, got[3] ;
  char const *s ;
  size_t len ;

  if (!mkdtemp(tmpl) || chdir(tmpl) < 0 || mkdir("pid", 0700) < 0 || mkdir("mess", 0700) < 0
   || mkdir("intd", 0700) < 0 || mkdir("todo", 0700) < 0) { perror("scratch") ; return 1 ; }
  for (unsigned int b = 0 ; b < SPLIT ; b++) { qpath_dirfmt(fn, "mess/", b) ; mkdir(fn, 0700) ; }
  memset(old, 'Z', sizeof old) ;

  /* foop/ID: intd/ID then mess/B/ID become spares */
  qpath_fmt(fn, "mess/", 1000, SPLIT) ; put(fn, old, sizeof old) ; age(fn) ; im = inode(fn) ;
  put("intd/1000", old, 3000) ; age("intd/1000") ; ii = inode("intd/1000") ;
  req.kind = CLEANPROTO_FOOP ; req.id = 1000 ;
  is_int(qclean_do(&req, SPLIT), CLEANPROTO_OK, "foop/ID answers +") ;
  ok(!inode(fn) && !inode("intd/1000"), "  mess/B/ID and intd/ID are gone") ;
  is_int(spares(), 2, "  two spares in pid/") ;
  ok(inode("pid/spare.0") == ii && inode("pid/spare.1") == im, "  intd/ID's inode first, then mess/B/ID's") ;

  /* todo/ID: intd/ID unlinked, then the inode (one name left) a spare */
  put("intd/1001", old, 2000) ; age("intd/1001") ; it = inode("intd/1001") ;
  if (link("intd/1001", "todo/1001") < 0) { perror("link") ; return 1 ; }
  req.kind = CLEANPROTO_TODO ; req.id = 1001 ;
  is_int(qclean_do(&req, SPLIT), CLEANPROTO_OK, "todo/ID answers +") ;
  ok(!inode("todo/1001") && !inode("intd/1001"), "  todo/ID and intd/ID are gone") ;
  ok(inode("pid/spare.2") == it, "  the envelope's inode is a spare") ;

  /* a mess/ file with a second name (a queue killed before it unlinked
   * its pid/ name) is unlinked, never a spare */
  qpath_fmt(fn, "mess/", 1002, SPLIT) ; put(fn, "m\n", 2) ;
  if (link(fn, "pid/1.2.3") < 0) { perror("link") ; return 1 ; }
  req.kind = CLEANPROTO_FOOP ; req.id = 1002 ;
  is_int(qclean_do(&req, SPLIT), CLEANPROTO_OK, "foop/ID of a mess file with two names answers +") ;
  ok(!inode(fn), "  mess/B/ID is gone") ;
  is_int(spares(), 3, "  and did not become a spare") ;
  is_int(stat("pid/1.2.3", &st) == 0 ? st.st_nlink : 0, 1, "  its other name keeps the file") ;
  unlink("pid/1.2.3") ;

  /* queue's order: the message and the envelope are written into spares */
  is_int(qwrite_open(&q, SPLIT, 4242, time(0)), 0, "qwrite_open with spares in pid/") ;
  got[0] = q.id ;
  ok(q.id == im || q.id == ii || q.id == it, "  the message id is a spare's inode") ;
  qpath_fmt(fn, "mess/", q.id, SPLIT) ;
  ok(inode(fn) == q.id, "  mess/B/ID is that inode") ;
  ok(!inode(q.pidfn), "  its pid/ name is gone") ;
  ok(stat(fn, &st) == 0 && st.st_mtime > time(0) - 60 && st.st_atime > time(0) - 60, "  with fresh times, not the old message's") ;
  is_int(write(q.fd, "short\n", 6), 6, "  the message is written") ;
  is_int(qwrite_message_done(&q), 0, "  qwrite_message_done") ;
  s = slurp(fn, &len) ;
  is_mem(s, len, "short\n", 6, "  mess/B/ID holds exactly the new message") ;
  is_int(qwrite_envelope(&q, "u1\0p2\0", 6, "Fa@b\0Tc@d\0", 10), 0, "  qwrite_envelope") ;
  qpath_fmt(fn2, "intd/", q.id, SPLIT) ;
  got[1] = inode(fn2) ;
  ok(got[1] != got[0] && (got[1] == im || got[1] == ii || got[1] == it), "  intd/ID is another spare") ;
  s = slurp(fn2, &len) ;
  is_mem(s, len, "u1\0p2\0Fa@b\0Tc@d\0", 16, "  holding exactly the new envelope") ;
  is_int(qwrite_commit(&q), 0, "  qwrite_commit") ;
  qpath_fmt(fn2, "todo/", q.id, SPLIT) ;
  ok(inode(fn2) == got[1], "  todo/ID is intd/ID") ;
  is_int(spares(), 1, "  one spare left") ;

  /* queued's order: the trim before a syncfs, then qwrite_sync */
  {
    unsigned long seq = 1 ;
    is_int(qwrite_openseq(&q, SPLIT, 4243, time(0), &seq), 0, "qwrite_openseq takes the last spare") ;
    got[2] = q.id ;
    ok(got[2] != got[0] && got[2] != got[1] && (got[2] == im || got[2] == ii || got[2] == it), "  its inode is the third spare's") ;
    is_int(write(q.fd, "queued message\n", 15), 15, "  the message is written") ;
    is_int(qwrite_intd_open(&q, "u1\0p3\0", 6), 0, "  qwrite_intd_open makes a new file (no spare left)") ;
    is_int(write(q.intdfd, "Fx@y\0Tz@w\0", 10), 10, "  the envelope is written") ;
    is_int(qwrite_trim(&q), 0, "  qwrite_trim") ;
    is_int(qwrite_sync(&q), 0, "  qwrite_sync") ;
    is_int(qwrite_close(&q), 0, "  qwrite_close") ;
    is_int(qwrite_link(&q), 0, "  qwrite_link") ;
    qwrite_done(&q) ;
    qpath_fmt(fn, "mess/", q.id, SPLIT) ;
    s = slurp(fn, &len) ;
    is_mem(s, len, "queued message\n", 15, "  mess/B/ID holds exactly the new message") ;
    qpath_fmt(fn, "todo/", q.id, SPLIT) ;
    s = slurp(fn, &len) ;
    is_mem(s, len, "u1\0p3\0Fx@y\0Tz@w\0", 16, "  todo/ID exactly the new envelope") ;
    is_int(spares(), 0, "  pid/ holds no spare") ;
    is_int(entries("pid"), 0, "  and nothing else") ;
  }

  if (chdir("/") == 0) { char cmd[64] ; snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl) ; if (system(cmd)) { } }
  return tap_done() ;
}
