/* schedjob.c: jobs, deliveries and their results, and the end of a message.
 *
 * A job is one message's recipients on one channel, read from its
 * local/B/ID or remote/B/ID file. Each T item becomes one delivery; when
 * its result comes back the item is overwritten with D in place. A
 * permanent failure is first appended, fsynced, to bounce/ID and only then
 * marked D, so a crash between the two gives a duplicate bounce record,
 * never a lost one. When the job has nothing left running, a deferred
 * recipient makes the file wait until its next retry time, which is kept
 * as the file's mtime (qmail's convention, so a restart knows it);
 * otherwise the file is removed. A message whose channel files are all
 * gone is finished: its bounce (if any) is queued, then clean removes
 * mess/ and intd/, and finally, once clean has answered, info/ goes.
 * Removed channel and info/ files become send's spares (spare.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include "bounce.h"
#include "envelope.h"
#include "qpath.h"
#include "qqclient.h"
#include "qqexit.h"
#include "sched.h"
#include "sendlog.h"
#include "spare.h"

#define JOBFILE_MAX (ENVELOPE_MAX + 64)
#define BOUNCE_RETRY 60

static char const *const channame[CHANNELS] = { "local", "remote" } ;
static char const *const chandir[CHANNELS] = { "local/", "remote/" } ;

static struct job *jobat(struct sched *s, unsigned int j)
{
  return genalloc_s(struct job, &s->jobs) + j ;
}

static void warn3(char const *a, char const *b, char const *c)
{
  sendlog_s("warning: ") ; sendlog_s(a) ; sendlog_s(b) ; sendlog_s(c) ; sendlog_end() ;
}

static void warnsys(char const *what, char const *fn)
{
  char const *e = strerror(errno) ;
  sendlog_s("warning: unable to ") ; sendlog_s(what) ; sendlog_s(" ") ; sendlog_s(fn) ;
  sendlog_s(": ") ; sendlog_s(e) ; sendlog_end() ;
}

/* Reads the sender (the F item) of info/B/ID into sa, NUL-terminated. */
static int readsender(struct sched *s, unsigned long id, stralloc *sa)
{
  char fn[QPATH_MAX] ;
  size_t n ;
  qpath_fmt(fn, "info/", id, s->split) ;
  sa->len = 0 ;
  if (!openslurpclose(sa, fn)) { warnsys("read", fn) ; return 0 ; }
  if (!sa->len || sa->s[0] != 'F') { warn3("no sender in ", fn, "") ; return 0 ; }
  n = strnlen(sa->s, sa->len) ;
  if (n == sa->len) { warn3("no final NUL in ", fn, "") ; return 0 ; }
  memmove(sa->s, sa->s + 1, n) ;      /* drop F, keep the NUL */
  sa->len = n ;
  return 1 ;
}

static int newjob(struct sched *s)
{
  unsigned int j ;
  if (genalloc_len(unsigned int, &s->freejobs))
  {
    size_t n = genalloc_len(unsigned int, &s->freejobs) - 1 ;
    j = genalloc_s(unsigned int, &s->freejobs)[n] ;
    genalloc_setlen(unsigned int, &s->freejobs, n) ;
    return (int)j ;
  }
  {
    struct job zero = { 0, 0, -1, 0, 0, 0, STRALLOC_ZERO, STRALLOC_ZERO } ;
    if (!genalloc_append(struct job, &s->jobs, &zero)) return -1 ;
  }
  return (int)genalloc_len(struct job, &s->jobs) - 1 ;
}

static void markdone(struct job *jb, size_t off)
{
  /* Not fsynced: losing a D mark in a power cut means one more delivery
   * of that recipient, never a lost one. */
  if (pwrite(jb->fd, "D", 1, (off_t)off) != 1) warn3("unable to mark a recipient done; it will be delivered again", "", "") ;
  else jb->file.s[off] = 'D' ;
}

/* Appends the failure of rcpt to bounce/ID, durably. */
static int addbounce(struct sched *s, unsigned long id, char const *rcpt, char const *text)
{
  static stralloc rec = STRALLOC_ZERO ;
  char fn[QPATH_MAX] ;
  int fd, ok ;
  rec.len = 0 ;
  if (!bounce_addrecord(&rec, rcpt, text)) return 0 ;
  qpath_fmt(fn, "bounce/", id, s->split) ;
  fd = open(fn, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) ;
  if (fd < 0) { warnsys("open", fn) ; return 0 ; }
  ok = allwrite(fd, rec.s, rec.len) == rec.len && fd_sync(fd) == 0 ;
  if (!ok) warnsys("write", fn) ;
  close(fd) ;
  return ok ;
}

