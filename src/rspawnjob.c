/* rspawnjob.c: starts one remote delivery and turns remote's report into
 * a result (rspawnjob.h). */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "auto.h"
#include "qpath.h"
#include "rspawnjob.h"
#include "rspawnwork.h"
#include "spawner.h"
#include "workpool.h"

static stralloc remoteprog = STRALLOC_ZERO ;   /* conf-home/bin/remote */

int rspawnjob_init(unsigned int maxprocs)
{
  if (!stralloc_copys(&remoteprog, auto_home) || !stralloc_cats(&remoteprog, "/bin/remote") || !stralloc_0(&remoteprog))
    return 0 ;
  rspawnwork_init(remoteprog.s, maxprocs) ;
  return 1 ;
}

static void childfail(char const *what, int e)
{
  char const *reason = strerror(e) ;
  allwrite(1, "Z", 1) ;
  allwrite(1, what, strlen(what)) ;
  allwrite(1, ": ", 2) ;
  allwrite(1, reason, strlen(reason)) ;
  allwrite(1, " (#4.3.0)\n", 11) ;   /* with the NUL that ends the record */
  _exit(111) ;
}

pid_t rspawnjob_start(struct spawnreq const *r, int outfd, stralloc *err)
{
  char messfn[6 + QPATH_MAX] = "queue/" ;
  char const *at = memrchr(r->recip, '@', r->reciplen) ;
  pid_t pid ;
  err->len = 0 ;
  if (!at || !at[1])
    return stralloc_cats(err, "Sorry, the address has no domain, so I cannot deliver it remotely. (#5.1.3)\n") ? 0 : -1 ;
  qpath_fmt(messfn + 6, "mess/", r->id, auto_split) ;
  switch (rspawnwork_hand(r, at + 1, messfn, err))
  {
    case 1: return SPAWNER_ELSEWHERE ;
    case -1: return -1 ;
  }
  char const *argv[] = { remoteprog.s, at + 1, r->sender, r->recip, 0 } ;
  /* vfork, as lspawn: rspawn's page tables are not copied for a child
   * that only moves descriptors, resets its signals and execs (until then
   * it shares our memory and runs only system calls on its own stack; its
   * signal dispositions are its own). */
  pid = vfork() ;
  if (pid < 0)
  {
    if (!stralloc_cats(err, "rspawn: unable to fork: ") || !stralloc_cats(err, strerror(errno)) || !stralloc_cats(err, " (#4.3.0)\n"))
      err->len = 0 ;
    return -1 ;
  }
  if (!pid)
  {
    int fd ;
    spawner_child() ;
    if (fd_move(1, outfd) < 0 || fd_copy(2, 1) < 0) _exit(111) ;
    fd = open_readb(messfn) ;
    if (fd < 0 || fd_move(0, fd) < 0) childfail("Unable to open message", errno) ;
    execv(argv[0], (char *const *)argv) ;
    childfail("Unable to run remote", errno) ;
  }
  workpool_childstart() ;
  return pid ;
}

char rspawnjob_childreport(int wstat, char const *out, size_t outlen, stralloc *text)
{
  workpool_childend() ;
  return rspawnjob_report(wstat, out, outlen, text) ;
}

/* The text of the record at s (up to its NUL or the end of out), without
 * its status byte. */
static int cattext(stralloc *text, char const *s, char const *end)
{
  char const *z = memchr(s, 0, (size_t)(end - s)) ;
  if (!z) z = end ;
  return s + 1 >= z || stralloc_catb(text, s + 1, (size_t)(z - s - 1)) ;
}

char rspawnjob_report(int wstat, char const *out, size_t outlen, stralloc *text)
{
  char const *end = out + outlen, *rec = out, *final = 0 ;
  char status ;
  text->len = 0 ;
  if (WIFSIGNALED(wstat) || !WIFEXITED(wstat))
  {
    if (!stralloc_cats(text, "remote crashed. (#4.3.0)\n")) text->len = 0 ;
    return 'Z' ;
  }
  if (WEXITSTATUS(wstat) || !outlen)
  {
    if (outlen && (out[0] == 'Z' || out[0] == 'D')) { if (!cattext(text, out, end)) text->len = 0 ; }
    else if (!stralloc_cats(text, WEXITSTATUS(wstat) ? "Unable to run remote. (#4.3.0)\n" : "remote produced no output. (#4.3.0)\n")) text->len = 0 ;
    return 'Z' ;
  }
  /* the message record: the first K, Z or D, the last record remote
   * writes (a report cut short still has its last record: the spawner
   * keeps the first SPAWNER_OUTMAX bytes, and remote bounds its texts) */
  while (rec < end)
  {
    char const *z = memchr(rec, 0, (size_t)(end - rec)) ;
    if (*rec == 'K' || *rec == 'Z' || *rec == 'D') { final = rec ; break ; }
    if (!z) break ;
    rec = z + 1 ;
  }
  switch (out[0])
  {
    case 'r': status = final ? *final : 'Z' ; break ;
    case 's': status = 'Z' ; break ;
    case 'h': status = 'D' ; break ;
    case 'K': case 'Z': case 'D': status = out[0] ; break ;
    default: status = 'Z' ; break ;
  }
  if (!cattext(text, out, end)) { text->len = 0 ; return status ; }
  /* the message record explains an accepted recipient, or a refusal
   * that the message's own failure makes no worse */
  if (final && final != out)
  {
    int keep = out[0] == 'r' || (out[0] == 's' && *final != 'K') || (out[0] == 'h' && *final == 'D') ;
    if (keep && !cattext(text, final, end)) text->len = 0 ;
  }
  if (!final && out[0] == 'r' && !stralloc_cats(text, "remote gave no result for the message. (#4.3.0)\n")) text->len = 0 ;
  return status ;
}
