/* schedtodo.c: new mail. send finds new entries in todo/ when queue pokes
 * lock/trigger (and every 25 minutes in case a poke was lost), and
 * preprocesses them a few at a time between deliveries. Ids found after
 * start go into the "fresh" list, served before the backlog found at start,
 * so that a newly queued message never waits behind a large old todo/. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include "qpath.h"
#include "sched.h"
#include "sendlog.h"
#include "todo.h"

#define OSSIFIED 129600   /* 36 hours: a leftover older than this is garbage */

static int numname(char const *name, unsigned long *id)
{
  size_t n = ulong_scan(name, id) ;
  return n && !name[n] && *id && *id != MSGTAB_DEAD ;
}

static void warnsys(char const *what, char const *fn)
{
  char const *e = strerror(errno) ;
  sendlog_s("warning: unable to ") ; sendlog_s(what) ; sendlog_s(" ") ; sendlog_s(fn) ;
  sendlog_s(": ") ; sendlog_s(e) ; sendlog_end() ;
}

/* Adds every todo/ id not seen yet to list. Returns 1, 0 on error. */
static int scaninto(struct sched *s, genalloc *list)
{
  DIR *d = opendir("todo") ;
  struct dirent *de ;
  if (!d) { warnsys("open", "todo") ; return 0 ; }
  s->todoentries = 0 ;
  while ((errno = 0, de = readdir(d)))
  {
    unsigned long id ;
    s->todoentries++ ;
    if (!numname(de->d_name, &id) || msgtab_get(&s->todoknown, id)) continue ;
    if (!msgtab_add(&s->todoknown, id) || !genalloc_append(unsigned long, list, &id)) break ;
  }
  if (errno) warnsys("read", "todo") ;
  closedir(d) ;
  return 1 ;
}

int schedtodo_scan(struct sched *s)
{
  s->lasttodoscan = time(0) ;
  s->wanttodoscan = 0 ;
  return scaninto(s, &s->fresh) ;
}

/* fresh: the message arrived while send runs; its first attempts go ahead
 * of the heap (schedjob_addnew). backlog: it was preprocessed from the
 * todo/ found at start, and counts in s->ahead until a job of it opens
 * (when one of its channels has a spawner and it is due now). */
static void addmsg(struct sched *s, unsigned long id, time_t birth, time_t now, int fresh, int backlog)
{
  struct msg *m = msgtab_add(&s->msgs, id) ;
  char fn[QPATH_MAX] ;
  if (!m) { sendlog_s("warning: out of memory; msg ") ; sendlog_u(id) ; sendlog_s(" waits for a restart") ; sendlog_end() ; return ; }
  m->birth = birth ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    struct stat st ;
    qpath_fmt(fn, c == CHAN_LOCAL ? "local/" : "remote/", id, s->split) ;
    if (stat(fn, &st) < 0) continue ;
    m->pending[c] = 1 ;
    if (fresh) { schedjob_addnew(s, id, c) ; continue ; }
    /* A retry time in the past or far in the future (clock jumps) is
     * simply due now. */
    {
      time_t when = st.st_mtime > now + 7 * 86400 ? now : st.st_mtime ;
      jobheap_push(&s->heap[c], when, id, c) ;
      if (backlog && !m->ahead && when <= now && s->chan[c].reqfd >= 0) { m->ahead = 1 ; s->ahead++ ; }
    }
  }
  if (!m->pending[0] && !m->pending[1]) jobheap_push(&s->heap[SCHED_FINISH], now, id, SCHED_FINISH) ;
}

void schedtodo_startup(struct sched *s)
{
  time_t now = time(0) ;
  scaninto(s, &s->backlog) ;
  s->lasttodoscan = now ;
  for (unsigned int b = 0 ; b < s->split ; b++)
  {
    char dir[QPATH_MAX] ;
    DIR *d ;
    struct dirent *de ;
    qpath_dirfmt(dir, "info/", b) ;
    d = opendir(dir) ;
    if (!d) { warnsys("open", dir) ; continue ; }
    while ((de = readdir(d)))
    {
      unsigned long id ;
      char fn[QPATH_MAX] ;
      struct stat st ;
      if (!numname(de->d_name, &id)) continue ;
      /* still in todo/: its info may be half written; it will be
       * preprocessed again */
      if (msgtab_get(&s->todoknown, id)) continue ;
      qpath_fmt(fn, "info/", id, s->split) ;
      if (stat(fn, &st) < 0) continue ;
      addmsg(s, id, st.st_mtime, now, 0, 0) ;
    }
    closedir(d) ;
  }
}