static void closejob(struct sched *s, unsigned int j)
{
  struct job *jb = jobat(s, j) ;
  struct msg *m = msgtab_get(&s->msgs, jb->id) ;
  unsigned int c = jb->chan ;
  char fn[QPATH_MAX] ;
  time_t now = time(0) ;

  qpath_fmt(fn, chandir[c], jb->id, s->split) ;
  if (jb->deferred && m)
  {
    time_t when = retry_next(m->birth, now, c) ;
    time_t end = m->birth + (time_t)s->lifetime ;
    struct timespec ts[2] ;
    if (when > end && end > now) when = end ;
    ts[0].tv_sec = ts[1].tv_sec = when ; ts[0].tv_nsec = ts[1].tv_nsec = 0 ;
    if (futimens(jb->fd, ts) < 0) warnsys("set the retry time of", fn) ;
    if (!jobheap_push(&s->heap[c], when, jb->id, c)) warn3("out of memory: ", fn, " waits for a restart") ;
  }
  else
  {
    if (!spare_put(&s->spares, fn)) warnsys("remove", fn) ;
    if (m) m->pending[c] = 0 ;
  }
  fd_close(jb->fd) ;
  jb->fd = -1 ;
  if (m)
  {
    m->job[c] = 0 ;
    if (!m->pending[0] && !m->pending[1]) jobheap_push(&s->heap[SCHED_FINISH], now, jb->id, SCHED_FINISH) ;
  }
  jb->id = 0 ;
  if (!genalloc_append(unsigned int, &s->freejobs, &j)) { /* the slot leaks; harmless */ }
}

/* Starts deliveries for the job's remaining T items while slots are free. */
static void feedjob(struct sched *s, unsigned int j)
{
  struct job *jb = jobat(s, j) ;
  struct chan *ch = &s->chan[jb->chan] ;
  while (jb->next < jb->file.len && ch->busy < ch->concurrency && !s->flagexit)
  {
    size_t off = jb->next ;
    char const *item = jb->file.s + off ;
    size_t n = strnlen(item, jb->file.len - off) ;
    unsigned int i ;
    jb->next = off + n + 1 ;
    if (!n || item[0] != 'T') continue ;
    for (i = 0 ; i < ch->concurrency && ch->slots[i].job ; i++) ;
    if (!spawnproto_putreq(&ch->out, i, jb->id, jb->sender.s, jb->sender.len - 1, item + 1, n - 1))
    {
      warn3("unusable recipient address; skipped: ", "", "") ;
      continue ;
    }
    ch->slots[i].job = j + 1 ;
    ch->slots[i].off = off ;
    ch->slots[i].delnum = ++s->delnum ;
    ch->busy++ ;
    jb->inflight++ ;
    sendlog_s("starting delivery ") ; sendlog_u(ch->slots[i].delnum) ;
    sendlog_s(": msg ") ; sendlog_u(jb->id) ; sendlog_s(" to ") ; sendlog_s(channame[jb->chan]) ;
    sendlog_s(" ") ; sendlog_safe(item + 1, n - 1) ; sendlog_end() ;
    sched_status(s) ;
  }
  if (jb->next >= jb->file.len && !jb->inflight) closejob(s, j) ;
}

