/* rspawnwork.c: rspawn's remote delivery workers (rspawnwork.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/gccattributes.h>
#include "localjob.h"
#include "remotework.h"
#include "rspawnjob.h"
#include "rspawnwork.h"
#include "spawner.h"
#include "workpool.h"

static char const *remoteprog ;
/* Set by a vforked child that fails before its exec. */
static volatile int childerr ;

static void gccattr_noreturn child(int sock)
{
  char const *argv[3] = { remoteprog, "-W", 0 } ;
  spawner_child() ;
  if (dup2(sock, 0) < 0 || dup2(2, 1) < 0) { childerr = errno ? errno : EBADF ; _exit(111) ; }
  execv(argv[0], (char *const *)argv) ;
  childerr = errno ? errno : ENOEXEC ;
  _exit(111) ;
}

static pid_t forkworker(int sock, void const *arg)
{
  pid_t pid ;
  (void)arg ;
  childerr = 0 ;
  pid = vfork() ;
  if (!pid) child(sock) ;
  return childerr ? -1 : pid ;
}

static struct workpool_ops ops = {
  .what = "remote", .fork = &forkworker, .report = &rspawnjob_report, .lapse = REMOTEWORK_KEEP
} ;

void rspawnwork_init(char const *prog, unsigned int max)
{
  remoteprog = prog ;
  ops.prog = prog ;
  ops.hello = REMOTEWORK_HELLO ;
  ops.hellolen = sizeof REMOTEWORK_HELLO - 1 ;
  workpool_init(&ops, max) ;
}

int rspawnwork_hand(struct spawnreq const *r, char const *domain, char const *messfn, stralloc *err)
{
  static stralloc pkt = STRALLOC_ZERO ;
  char const *args[REMOTEWORK_ARGS] = { domain, r->sender, r->recip } ;
  pkt.len = 0 ;
  if (!localjob_putargs(&pkt, args, REMOTEWORK_ARGS)) return 0 ;
  return workpool_hand(r, domain, strlen(domain), pkt.s, pkt.len, messfn, 0, err) ;
}
