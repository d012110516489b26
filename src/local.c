/* local: delivers one message to one local address, as qmail-local does:
 *   local [-nN] user homedir local dash ext domain sender defaultdelivery
 * run by lspawn as the user, with the message on fd 0 (a seekable file).
 * It follows the .qmail file that the address selects (dotqmail.h), or
 * defaultdelivery when there is none, line by line: Maildir, mbox,
 * program; the forwards go last, as one new message. qmail-local's report
 * on stdout (localreport.h); exit 0 delivered, 100 permanent failure (a
 * bounce), 111 temporary failure (a retry). -n prints the deliveries it
 * would make instead. See local(8). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/genalloc.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "dotqmail.h"
#include "localenv.h"
#include "localfwd.h"
#include "localprog.h"
#include "localreport.h"
#include "loopcheck.h"
#include "maildir.h"
#include "mbox.h"

#define USAGE "local [-nN] user homedir local dash ext domain sender defaultdelivery"

struct args {
  char const *user, *home, *local, *dash, *ext, *host, *sender, *defaultdelivery ;
} ;

static stralloc report = STRALLOC_ZERO ;
static stralloc why = STRALLOC_ZERO ;
static stralloc dtline = STRALLOC_ZERO ;   /* NUL-terminated; len without the NUL */
static stralloc head = STRALLOC_ZERO ;     /* RPLINE DTLINE, for Maildir */
static stralloc uhead = STRALLOC_ZERO ;    /* UFLINE RPLINE DTLINE, for mbox */

/* The report is these strings, and local exits with code. */
static void gccattr_noreturn sayv(int code, char const *const *s)
{
  report.len = 0 ;
  for (; *s ; s++) localreport_cat(&report, *s, strlen(*s)) ;
  localreport_exit(&report, code) ;
}
#define say(code, ...) sayv(code, (char const *const[]){ __VA_ARGS__, 0 })

static void gccattr_noreturn die(int code)
{
  if (!why.len) say(111, "Out of memory. (#4.3.0)") ;
  report.len = 0 ;
  localreport_cat(&report, why.s, why.len) ;
  localreport_exit(&report, code) ;
}

static void gccattr_noreturn nomem(void)
{
  say(111, "Out of memory. (#4.3.0)") ;
}

static void checkhome(int doit)
{
  struct stat st ;
  if (stat(".", &st) < 0) say(111, "Unable to stat home directory: ", strerror(errno), ". (#4.3.0)") ;
  /* lspawn refuses such a home too; checked again where it matters. */
  if (st.st_mode & 022) say(111, "Uh-oh: home directory is group- or world-writable. (#4.7.0)") ;
  /* qmail's convention: the user sets the sticky bit while editing .qmail. */
  if (st.st_mode & S_ISVTX)
  {
    if (doit) say(111, "Home directory is sticky: user is editing his .qmail file. (#4.2.1)") ;
    strerr_warnw("home directory is sticky") ;
  }
}

/* The three lines and the environment of qmail-command(8). */
static void setup(struct args const *a)
{
  stralloc rpline = STRALLOC_ZERO, ufline = STRALLOC_ZERO ;
  struct localenv e = { .user = a->user, .home = a->home, .local = a->local, .host = a->host, .ext = a->ext, .sender = a->sender } ;
  if (!localenv_dtline(&dtline, a->local, a->host) || !stralloc_0(&dtline)
   || !localenv_rpline(&rpline, a->sender) || !stralloc_0(&rpline)
   || !mbox_ufline(&ufline, a->sender, time(0)) || !stralloc_0(&ufline)) nomem() ;
  dtline.len-- ;
  e.dtline = dtline.s ; e.rpline = rpline.s ; e.ufline = ufline.s ;
  if (!localenv_put(&e)) nomem() ;
  if (!stralloc_catb(&head, rpline.s, rpline.len - 1) || !stralloc_catb(&head, dtline.s, dtline.len)
   || !stralloc_catb(&uhead, ufline.s, ufline.len - 1) || !stralloc_cat(&uhead, &head)) nomem() ;
  stralloc_free(&rpline) ; stralloc_free(&ufline) ;
}

/* The instructions: the .qmail file the address selects, or the default
 * delivery. Sets DEFAULT; *fn names the source for error messages. */
static void instructions(struct args const *a, stralloc *text, stralloc *fn, int *forwardonly)
{
  struct dotqmail_open o = { .fd = -1, .forwardonly = 0, .why = &why } ;
  size_t defoff ;
  int r = dotqmail_search(a->dash, a->ext, &dotqmail_tryopen, &o, fn, &defoff) ;
  if (r < 0) die(111) ;
  if (!r && *a->dash) say(100, "Sorry, no mailbox here by that name. (#5.1.1)") ;
  if (r && defoff != DOTQMAIL_NODEFAULT && defoff <= strlen(a->ext))
    if (setenv("DEFAULT", a->ext + defoff, 1) < 0) nomem() ;
  *forwardonly = r ? o.forwardonly : 0 ;
  if (r && dotqmail_read(o.fd, fn->s, text, &why)) die(111) ;
  if (!text->len)
  {
    /* An empty .qmail means the default delivery, as in qmail. */
    *forwardonly = 0 ;
    fn->len = 0 ;
    if (!stralloc_cats(text, a->defaultdelivery) || !stralloc_cats(fn, "the default delivery") || !stralloc_0(fn)) nomem() ;
  }
}

