/* smtppool: the SMTP listener with a pool of long-lived smtpd workers
 * (smtppool(8)). As root (or the invoking user) it binds host:port, then
 * switches to uid/gid for good before any worker exists; the master
 * (poolmaster.h) forks workers (poolworker.h) that accept connections on
 * the shared socket and run an smtpd session each, one after another,
 * with tcpserver's environment and tcprules' rule (poolconn.h). With -s
 * it first forks the TLS broker (poolbroker.h), which keeps root and
 * starts tlsd for each STARTTLS, so that workers offer STARTTLS without
 * ever holding the key (it reads the ids of qmailt and nofiles from
 * /etc/passwd and /etc/group once, for tlsd's -U and -G); with -T, implicit TLS (port 465): every
 * connection goes through the broker's tlsd before the session. */
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "poolbroker.h"
#include "poolmaster.h"
#include "poolsock.h"
#include "usersfile.h"

#define USAGE "smtppool [ -v ] [ -s | -T ] [ -c maxconn ] [ -x rules.cdb ] [ -u uid ] [ -g gid ] [ -l localname ] [ -b backlog ] [ -n connections ] [ -i idle ] host port"

static unsigned int number(char const *s, unsigned int min, unsigned int max)
{
  unsigned int u ;
  size_t n = uint_scan(s, &u) ;
  if (!n || s[n] || u < min || u > max) strerr_dieusage(100, USAGE) ;
  return u ;
}

int main(int argc, char const *const *argv)
{
  struct poolworker w = { .listen = -1, .status = -1, .broker = -1, .implicit = 0, .maxuse = 100, .conn = POOLCONN_ZERO } ;
  unsigned int maxconn = 40, backlog = 20, idle = 300, uid = 0, gid = 0 ;
  int setu = 0, setg = 0, tls = 0 ;
  pid_t broker = 0 ;
  uint16_t port ;
  PROG = "smtppool" ;
  {
    subgetopt l = SUBGETOPT_ZERO ;
    int opt ;
    while ((opt = subgetopt_r(argc, argv, "vsTc:x:u:g:l:b:n:i:", &l)) != -1)
    {
      switch (opt)
      {
        case 'v': break ;                   /* tcpserver's: smtppool always logs */
        case 's': tls = 1 ; break ;
        case 'T': tls = 1 ; w.implicit = 1 ; break ;
        case 'c': maxconn = number(l.arg, 1, 10000) ; break ;
        case 'x': w.conn.rules = l.arg ; break ;
        case 'u': uid = number(l.arg, 0, (unsigned int)-1) ; setu = 1 ; break ;
        case 'g': gid = number(l.arg, 0, (unsigned int)-1) ; setg = 1 ; break ;
        case 'l': w.conn.localname = l.arg ; break ;
        case 'b': backlog = number(l.arg, 1, 65535) ; break ;
        case 'n': w.maxuse = number(l.arg, 1, 1000000) ; break ;
        case 'i': idle = number(l.arg, 0, 86400) ; break ;
        default: strerr_dieusage(100, USAGE) ;
      }
    }
    argc -= l.ind ; argv += l.ind ;
  }
  if (argc != 2 || !uint160_scan(argv[1], &port)) strerr_dieusage(100, USAGE) ;
  w.listen = poolsock_listen(argv[0], port, backlog) ;
  if (w.listen < 0) strerr_diefu4sys(111, "listen on ", argv[0], " port ", argv[1]) ;
  if (tls)
  {
    /* the broker keeps the privileges we started with, and is the only
     * one that does: it takes nothing from workers but descriptors */
    static char tlsd[1024] ;
    static char ufmt[UINT_FMT], gfmt[UINT_FMT] ;
    char const *targv[7] = { tlsd, "-s", 0, 0, 0, 0, 0 } ;
    int sv[2] ;
    size_t n = strlen(auto_home) ;
    if (n > sizeof tlsd - 10) strerr_dief2x(111, "conf-home is too long: ", auto_home) ;
    memcpy(tlsd, auto_home, n) ;
    memcpy(tlsd + n, "/bin/tlsd", 10) ;
    if (!auto_singleuser && !geteuid())
    {
      /* looked up once, passed to each tlsd -s (which would otherwise
       * read the same files at each session) */
      uid_t u[AUTO_NUSERS] ;
      gid_t g[AUTO_NGROUPS] ;
      char const *missing ;
      if (!usersfile_uids(u, &missing) || !usersfile_gids(g, &missing))
        strerr_warnw3x("unable to find ", missing, " in /etc/passwd or /etc/group: each tlsd -s looks for itself (and fails)") ;
      /* root's ids are not passed on: tlsd refuses them itself */
      else if (u[AUTO_QMAILT] && u[AUTO_QMAILT] != (uid_t)-1 && g[AUTO_GNOFILES] && g[AUTO_GNOFILES] != (gid_t)-1)
      {
        ufmt[uint_fmt(ufmt, (unsigned int)u[AUTO_QMAILT])] = 0 ;
        gfmt[uint_fmt(gfmt, (unsigned int)g[AUTO_GNOFILES])] = 0 ;
        targv[2] = "-U" ; targv[3] = ufmt ; targv[4] = "-G" ; targv[5] = gfmt ;
      }
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) strerr_diefu1sys(111, "make the TLS broker's socket") ;
    broker = fork() ;
    if (broker < 0) strerr_diefu1sys(111, "fork the TLS broker") ;
    if (!broker)
    {
      fd_close(w.listen) ;
      fd_close(sv[1]) ;
      poolbroker_run(sv[0], targv, maxconn) ;
    }
    fd_close(sv[0]) ;
    w.broker = sv[1] ;
    {
      char fmt[PID_FMT] ;
      fmt[pid_fmt(fmt, broker)] = 0 ;
      strerr_warni3x("TLS broker ", fmt, w.implicit ? " started: implicit TLS through tlsd -s" : " started: STARTTLS through tlsd -s") ;
    }
  }
  /* nothing from a connection is ever handled with the privileges we
   * started with: they are dropped before the first worker */
  if (setg && (setgroups(1, (gid_t[]){ (gid_t)gid }) < 0 || setgid((gid_t)gid) < 0)) strerr_diefu1sys(111, "set the group") ;
  if (setu && setuid((uid_t)uid) < 0) strerr_diefu1sys(111, "set the user") ;
  if (chdir(auto_home) < 0) strerr_diefu2sys(111, "chdir to ", auto_home) ;
  /* _exit: a sanitizer's leak check at exit stops the world with
   * ptrace, which a process that changed its uid without exec forbids,
   * and would hang the master */
  _exit(poolmaster_run(&w, maxconn, idle, broker)) ;
}
