/* ctlcache-rereads-changed-files: a smtppool worker's control files
 * (ctlcache.h) are opened again exactly when stat says they changed: an
 * edit in place of the same size within the same second (only the
 * mtime's nanoseconds differ, then only the ctime), a replacement by
 * rename with the same size and times, a removal, a creation; unchanged
 * files are served from memory without being opened; a file read within
 * the racy interval after its change is read again next time; cdbs stay
 * mapped until replaced; a read error is never remembered; a file no
 * longer read is no longer watched. And smtpconf_reload: the
 * environment's DATABYTES is applied at each call over an unchanged
 * control/databytes, whose removal counts at the next call. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/cdb.h>
#include <skalibs/cdbmake.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "ctlcache.h"
#include "smtpconf.h"
#include "tap.h"

static void bail(char const *what) { printf("Bail out! %s: %s\n", what, strerror(errno)) ; exit(1) ; }

static void pause_ms(long ms)
{
  struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L } ;
  nanosleep(&t, 0) ;
}

/* Writes text into fn in place (no truncation, same inode when it exists). */
static void overwrite(char const *fn, char const *text)
{
  int fd = open(fn, O_WRONLY | O_CREAT, 0644) ;
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0) bail(fn) ;
}

static void setmtime(char const *fn, time_t sec, long nsec)
{
  struct timespec t[2] = { { .tv_sec = sec, .tv_nsec = nsec }, { .tv_sec = sec, .tv_nsec = nsec } } ;
  if (utimensat(AT_FDCWD, fn, t, 0) < 0) bail("utimensat") ;
}

