/* hier.c: what install creates, with whom as owner and which mode. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "auto.h"
#include "hier.h"

#define D(p, o, m) { HIER_DIR, p, o, m, 0 }
#define S(p, o, m) { HIER_SPLITDIR, p, o, m, 0 }
#define P(p, o, m) { HIER_PROG, "bin/" p, o, m, 0 }
#define L(p, t) { HIER_LINK, "bin/" p, HIER_ROOT, 0777, t }
#define C(p, o, m) { HIER_COPY, p, o, m, 0 }
/* A service directory (cairn-services(8)): run, log/run, and env/ for
 * the administrator's settings, which install never touches. */
#define SERVICE(n) \
  D("service/" n, HIER_ROOT, 0755), C("service/" n "/run", HIER_ROOT, 0755), \
  D("service/" n "/env", HIER_ROOT, 0755), D("service/" n "/log", HIER_ROOT, 0755), \
  C("service/" n "/log/run", HIER_ROOT, 0755), D("service/" n "/log/env", HIER_ROOT, 0755)

struct hier const hier_table[] = {
  D("", HIER_ROOT, 0755),
  D("bin", HIER_ROOT, 0755),
  D("control", HIER_ROOT, 0755),
  D("users", HIER_ROOT, 0755),
  D("man", HIER_ROOT, 0755),
  D("alias", AUTO_ALIAS, 02755),
  D("queue", AUTO_QMAILQ, 0750),
  D("queue/pid", AUTO_QMAILQ, 0700),
  D("queue/intd", AUTO_QMAILQ, 0700),
  D("queue/todo", AUTO_QMAILQ, 0750),
  D("queue/bounce", AUTO_QMAILS, 0700),
  S("queue/mess", AUTO_QMAILQ, 0750),
  S("queue/info", AUTO_QMAILS, 0700),
  S("queue/local", AUTO_QMAILS, 0700),
  S("queue/remote", AUTO_QMAILS, 0700),
  D("queue/lock", AUTO_QMAILQ, 0750),
  { HIER_FILE, "queue/lock/tcpto", AUTO_QMAILR, 0644, 0 },
  { HIER_FILE, "queue/lock/sendmutex", AUTO_QMAILS, 0600, 0 },
  { HIER_FIFO, "queue/lock/trigger", AUTO_QMAILS, 0622, 0 },
  P("queue", AUTO_QMAILQ, 04711),
  L("qmail-queue", "queue"),
  /* queued's socket: only qmailq makes it, every user may connect */
  D("queued", AUTO_QMAILQ, 0755),
  P("queued", HIER_ROOT, 0711),
  P("newu", HIER_ROOT, 0755),
  L("qmail-newu", "newu"),
  P("getpw", HIER_ROOT, 0711),
  L("qmail-getpw", "getpw"),
  P("local", HIER_ROOT, 0711),
  L("qmail-local", "local"),
  P("start", HIER_ROOT, 0700),
  L("qmail-start", "start"),
  P("send", HIER_ROOT, 0711),
  L("qmail-send", "send"),
  P("lspawn", HIER_ROOT, 0700),
  L("qmail-lspawn", "lspawn"),
  P("inject", HIER_ROOT, 0755),
  L("qmail-inject", "inject"),
  P("qread", HIER_ROOT, 0755),
  L("qmail-qread", "qread"),
  P("qstat", HIER_ROOT, 0755),
  L("qmail-qstat", "qstat"),
  P("clean", HIER_ROOT, 0711),
  L("qmail-clean", "clean"),
  P("smtpd", HIER_ROOT, 0755),
  L("qmail-smtpd", "smtpd"),
  P("smtppool", HIER_ROOT, 0755),
  P("tlsd", HIER_ROOT, 0755),
  P("mkrcpt", HIER_ROOT, 0755),
  P("rspawn", HIER_ROOT, 0711),
  L("qmail-rspawn", "rspawn"),
  P("remote", HIER_ROOT, 0711),
  L("qmail-remote", "remote"),
  P("sendmail", HIER_ROOT, 0755),
  P("newaliases", HIER_ROOT, 0755),
  P("aliases", HIER_ROOT, 0755),
  P("showctl", HIER_ROOT, 0755),
  L("qmail-showctl", "showctl"),
  P("instcheck", HIER_ROOT, 0755),
  P("cairnctl", HIER_ROOT, 0755),
  L("qmailctl", "cairnctl"),
  D("service", HIER_ROOT, 0755),
  SERVICE("send"),
  SERVICE("smtpd"),
  SERVICE("smtpsd"),
} ;
unsigned int const hier_n = sizeof hier_table / sizeof *hier_table ;

