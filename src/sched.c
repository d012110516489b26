/* sched.c: send's event loop and its configuration.
 * One iopause loop watches lock/trigger, the spawners' result pipes (and
 * their request pipes while requests wait to be written), clean's pipes,
 * and a selfpipe for signals: ALRM retries everything now, HUP rereads the
 * control files, TERM lets running deliveries (and clean's removals)
 * finish and then exits. Requests to clean are written without waiting for
 * their answers: send goes on scheduling while clean unlinks, and what
 * depends on a removal happens when its answer comes (sched.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "control.h"
#include "sched.h"
#include "todo.h"
#include "sendlog.h"

#define TODO_RESCAN 1500     /* seconds between scans of todo/ without a poke */
#define SWEEP_EVERY 3600     /* seconds between sweeps for orphaned mess/ files */
#define TODO_BATCH 20        /* entries preprocessed between two looks at the pipes */
#define TODO_BIG 2000        /* a todo/ this large is scanned at most once a second */

static void warnconf(char const *what)
{
  sendlog_s("warning: ") ; sendlog_s(what) ; sendlog_end() ;
}

static int readdef(stralloc *sa, char const *fn, char const *def)
{
  if (control_rldef(sa, fn, def) < 0 || !stralloc_0(sa))
  {
    control_error.len = 0 ;
    stralloc_cats(&control_error, fn) ; stralloc_cats(&control_error, ": unable to read") ; stralloc_0(&control_error) ;
    return 0 ;
  }
  sa->len-- ;   /* keep the NUL, but not in the length */
  return 1 ;
}

int sched_config(struct sched *s)
{
  struct rewrite rw = REWRITE_ZERO ;
  unsigned long conc[CHANNELS], lifetime ;
  char host[256] = "localhost" ;
  int ok = 0 ;

  if (fchdir(s->homefd) < 0) { warnconf("unable to switch to the home directory") ; return 0 ; }
  if (gethostname(host, sizeof host - 1) < 0) memcpy(host, "localhost", 10) ;
  host[sizeof host - 1] = 0 ;
  if (!readdef(&s->me, "control/me", host)) goto end ;
  if (!readdef(&s->bouncefrom, "control/bouncefrom", "MAILER-DAEMON")) goto end ;
  if (!readdef(&s->bouncehost, "control/bouncehost", s->me.s)) goto end ;
  /* an empty doublebounceto line means "discard double bounces" (qmail),
   * so it is not replaced by the default as a missing file is */
  {
    int r = control_readline(&s->doublebounceto, "control/doublebounceto") ;
    if (r < 0) { control_seterror("control/doublebounceto", 1, "unable to read") ; goto end ; }
    if (!r && !stralloc_copys(&s->doublebounceto, "postmaster")) goto end ;
    if (!stralloc_0(&s->doublebounceto)) goto end ;
    s->doublebounceto.len-- ;
  }
  if (!readdef(&s->doublebouncehost, "control/doublebouncehost", s->me.s)) goto end ;
  if (control_readulong(&conc[CHAN_LOCAL], "control/concurrencylocal", 10, SCHED_CONCURRENCY_MAX) < 0) goto end ;
  if (control_readulong(&conc[CHAN_REMOTE], "control/concurrencyremote", 20, SCHED_CONCURRENCY_MAX) < 0) goto end ;
  if (control_readulong(&lifetime, "control/queuelifetime", 604800, 100UL * 365 * 86400) < 0) goto end ;
  if (rewrite_load(&rw) < 0) goto end ;
  rewrite_free(&s->rw) ;
  s->rw = rw ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++) s->chan[c].concurrency = conc[c] ? (unsigned int)conc[c] : 1 ;
  s->lifetime = lifetime ;
  ok = 1 ;
 end:
  if (!ok) { sendlog_s("warning: ") ; sendlog_s(control_error.len ? control_error.s : "trouble reading control files") ; sendlog_end() ; }
  if (chdir("queue") < 0) strerr_diefusys(111, "switch to the queue directory") ;
  return ok ;
}

void sched_status(struct sched const *s)
{
  sendlog_s("status: local ") ; sendlog_u(s->chan[CHAN_LOCAL].busy) ; sendlog_s("/") ; sendlog_u(s->chan[CHAN_LOCAL].concurrency) ;
  sendlog_s(" remote ") ; sendlog_u(s->chan[CHAN_REMOTE].busy) ; sendlog_s("/") ; sendlog_u(s->chan[CHAN_REMOTE].concurrency) ;
  sendlog_end() ;
}

static void lostclean(void)
{
  sendlog_s("alert: lost the connection to clean; exiting") ; sendlog_end() ;
  sendlog_flush() ;
  _exit(111) ;
}

