/* homedefaults.c: a fresh home's configuration (see homedefaults.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "auto.h"
#include "homedefaults.h"

static int fitname(char const *s)
{
  size_t n = strlen(s) ;
  if (!n || n > 253 || s[0] == '.' || s[0] == '-') return 0 ;
  for (size_t i = 0 ; i < n ; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')
       || s[i] == '.' || s[i] == '-')) return 0 ;
  return 1 ;
}

int homedefaults_fqdn(char *buf, size_t n)
{
  struct addrinfo hints, *ai = 0 ;
  char host[256] ;
  if (n < 2 || gethostname(host, sizeof host - 1) < 0) return 0 ;
  host[sizeof host - 1] = 0 ;
  memset(&hints, 0, sizeof hints) ;
  hints.ai_flags = AI_CANONNAME ;
  hints.ai_socktype = SOCK_STREAM ;
  if (getaddrinfo(host, 0, &hints, &ai) == 0 && ai && ai->ai_canonname && fitname(ai->ai_canonname)
   && strlen(ai->ai_canonname) < n)
    strcpy(buf, ai->ai_canonname) ;
  else if (fitname(host) && strlen(host) < n) strcpy(buf, host) ;
  else { if (ai) freeaddrinfo(ai) ; return 0 ; }
  if (ai) freeaddrinfo(ai) ;
  for (char *p = buf ; *p ; p++) if (*p >= 'A' && *p <= 'Z') *p += 'a' - 'A' ;
  return 1 ;
}

static int exists(char const *fn)
{
  struct stat st ;
  return lstat(fn, &st) == 0 ;
}

static int path(stralloc *sa, char const *home, char const *rel)
{
  sa->len = 0 ;
  return stralloc_cats(sa, home) && stralloc_catb(sa, "/", 1) && stralloc_cats(sa, rel) && stralloc_0(sa) ;
}

/* home/rel holds text (mode 0644, owner uid and group gid when ids
 * change), when missing: written as rel.tmp, then renamed. */
static int put(char const *home, char const *rel, char const *text, uid_t uid, gid_t gid,
  void (*say)(char const *, char const *), char const **what)
{
  static stralloc fn = STRALLOC_ZERO, tmp = STRALLOC_ZERO ;
  if (!path(&fn, home, rel) || !stralloc_copyb(&tmp, fn.s, fn.len - 1) || !stralloc_cats(&tmp, ".tmp") || !stralloc_0(&tmp))
  { *what = rel ; return 0 ; }
  *what = fn.s ;
  if (exists(fn.s)) return 1 ;
  if (!openwritenclose_unsafe(tmp.s, text, strlen(text))) return 0 ;
  if ((!auto_singleuser && !geteuid() && chown(tmp.s, uid, gid) < 0) || chmod(tmp.s, 0644) < 0
   || rename(tmp.s, fn.s) < 0) { unlink(tmp.s) ; return 0 ; }
  say("wrote ", fn.s) ;
  return 1 ;
}

static int mkdir_owned(char const *home, char const *rel, uid_t uid, gid_t gid, char const **what)
{
  static stralloc fn = STRALLOC_ZERO ;
  if (!path(&fn, home, rel)) { *what = rel ; return 0 ; }
  *what = fn.s ;
  if (exists(fn.s)) return 1 ;
  /* chmod: not the setgid bit inherited from alias/ (2755) */
  if (mkdir(fn.s, 0700) < 0 || chmod(fn.s, 0700) < 0) return 0 ;
  return auto_singleuser || geteuid() || chown(fn.s, uid, gid) == 0 ;
}

int homedefaults_write(char const *home, struct users const *u, void (*say)(char const *, char const *), char const **what)
{
  static stralloc fn = STRALLOC_ZERO ;
  gid_t gq = u->gid[AUTO_GQMAIL] ;
  if (!path(&fn, home, "control/me")) { *what = home ; return 0 ; }
  if (!exists(fn.s))
  {
    char me[256], line[258] ;
    char const *dot ;
    if (!homedefaults_fqdn(me, sizeof me)) { errno = EINVAL ; *what = "this host's name (write control/me by hand)" ; return 0 ; }
    strcpy(line, me) ; strcat(line, "\n") ;
    if (!put(home, "control/me", line, 0, gq, say, what)
     || !put(home, "control/locals", line, 0, gq, say, what)
     || !put(home, "control/rcpthosts", line, 0, gq, say, what)) return 0 ;
    dot = strchr(me, '.') ;
    if (dot && dot[1])
    {
      strcpy(line, dot + 1) ; strcat(line, "\n") ;
      if (!put(home, "control/defaultdomain", line, 0, gq, say, what)
       || !put(home, "control/plusdomain", line, 0, gq, say, what)) return 0 ;
    }
    if (!put(home, "control/tcp.smtp",
      "# tcprules source of tcp.smtp.cdb (cairnctl cdb compiles it): who may\n"
      "# relay, and other per-client settings of the smtpd service\n"
      "127.0.0.1:allow,RELAYCLIENT=\"\"\n"
      ":allow\n", 0, gq, say, what)) return 0 ;
  }
  {
    static char const *const names[] = { "alias/.qmail-postmaster", "alias/.qmail-root", "alias/.qmail-mailer-daemon" } ;
    uid_t ua = u->uid[AUTO_ALIAS] ;
    int any = 0 ;
    for (unsigned int i = 0 ; i < 3 ; i++)
    {
      if (!path(&fn, home, names[i])) { *what = names[i] ; return 0 ; }
      if (exists(fn.s)) any = 1 ;
    }
    if (!any)
    {
      if (!mkdir_owned(home, "alias/Maildir", ua, gq, what)
       || !mkdir_owned(home, "alias/Maildir/new", ua, gq, what)
       || !mkdir_owned(home, "alias/Maildir/cur", ua, gq, what)
       || !mkdir_owned(home, "alias/Maildir/tmp", ua, gq, what)) return 0 ;
      for (unsigned int i = 0 ; i < 3 ; i++)
        if (!put(home, names[i], "./Maildir/\n", 0, gq, say, what)) return 0 ;
    }
  }
  return 1 ;
}