static int openjob(struct sched *s, unsigned long id, unsigned int c)
{
  struct msg *m = msgtab_get(&s->msgs, id) ;
  struct job *jb ;
  char fn[QPATH_MAX] ;
  struct stat st ;
  int j ;
  /* its turn has come: preprocessing may take up another from the backlog */
  if (m && m->ahead) { m->ahead = 0 ; s->ahead-- ; }
  if (!m || !m->pending[c] || m->job[c]) return 0 ;    /* stale heap entry */
  j = newjob(s) ;
  if (j < 0) return -1 ;
  jb = jobat(s, (unsigned int)j) ;
  jb->id = id ; jb->chan = c ; jb->next = 0 ; jb->inflight = 0 ; jb->deferred = 0 ;
  qpath_fmt(fn, chandir[c], id, s->split) ;
  jb->fd = open(fn, O_RDWR | O_CLOEXEC) ;
  if (jb->fd < 0 || fstat(jb->fd, &st) < 0 || (unsigned long)st.st_size > JOBFILE_MAX
   || !readsender(s, id, &jb->sender))
  {
    if (jb->fd < 0 && errno == ENOENT) m->pending[c] = 0 ;
    else
    {
      warnsys("open", fn) ;
      jobheap_push(&s->heap[c], time(0) + BOUNCE_RETRY, id, c) ;
    }
    fd_close(jb->fd) ; jb->fd = -1 ; jb->id = 0 ;
    genalloc_append(unsigned int, &s->freejobs, (unsigned int *)&j) ;
    if (!m->pending[0] && !m->pending[1]) jobheap_push(&s->heap[SCHED_FINISH], time(0), id, SCHED_FINISH) ;
    return 0 ;
  }
  jb->file.len = 0 ;
  if (!stralloc_ready(&jb->file, (size_t)st.st_size)
   || allread(jb->fd, jb->file.s, (size_t)st.st_size) < (size_t)st.st_size)
  {
    warnsys("read", fn) ;
    fd_close(jb->fd) ; jb->fd = -1 ; jb->id = 0 ;
    genalloc_append(unsigned int, &s->freejobs, (unsigned int *)&j) ;
    jobheap_push(&s->heap[c], time(0) + BOUNCE_RETRY, id, c) ;
    return 0 ;
  }
  jb->file.len = (size_t)st.st_size ;
  m->job[c] = (unsigned int)j + 1 ;
  feedjob(s, (unsigned int)j) ;
  return 1 ;
}

/* New mail must not wait behind old work: the first attempt of a message
 * that arrived while send runs goes on a stack served newest first, ahead
 * of the time-ordered heap (retries and the backlog found at start). The
 * heap still gets one dispatch in SCHED_HEAPSHARE, and the stack holds at
 * most SCHED_NEWJOBS: in a flood its oldest entries move to the heap,
 * where time order serves them. */
void schedjob_addnew(struct sched *s, unsigned long id, unsigned int c)
{
  genalloc *g = &s->newjobs[c] ;
  size_t n = genalloc_len(unsigned long, g) ;
  if (n >= SCHED_NEWJOBS)
  {
    unsigned long *a = genalloc_s(unsigned long, g) ;
    jobheap_push(&s->heap[c], time(0), a[0], c) ;
    memmove(a, a + 1, (n - 1) * sizeof *a) ;
    genalloc_setlen(unsigned long, g, n - 1) ;
  }
  if (!genalloc_append(unsigned long, g, &id)) jobheap_push(&s->heap[c], time(0), id, c) ;
}

/* The next job of channel c to open: 1 with *id, or 0 if none is due. */
static int nextjob(struct sched *s, unsigned int c, time_t now, unsigned long *id)
{
  genalloc *g = &s->newjobs[c] ;
  size_t n = genalloc_len(unsigned long, g) ;
  struct jobent const *e = jobheap_peek(&s->heap[c]) ;
  int heapdue = e && e->when <= now ;
  if (n && (!heapdue || ++s->picks % SCHED_HEAPSHARE))
  {
    *id = genalloc_s(unsigned long, g)[n - 1] ;
    genalloc_setlen(unsigned long, g, n - 1) ;
    return 1 ;
  }
  if (!heapdue) return 0 ;
  *id = e->id ;
  jobheap_pop(&s->heap[c]) ;
  return 1 ;
}

void schedjob_dispatch(struct sched *s)
{
  time_t now = time(0) ;
  struct jobent const *e ;
  unsigned long id ;

  while ((e = jobheap_peek(&s->heap[SCHED_FINISH])) && e->when <= now)
  {
    id = e->id ;
    jobheap_pop(&s->heap[SCHED_FINISH]) ;
    schedjob_finish(s, id) ;
  }
  if (s->flagexit) return ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    struct chan *ch = &s->chan[c] ;
    /* Open jobs first: they hold recipients that waited for a slot. */
    for (unsigned int j = 0 ; j < genalloc_len(struct job, &s->jobs) && ch->busy < ch->concurrency ; j++)
    {
      struct job *jb = jobat(s, j) ;
      if (jb->id && jb->chan == c && jb->next < jb->file.len) feedjob(s, j) ;
    }
    if (ch->reqfd < 0) continue ;   /* no spawner: recipients wait in the queue */
    while (ch->busy < ch->concurrency && nextjob(s, c, now, &id))
      if (openjob(s, id, c) < 0) { jobheap_push(&s->heap[c], now + BOUNCE_RETRY, id, c) ; break ; }
  }
}

