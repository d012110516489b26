/* lspawnjob.c: starts one local delivery and turns its end into a result. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/setgroups.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "auto.h"
#include "lookup.h"
#include "lspawnjob.h"
#include "lspawnwork.h"
#include "workpool.h"
#include "qpath.h"
#include "spawner.h"

static stralloc localprog = STRALLOC_ZERO ;   /* conf-home/bin/local */
static stralloc defaultdelivery = STRALLOC_ZERO ;
static struct lookup lk = LOOKUP_ZERO ;

int lspawnjob_init(char const *dd, unsigned int maxprocs)
{
  if (!stralloc_copys(&localprog, auto_home) || !stralloc_cats(&localprog, "/bin/local") || !stralloc_0(&localprog)
   || !stralloc_copys(&defaultdelivery, dd) || !stralloc_0(&defaultdelivery)) return 0 ;
  lspawnwork_init(localprog.s, maxprocs) ;
  return 1 ;
}

int lspawnjob_become(struct lookup const *u)
{
  if (!auto_singleuser)
  {
    /* setgroups_and_gid sets the groups list only (with gid first, which
     * the BSDs take as the egid); setgid sets the gid itself. */
    if (setgroups_and_gid(u->gid, 0, 0) < 0 || setgid(u->gid) < 0) return 1 ;
    if (setuid(u->uid) < 0) return 2 ;
    if (!getuid()) { errno = 0 ; return 3 ; }
  }
  return chdir(u->home) < 0 ? 4 : 0 ;
}

/* Texts end with a newline, as local's own explanations do. */
static int settext(stralloc *sa, char const *a, char const *b, char const *c)
{
  sa->len = 0 ;
  return stralloc_cats(sa, a) && stralloc_cats(sa, b) && stralloc_cats(sa, c) && stralloc_catb(sa, "\n", 1) ;
}

/* In the child, with the output pipe on fd 1: says why the delivery cannot
 * start, and exits 111 so that it is retried. */
static void gccattr_noreturn childfail2(char const *what, char const *obj, int e)
{
  char const *reason = e ? strerror(e) : 0 ;
  allwrite(1, what, strlen(what)) ;
  allwrite(1, obj, strlen(obj)) ;
  if (reason) { allwrite(1, ": ", 2) ; allwrite(1, reason, strlen(reason)) ; }
  allwrite(1, " (#4.3.0)\n", 10) ;
  _exit(111) ;
}
static void gccattr_noreturn childfail(char const *what, int e)
{
  childfail2(what, "", e) ;
}

static void child(char const *messfn, int outfd, char const *const *argv)
{
  int fd ;
  spawner_child() ;
  /* fd 0 and 1 are still lspawn's request and result pipes here: both are
   * replaced before local can see them. */
  if (fd_move(1, outfd) < 0 || fd_copy(2, 1) < 0) _exit(111) ;
  fd = open_readb(messfn) ;
  if (fd < 0) childfail("Unable to open message", errno) ;
  if (fd_move(0, fd) < 0) childfail("Unable to open message", errno) ;
  switch (lspawnjob_become(&lk))
  {
    case 1: childfail("Unable to switch to the user's group", errno) ;
    case 2: childfail("Unable to switch to the user", errno) ;
    case 3: childfail("Not allowed to perform deliveries as root.", 0) ;
    /* named, as qmail-local names it: the admin must see which home is missing */
    case 4: childfail2("Unable to switch to ", lk.home, errno) ;
  }
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
  switch (lspawnwork_hand(r, &lk, messfn, argv + 2, err))
  {
    case 1: return SPAWNER_ELSEWHERE ;
    case -1: return -1 ;
  }
  /* vfork: local is a static program (conf-static), and on this kind of
   * machine copying lspawn's page tables for a fork, and the copy-on-write
   * faults after it, cost more than the exec (bench/README.md: a fork of
   * lspawn running local's code in the child, without exec, measured
   * slower). Until the execv the child shares our memory and runs only
   * system calls on its own stack and descriptors; it changes its own
   * signal dispositions and credentials, which vfork does not share, and
   * no handler of ours can run in it (SIGCHLD, the one lspawn takes, is
   * back to its default before the mask is emptied). */
  pid = vfork() ;
  if (pid < 0)
  {
    settext(err, "lspawn: unable to fork: ", strerror(errno), " (#4.3.0)") ;
    return -1 ;
  }
  if (!pid) child(messfn, outfd, argv) ;
  workpool_childstart() ;
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

char lspawnjob_childreport(int wstat, char const *out, size_t outlen, stralloc *text)
{
  workpool_childend() ;
  return lspawnjob_report(wstat, out, outlen, text) ;
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