static void print(char const *what, char const *arg)
{
  buffer_puts(buffer_1, what) ;
  buffer_puts(buffer_1, arg) ;
  buffer_putflush(buffer_1, "\n", 1) ;
}

static void deliver(struct args const *a, char *text, genalloc const *lines, int doit)
{
  struct dotqmail_line const *l = genalloc_s(struct dotqmail_line, lines) ;
  size_t n = genalloc_len(struct dotqmail_line, lines) ;
  stralloc recips = STRALLOC_ZERO, out = STRALLOC_ZERO, newsender = STRALLOC_ZERO ;
  unsigned long count[3] = { 0, 0, 0 } ;   /* forwards, files, programs */
  char num[PID_FMT] ;
  pid_t qp = 0 ;
  int stop = 0, r ;

  if (dotqmail_newsender(&newsender, a->dash, a->ext, a->local, a->host, a->sender, &why)) die(111) ;
  if (setenv("NEWSENDER", newsender.s, 1) < 0) nomem() ;
  for (size_t i = 0 ; i < n && !stop ; i++)
  {
    char const *arg = text + l[i].arg ;
    switch (l[i].kind)
    {
      case DOTQMAIL_MAILDIR:
        count[1]++ ;
        if (!doit) { print("maildir ", arg) ; break ; }
        if (maildir_deliver(arg, 0, head.s, head.len, &why)) die(111) ;
        break ;
      case DOTQMAIL_MBOX:
        count[1]++ ;
        if (!doit) { print("mbox ", arg) ; break ; }
        if (mbox_deliver(arg, 0, uhead.s, uhead.len, &why)) die(111) ;
        break ;
      case DOTQMAIL_PROGRAM:
        count[2]++ ;
        if (!doit) { print("program ", arg) ; break ; }
        r = localprog_run(arg, 0, &out, &why) ;
        if (r == 100 || r == 111) die(r) ;
        /* Its own line of the report, as the command's output is in qmail's. */
        if (out.len && (!localreport_cat(&report, out.s, out.len) || !stralloc_catb(&report, "\n", 1))) nomem() ;
        stop = r == 99 ;
        break ;
      case DOTQMAIL_FORWARD:
        count[0]++ ;
        if (!doit) { print("forward ", arg) ; break ; }
        if (!stralloc_catb(&recips, arg, l[i].arglen + 1)) nomem() ;
        break ;
      default: break ;
    }
  }
  if (recips.len)
    if ((r = localfwd_send(0, dtline.s, dtline.len, newsender.s, recips.s, recips.len, &qp, &why))) die(r) ;
  /* After the commands' output, and never cut: the count is the result.
   * qmail-local's lines, "did F+M+P" and "qp PID" after a forward; send
   * logs each newline as "/" (did_0+1+0/, did_1+0+0/qp_1234/), and
   * localreport_exit ends the last line. */
  if (!stralloc_cats(&report, "did ")) nomem() ;
  for (unsigned int i = 0 ; i < 3 ; i++)
    if (!stralloc_catb(&report, num, ulong_fmt(num, count[i])) || (i < 2 && !stralloc_cats(&report, "+"))) nomem() ;
  if (qp && (!stralloc_cats(&report, "\nqp ") || !stralloc_catb(&report, num, pid_fmt(num, qp)))) nomem() ;
  localreport_exit(&report, 0) ;
}

int main(int argc, char const *const *argv)
{
  subgetopt o = SUBGETOPT_ZERO ;
  struct args a ;
  stralloc text = STRALLOC_ZERO, fn = STRALLOC_ZERO ;
  genalloc lines = GENALLOC_ZERO ;
  int doit = 1, forwardonly, r ;

  PROG = "local" ;
  umask(077) ;
  signal(SIGPIPE, SIG_IGN) ;
  for (int opt ; (opt = subgetopt_r(argc, argv, "nN", &o)) != -1 ;)
    if (opt == 'n') doit = 0 ;
    else if (opt == 'N') doit = 1 ;
    else say(111, "Unable to deliver: local was run with a bad option; usage: ", USAGE, " (#4.3.5)") ;
  argc -= o.ind ; argv += o.ind ;
  /* A wrong call is the system's fault, never the sender's: defer. */
  if (argc != 8 || argv[1][0] != '/') say(111, "Unable to deliver: local was run with bad arguments; usage: ", USAGE, " (#4.3.5)") ;
  a = (struct args){ argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], argv[7] } ;

  if (chdir(a.home) < 0) say(111, "Unable to switch to ", a.home, ": ", strerror(errno), ". (#4.3.0)") ;
  checkhome(doit) ;
  setup(&a) ;
  if (doit && (r = loopcheck_fd(0, dtline.s, dtline.len, &why))) die(r) ;
  instructions(&a, &text, &fn, &forwardonly) ;
  if (dotqmail_parse(&text, &lines, fn.s, forwardonly, &why)) die(111) ;
  deliver(&a, text.s, &lines, doit) ;
}