time_t schedjob_nextdue(struct sched const *s)
{
  time_t best = 0 ;
  struct jobent const *e = jobheap_peek(&s->heap[SCHED_FINISH]) ;
  if (e) best = e->when ;
  if (s->flagexit) return best ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    if (s->chan[c].reqfd < 0 || s->chan[c].busy >= s->chan[c].concurrency) continue ;
    if (genalloc_len(unsigned long, &s->newjobs[c])) return time(0) ;
    e = jobheap_peek(&s->heap[c]) ;
    if (e && (!best || e->when < best)) best = e->when ;
  }
  return best ;
}

void schedjob_result(struct sched *s, unsigned int c, struct spawnres const *r)
{
  static stralloc text = STRALLOC_ZERO ;
  struct chan *ch = &s->chan[c] ;
  struct slot *sl ;
  struct job *jb ;
  struct msg *m ;
  char const *rcpt ;
  char status = r->status ;

  if (r->slot >= SCHED_CONCURRENCY_MAX || !ch->slots[r->slot].job)
  {
    warn3("result for an idle delivery slot ignored", "", "") ;
    return ;
  }
  sl = &ch->slots[r->slot] ;
  jb = jobat(s, sl->job - 1) ;
  m = msgtab_get(&s->msgs, jb->id) ;
  rcpt = jb->file.s + sl->off + 1 ;
  text.len = 0 ;
  if (!stralloc_catb(&text, r->text, r->len) || !stralloc_0(&text)) status = 'Z' ;

  sendlog_s("delivery ") ; sendlog_u(sl->delnum) ;
  sendlog_s(status == 'K' ? ": success: " : status == 'D' ? ": failure: " : ": deferral: ") ;
  sendlog_safe(r->text, r->len) ; sendlog_end() ;

  if (status == 'Z' && m && time(0) >= m->birth + (time_t)s->lifetime)
  {
    text.len-- ;
    if (text.len && text.s[text.len - 1] != '\n') stralloc_catb(&text, "\n", 1) ;
    if (stralloc_cats(&text, "I'm not going to try again; this message has been in the queue too long. (#4.4.7)\n")
     && stralloc_0(&text))
      status = 'D' ;
    else text.len++ ;
  }
  if (status == 'K') markdone(jb, sl->off) ;
  else if (status == 'D')
  {
    /* the sender knows the address without the virtualdomains prefix */
    if (addbounce(s, jb->id, rcpt + rewrite_unvirtual(&s->rw, rcpt, strlen(rcpt)), text.s)) markdone(jb, sl->off) ;
    else jb->deferred = 1 ;
  }
  else jb->deferred = 1 ;

  sl->job = 0 ;
  ch->busy-- ;
  jb->inflight-- ;
  sched_status(s) ;
  if (jb->next >= jb->file.len && !jb->inflight) closejob(s, (unsigned int)(jb - genalloc_s(struct job, &s->jobs))) ;
}

