/* poolconn.c: a connection's environment and rule (poolconn.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/cdb.h>
#include <skalibs/ip46.h>
#include <skalibs/types.h>
#include "poolconn.h"
#include "tcprules.h"

/* An IPv4 client of a dual-stack socket (::ffff:a.b.c.d) is written as
 * IPv4, as tcpserver does, so that IPv4 rules match it. */
static size_t ipfmt(char *s, ip46 const *ip)
{
  static unsigned char const mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff } ;
  if (ip46_is6(ip) && !memcmp(ip->ip, mapped, 12)) return ip4_fmt(s, ip->ip + 12) ;
  return ip46_fmt(s, ip) ;
}

/* One line to stderr in one write, so that the workers' lines do not mix. */
static void logline(char const *const *parts, unsigned int n)
{
  char line[512] ;
  size_t len = 0 ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    size_t k = strlen(parts[i]) ;
    if (k > sizeof line - 1 - len) k = sizeof line - 1 - len ;
    memcpy(line + len, parts[i], k) ;
    len += k ;
  }
  line[len++] = '\n' ;
  allwrite(2, line, len) ;
}

static int fail(char const *what, char const *pidstr)
{
  char const *parts[] = { "smtppool: warning: ", pidstr, " dropped: ", what, ": ", strerror(errno) } ;
  logline(parts, 6) ;
  return -1 ;
}

int poolconn_setup(struct poolconn *p, int fd)
{
  ip46 lip, rip ;
  uint16_t lport, rport ;
  char lips[IP46_FMT], rips[IP46_FMT], lports[UINT16_FMT], rports[UINT16_FMT], pidstr[PID_FMT] ;
  int allow = 1 ;
  pidstr[pid_fmt(pidstr, getpid())] = 0 ;
  tcprules_unset(&p->set) ;
  if (socket_local46(fd, &lip, &lport) < 0) return fail("unable to get the local address", pidstr) ;
  if (socket_remote46(fd, &rip, &rport) < 0) return fail("unable to get the remote address", pidstr) ;
  lips[ipfmt(lips, &lip)] = 0 ;
  rips[ipfmt(rips, &rip)] = 0 ;
  lports[uint16_fmt(lports, lport)] = 0 ;
  rports[uint16_fmt(rports, rport)] = 0 ;
  {
    char const *parts[] = { "smtppool: pid ", pidstr, " from ", rips } ;
    logline(parts, 4) ;
  }
  if (setenv("PROTO", "TCP", 1) < 0 || setenv("TCPLOCALIP", lips, 1) < 0 || setenv("TCPLOCALPORT", lports, 1) < 0
   || setenv("TCPREMOTEIP", rips, 1) < 0 || setenv("TCPREMOTEPORT", rports, 1) < 0
   || (p->localname ? setenv("TCPLOCALHOST", p->localname, 1) : unsetenv("TCPLOCALHOST")) < 0
   || unsetenv("TCPREMOTEHOST") < 0 || unsetenv("TCPREMOTEINFO") < 0)
    return fail("unable to set the environment", pidstr) ;
  if (p->rules)
  {
    /* as tcpserver opens it for each connection, a new cdb from
     * tcprules counts from the next connection on: checked by stat */
    cdb c = CDB_ZERO ;
    cdb_data d ;
    int changed = ctlcache_changed(&p->cache) ;
    int r = ctlcache_cdb(&p->cache, &c, p->rules) ;
    if (changed) ctlcache_done(&p->cache, r) ;
    if (!r) return fail(p->rules, pidstr) ;
    r = tcprules_find(&c, rips, &d) ;
    if (r < 0) { errno = EINVAL ; return fail(p->rules, pidstr) ; }
    if (r) allow = tcprules_apply(d.s, d.len, &p->set) ;
    if (allow < 0) return fail("unable to set the environment", pidstr) ;
  }
  {
    char const *parts[] = { "smtppool: ", allow ? "ok " : "deny ", pidstr, " ",
      p->localname ? p->localname : "", ":", lips, ":", lports, " :", rips, "::", rports } ;
    logline(parts, 13) ;
  }
  return allow ;
}