static int nextid(struct sched *s, unsigned long *id, int *fresh)
{
  size_t n = genalloc_len(unsigned long, &s->fresh) ;
  *fresh = !!n ;
  if (n)
  {
    /* newest first: the head of a burst must not wait for its tail */
    *id = genalloc_s(unsigned long, &s->fresh)[n - 1] ;
    genalloc_setlen(unsigned long, &s->fresh, n - 1) ;
    return 1 ;
  }
  if (s->backlogpos < genalloc_len(unsigned long, &s->backlog))
  {
    *id = genalloc_s(unsigned long, &s->backlog)[s->backlogpos++] ;
    if (s->backlogpos == genalloc_len(unsigned long, &s->backlog))
    {
      genalloc_setlen(unsigned long, &s->backlog, 0) ;
      s->backlogpos = 0 ;
    }
    return 1 ;
  }
  return 0 ;
}

static void trouble(unsigned long id, stralloc const *err, int garbage)
{
  sendlog_s("warning: trouble with todo/") ; sendlog_u(id) ; sendlog_s(": ") ;
  sendlog_s(err->len ? err->s : "unknown") ;
  sendlog_s(garbage ? "; left for the administrator" : "; will try again") ; sendlog_end() ;
}

/* Preprocesses up to max entries in groups of up to TODO_GROUP that share
 * one sync (todo.h): all the files of a group are written, then made
 * durable at once, and only then is clean asked to remove each todo/ID. */
int schedtodo_work(struct sched *s, unsigned int max)
{
  static stralloc err = STRALLOC_ZERO ;
  static struct todoinfo ti[TODO_GROUP] ;   /* zero is TODOINFO_ZERO */
  static struct todogroup g = TODOGROUP_ZERO ;
  int fresh[TODO_GROUP] ;
  int more = 1 ;
  unsigned int aheadmax = sched_aheadmax(s) ;
  /* Preprocessing goes no further ahead of clean than SCHED_CLEANWINDOW
   * requests: each entry ends with one, and a new message's would
   * otherwise wait behind a whole backlog's (a drain of 100,000 entries
   * preprocessed them all at once, and a new message waited 45 s).
   * Nor does the backlog go further ahead of the deliveries than
   * sched_aheadmax messages waiting for a slot: the files of a message
   * preprocessed long before its delivery cannot be the spares of the
   * ones delivered meanwhile, so a backlog preprocessed all at once
   * made two new inodes for each of its messages and unlinked as many
   * when they ended (and held them all in memory). A whole group or
   * nothing, so that the groups stay large. New mail is never held. */
  while (max && more && sched_cleanpending(s) < SCHED_CLEANWINDOW
   && (genalloc_len(unsigned long, &s->fresh) || s->ahead + TODO_GROUP <= aheadmax))
  {
    unsigned int n = 0, tried = 0 ;
    /* tried, not n: an entry that fails may have written files too */
    while (max && tried < TODO_GROUP && sched_cleanpending(s) + tried < SCHED_CLEANWINDOW
     && (more = nextid(s, &ti[n].id, &fresh[n])))
    {
      unsigned long id = ti[n].id ;
      int r ;
      max-- ; tried++ ;
      msgtab_del(&s->todoknown, id) ;
      /* The id of a message that clean is still removing: a new entry
       * took its inode, and its info/ must not be written before the old
       * one is gone. Put off until then (the next scan finds it again). */
      if (msgtab_get(&s->msgs, id)) { s->parked++ ; continue ; }
      sendlog_s("new msg ") ; sendlog_u(id) ; sendlog_end() ;
      g.sp = &s->spares ;
      r = todo_preprocess(id, s->split, &s->rw, &ti[n], &g, &err) ;
      if (r <= 0)
      {
        trouble(id, &err, r < 0) ;
        /* A temporary failure is tried again at the next scan. A garbage
         * entry is left alone (and not rescanned: it stays known). */
        if (r < 0) msgtab_add(&s->todoknown, id) ;
        continue ;
      }
      n++ ;
    }
    if (!todo_commit(&g, &err))
    {
      /* Nothing of the group is known to be on disk: every entry stays in
       * todo/ and is preprocessed again at the next scan. */
      for (unsigned int i = 0 ; i < n ; i++) trouble(ti[i].id, &err, 0) ;
      continue ;
    }
    for (unsigned int i = 0 ; i < n ; i++)
    {
      sendlog_s("info msg ") ; sendlog_u(ti[i].id) ; sendlog_s(": bytes ") ; sendlog_u(ti[i].bytes) ;
      sendlog_s(" from <") ; sendlog_safe(ti[i].sender.s, ti[i].sender.len) ; sendlog_s("> qp ") ;
      sendlog_u(ti[i].pid) ; sendlog_s(" uid ") ; sendlog_u(ti[i].uid) ; sendlog_end() ;
      {
        /* scheduled once clean has removed todo/ID (schedtodo_cleaned):
         * a crash before that preprocesses the entry again, and nothing
         * of it has been delivered yet */
        struct cleanwait w = { .id = ti[i].id, .birth = ti[i].birth, .kind = CLEANPROTO_TODO, .fresh = (unsigned char)fresh[i], .finish = 0 } ;
        /* known until then, so that a scan does not take it up again */
        msgtab_add(&s->todoknown, ti[i].id) ;
        sched_clean(s, &w) ;
      }
    }
  }
  /* held back by the window: clean's answers wake the loop again */
  if (sched_cleanpending(s) >= SCHED_CLEANWINDOW) return 0 ;
  /* held back by the deliveries: their results wake the loop again */
  return genalloc_len(unsigned long, &s->fresh)
   || (s->backlogpos < genalloc_len(unsigned long, &s->backlog) && s->ahead + TODO_GROUP <= aheadmax) ;
}

