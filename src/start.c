/* start: starts the delivery side (qmail-start's job).
 *   start [defaultdelivery [logger arg...]]
 * Opens the pipes of startfds.h, runs lspawn (root), rspawn (qmailr, when
 * installed), clean (qmailq), queued (qmailq, when installed) and
 * optionally a logger (qmaill) reading send's output, then becomes send
 * (qmails), so a supervisor's signals reach send. queued's fd 0 is a
 * pipe whose only writer is send: when send goes, queued finishes the
 * messages in progress and exits.
 * defaultdelivery defaults to control/defaultdelivery, then ./Maildir/. */
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/exec.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "control.h"
#include "startfds.h"
#include "users.h"

static struct users u ;

/* conf-home/bin/name, so that ps shows which installation runs */
static char const *binpath(char const *name)
{
  stralloc sa = STRALLOC_ZERO ;
  if (!stralloc_cats(&sa, auto_home) || !stralloc_cats(&sa, "/bin/") || !stralloc_cats(&sa, name) || !stralloc_0(&sa))
    strerr_diefu(111, "allocate") ;
  return sa.s ;
}

/* In the child: become user index who (or stay, for -1) with group gid. */
static void become(int who, int group)
{
  gid_t g ;
  if (auto_singleuser || who < 0) return ;
  g = u.gid[group] ;
  if (setgroups(1, &g) < 0 || setgid(g) < 0 || setuid(u.uid[who]) < 0)
    strerr_diefusys(111, "switch to user ", auto_user[who]) ;
}

static pid_t child(char const *prog, char const *const *argv, int in, int out, int who, int group, int *closeme, unsigned int nclose)
{
  pid_t pid = fork() ;
  if (pid < 0) strerr_diefusys(111, "fork") ;
  if (pid) return pid ;
  if (fd_move(0, in) < 0 || (out >= 0 && fd_move(1, out) < 0)) strerr_diefusys(111, "set up the descriptors of ", prog) ;
  for (unsigned int i = 0 ; i < nclose ; i++) if (closeme[i] > 2) close(closeme[i]) ;
  become(who, group) ;
  exec(argv) ;
  strerr_diefusys(111, "run ", prog) ;
}

int main(int argc, char const *const *argv)
{
  stralloc dd = STRALLOC_ZERO ;
  char const *missing ;
  int lreq[2], lres[2], rreq[2], rres[2], creq[2], cres[2] ;
  int all[12] ;
  int haverspawn, lifew = -1 ;
  PROG = "start" ;

  if (chdir(auto_home) < 0) strerr_diefusys(111, "switch to ", auto_home) ;
  if (!auto_singleuser && getuid()) strerr_dief(100, "must be run as root (or build single-user)") ;
  if (!users_load(&u, &missing)) strerr_dief(111, "unknown user or group ", missing) ;
  if (argc > 1 && argv[1][0]) { if (!stralloc_copys(&dd, argv[1]) || !stralloc_0(&dd)) strerr_diefu(111, "allocate") ; }
  else if (control_rldef(&dd, "control/defaultdelivery", "./Maildir/") < 0 || !stralloc_0(&dd))
    strerr_diefusys(111, "read control/defaultdelivery") ;

  if (pipe(lreq) < 0 || pipe(lres) < 0 || pipe(rreq) < 0 || pipe(rres) < 0 || pipe(creq) < 0 || pipe(cres) < 0)
    strerr_diefusys(111, "create pipes") ;
  all[0] = lreq[0] ; all[1] = lreq[1] ; all[2] = lres[0] ; all[3] = lres[1] ;
  all[4] = rreq[0] ; all[5] = rreq[1] ; all[6] = rres[0] ; all[7] = rres[1] ;
  all[8] = creq[0] ; all[9] = creq[1] ; all[10] = cres[0] ; all[11] = cres[1] ;

  {
    char const *a[3] = { binpath("lspawn"), dd.s, 0 } ;
    child(a[0], a, lreq[0], lres[1], -1, AUTO_GQMAIL, all, 12) ;
  }
  haverspawn = access("bin/rspawn", X_OK) == 0 ;
  if (haverspawn)
  {
    char const *a[2] = { binpath("rspawn"), 0 } ;
    child(a[0], a, rreq[0], rres[1], AUTO_QMAILR, AUTO_GQMAIL, all, 12) ;
  }
  {
    char const *a[2] = { binpath("clean"), 0 } ;
    child(a[0], a, creq[0], cres[1], AUTO_QMAILQ, AUTO_GQMAIL, all, 12) ;
  }
  if (argc > 2)
  {
    int lp[2] ;
    if (pipe(lp) < 0 || coe(lp[1]) < 0) strerr_diefusys(111, "create the logger pipe") ;
    child(argv[2], argv + 2, lp[0], -1, AUTO_QMAILL, AUTO_GNOFILES, all, 12) ;
    if (fd_move(1, lp[1]) < 0 || fd_copy(2, 1) < 0) strerr_diefusys(111, "set up the logger pipe") ;
    close(lp[0]) ;
  }

  if (access("bin/queued", X_OK) == 0)
  {
    char const *a[2] = { binpath("queued"), 0 } ;
    int life[2] ;
    /* after the logger, so that its warnings go to the log; both ends
     * close-on-exec: no other child keeps the pipe open */
    if (pipecoe(life) < 0) strerr_diefusys(111, "create queued's pipe") ;
    child(a[0], a, life[0], -1, AUTO_QMAILQ, AUTO_GQMAIL, all, 12) ;
    close(life[0]) ;
    /* send's copy survives its exec, above the descriptors moved below */
    lifew = fcntl(life[1], F_DUPFD, 20) ;
    if (lifew < 0) strerr_diefusys(111, "move descriptors") ;
    close(life[1]) ;
  }
  /* fds 3..8 for send; the other ends are the children's */
  close(lreq[0]) ; close(lres[1]) ; close(rreq[0]) ; close(rres[1]) ; close(creq[0]) ; close(cres[1]) ;
  if (!haverspawn) { close(rreq[1]) ; close(rres[0]) ; rreq[1] = rres[0] = -1 ; }
  {
    int from[6] = { lreq[1], lres[0], rreq[1], rres[0], creq[1], cres[0] } ;
    int to[6] = { FD_LSPAWN_REQ, FD_LSPAWN_RES, FD_RSPAWN_REQ, FD_RSPAWN_RES, FD_CLEAN_REQ, FD_CLEAN_RES } ;
    /* move every descriptor above the target range first, so no move
     * clobbers a descriptor still to be moved */
    for (unsigned int i = 0 ; i < 6 ; i++)
    {
      int d ;
      if (from[i] < 0) continue ;
      d = fcntl(from[i], F_DUPFD, 20) ;
      if (d < 0) strerr_diefusys(111, "move descriptors") ;
      close(from[i]) ;
      from[i] = d ;
    }
    for (unsigned int i = 0 ; i < 6 ; i++)
      if (from[i] >= 0 && fd_move(to[i], from[i]) < 0) strerr_diefusys(111, "move descriptors") ;
  }
  become(AUTO_QMAILS, AUTO_GQMAIL) ;
  {
    char const *a[2] = { binpath("send"), 0 } ;
    exec(a) ;
  }
  strerr_diefusys(111, "run bin/send") ;
}