/* Queues the bounce for message id: 1 done (or nothing to do), 0 try later. */
static int sendbounce(struct sched *s, unsigned long id, time_t birth)
{
  static stralloc btext = STRALLOC_ZERO, sender = STRALLOC_ZERO, msg = STRALLOC_ZERO, env = STRALLOC_ZERO, to = STRALLOC_ZERO ;
  char fn[QPATH_MAX], messfn[QPATH_MAX] ;
  struct bounce_params p ;
  struct qqclient qq ;
  int fd, r, dbl ;

  qpath_fmt(fn, "bounce/", id, s->split) ;
  btext.len = 0 ;
  if (!openslurpclose(&btext, fn))
  {
    if (errno == ENOENT) return 1 ;
    warnsys("read", fn) ;
    return 0 ;
  }
  if (!readsender(s, id, &sender)) return 0 ;
  if (!strcmp(sender.s, "#@[]"))
  {
    sendlog_s("triple bounce: discarding ") ; sendlog_s(fn) ; sendlog_end() ;
    goto done ;
  }
  dbl = !sender.s[0] ;
  to.len = 0 ;
  if (dbl)
  {
    if (!s->doublebounceto.len)
    {
      sendlog_s("double bounce: discarding ") ; sendlog_s(fn) ; sendlog_end() ;
      goto done ;
    }
    if (!stralloc_cat(&to, &s->doublebounceto) || !stralloc_catb(&to, "@", 1) || !stralloc_cat(&to, &s->doublebouncehost)) return 0 ;
  }
  else if (!stralloc_catb(&to, sender.s, sender.len - 1)) return 0 ;
  if (!stralloc_0(&to)) return 0 ;

  qpath_fmt(messfn, "mess/", id, s->split) ;
  fd = open(messfn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0) { warnsys("open", messfn) ; return 0 ; }
  memset(&p, 0, sizeof p) ;
  p.me = s->me.s ; p.bouncefrom = s->bouncefrom.s ; p.bouncehost = s->bouncehost.s ;
  p.to = to.s ; p.id = id ; p.arrival = birth ; p.now = time(0) ; p.doublebounce = dbl ;
  msg.len = 0 ;
  r = bounce_compose(&msg, &p, btext.s, btext.len, fd) ;
  fd_close(fd) ;
  if (!r && errno == ENOMSG)
  {
    sendlog_s("warning: no failure records in ") ; sendlog_s(fn) ; sendlog_s("; nothing to bounce") ; sendlog_end() ;
    goto done ;
  }
  if (!r) { warnsys("compose the bounce from", fn) ; return 0 ; }

  env.len = 0 ;
  if (!envelope_add(&env, 'F', dbl ? "#@[]" : "", dbl ? 4 : 0)
   || !envelope_add(&env, 'T', to.s, to.len - 1) || !envelope_end(&env)) return 0 ;
  if (!qqclient_start(&qq, 0, 0)) { warnsys("run", "queue") ; return 0 ; }
  qqclient_put(&qq, msg.s, msg.len) ;
  r = qqclient_finish(&qq, env.s, env.len) ;
  if (r)
  {
    sendlog_s("warning: unable to queue the bounce for msg ") ; sendlog_u(id) ;
    sendlog_s(": ") ; sendlog_s(qqexit_text(r)) ; sendlog_end() ;
    return 0 ;
  }
  sendlog_s("bounce msg ") ; sendlog_u(id) ; sendlog_s(" qp ") ; sendlog_u((unsigned long)qq.pid) ; sendlog_end() ;
 done:
  if (unlink(fn) < 0 && errno != ENOENT) { warnsys("remove", fn) ; return 0 ; }
  return 1 ;
}

void schedjob_finish(struct sched *s, unsigned long id)
{
  struct msg *m = msgtab_get(&s->msgs, id) ;
  if (!m || m->finishing || m->pending[0] || m->pending[1] || m->job[0] || m->job[1]) return ;
  if (!sendbounce(s, id, m->birth))
  {
    jobheap_push(&s->heap[SCHED_FINISH], time(0) + BOUNCE_RETRY, id, SCHED_FINISH) ;
    return ;
  }
  m->finishing = 1 ;
  {
    struct cleanwait w = { .id = id, .birth = 0, .kind = CLEANPROTO_FOOP, .fresh = 0, .finish = 1 } ;
    sched_clean(s, &w) ;
  }
}

void schedjob_cleaned(struct sched *s, struct cleanwait const *w, int ok)
{
  char fn[QPATH_MAX] ;
  (void)ok ;   /* a mess/ file left behind is the orphan sweep's */
  if (!w->finish) return ;
  qpath_fmt(fn, "info/", w->id, s->split) ;
  if (!spare_put(&s->spares, fn)) warnsys("remove", fn) ;
  {
    struct msg *m = msgtab_get(&s->msgs, w->id) ;
    if (m && m->ahead) { m->ahead = 0 ; s->ahead-- ; }
  }
  msgtab_del(&s->msgs, w->id) ;
  sendlog_s("end msg ") ; sendlog_u(w->id) ; sendlog_end() ;
  /* a new entry that took this id may go ahead now */
  if (s->parked) { s->parked = 0 ; s->wanttodoscan = 1 ; }
}
