/* todo-over-spares: preprocessing (todo.c) writes an entry's remote/ and
 * info/ files over send's spares (spare.h) when there are some: a spare
 * holding a longer list of old recipients must come out holding exactly
 * the new entry's items, with no tail of the old ones, and the entry is
 * the same as one written into new files. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "qpath.h"
#include "rewrite.h"
#include "spare.h"
#include "todo.h"
#include "tap.h"

static void put(char const *fn, char const *data, size_t len)
{
  int fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0600) ;
  if (fd < 0 || write(fd, data, len) != (ssize_t)len) { perror(fn) ; exit(1) ; }
  close(fd) ;
}

static size_t get(char const *fn, char *buf, size_t max)
{
  int fd = open(fn, O_RDONLY) ;
  ssize_t r = fd < 0 ? -1 : read(fd, buf, max) ;
  if (fd >= 0) close(fd) ;
  return r < 0 ? 0 : (size_t)r ;
}

static ino_t inode(char const *fn)
{
  struct stat st ;
  return stat(fn, &st) < 0 ? 0 : st.st_ino ;
}

/* One entry: todo/ID (the envelope), mess/B/ID; preprocessed and
 * committed. Returns todo_preprocess's result. */
static int entry(unsigned long id, struct spares *sp, char const *env, size_t envlen)
{
  static struct rewrite rw = REWRITE_ZERO ;
  static stralloc err = STRALLOC_ZERO ;
  struct todoinfo ti = TODOINFO_ZERO ;
  struct todogroup g = TODOGROUP_ZERO ;
  char fn[QPATH_MAX] ;
  int r ;
  qpath_fmt(fn, "mess/", id, 1) ; put(fn, "Subject: x\n\nx\n", 14) ;
  qpath_fmt(fn, "todo/", id, 1) ; put(fn, env, envlen) ;
  g.sp = sp ;
  r = todo_preprocess(id, 1, &rw, &ti, &g, &err) ;
  if (r == 1 && !todo_commit(&g, &err)) r = 0 ;
  if (r != 1) printf("# %s\n", err.len ? err.s : "?") ;
  stralloc_free(&ti.sender) ;
  return r ;
}

int main(void)
{
  char tmpl[] = "/tmp/todo-over-spares.XXXXXX" ;
  static char const stale[] = "Tstale-one@old.example\0Tstale-two@old.example\0Tstale-three@old.example\0" ;
  static char const env[] = "u0\0p1\0Fsender@example.org\0Tnew@example.net\0\0" ;
  static char const want[] = "Tnew@example.net\0" ;
  static char const wantinfo[] = "Fsender@example.org\0" ;
  struct spares sp = SPARES_ZERO("info") ;
  char buf[512] ;
  size_t n ;
  ino_t s0, s1 ;

  if (!mkdtemp(tmpl) || chdir(tmpl) < 0) { perror("scratch") ; return 1 ; }
  if (system("mkdir -p mess/0 info/0 local/0 remote/0 todo")) return 1 ;

  /* two spares, each full of a longer recipient list */
  put("info/spare.0", stale, sizeof stale - 1) ;
  put("info/spare.1", stale, sizeof stale - 1) ;
  s0 = inode("info/spare.0") ; s1 = inode("info/spare.1") ;

  is_int(entry(1001, &sp, env, sizeof env - 1), 1, "an entry is preprocessed over spares") ;
  ok(inode("remote/0/1001") == s0 || inode("remote/0/1001") == s1, "  its remote/ file is a spare's inode") ;
  ok(inode("info/0/1001") == s0 || inode("info/0/1001") == s1, "  and so is its info/ file") ;
  ok(!inode("info/spare.0") && !inode("info/spare.1"), "  both spares were taken") ;
  n = get("remote/0/1001", buf, sizeof buf) ;
  is_mem(buf, n, want, sizeof want - 1, "  remote/ holds exactly the new recipient, nothing of the old list") ;
  n = get("info/0/1001", buf, sizeof buf) ;
  is_mem(buf, n, wantinfo, sizeof wantinfo - 1, "  info/ holds exactly the sender") ;

  /* no spare left: new files, the same bytes */
  is_int(entry(1002, &sp, env, sizeof env - 1), 1, "with no spare left, an entry gets new files") ;
  n = get("remote/0/1002", buf, sizeof buf) ;
  is_mem(buf, n, want, sizeof want - 1, "  with the same remote/ bytes") ;

  /* preprocessed again (after a crash): an existing file is rewritten whole */
  put("remote/0/1002", stale, sizeof stale - 1) ;
  put("info/spare.0", stale, sizeof stale - 1) ;
  sp.sincescan = SPARE_RESCAN ;
  is_int(entry(1002, &sp, env, sizeof env - 1), 1, "an entry preprocessed again over its own old files") ;
  n = get("remote/0/1002", buf, sizeof buf) ;
  is_mem(buf, n, want, sizeof want - 1, "  rewrites remote/ whole") ;

  /* the commit of one entry syncs the directories of its names too */
  {
    static struct rewrite rw = REWRITE_ZERO ;
    static stralloc err = STRALLOC_ZERO ;
    struct todoinfo ti = TODOINFO_ZERO ;
    struct todogroup g = TODOGROUP_ZERO ;
    char fn[QPATH_MAX] ;
    qpath_fmt(fn, "mess/", 1003, 1) ; put(fn, "Subject: x\n\nx\n", 14) ;
    qpath_fmt(fn, "todo/", 1003, 1) ; put(fn, env, sizeof env - 1) ;
    is_int(todo_preprocess(1003, 1, &rw, &ti, &g, &err), 1, "an entry preprocessed, not yet committed") ;
    is_int(g.ndirs, 2, "  its group notes two directories") ;
    ok(g.ndirs == 2 && !strcmp(g.dir[0], "remote/0") && !strcmp(g.dir[1], "info/0"), "  remote/0 and info/0") ;
    if (rename("info/0", "info/moved") < 0) { perror("rename") ; return 1 ; }
    ok(!todo_commit(&g, &err), "  its commit fails when a directory of its names cannot be synced") ;
    ok(err.len && strstr(err.s, "queue directory"), "  and says it could not sync a queue directory") ;
    if (err.len) printf("# %s\n", err.s) ;
    is_int(g.nfiles + g.ndirs, 0, "  the group is empty after it") ;
    if (rename("info/moved", "info/0") < 0) { perror("rename") ; return 1 ; }
    stralloc_free(&ti.sender) ;
  }

  if (chdir("/") == 0) { char cmd[64] ; snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl) ; if (system(cmd)) {} }
  return tap_done() ;
}