void sched_clean(struct sched *s, struct cleanwait const *w)
{
  char req[CLEANPROTO_MAX] ;
  size_t n = cleanproto_fmt(req, (enum cleanproto_kind)w->kind, w->id) ;
  if (!stralloc_catb(&s->cleanreq, req, n) || !genalloc_append(struct cleanwait, &s->cleanwait, w))
  {
    sendlog_s("alert: out of memory for a request to clean; exiting") ; sendlog_end() ;
    sendlog_flush() ;
    _exit(111) ;
  }
}

static void writeclean(struct sched *s)
{
  while (s->cleanreqdone < s->cleanreq.len)
  {
    ssize_t w = fd_write(s->cleanout, s->cleanreq.s + s->cleanreqdone, s->cleanreq.len - s->cleanreqdone) ;
    if (w < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return ;
      lostclean() ;
    }
    s->cleanreqdone += (size_t)w ;
  }
  s->cleanreq.len = s->cleanreqdone = 0 ;
}

/* Each answer byte ends the oldest request waiting. */
static void readclean(struct sched *s)
{
  char buf[512] ;
  ssize_t r = fd_read(s->cleanin, buf, sizeof buf) ;
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return ;
  if (r <= 0) lostclean() ;
  for (ssize_t i = 0 ; i < r ; i++)
  {
    struct cleanwait w ;
    int ok = buf[i] == CLEANPROTO_OK ;
    if (s->cleanhead >= genalloc_len(struct cleanwait, &s->cleanwait))
    {
      sendlog_s("alert: clean answered a request it was never sent; exiting") ; sendlog_end() ;
      sendlog_flush() ;
      _exit(111) ;
    }
    w = genalloc_s(struct cleanwait, &s->cleanwait)[s->cleanhead++] ;
    if (s->cleanhead == genalloc_len(struct cleanwait, &s->cleanwait))
    {
      genalloc_setlen(struct cleanwait, &s->cleanwait, 0) ;
      s->cleanhead = 0 ;
    }
    if (!ok)
    {
      char req[CLEANPROTO_MAX] ;
      size_t n = cleanproto_fmt(req, (enum cleanproto_kind)w.kind, w.id) ;
      sendlog_s("warning: clean could not remove ") ; sendlog_safe(req, n - 1) ; sendlog_end() ;
    }
    if (w.kind == CLEANPROTO_TODO) schedtodo_cleaned(s, &w, ok) ;
    else schedjob_cleaned(s, &w, ok) ;
  }
}

static void readresults(struct sched *s, unsigned int c)
{
  struct chan *ch = &s->chan[c] ;
  char buf[8192] ;
  ssize_t r = fd_read(ch->resfd, buf, sizeof buf) ;
  size_t pos = 0 ;
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ;
  if (r <= 0)
  {
    sendlog_s(c == CHAN_LOCAL ? "alert: lost the connection to lspawn; exiting" : "alert: lost the connection to rspawn; exiting") ;
    sendlog_end() ;
    sendlog_flush() ;
    _exit(111) ;
  }
  while (pos < (size_t)r)
  {
    size_t used ;
    enum spawnproto_status st = spawnproto_resfeed(&ch->dec, buf + pos, (size_t)r - pos, &used) ;
    pos += used ;
    if (st == SPAWNPROTO_DONE) schedjob_result(s, c, &ch->dec.res) ;
    else if (st != SPAWNPROTO_MORE)
    {
      sendlog_s("alert: spawner protocol error: ") ; sendlog_s(spawnproto_errstr(st)) ; sendlog_s("; exiting") ; sendlog_end() ;
      sendlog_flush() ;
      _exit(111) ;
    }
  }
}

static void writerequests(struct sched *s, unsigned int c)
{
  struct chan *ch = &s->chan[c] ;
  while (ch->outdone < ch->out.len)
  {
    ssize_t w = fd_write(ch->reqfd, ch->out.s + ch->outdone, ch->out.len - ch->outdone) ;
    if (w < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return ;
      sendlog_s("alert: unable to write to a spawner; exiting") ; sendlog_end() ;
      sendlog_flush() ;
      _exit(111) ;
    }
    ch->outdone += (size_t)w ;
  }
  ch->out.len = ch->outdone = 0 ;
}

static void handlesignals(struct sched *s)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig <= 0) return ;
    switch (sig)
    {
      case SIGALRM:
        for (unsigned int c = 0 ; c < CHANNELS ; c++) jobheap_advance(&s->heap[c], time(0)) ;
        s->wanttodoscan = 1 ;
        s->lasttodoscan = 0 ;
        break ;
      case SIGHUP:
        sched_config(s) ;
        break ;
      case SIGTERM:
        s->flagexit = 1 ;
        break ;
    }
  }
}

size_t sched_cleanpending(struct sched const *s)
{
  return genalloc_len(struct cleanwait, &s->cleanwait) - s->cleanhead ;
}

unsigned int sched_aheadmax(struct sched const *s)
{
  unsigned int n = TODO_GROUP ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
    if (s->chan[c].reqfd >= 0) n += 2 * s->chan[c].concurrency ;
  return n < SCHED_AHEADMIN ? SCHED_AHEADMIN : n ;
}

