/* lspawnwork.c: lspawn's local delivery workers (lspawnwork.h). */
#include <errno.h>
#include <unistd.h>
#include <skalibs/gccattributes.h>
#include <skalibs/types.h>
#include "localjob.h"
#include "lspawnjob.h"
#include "lspawnwork.h"
#include "spawner.h"
#include "workpool.h"

static char const *localprog ;
/* Set by a vforked child that fails before its exec (vfork shares our
 * memory; we run again only once it has exec'd or exited). */
static volatile int childerr ;

/* The vforked child: becomes the user as the per-delivery child does,
 * with the socket on fd 0 and lspawn's log (fd 2) on fds 1 and 2. */
static void gccattr_noreturn child(int sock, struct lookup const *lk)
{
  char const *argv[3] = { localprog, "-W", 0 } ;
  spawner_child() ;
  if (dup2(sock, 0) < 0 || dup2(2, 1) < 0 || lspawnjob_become(lk)) { childerr = errno ? errno : EPERM ; _exit(111) ; }
  execv(argv[0], (char *const *)argv) ;
  childerr = errno ? errno : ENOEXEC ;
  _exit(111) ;
}

/* A child that could not become the user or run local counts as not
 * started: the per-delivery path fails the same way and says why. */
static pid_t forkworker(int sock, void const *arg)
{
  pid_t pid ;
  childerr = 0 ;
  pid = vfork() ;
  if (!pid) child(sock, arg) ;
  return childerr ? -1 : pid ;
}

static struct workpool_ops ops = { .what = "local", .fork = &forkworker, .report = &lspawnjob_report } ;

void lspawnwork_init(char const *prog, unsigned int max)
{
  localprog = prog ;
  ops.prog = prog ;
  ops.hello = localjob_hello(&ops.hellolen) ;
  workpool_init(&ops, max) ;
}

int lspawnwork_hand(struct spawnreq const *r, struct lookup const *lk, char const *messfn, char const *const *args, stralloc *err)
{
  static stralloc pkt = STRALLOC_ZERO, key = STRALLOC_ZERO ;
  char num[UINT_FMT] ;
  pkt.len = 0 ;
  if (!localjob_putjob(&pkt, args)) return 0 ;
  /* uid, gid and home, each ending in NUL */
  key.len = 0 ;
  if (!stralloc_catb(&key, num, uint_fmt(num, (unsigned int)lk->uid)) || !stralloc_0(&key)
   || !stralloc_catb(&key, num, uint_fmt(num, (unsigned int)lk->gid)) || !stralloc_0(&key)
   || !stralloc_cats(&key, lk->home) || !stralloc_0(&key)) return 0 ;
  return workpool_hand(r, key.s, key.len, pkt.s, pkt.len, messfn, lk, err) ;
}
