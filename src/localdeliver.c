/* localdeliver.c: one local delivery (localdeliver.h), the code of local
 * that a worker runs once per job. Every failure returns its exit code with
 * the report set; nothing here exits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "dotqmail.h"
#include "localdeliver.h"
#include "localenv.h"
#include "localfwd.h"
#include "localprog.h"
#include "localreport.h"
#include "loopcheck.h"
#include "maildir.h"
#include "mbox.h"

/* Per delivery; emptied at the start of each (their memory is kept). */
static stralloc why = STRALLOC_ZERO ;
static stralloc dtline = STRALLOC_ZERO ;   /* NUL-terminated; len without the NUL */
static stralloc head = STRALLOC_ZERO ;     /* RPLINE DTLINE, for Maildir */
static stralloc uhead = STRALLOC_ZERO ;    /* UFLINE RPLINE DTLINE, for mbox */
static stralloc text = STRALLOC_ZERO ;     /* the instructions */
static stralloc fn = STRALLOC_ZERO ;       /* where they come from */
static genalloc lines = GENALLOC_ZERO ;    /* struct dotqmail_line */
static stralloc *report ;

/* The report is these strings; returns code. */
static int sayv(int code, char const *const *s)
{
  report->len = 0 ;
  for (; *s ; s++)
    if (!localreport_cat(report, *s, strlen(*s))) { report->len = 0 ; return 111 ; }
  return code ;
}
#define say(code, ...) sayv(code, (char const *const[]){ __VA_ARGS__, 0 })

static int nomem(void)
{
  return say(111, "Out of memory. (#4.3.0)") ;
}

/* The report is why, the explanation of a module. */
static int die(int code)
{
  if (!why.len) return nomem() ;
  report->len = 0 ;
  if (!localreport_cat(report, why.s, why.len)) return nomem() ;
  return code ;
}

static int checkhome(int doit)
{
  struct stat st ;
  if (stat(".", &st) < 0) return say(111, "Unable to stat home directory: ", strerror(errno), ". (#4.3.0)") ;
  /* lspawn refuses such a home too; checked again where it matters. */
  if (st.st_mode & 022) return say(111, "Uh-oh: home directory is group- or world-writable. (#4.7.0)") ;
  /* qmail's convention: the user sets the sticky bit while editing .qmail. */
  if (st.st_mode & S_ISVTX)
  {
    if (doit) return say(111, "Home directory is sticky: user is editing his .qmail file. (#4.2.1)") ;
    strerr_warnw("home directory is sticky") ;
  }
  return 0 ;
}

/* The three lines and the environment of qmail-command(8). */
static int setup(struct localdeliver_args const *a)
{
  stralloc rpline = STRALLOC_ZERO, ufline = STRALLOC_ZERO ;
  struct localenv e = { .user = a->user, .home = a->home, .local = a->local, .host = a->host, .ext = a->ext, .sender = a->sender } ;
  int ok = localenv_dtline(&dtline, a->local, a->host) && stralloc_0(&dtline)
   && localenv_rpline(&rpline, a->sender) && stralloc_0(&rpline)
   && mbox_ufline(&ufline, a->sender, time(0)) && stralloc_0(&ufline) ;
  if (ok)
  {
    dtline.len-- ;
    e.dtline = dtline.s ; e.rpline = rpline.s ; e.ufline = ufline.s ;
    ok = localenv_put(&e)
      && stralloc_catb(&head, rpline.s, rpline.len - 1) && stralloc_catb(&head, dtline.s, dtline.len)
      && stralloc_catb(&uhead, ufline.s, ufline.len - 1) && stralloc_cat(&uhead, &head) ;
  }
  stralloc_free(&rpline) ; stralloc_free(&ufline) ;
  return ok ? 0 : nomem() ;
}

/* The instructions: the .qmail file the address selects, or the default
 * delivery. Sets DEFAULT; fn names the source for error messages. */
static int instructions(struct localdeliver_args const *a, int *forwardonly)
{
  struct dotqmail_open o = { .fd = -1, .forwardonly = 0, .why = &why } ;
  size_t defoff ;
  int r = dotqmail_search(a->dash, a->ext, &dotqmail_tryopen, &o, &fn, &defoff) ;
  if (r < 0) return die(111) ;
  if (!r && *a->dash) return say(100, "Sorry, no mailbox here by that name. (#5.1.1)") ;
  if (r && defoff != DOTQMAIL_NODEFAULT && defoff <= strlen(a->ext))
    if (setenv("DEFAULT", a->ext + defoff, 1) < 0) { fd_close(o.fd) ; return nomem() ; }
  *forwardonly = r ? o.forwardonly : 0 ;
  if (r && dotqmail_read(o.fd, fn.s, &text, &why)) return die(111) ;
  if (!text.len)
  {
    /* An empty .qmail means the default delivery, as in qmail. */
    *forwardonly = 0 ;
    fn.len = 0 ;
    if (!stralloc_cats(&text, a->defaultdelivery) || !stralloc_cats(&fn, "the default delivery") || !stralloc_0(&fn)) return nomem() ;
  }
  return 0 ;
}

