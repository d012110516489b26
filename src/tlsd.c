/* tlsd: the TLS engine (BearSSL), in its own process, the only one that
 * holds the key. Server: run in front of a program (tcpserver ... tlsd
 * smtpd): reads control/tlscert and control/tlskey, forks; the program
 * runs as qmaild with $TLSCTLFD, a control channel on which it asks for
 * the handshake and then speaks plaintext; the engine runs as qmailt.
 * With -i the handshake comes first (implicit TLS, port 465) and the
 * program gets the plaintext on fds 0 and 1. Client (-c): the handshake
 * at once on the connection at fds 6 and 7, plaintext on fds 0 and 1.
 * Server for smtppool (-s, run by its TLS broker, poolbroker.h): the
 * same files and users, the connection on fds 6 and 7, the channel on
 * 0 and 1; READY on the channel once the key is loaded, then the
 * handshake at once. The ids of qmailt, qmaild and nofiles come from
 * -U, -D and -G or from /etc/passwd and /etc/group, never through NSS:
 * tlsd is linked statically (conf-static), its exec per session cheap.
 * The protocol is tlsctl.h's; tlsd(8) documents it all. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bearssl.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/exec.h>
#include <skalibs/ip46.h>
#include <skalibs/sgetopt.h>
#include <skalibs/socket.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "tlsctl.h"
#include "tlsctx.h"
#include "tlsfiles.h"
#include "tlsio.h"
#include "tlspem.h"
#include "usersfile.h"

#define USAGE "tlsd [ -i ] [ -t timeout ] [ -C certfile ] [ -K keyfile ] [ -U uid ] [ -D uid ] [ -G gid ] prog... | tlsd -s [ -t timeout ] [ -C certfile ] [ -K keyfile ] [ -U uid ] [ -G gid ] | tlsd -c [ -n servername ] [ -a cafile ] [ -t timeout ]"

static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI] ;
static br_skey_decoder_context key ;
static struct tlspem_chain chain ;
static unsigned int timeout = 300 ;

/* The ids to switch to: from -U, -D and -G when the parent (root:
 * smtppool's broker) gave them, else read from /etc/passwd and
 * /etc/group (usersfile.h: no NSS, tlsd is linked statically). 0: not
 * given (root is never one of them). */
static uid_t uidopt[AUTO_NUSERS] ;
static gid_t gidopt ;

static unsigned int idarg(char const *s)
{
  unsigned int u ;
  size_t n = uint_scan(s, &u) ;
  if (!n || s[n] || !u || u == (unsigned int)-1) strerr_dieusage(100, USAGE) ;
  return u ;
}

/* Becomes user who with group nofiles, when started as root in a
 * multi-user build; stays otherwise. */
static void become(int who)
{
  uid_t u = uidopt[who] ;
  gid_t g = gidopt ;
  if (auto_singleuser || geteuid()) return ;
  if (!u || !g)
  {
    uid_t uid[AUTO_NUSERS] ;
    gid_t gid[AUTO_NGROUPS] ;
    char const *missing ;
    if (!usersfile_uids(uid, &missing) || !usersfile_gids(gid, &missing))
    {
      if (errno) strerr_diefusys(111, "read ", missing) ;
      strerr_dief(111, "unknown user or group ", missing, " (not in /etc/passwd or /etc/group: see conf-users)") ;
    }
    if (!u) u = uid[who] ;
    if (!g) g = gid[AUTO_GNOFILES] ;
    if (!u || !g) strerr_dief(111, "user ", auto_user[who], " or group ", auto_group[AUTO_GNOFILES], " is root's: not switching to it") ;
  }
  if (setgroups(1, &g) < 0 || setgid(g) < 0 || setuid(u) < 0)
    strerr_diefusys(111, "switch to user ", auto_user[who]) ;
}

static void failrecord(int fd, char const *why)
{
  stralloc rec = STRALLOC_ZERO ;
  if (tlsctl_begin(&rec, 'N') && tlsctl_field(&rec, "TLS_ERROR", why) && tlsctl_end(&rec))
  {
    ndelay_off(fd) ;
    allwrite(fd, rec.s, rec.len) ;
  }
}

