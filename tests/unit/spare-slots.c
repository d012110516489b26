/* spare-slots: recycled queue files (spare.c) in a scratch directory: a
 * removed file becomes a spare and keeps its inode, the next file takes
 * it, the slots bound the spares, a spare with a second link is never
 * written over, and a writer trims the old bytes it did not overwrite. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "spare.h"
#include "tap.h"

static ino_t make(char const *fn, char const *data)
{
  struct stat st ;
  int fd = open(fn, O_WRONLY | O_CREAT | O_EXCL, 0600) ;
  if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data) || fstat(fd, &st) < 0) { perror(fn) ; exit(1) ; }
  close(fd) ;
  return st.st_ino ;
}

static ino_t inode(char const *fn)
{
  struct stat st ;
  return lstat(fn, &st) < 0 ? 0 : st.st_ino ;
}

static unsigned int count(char const *dir)
{
  char cmd[256] ;
  FILE *p ;
  unsigned int n = 0 ;
  snprintf(cmd, sizeof cmd, "ls %s | grep -c '^spare\\.'", dir) ;
  p = popen(cmd, "r") ;
  if (!p || fscanf(p, "%u", &n) != 1) n = 9999 ;
  if (p) pclose(p) ;
  return n ;
}

int main(void)
{
  char tmpl[] = "/tmp/spare-slots.XXXXXX" ;
  struct spares put = SPARES_ZERO("pid"), take = SPARES_ZERO("pid") ;
  char buf[64] ;
  ino_t a ;
  int fd ;
  ssize_t r ;

  if (!mkdtemp(tmpl) || chdir(tmpl) < 0 || mkdir("pid", 0700) < 0 || mkdir("mess", 0700) < 0) { perror("scratch") ; return 1 ; }

  /* no spare: the writer is told to create */
  errno = 0 ;
  is_int(spare_open(&take, "mess/1"), -1, "no spare yet: spare_open returns -1") ;
  is_int(errno, ENOENT, "  with ENOENT (create the file yourself)") ;
  ok(!inode("mess/1"), "  and makes no file") ;

  /* a removed file becomes a spare with its inode */
  a = make("mess/old", "the old message, longer than the new one\n") ;
  is_int(spare_put(&put, "mess/old"), 1, "spare_put reports the file gone") ;
  ok(!inode("mess/old"), "  its queue name is gone") ;
  is_int(count("pid"), 1, "  one spare in pid/") ;
  ok(inode("pid/spare.0") == a, "  slot 0 holds the same inode") ;

  /* another process (its own struct) finds it by reading the directory,
   * once SPARE_RESCAN takes have found nothing since it last looked */
  for (unsigned int i = 0 ; i < SPARE_RESCAN ; i++) spare_open(&take, "mess/none") ;
  ok(!inode("mess/none"), "takes before the next look at pid/ find nothing") ;
  fd = spare_open(&take, "mess/new") ;
  ok(fd >= 0, "spare_open takes the spare") ;
  ok(inode("mess/new") == a, "  under the new name, same inode (no allocation)") ;
  is_int(count("pid"), 0, "  and the slot is free again") ;
  is_int(write(fd, "new\n", 4), 4, "  it can be written") ;
  ok(spare_trim(fd, 4), "  spare_trim cuts the old bytes off") ;
  close(fd) ;
  fd = open("mess/new", O_RDONLY) ;
  r = read(fd, buf, sizeof buf) ;
  close(fd) ;
  is_mem(buf, r < 0 ? 0 : (size_t)r, "new\n", 4, "  the file holds exactly the new bytes") ;

  /* the target name must not exist: never overwritten */
  make("mess/taken", "someone's\n") ;
  spare_put(&put, "mess/new") ;
  take.sincescan = SPARE_RESCAN ;
  errno = 0 ;
  is_int(spare_open(&take, "mess/taken"), -1, "a target that exists is refused") ;
  is_int(errno, EEXIST, "  with EEXIST") ;
  fd = open("mess/taken", O_RDONLY) ;
  r = read(fd, buf, sizeof buf) ;
  close(fd) ;
  is_mem(buf, r < 0 ? 0 : (size_t)r, "someone's\n", 10, "  and keeps its bytes") ;

  /* a spare with a second link is dropped, not written over */
  {
    struct spares p2 = SPARES_ZERO("pid"), t2 = SPARES_ZERO("pid") ;
    system("rm -f pid/spare.* mess/*") ;
    a = make("mess/linked", "still referenced\n") ;
    link("mess/linked", "mess/other-name") ;
    spare_put(&p2, "mess/linked") ;
    errno = 0 ;
    is_int(spare_open(&t2, "mess/x"), -1, "a spare with another link is not used") ;
    is_int(errno, ENOENT, "  the caller creates a file instead") ;
    ok(!inode("mess/x"), "  the name it was taken under is removed") ;
    ok(inode("mess/other-name") == a, "  the other link is untouched") ;
  }

  /* the slots bound the spares */
  {
    struct spares p3 = SPARES_ZERO("pid") ;
    char fn[32] ;
    unsigned int gone = 0 ;
    system("rm -f pid/spare.* mess/*") ;
    for (unsigned int i = 0 ; i < SPARE_SLOTS + 5 ; i++)
    {
      snprintf(fn, sizeof fn, "mess/%u", i) ;
      make(fn, "x") ;
      gone += spare_put(&p3, fn) ;
    }
    is_int(gone, SPARE_SLOTS + 5, "every file put is gone from its queue name") ;
    is_int(count("pid"), SPARE_SLOTS, "  but only SPARE_SLOTS spares are kept") ;
    is_int(count("mess"), 0, "  the rest were unlinked") ;
  }

  /* slots found full: the next puts unlink without trying them, until
   * this process takes a spare, whose slot the next put fills */
  {
    struct spares p5 = SPARES_ZERO("pid") ;
    char fn[32] ;
    int fd ;
    system("rm -f pid/spare.* mess/*") ;
    for (unsigned int i = 0 ; i < SPARE_SLOTS ; i++)
    {
      snprintf(fn, sizeof fn, "mess/%u", i) ;
      make(fn, "x") ;
      spare_put(&p5, fn) ;
    }
    is_int(count("pid"), SPARE_SLOTS, "full: every slot holds a spare") ;
    make("mess/over", "x") ;
    is_int(spare_put(&p5, "mess/over"), 1, "full: a put finds no slot and unlinks") ;
    ok(!inode("mess/over") && count("pid") == SPARE_SLOTS, "  the file is gone, the spares unchanged") ;
    ok(unlink("pid/spare.7") == 0, "full: a spare taken by another process") ;
    make("mess/after", "x") ;
    is_int(spare_put(&p5, "mess/after"), 1, "full: the next put reports the file gone") ;
    ok(!inode("mess/after") && count("pid") == SPARE_SLOTS - 1, "  unlinked without trying the slots: the free one stays free") ;
    fd = spare_open(&p5, "mess/taken") ;
    ok(fd >= 0, "full: this process takes a spare") ;
    if (fd >= 0) close(fd) ;
    is_int(count("pid"), SPARE_SLOTS - 2, "  two slots are free now") ;
    make("mess/back", "x") ;
    spare_put(&p5, "mess/back") ;
    ok(!inode("mess/back") && count("pid") == SPARE_SLOTS - 1 && !inode("pid/spare.7"),
      "  the next put fills the slot taken, at once, not the other free one") ;
  }
  {
    struct spares p6 = SPARES_ZERO("pid") ;
    char fn[32] ;
    system("rm -f pid/spare.* mess/*") ;
    for (unsigned int i = 0 ; i < SPARE_SLOTS + 1 ; i++)
    {
      snprintf(fn, sizeof fn, "mess/%u", i) ;
      make(fn, "x") ;
      spare_put(&p6, fn) ;
    }
    system("rm -f pid/spare.*") ;
    for (unsigned int i = 0 ; i < SPARE_RESCAN ; i++)
    {
      snprintf(fn, sizeof fn, "mess/s%u", i) ;
      make(fn, "x") ;
      spare_put(&p6, fn) ;
    }
    is_int(count("pid") + count("mess"), 0, "full: SPARE_RESCAN puts unlink, even with the slots emptied meanwhile") ;
    make("mess/again", "x") ;
    spare_put(&p6, "mess/again") ;
    is_int(count("pid"), 1, "  then a put tries the slots again") ;
  }

  /* a put into slots found full again and again (clean in a long queue
   * drain, where nothing takes its spares) looks at the directory less
   * and less often: each look reads every slot's name. It still looks
   * again in the end. */
  {
    struct spares p9 = SPARES_ZERO("pid") ;
    char fn[32] ;
    unsigned int puts = 0 ;
    system("rm -f pid/spare.* mess/*") ;
    for (unsigned int i = 0 ; i < SPARE_SLOTS + 300 ; i++)
    {
      snprintf(fn, sizeof fn, "mess/%u", i) ;
      make(fn, "x") ;
      spare_put(&p9, fn) ;
    }
    is_int(count("pid"), SPARE_SLOTS, "backoff: the slots are full") ;
    system("rm -f pid/spare.*") ;
    while (puts < 4 * SPARE_SLOTS && !count("pid"))
    {
      snprintf(fn, sizeof fn, "mess/z%u", puts++) ;
      make(fn, "x") ;
      spare_put(&p9, fn) ;
    }
    is_int(count("pid"), 1, "backoff: once the slots are emptied, a put finds one again") ;
    ok(puts > SPARE_RESCAN + 1 && puts <= (SPARE_RESCAN << SPARE_BACKOFF) + 1,
      "  after more puts than SPARE_RESCAN (the looks in a row found them full), at most its 64-fold") ;
    printf("# %u puts before a put looked again\n", puts) ;
    is_int(count("mess"), 0, "  the puts before it unlinked their files") ;
  }

  /* one process that takes and puts in bursts (send: a group of entries
   * preprocessed, then their messages ending) with the slots nearly
   * full keeps the same inodes going round: every put finds an empty
   * slot, no file is unlinked and none created. The spares were put by
   * another process (an earlier send), so this one learns them by reading
   * the directory, in its order. It once guessed the next slot after the
   * last one taken, found it full, and unlinked. */
  {
    struct spares p7 = SPARES_ZERO("pid"), p8 = SPARES_ZERO("pid") ;
    ino_t orig[120] ;
    char fn[32] ;
    unsigned int created = 0, failedputs = 0, lost = 0 ;
    system("rm -f pid/spare.* mess/*") ;
    for (unsigned int i = 0 ; i < 120 ; i++)
    {
      snprintf(fn, sizeof fn, "mess/f%u", i) ;
      orig[i] = make(fn, "x") ;
      spare_put(&p7, fn) ;
    }
    is_int(count("pid"), 120, "bursts: 120 spares to begin with") ;
    for (unsigned int round = 0 ; round < 50 ; round++)
    {
      for (unsigned int i = 0 ; i < 40 ; i++)
      {
        int fd ;
        snprintf(fn, sizeof fn, "mess/b%u", i) ;
        fd = spare_open(&p8, fn) ;
        if (fd < 0) { created++ ; make(fn, "y") ; }
        else close(fd) ;
      }
      for (unsigned int i = 0 ; i < 40 ; i++)
      {
        snprintf(fn, sizeof fn, "mess/b%u", i) ;
        spare_put(&p8, fn) ;
        if (inode(fn)) failedputs++ ;
      }
    }
    is_int(created, 0, "bursts: 50 rounds of 40 takes, then 40 puts: every take found a spare") ;
    is_int(failedputs, 0, "  every put left its name") ;
    is_int(count("pid"), 120, "  the 120 spares are all back") ;
    for (unsigned int i = 0 ; i < 120 ; i++)
    {
      int there = 0 ;
      for (unsigned int k = 0 ; k < SPARE_SLOTS && !there ; k++)
      {
        char sl[32] ;
        snprintf(sl, sizeof sl, "pid/spare.%u", k) ;
        there = inode(sl) == orig[i] ;
      }
      lost += !there ;
    }
    is_int(lost, 0, "  with the same inodes: none was unlinked and made again") ;
  }

  /* a missing spare directory (a qmail queue): plain unlink */
  {
    struct spares p4 = SPARES_ZERO("nodir"), t4 = SPARES_ZERO("nodir") ;
    make("mess/q", "x") ;
    is_int(spare_put(&p4, "mess/q"), 1, "no spare directory: the file is unlinked") ;
    ok(!inode("mess/q"), "  and gone") ;
    errno = 0 ;
    is_int(spare_open(&t4, "mess/q2"), -1, "  and nothing to take") ;
    is_int(errno, ENOENT, "  ENOENT") ;
    is_int(spare_put(&p4, "mess/never"), 1, "a file already gone counts as gone") ;
  }

  if (chdir("/") == 0) { char cmd[64] ; snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl) ; system(cmd) ; }
  return tap_done() ;
}