void schedtodo_cleaned(struct sched *s, struct cleanwait const *w, int ok)
{
  /* clean could not remove todo/ID: the entry is delivered from info/
   * all the same (as qmail-send does); todo/ID stays known, so it is not
   * preprocessed again while send runs */
  if (ok) msgtab_del(&s->todoknown, w->id) ;
  addmsg(s, w->id, w->birth, time(0), w->fresh, !w->fresh) ;
}

void schedtodo_sweep(struct sched *s)
{
  /* mess/ files with neither todo/ nor info/ are what a killed queue (or
   * a crash inside preprocessing's cleanup) leaves; after 36 hours clean
   * removes them with their intd/ file. */
  time_t now = time(0) ;
  s->lastsweep = now ;
  for (unsigned int b = 0 ; b < s->split ; b++)
  {
    char dir[QPATH_MAX] ;
    DIR *d ;
    struct dirent *de ;
    qpath_dirfmt(dir, "mess/", b) ;
    d = opendir(dir) ;
    if (!d) continue ;
    while ((de = readdir(d)))
    {
      unsigned long id ;
      char fn[QPATH_MAX] ;
      struct stat st ;
      if (!numname(de->d_name, &id)) continue ;
      if (msgtab_get(&s->msgs, id) || msgtab_get(&s->todoknown, id)) continue ;
      qpath_fmt(fn, "mess/", id, s->split) ;
      if (stat(fn, &st) < 0 || st.st_mtime + OSSIFIED > now) continue ;
      qpath_fmt(fn, "todo/", id, s->split) ;
      if (stat(fn, &st) == 0) continue ;
      qpath_fmt(fn, "info/", id, s->split) ;
      if (stat(fn, &st) == 0) continue ;
      {
        struct cleanwait w = { .id = id, .birth = 0, .kind = CLEANPROTO_FOOP, .fresh = 0, .finish = 0 } ;
        sched_clean(s, &w) ;
      }
    }
    closedir(d) ;
  }
}
