/* lspawnjob.c: starts one local delivery and turns its end into a result. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/setgroups.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "auto.h"
#include "localmain.h"
#include "lookup.h"
#include "lspawnjob.h"
#include "qpath.h"
#include "spawner.h"

static stralloc localprog = STRALLOC_ZERO ;   /* conf-home/bin/local */
static stralloc defaultdelivery = STRALLOC_ZERO ;
static struct lookup lk = LOOKUP_ZERO ;

/* Whether bin/local is cairn's local (it holds LOCALMAIN_MARK), for the
 * bin/local that had this identity: a replaced or rewritten file changes
 * the inode or the ctime, and is looked at again. */
static struct { dev_t dev ; ino_t ino ; off_t size ; struct timespec mtime, ctime ; int ours ; } self = { .ino = 0 } ;

static int hasmark(char const *fn, off_t size)
{
  int fd, r = 0 ;
  void *p ;
  if (size <= 0 || (unsigned long long)size > (size_t)-1) return 0 ;
  fd = open_readb(fn) ;
  if (fd < 0) return 0 ;
  p = mmap(0, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0) ;
  fd_close(fd) ;
  if (p == MAP_FAILED) return 0 ;
  r = !!memmem(p, (size_t)size, localmain_mark, sizeof LOCALMAIN_MARK - 1) ;
  munmap(p, (size_t)size) ;
  return r ;
}

/* 1 when the delivery may run in the child without exec. Anything odd
 * (no bin/local, an unreadable one) says 0: the exec path then reports
 * it as it always has. */
static int localisours(void)
{
  struct stat st ;
  if (stat(localprog.s, &st) < 0 || !S_ISREG(st.st_mode)) return 0 ;
  if (self.ino != st.st_ino || self.dev != st.st_dev || self.size != st.st_size
   || self.mtime.tv_sec != st.st_mtim.tv_sec || self.mtime.tv_nsec != st.st_mtim.tv_nsec
   || self.ctime.tv_sec != st.st_ctim.tv_sec || self.ctime.tv_nsec != st.st_ctim.tv_nsec)
  {
    self.dev = st.st_dev ; self.ino = st.st_ino ; self.size = st.st_size ;
    self.mtime = st.st_mtim ; self.ctime = st.st_ctim ;
    self.ours = hasmark(localprog.s, st.st_size) ;
  }
  return self.ours ;
}

int lspawnjob_init(char const *dd)
{
  return stralloc_copys(&localprog, auto_home) && stralloc_cats(&localprog, "/bin/local") && stralloc_0(&localprog)
    && stralloc_copys(&defaultdelivery, dd) && stralloc_0(&defaultdelivery) ;
}

/* Texts end with a newline, as local's own explanations do. */
static int settext(stralloc *sa, char const *a, char const *b, char const *c)
{
  sa->len = 0 ;
  return stralloc_cats(sa, a) && stralloc_cats(sa, b) && stralloc_cats(sa, c) && stralloc_catb(sa, "\n", 1) ;
}

/* In the child, with the output pipe on fd 1: says why the delivery cannot
 * start, and exits 111 so that it is retried. */
static void childfail2(char const *what, char const *obj, int e)
{
  char const *reason = e ? strerror(e) : 0 ;
  allwrite(1, what, strlen(what)) ;
  allwrite(1, obj, strlen(obj)) ;
  if (reason) { allwrite(1, ": ", 2) ; allwrite(1, reason, strlen(reason)) ; }
  allwrite(1, " (#4.3.0)\n", 10) ;
  _exit(111) ;
}
static void childfail(char const *what, int e)
{
  childfail2(what, "", e) ;
}