/* The engine's life: run the connection, say why it failed. */
static void gccattr_noreturn engine(br_ssl_engine_context *eng, int netin, int netout, int appin, int appout, int verified, char const *peer)
{
  struct tlsio t = { eng, netin, netout, appin, appout, timeout, &tlsctx_ready, &verified, 0 } ;
  char why[128] ;
  if (tlsio_run(&t, why)) _exit(0) ;
  if (!t.handshook) failrecord(appout, why) ;
  strerr_warnw(t.handshook ? "TLS connection with " : "TLS handshake with ", peer, " failed: ", why) ;
  _exit(111) ;
}

static void gccattr_noreturn client(char const *name, char const *cafile)
{
  static br_ssl_client_context cc ;
  static br_x509_minimal_context xc ;
  static struct tlsctx_noverify nv ;
  genalloc ta = GENALLOC_ZERO ;
  stralloc storage = STRALLOC_ZERO ;
  if (cafile)
  {
    stralloc text = STRALLOC_ZERO ;
    char const *w ;
    unsigned int skipped ;
    int r ;
    if (!name) strerr_dief(100, "-a needs -n: a certificate is verified against a name") ;
    if (!tlsfiles_read(cafile, &text, 0, &w)) strerr_diefu(111, "read ", cafile, ": ", w ? w : strerror(errno)) ;
    r = tlspem_anchors(&ta, &storage, text.s, text.len, &skipped, &w) ;
    if (r < 0) strerr_diefu(111, "allocate") ;
    if (!r) strerr_diefu(111, "use ", cafile, ": ", w) ;
    stralloc_free(&text) ;
  }
  if (!tlsctx_client(&cc, &xc, &nv, name, genalloc_s(br_x509_trust_anchor, &ta), genalloc_len(br_x509_trust_anchor, &ta), iobuf, sizeof iobuf))
    strerr_dief(100, "unable to start a TLS client (bad server name?)") ;
  engine(&cc.eng, 6, 7, 0, 1, cafile != 0, name ? name : "the server") ;
}

/* smtppool's engine: the worker said STARTTLS and waits for READY
 * before its 220 (or, for implicit TLS, has just accepted the
 * connection). A key that cannot be used is an 'N' record instead, and
 * the worker answers 454 (or drops the connection). */
static void gccattr_noreturn brokered(char const *certfn, char const *keyfn)
{
  static br_ssl_server_context sc ;
  static unsigned char const mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff } ;
  stralloc why = STRALLOC_ZERO ;
  char peer[IP46_FMT] = "the client" ;
  char const ready = TLSCTL_READY ;
  ip46 ip ;
  uint16_t port ;
  if (socket_remote46(6, &ip, &port) == 0)
    peer[ip46_is6(&ip) && !memcmp(ip.ip, mapped, 12) ? ip4_fmt(peer, ip.ip + 12) : ip46_fmt(peer, &ip)] = 0 ;
  if (chdir(auto_home) < 0)
  {
    failrecord(1, "unable to switch to the home directory") ;
    strerr_diefu(111, "switch to ", auto_home) ;
  }
  if (!tlsfiles_load(&chain, &key, certfn, keyfn, &why))
  {
    char const *w = why.len ? why.s : "out of memory" ;
    failrecord(1, w) ;
    strerr_dief(111, "no TLS: ", w) ;
  }
  if (!tlsctx_server(&sc, &chain, &key, iobuf, sizeof iobuf))
  {
    failrecord(1, "unable to set up the TLS server") ;
    strerr_dief(111, "unable to set up the TLS server") ;
  }
  become(AUTO_QMAILT) ;
  if (fd_write(1, &ready, 1) != 1) _exit(0) ;    /* the worker gave up */
  engine(&sc.eng, 6, 7, 0, 1, 0, peer) ;
}

/* The program's side in implicit mode: the outcome first, as variables. */
static void waitoutcome(int fd)
{
  stralloc rec = STRALLOC_ZERO ;
  int r = tlsctl_read(fd, &rec, -1) ;
  if (r <= 0) _exit(111) ;   /* the engine said why */
  for (size_t i = 1 ; i < rec.len && rec.s[i] ; i += strlen(rec.s + i) + 1)
  {
    char *eq = strchr(rec.s + i, '=') ;
    *eq = 0 ;
    if (setenv(rec.s + i, eq + 1, 1) < 0) strerr_diefu(111, "set the environment") ;
    *eq = '=' ;
  }
  stralloc_free(&rec) ;
}