int sched_busy(struct sched const *s)
{
  return s->chan[CHAN_LOCAL].busy || s->chan[CHAN_REMOTE].busy
   || s->cleanhead < genalloc_len(struct cleanwait, &s->cleanwait) ;
}

void sched_run(struct sched *s)
{
  int sfd = selfpipe_init() ;
  sigset_t set ;
  if (sfd < 0) strerr_diefusys(111, "create the selfpipe") ;
  sigemptyset(&set) ;
  sigaddset(&set, SIGALRM) ; sigaddset(&set, SIGHUP) ; sigaddset(&set, SIGTERM) ;
  if (!selfpipe_trapset(&set)) strerr_diefusys(111, "trap signals") ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    if (s->chan[c].reqfd >= 0 && ndelay_on(s->chan[c].reqfd) < 0) strerr_diefusys(111, "set a spawner pipe non-blocking") ;
    spawnproto_resinit(&s->chan[c].dec, SCHED_CONCURRENCY_MAX - 1) ;
  }
  if (ndelay_on(s->cleanout) < 0 || ndelay_on(s->cleanin) < 0) strerr_diefusys(111, "set clean's pipes non-blocking") ;
  tain_now_set_wallclock_g() ;
  sched_status(s) ;

  for (;;)
  {
    iopause_fd x[4 + 2 * CHANNELS] ;
    unsigned int n = 0, xres[CHANNELS], xreq[CHANNELS], xcin, xcout = 0 ;
    time_t now = time(0), wake ;
    int more = 0 ;
    tain deadline ;

    /* qmail-send's one line, when the last delivery has finished */
    if (s->flagexit && !sched_busy(s)) { sendlog_s("status: exiting") ; sendlog_end() ; sendlog_flush() ; _exit(0) ; }
    if (!s->flagexit)
    {
      /* A poke means a scan now, unless todo/ is so large that scanning
       * it for every new message would cost more than the message. */
      if ((s->wanttodoscan && (s->todoentries < TODO_BIG || now > s->lasttodoscan))
       || now >= s->lasttodoscan + TODO_RESCAN)
        schedtodo_scan(s) ;
      more = schedtodo_work(s, TODO_BATCH) ;
      if (now >= s->lastsweep + SWEEP_EVERY) schedtodo_sweep(s) ;
    }
    schedjob_dispatch(s) ;
    /* the log says "starting delivery" before the spawner can start it */
    sendlog_flush() ;
    for (unsigned int c = 0 ; c < CHANNELS ; c++) if (s->chan[c].reqfd >= 0) writerequests(s, c) ;
    writeclean(s) ;

    wake = s->lasttodoscan + (s->wanttodoscan ? 1 : TODO_RESCAN) ;
    if (s->lastsweep + SWEEP_EVERY < wake) wake = s->lastsweep + SWEEP_EVERY ;
    {
      time_t due = schedjob_nextdue(s) ;
      if (due && due < wake) wake = due ;
    }
    tain_now_g() ;
    if (more || wake <= now) deadline = STAMP ;
    else tain_addsec_g(&deadline, (int)(wake - now > 3600 ? 3600 : wake - now)) ;

    x[n].fd = sfd ; x[n++].events = IOPAUSE_READ ;
    x[n].fd = s->trigger ; x[n++].events = IOPAUSE_READ ;
    xcin = n ; x[n].fd = s->cleanin ; x[n++].events = IOPAUSE_READ ;
    if (s->cleanreqdone < s->cleanreq.len) { xcout = n ; x[n].fd = s->cleanout ; x[n++].events = IOPAUSE_WRITE ; }
    for (unsigned int c = 0 ; c < CHANNELS ; c++)
    {
      struct chan *ch = &s->chan[c] ;
      xres[c] = xreq[c] = 0 ;
      if (ch->resfd < 0) continue ;
      xres[c] = n ; x[n].fd = ch->resfd ; x[n++].events = IOPAUSE_READ ;
      if (ch->outdone < ch->out.len) { xreq[c] = n ; x[n].fd = ch->reqfd ; x[n++].events = IOPAUSE_WRITE ; }
    }
    sendlog_flush() ;
    if (iopause_g(x, n, &deadline) < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "iopause") ;
    }
    if (x[0].revents & IOPAUSE_READ) handlesignals(s) ;
    if (x[1].revents & IOPAUSE_READ)
    {
      char buf[256] ;
      while (read(s->trigger, buf, sizeof buf) > 0) ;
      s->wanttodoscan = 1 ;
    }
    if (x[xcin].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) readclean(s) ;
    if (xcout && x[xcout].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT)) writeclean(s) ;
    for (unsigned int c = 0 ; c < CHANNELS ; c++)
    {
      if (xres[c] && x[xres[c]].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) readresults(s, c) ;
      if (xreq[c] && x[xreq[c]].revents & (IOPAUSE_WRITE | IOPAUSE_EXCEPT)) writerequests(s, c) ;
    }
  }
}