static void child(char const *messfn, int outfd, int argc, char const *const *argv, int inprocess)
{
  int fd ;
  spawner_child() ;
  /* fd 0 and 1 are still lspawn's request and result pipes here: both are
   * replaced before local can see them. */
  if (fd_move(1, outfd) < 0 || fd_copy(2, 1) < 0) _exit(111) ;
  /* Every other descriptor of lspawn is close-on-exec: without the exec,
   * close them, so that the delivery sees what local would see. */
  if (inprocess && close_range(3, ~0U, 0) < 0) childfail("Unable to close descriptors", errno) ;
  fd = open_readb(messfn) ;
  if (fd < 0) childfail("Unable to open message", errno) ;
  if (fd_move(0, fd) < 0) childfail("Unable to open message", errno) ;
  if (!auto_singleuser)
  {
    /* setgroups_and_gid sets the groups list only (with gid first, which
     * the BSDs take as the egid); setgid sets the gid itself. */
    if (setgroups_and_gid(lk.gid, 0, 0) < 0 || setgid(lk.gid) < 0)
      childfail("Unable to switch to the user's group", errno) ;
    if (setuid(lk.uid) < 0) childfail("Unable to switch to the user", errno) ;
    if (!getuid()) childfail("Not allowed to perform deliveries as root.", 0) ;
  }
  /* named, as qmail-local names it: the admin must see which home is missing */
  if (chdir(lk.home) < 0) childfail2("Unable to switch to ", lk.home, errno) ;
  /* local's own code, already in this process: the delivery is the same,
   * minus the cost of an exec (and of loading a program) per message. */
  if (inprocess) localmain(argc, argv) ;
  execv(argv[0], (char *const *)argv) ;
  childfail("Unable to run local", errno) ;
}

pid_t lspawnjob_start(struct spawnreq const *r, int outfd, stralloc *err)
{
  static char local[SPAWNPROTO_ADDR_MAX + 1] ;
  char messfn[6 + QPATH_MAX] = "queue/" ;
  char const *at = memrchr(r->recip, '@', r->reciplen) ;
  size_t locallen = at ? (size_t)(at - r->recip) : r->reciplen ;
  char const *domain = at ? at + 1 : "" ;
  pid_t pid ;
  int inprocess ;

  memcpy(local, r->recip, locallen) ;
  local[locallen] = 0 ;
  switch (lookup_local(local, locallen, &lk))
  {
    case 1: break ;
    case 0:
      return settext(err, "Sorry, no mailbox here by that name. (#5.1.1)", "", "") ? 0 : -1 ;
    default:
    {
      char const *why = lookup_error.len ? lookup_error.s : "unable to look up the user" ;
      settext(err, "lspawn: ", why, strstr(why, "(#") ? "" : " (#4.3.0)") ;
      return -1 ;
    }
  }
  if (!auto_singleuser && !lk.uid)
  {
    settext(err, "Not allowed to perform deliveries as root. (#4.3.0)", "", "") ;
    return -1 ;
  }
  qpath_fmt(messfn + 6, "mess/", r->id, auto_split) ;

  char const *argv[] = {
    localprog.s, "--", lk.user, lk.home, local, lk.dash, lk.ext, domain, r->sender, defaultdelivery.s, 0
  } ;
  inprocess = localisours() ;
  pid = fork() ;
  if (pid < 0)
  {
    settext(err, "lspawn: unable to fork: ", strerror(errno), " (#4.3.0)") ;
    return -1 ;
  }
  if (!pid) child(messfn, outfd, (int)(sizeof argv / sizeof *argv) - 1, argv, inprocess) ;
  return pid ;
}

/* local's text when it gave one, else a fixed one for its exit code. */
static int explain(stralloc *text, char const *out, size_t outlen, int code)
{
  char num[UINT_FMT] ;
  if (outlen) return stralloc_catb(text, out, outlen) ;
  if (!code) return stralloc_cats(text, "Delivered.\n") ;
  num[uint_fmt(num, (unsigned int)code)] = 0 ;
  return settext(text, "local exited ", num, code == 100 ? " without explanation. (#5.3.0)" : " without explanation. (#4.3.0)") ;
}

char lspawnjob_report(int wstat, char const *out, size_t outlen, stralloc *text)
{
  int code ;
  text->len = 0 ;
  if (WIFSIGNALED(wstat) || !WIFEXITED(wstat))
  {
    if (!stralloc_cats(text, "local crashed. (#4.3.0)\n")) text->len = 0 ;
    return 'Z' ;
  }
  code = WEXITSTATUS(wstat) ;
  if (!explain(text, out, outlen, code)) text->len = 0 ;
  return code == 0 ? 'K' : code == 100 ? 'D' : 'Z' ;
}