static void mkcdb(char const *fn, char const *key)
{
  cdbmaker c = CDBMAKER_ZERO ;
  int fd = open("cdb.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || !cdbmake_start(&c, fd) || !cdbmake_add(&c, key, strlen(key), "1", 1) || !cdbmake_finish(&c)) bail("cdbmake") ;
  close(fd) ;
  if (rename("cdb.tmp", fn) < 0) bail("rename") ;
}

static stralloc sa = STRALLOC_ZERO ;

/* fn through the cache: its text, "(absent)" or "(error)". */
static char const *get(struct ctlcache *c, char const *fn)
{
  int r ;
  sa.len = 0 ;
  r = ctlcache_read(c, &sa, fn) ;
  if (r < 0) return "(error)" ;
  if (!r) return "(absent)" ;
  if (!stralloc_0(&sa)) bail("stralloc") ;
  return sa.s ;
}

/* One round as a worker does it: 1 when the files had to be read again. */
static int round_(struct ctlcache *c, char const *fn, char const *want, char const *name)
{
  int changed = ctlcache_changed(c) ;
  if (changed)
  {
    is_str(get(c, fn), want, name) ;
    ctlcache_done(c, 1) ;
  }
  return changed ;
}

int main(void)
{
  char dir[] = "/tmp/ctlcache-test.XXXXXX" ;
  struct ctlcache c = CTLCACHE_ZERO ;
  struct stat st1, st2 ;
  unsigned long opened ;
  time_t s ;
  if (!mkdtemp(dir) || chdir(dir) < 0) bail("temporary directory") ;

  /* the stamps alone first: no racy interval */
  c.racy = 0 ;
  overwrite("f", "aaaa") ;
  s = time(0) - 100 ;
  setmtime("f", s, 100) ;
  is_int(round_(&c, "f", "aaaa", "the first round reads the file"), 1, "  and says so") ;
  is_int(c.opened, 1, "  opening it once") ;
  is_int(ctlcache_changed(&c), 0, "nothing changed: the next round keeps what was read") ;
  is_str(get(&c, "f"), "aaaa", "  and serves the file from memory") ;
  is_int(c.opened, 1, "  without opening it") ;

  overwrite("f", "bbbb") ;
  setmtime("f", s, 200) ;
  is_int(round_(&c, "f", "bbbb", "an edit in place, same size, same second, other mtime nanoseconds: read again"), 1, "  changed") ;

  if (stat("f", &st1) < 0) bail("stat") ;
  pause_ms(30) ;            /* past a tick of the file system's clock */
  overwrite("f", "cccc") ;
  setmtime("f", s, 200) ;
  if (stat("f", &st2) < 0) bail("stat") ;
  ok(st1.st_size == st2.st_size && st1.st_ino == st2.st_ino && st1.st_mtim.tv_sec == st2.st_mtim.tv_sec
     && st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec, "(the edit kept inode, size and mtime: only ctime tells)") ;
  is_int(round_(&c, "f", "cccc", "an edit that only the ctime shows: read again"), 1, "  changed") ;

  overwrite("f.new", "dddd") ;
  setmtime("f.new", s, 200) ;
  if (rename("f.new", "f") < 0) bail("rename") ;
  is_int(round_(&c, "f", "dddd", "replaced by rename with the same size and mtime: read again"), 1, "  changed") ;
  opened = c.opened ;
  is_int(round_(&c, "f", "", "(unused)"), 0, "then unchanged again") ;

  if (unlink("f") < 0) bail("unlink") ;
  is_int(round_(&c, "f", "(absent)", "removed: absent at the next round"), 1, "  changed") ;
  is_int(ctlcache_changed(&c), 0, "a file still absent is no change") ;
  is_str(get(&c, "f"), "(absent)", "  and is absent without an open") ;
  is_int(c.opened, opened, "  (none)") ;
  pause_ms(30) ;            /* racy is 0 here: the directory's next stamp must differ */
  overwrite("f", "eeee") ;
  is_int(round_(&c, "f", "eeee", "created: read at the next round"), 1, "  changed") ;

  /* a file no longer read is no longer watched */
  overwrite("g", "g1") ;
  setmtime("g", s, 0) ;
  setmtime("f", s, 0) ;
  ctlcache_changed(&c) ;
  get(&c, "f") ;
  get(&c, "g") ;
  ctlcache_done(&c, 1) ;
  overwrite("g", "g2") ;
  ok(ctlcache_changed(&c), "g changed") ;
  get(&c, "f") ;            /* this round reads f only */
  ctlcache_done(&c, 1) ;
  overwrite("g", "g3") ;
  is_int(ctlcache_changed(&c), 0, "a file not read in the last round is not watched") ;

  /* a failed round makes the next one read again */
  ctlcache_changed(&c) ;
  ctlcache_done(&c, 0) ;
  is_int(ctlcache_changed(&c), 1, "after a round that ended not ok the next round reads again") ;
  get(&c, "f") ;
  ctlcache_done(&c, 1) ;

  /* a read error is not remembered */
  if (mkdir("d", 0755) < 0) bail("mkdir") ;
  ctlcache_changed(&c) ;
  is_str(get(&c, "d"), "(error)", "a file that cannot be read is an error (EISDIR)") ;
  ctlcache_done(&c, 0) ;
  is_int(ctlcache_changed(&c), 1, "  and the next round tries it again") ;
  opened = c.opened ;
  is_str(get(&c, "d"), "(error)", "  failing the same way") ;
  ok(c.opened == opened + 1, "  after opening it again") ;
  if (rmdir("d") < 0) bail("rmdir") ;
  overwrite("d", "dfile") ;
  is_str(get(&c, "d"), "dfile", "  and once readable it is read") ;
  ctlcache_done(&c, 1) ;

  /* the racy interval */
  c.racy = 300000000ULL ;   /* 0.3 s */
  overwrite("r", "r1") ;
  ctlcache_changed(&c) ;
  is_str(get(&c, "r"), "r1", "a file read just after it changed") ;
  ctlcache_done(&c, 1) ;
  opened = c.opened ;
  is_int(ctlcache_changed(&c), 1, "  is read again at the next round even with the same stamp") ;
  pause_ms(400) ;
  is_str(get(&c, "r"), "r1", "  (its text)") ;
  is_int(c.opened, opened + 1, "  opening it") ;
  ctlcache_done(&c, 1) ;
  is_int(ctlcache_changed(&c), 0, "  and once read past the interval it is trusted") ;
  ctlcache_done(&c, 1) ;
  c.racy = 0 ;

  /* absent files are watched through their directory's stamp */
  {
    char const *names[4] = { "sub/a", "sub/b", "sub/c", "sub/link" } ;
    unsigned long st0 ;
    ctlcache_free(&c) ;       /* only these files from here on */
    if (mkdir("sub", 0755) < 0 || symlink("target", "sub/link") < 0) bail("sub") ;
    pause_ms(30) ;
    ctlcache_changed(&c) ;
    for (unsigned int k = 0 ; k < 4 ; k++) is_str(get(&c, names[k]), "(absent)", names[k]) ;
    ctlcache_done(&c, 1) ;
    st0 = c.statted ;
    is_int(ctlcache_changed(&c), 0, "three absent files and a dangling symlink: unchanged") ;
    is_int(c.statted - st0, 2, "  one stat of their directory, one of the symlink's name") ;
    st0 = c.statted ;
    is_int(ctlcache_changed(&c), 0, "  and again") ;
    is_int(c.statted - st0, 2, "  with the same two stats") ;
    pause_ms(30) ;
    overwrite("sub/target", "via link") ;
    st0 = c.statted ;
    is_int(ctlcache_changed(&c), 1, "the symlink's target created elsewhere in the directory: changed") ;
    for (unsigned int k = 0 ; k < 3 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/link"), "via link", "  read through the symlink") ;
    ctlcache_done(&c, 1) ;
    pause_ms(30) ;
    if (rename("sub/target", "target2") < 0) bail("rename") ;
    is_int(ctlcache_changed(&c), 1, "the target moved out") ;
    for (unsigned int k = 0 ; k < 3 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/link"), "(absent)", "  the symlink dangles again") ;
    ctlcache_done(&c, 1) ;
    if (rename("target2", "../target.out") < 0 && errno != EXDEV) {}
    unlink("target2") ;
    /* a target outside the directory: its creation does not touch sub/ */
    if (unlink("sub/link") < 0 || symlink("../outside", "sub/link") < 0) bail("symlink") ;
    ctlcache_changed(&c) ;
    for (unsigned int k = 0 ; k < 3 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/link"), "(absent)", "a symlink to a file outside the directory, absent") ;
    ctlcache_done(&c, 1) ;
    pause_ms(30) ;
    overwrite("outside", "out") ;
    is_int(ctlcache_changed(&c), 1, "  created there: changed, though sub/ did not change") ;
    for (unsigned int k = 0 ; k < 3 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/link"), "out", "  and read") ;
    ctlcache_done(&c, 1) ;
    pause_ms(30) ;
    overwrite("sub/b", "bee") ;
    is_int(ctlcache_changed(&c), 1, "one of the absent files created: changed") ;
    for (unsigned int k = 0 ; k < 4 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/b"), "bee", "  read") ;
    ctlcache_done(&c, 1) ;
    st0 = c.statted ;
    is_int(ctlcache_changed(&c), 0, "  then unchanged again") ;
    is_int(c.statted - st0, 3, "  the others trusted through the directory again (sub/, sub/b, sub/link)") ;

    /* a directory changed less than racy ago is not trusted */
    c.racy = 10000000000ULL ;  /* 10 s */
    pause_ms(30) ;
    overwrite("sub/d", "") ;
    if (unlink("sub/d") < 0) bail("unlink") ;
    ctlcache_changed(&c) ;
    for (unsigned int k = 0 ; k < 4 ; k++) get(&c, names[k]) ;
    is_str(get(&c, "sub/d"), "(absent)", "a file absent from a directory that just changed") ;
    ctlcache_done(&c, 1) ;
    st0 = c.statted ;
    ctlcache_changed(&c) ;
    is_int(c.statted - st0, 6, "  is stat'ed itself, as are its neighbours, while the change is recent (and the directory once)") ;
    ctlcache_done(&c, 1) ;
    c.racy = 0 ;
    unlink("sub/b") ; unlink("sub/link") ; unlink("outside") ; rmdir("sub") ;
    ctlcache_free(&c) ;
  }

  /* cdbs: kept mapped, mapped again when replaced */
  {
    cdb m = CDB_ZERO, m2 = CDB_ZERO ;
    cdb_data d ;
    mkcdb("t.cdb", "one") ;
    ctlcache_changed(&c) ;
    ok(ctlcache_cdb(&c, &m, "t.cdb") == 1 && cdb_find(&m, &d, "one", 3) == 1, "a cdb through the cache") ;
    ctlcache_done(&c, 1) ;
    opened = c.opened ;
    is_int(ctlcache_changed(&c), 0, "  unchanged at the next round") ;
    ok(ctlcache_cdb(&c, &m2, "t.cdb") == 1 && m2.map == m.map, "  the same mapping, kept") ;
    is_int(c.opened, opened, "  not opened again") ;
    mkcdb("t.cdb", "two") ;
    is_int(ctlcache_changed(&c), 1, "replaced by rename (as cdbmake does)") ;
    ok(ctlcache_cdb(&c, &m, "t.cdb") == 1 && cdb_find(&m, &d, "two", 3) == 1 && cdb_find(&m, &d, "one", 3) == 0,
       "  the new table is mapped") ;
    ctlcache_done(&c, 1) ;
    if (unlink("t.cdb") < 0) bail("unlink") ;
    is_int(ctlcache_changed(&c), 1, "removed") ;
    errno = 0 ;
    ok(ctlcache_cdb(&c, &m, "t.cdb") == 0 && errno == ENOENT, "  absent: 0 with ENOENT, as cdb_init") ;
    ctlcache_done(&c, 1) ;
  }
  ctlcache_free(&c) ;

  /* smtpconf_reload: the files once, the environment at each call */
  {
    static struct smtpconf conf ;
    struct ctlcache cc = CTLCACHE_ZERO ;
    unsigned long n ;
    cc.racy = 0 ;
    if (mkdir("control", 0755) < 0 || mkdir("users", 0755) < 0) bail("mkdir") ;
    overwrite("control/rcpthosts", "example.org\n") ;
    overwrite("control/databytes", "500\n") ;
    unsetenv("DATABYTES") ;
    ok(smtpconf_reload(&conf, &cc) && conf.databytes == 500, "smtpconf_reload: control/databytes") ;
    n = cc.opened ;
    setenv("DATABYTES", "300", 1) ;
    ok(smtpconf_reload(&conf, &cc) && conf.databytes == 300, "  $DATABYTES over it for this connection") ;
    unsetenv("DATABYTES") ;
    ok(smtpconf_reload(&conf, &cc) && conf.databytes == 500, "  and the file's value back for the next") ;
    is_int(cc.opened, n, "  without opening any file again") ;
    if (unlink("control/databytes") < 0) bail("unlink") ;
    ok(smtpconf_reload(&conf, &cc) && conf.databytes == 0, "the file removed: no limit at the next call") ;
    ok(smtpconf_rcpthost(&conf, "example.org", 11), "  rcpthosts still as read") ;
    if (unlink("control/rcpthosts") < 0) bail("unlink") ;
    ok(!smtpconf_reload(&conf, &cc), "rcpthosts removed: the next call fails, as smtpconf_load") ;
    ok(!smtpconf_reload(&conf, &cc), "  and the one after") ;
    overwrite("control/rcpthosts", "example.net\n") ;
    ok(smtpconf_reload(&conf, &cc) && smtpconf_rcpthost(&conf, "example.net", 11) && !smtpconf_rcpthost(&conf, "example.org", 11),
       "  until it is back, with its new text") ;
    smtpconf_free(&conf) ;
    ctlcache_free(&cc) ;
    control_usecache(0) ;
    unlink("control/rcpthosts") ;
    rmdir("control") ;
    rmdir("users") ;
  }

  unlink("f") ; unlink("g") ; unlink("d") ; unlink("r") ;
  if (chdir("/") < 0 || rmdir(dir) < 0) bail("remove the temporary directory") ;
  stralloc_free(&sa) ;
  return tap_done() ;
}