static int changeids(void)
{
  return !auto_singleuser && !geteuid() ;
}

static int own(char const *fn, struct hier const *h, struct users const *u)
{
  uid_t uid = h->owner == HIER_ROOT ? 0 : u->uid[h->owner] ;
  if (!changeids()) return 1 ;
  return lchown(fn, uid, u->gid[AUTO_GQMAIL]) == 0 ;
}

static int exists(char const *fn)
{
  struct stat st ;
  return lstat(fn, &st) == 0 ;
}

static int mkdir_owned(char const *fn, struct hier const *h, struct users const *u)
{
  if (exists(fn)) return 1 ;
  if (mkdir(fn, 0700) < 0) return 0 ;
  return own(fn, h, u) && chmod(fn, h->mode) == 0 ;
}

static int copyprog(char const *to, char const *from, struct hier const *h, struct users const *u)
{
  /* Programs are always replaced: that is what an upgrade is. Write a new
   * file beside the old one and rename it over, so that a running system
   * never execs a half-copied program. */
  stralloc data = STRALLOC_ZERO, tmp = STRALLOC_ZERO ;
  int ok = 0 ;
  if (!openslurpclose(&data, from)) return 0 ;
  if (!stralloc_cats(&tmp, to) || !stralloc_cats(&tmp, ".new") || !stralloc_0(&tmp)) goto end ;
  unlink(tmp.s) ;
  if (!openwritenclose_unsafe(tmp.s, data.s, data.len)) goto end ;
  /* A single-user build must not hand its owner's uid to other users. */
  if (!own(tmp.s, h, u) || chmod(tmp.s, auto_singleuser ? h->mode & 0777 : h->mode) < 0) goto end ;
  ok = rename(tmp.s, to) == 0 ;
 end:
  stralloc_free(&data) ; stralloc_free(&tmp) ;
  return ok ;
}

static int one(stralloc *fn, struct hier const *h, char const *srcdir, struct users const *u)
{
  switch (h->kind)
  {
    case HIER_DIR: return mkdir_owned(fn->s, h, u) ;
    case HIER_SPLITDIR:
    {
      size_t dirlen = fn->len - 1 ;
      if (!mkdir_owned(fn->s, h, u)) return 0 ;
      for (unsigned int i = 0 ; i < auto_split ; i++)
      {
        char num[UINT_FMT] ;
        fn->len = dirlen ;
        if (!stralloc_catb(fn, "/", 1) || !stralloc_catb(fn, num, uint_fmt(num, i)) || !stralloc_0(fn)) return 0 ;
        if (!mkdir_owned(fn->s, h, u)) return 0 ;
      }
      return 1 ;
    }
    case HIER_FILE:
    {
      int fd ;
      if (exists(fn->s)) return 1 ;
      fd = open(fn->s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) ;
      if (fd < 0) return 0 ;
      close(fd) ;
      return own(fn->s, h, u) && chmod(fn->s, h->mode) == 0 ;
    }
    case HIER_FIFO:
      if (exists(fn->s)) return 1 ;
      if (mkfifo(fn->s, 0600) < 0) return 0 ;
      return own(fn->s, h, u) && chmod(fn->s, h->mode) == 0 ;
    case HIER_PROG:
    case HIER_COPY:
    {
      stralloc src = STRALLOC_ZERO ;
      int ok ;
      if (!stralloc_cats(&src, srcdir) || !stralloc_catb(&src, "/", 1)
       || !stralloc_cats(&src, h->path + (h->kind == HIER_PROG ? 4 : 0)) || !stralloc_0(&src)) return 0 ;
      ok = copyprog(fn->s, src.s, h, u) ;
      stralloc_free(&src) ;
      return ok ;
    }
    case HIER_LINK:
      if (exists(fn->s) && unlink(fn->s) < 0) return 0 ;
      return symlink(h->target, fn->s) == 0 ;
  }
  errno = EINVAL ;
  return 0 ;
}