static void print(char const *what, char const *arg)
{
  buffer_puts(buffer_1, what) ;
  buffer_puts(buffer_1, arg) ;
  buffer_putflush(buffer_1, "\n", 1) ;
}

static int deliver(struct localdeliver_args const *a, int doit)
{
  struct dotqmail_line const *l = genalloc_s(struct dotqmail_line, &lines) ;
  size_t n = genalloc_len(struct dotqmail_line, &lines) ;
  stralloc recips = STRALLOC_ZERO, out = STRALLOC_ZERO, newsender = STRALLOC_ZERO ;
  unsigned long count[3] = { 0, 0, 0 } ;   /* forwards, files, programs */
  char num[PID_FMT] ;
  pid_t qp = 0 ;
  int stop = 0, r, code = 111 ;

  if (dotqmail_newsender(&newsender, a->dash, a->ext, a->local, a->host, a->sender, &why)) { code = die(111) ; goto end ; }
  if (setenv("NEWSENDER", newsender.s, 1) < 0) goto nomem ;
  for (size_t i = 0 ; i < n && !stop ; i++)
  {
    char const *arg = text.s + l[i].arg ;
    switch (l[i].kind)
    {
      case DOTQMAIL_MAILDIR:
        count[1]++ ;
        if (!doit) { print("maildir ", arg) ; break ; }
        if (maildir_deliver(arg, 0, head.s, head.len, &why)) { code = die(111) ; goto end ; }
        break ;
      case DOTQMAIL_MBOX:
        count[1]++ ;
        if (!doit) { print("mbox ", arg) ; break ; }
        if (mbox_deliver(arg, 0, uhead.s, uhead.len, &why)) { code = die(111) ; goto end ; }
        break ;
      case DOTQMAIL_PROGRAM:
        count[2]++ ;
        if (!doit) { print("program ", arg) ; break ; }
        r = localprog_run(arg, 0, &out, &why) ;
        if (r == 100 || r == 111) { code = die(r) ; goto end ; }
        /* Its own line of the report, as the command's output is in qmail's. */
        if (out.len && (!localreport_cat(report, out.s, out.len) || !stralloc_catb(report, "\n", 1))) goto nomem ;
        stop = r == 99 ;
        break ;
      case DOTQMAIL_FORWARD:
        count[0]++ ;
        if (!doit) { print("forward ", arg) ; break ; }
        if (!stralloc_catb(&recips, arg, l[i].arglen + 1)) goto nomem ;
        break ;
      default: break ;
    }
  }
  if (recips.len)
    if ((r = localfwd_send(0, dtline.s, dtline.len, newsender.s, recips.s, recips.len, &qp, &why))) { code = die(r) ; goto end ; }
  /* After the commands' output, and never cut: the count is the result.
   * qmail-local's lines, "did F+M+P" and "qp PID" after a forward; send
   * logs each newline as "/" (did_0+1+0/, did_1+0+0/qp_1234/), and
   * the final newline ends the last line. */
  if (!stralloc_cats(report, "did ")) goto nomem ;
  for (unsigned int i = 0 ; i < 3 ; i++)
    if (!stralloc_catb(report, num, ulong_fmt(num, count[i])) || (i < 2 && !stralloc_cats(report, "+"))) goto nomem ;
  if (qp && (!stralloc_cats(report, "\nqp ") || !stralloc_catb(report, num, pid_fmt(num, qp)))) goto nomem ;
  code = 0 ;
  goto end ;
 nomem:
  code = nomem() ;
 end:
  stralloc_free(&recips) ; stralloc_free(&out) ; stralloc_free(&newsender) ;
  return code ;
}

int localdeliver(struct localdeliver_args const *a, int doit, stralloc *rep)
{
  int forwardonly = 0, r ;
  report = rep ;
  report->len = 0 ;
  why.len = dtline.len = head.len = uhead.len = text.len = fn.len = 0 ;
  genalloc_setlen(struct dotqmail_line, &lines, 0) ;
  umask(077) ;
  if (chdir(a->home) < 0) return say(111, "Unable to switch to ", a->home, ": ", strerror(errno), ". (#4.3.0)") ;
  if ((r = checkhome(doit))) return r ;
  if ((r = setup(a))) return r ;
  if (doit && (r = loopcheck_fd(0, dtline.s, dtline.len, &why))) return die(r) ;
  if ((r = instructions(a, &forwardonly))) return r ;
  if (dotqmail_parse(&text, &lines, fn.s, forwardonly, &why)) return die(111) ;
  return deliver(a, doit) ;
}