int main(int argc, char const *const *argv)
{
  static br_ssl_server_context sc ;
  char const *certfn = "control/tlscert", *keyfn = "control/tlskey" ;
  char const *name = 0, *cafile = 0 ;
  char const *peer ;
  int implicit = 0, clientmode = 0, brokermode = 0 ;
  int sv[2] ;
  pid_t pid ;
  PROG = "tlsd" ;
  {
    subgetopt l = SUBGETOPT_ZERO ;
    int opt ;
    while ((opt = subgetopt_r(argc, argv, "icst:C:K:n:a:U:D:G:", &l)) != -1)
    {
      switch (opt)
      {
        case 'i': implicit = 1 ; break ;
        case 'c': clientmode = 1 ; break ;
        case 's': brokermode = 1 ; break ;
        case 't': if (!uint0_scan(l.arg, &timeout) || !timeout) strerr_dieusage(100, USAGE) ; break ;
        case 'C': certfn = l.arg ; break ;
        case 'K': keyfn = l.arg ; break ;
        case 'n': name = l.arg ; break ;
        case 'a': cafile = l.arg ; break ;
        case 'U': uidopt[AUTO_QMAILT] = idarg(l.arg) ; break ;
        case 'D': uidopt[AUTO_QMAILD] = idarg(l.arg) ; break ;
        case 'G': gidopt = idarg(l.arg) ; break ;
        default: strerr_dieusage(100, USAGE) ;
      }
    }
    argc -= l.ind ; argv += l.ind ;
  }
  signal(SIGPIPE, SIG_IGN) ;
  if (clientmode) client(name, cafile) ;
  if (brokermode)
  {
    if (argc || implicit) strerr_dieusage(100, USAGE) ;
    brokered(certfn, keyfn) ;
  }
  if (!argc) strerr_dieusage(100, USAGE) ;
  peer = getenv("TCPREMOTEIP") ;
  if (!peer) peer = "the client" ;
  if (chdir(auto_home) < 0) strerr_diefu(111, "switch to ", auto_home) ;
  {
    stralloc why = STRALLOC_ZERO ;
    if (!tlsfiles_load(&chain, &key, certfn, keyfn, &why))
    {
      if (!why.len) strerr_diefu(111, "allocate") ;
      if (implicit) strerr_dief(111, "no TLS: ", why.s) ;
      /* STARTTLS is an offer: without a key, the program runs without it */
      strerr_warnw("no TLS (STARTTLS not offered): ", why.s) ;
      become(AUTO_QMAILD) ;
      unsetenv("TLSCTLFD") ;
      xexec(argv) ;
    }
  }
  if (!tlsctx_server(&sc, &chain, &key, iobuf, sizeof iobuf)) strerr_dief(111, "unable to set up the TLS server") ;
  if (ipc_pair_b(sv) < 0) strerr_diefusys(111, "make the control channel") ;
  pid = fork() ;
  if (pid < 0) strerr_diefusys(111, "fork") ;
  if (!pid)
  {
    fd_close(sv[0]) ;
    become(AUTO_QMAILT) ;
    if (!implicit)
    {
      char c ;
      ssize_t r = fd_read(sv[1], &c, 1) ;
      if (!r) _exit(0) ;    /* the program never asked for TLS */
      if (r < 0) strerr_diefusys(111, "read the control channel") ;
      if (c != TLSCTL_START) strerr_dief(100, "protocol error on the control channel: expected Y") ;
    }
    engine(&sc.eng, 0, 1, sv[1], sv[1], 0, peer) ;
  }
  /* the program: no key in its memory once it runs */
  fd_close(sv[1]) ;
  memset(&key, 0, sizeof key) ;
  memset(&sc, 0, sizeof sc) ;
  become(AUTO_QMAILD) ;
  if (implicit)
  {
    waitoutcome(sv[0]) ;
    if (fd_copy(0, sv[0]) < 0 || fd_move(1, sv[0]) < 0) strerr_diefusys(111, "set up descriptors") ;
    unsetenv("TLSCTLFD") ;
  }
  else
  {
    char fmt[UINT_FMT] ;
    fmt[uint_fmt(fmt, (unsigned int)sv[0])] = 0 ;
    if (setenv("TLSCTLFD", fmt, 1) < 0) strerr_diefu(111, "set the environment") ;
  }
  xexec(argv) ;
}