int hier_install(char const *home, char const *srcdir, struct users const *u, char const **what)
{
  static stralloc fn = STRALLOC_ZERO ;
  for (unsigned int i = 0 ; i < hier_n ; i++)
  {
    fn.len = 0 ;
    if (!stralloc_cats(&fn, home) || (*hier_table[i].path && !stralloc_catb(&fn, "/", 1))
     || !stralloc_cats(&fn, hier_table[i].path) || !stralloc_0(&fn))
    { *what = home ; return 0 ; }
    if (!one(&fn, &hier_table[i], srcdir, u)) { *what = fn.s ; return 0 ; }
  }
  return 1 ;
}

static unsigned int check1(char const *fn, struct hier const *h, struct users const *u, void (*report)(char const *, char const *))
{
  struct stat st ;
  char buf[96] ;
  mode_t want = h->mode ;
  int kindok ;
  if (lstat(fn, &st) < 0) { report(fn, errno == ENOENT ? "missing" : strerror(errno)) ; return 1 ; }
  switch (h->kind)
  {
    case HIER_DIR: case HIER_SPLITDIR: kindok = S_ISDIR(st.st_mode) ; break ;
    case HIER_FIFO: kindok = S_ISFIFO(st.st_mode) ; break ;
    case HIER_LINK: kindok = S_ISLNK(st.st_mode) ; break ;
    default: kindok = S_ISREG(st.st_mode) ;
  }
  if (!kindok) { report(fn, "not of the right type") ; return 1 ; }
  if (h->kind == HIER_LINK) return 0 ;
  /* as copyprog: a single-user build's programs carry no setuid bit */
  if ((h->kind == HIER_PROG || h->kind == HIER_COPY) && auto_singleuser) want &= 0777 ;
  if ((st.st_mode & 07777) != want)
  {
    snprintf(buf, sizeof buf, "mode %04o, should be %04o", (unsigned int)(st.st_mode & 07777), (unsigned int)want) ;
    report(fn, buf) ;
    return 1 ;
  }
  if (changeids())
  {
    uid_t uid = h->owner == HIER_ROOT ? 0 : u->uid[h->owner] ;
    if (st.st_uid != uid || st.st_gid != u->gid[AUTO_GQMAIL])
    {
      snprintf(buf, sizeof buf, "owner %u:%u, should be %u:%u", (unsigned int)st.st_uid, (unsigned int)st.st_gid,
        (unsigned int)uid, (unsigned int)u->gid[AUTO_GQMAIL]) ;
      report(fn, buf) ;
      return 1 ;
    }
  }
  return 0 ;
}

unsigned int hier_check(char const *home, struct users const *u, void (*report)(char const *, char const *))
{
  static stralloc fn = STRALLOC_ZERO ;
  unsigned int bad = 0 ;
  for (unsigned int i = 0 ; i < hier_n ; i++)
  {
    struct hier const *h = &hier_table[i] ;
    fn.len = 0 ;
    if (!stralloc_cats(&fn, home) || (*h->path && !stralloc_catb(&fn, "/", 1))
     || !stralloc_cats(&fn, h->path) || !stralloc_0(&fn)) { report(home, "out of memory") ; return bad + 1 ; }
    bad += check1(fn.s, h, u, report) ;
    if (h->kind == HIER_SPLITDIR)
    {
      size_t dirlen = fn.len - 1 ;
      for (unsigned int j = 0 ; j < auto_split ; j++)
      {
        char num[UINT_FMT] ;
        fn.len = dirlen ;
        if (!stralloc_catb(&fn, "/", 1) || !stralloc_catb(&fn, num, uint_fmt(num, j)) || !stralloc_0(&fn)) return bad + 1 ;
        bad += check1(fn.s, h, u, report) ;
      }
    }
  }
  return bad ;
}
