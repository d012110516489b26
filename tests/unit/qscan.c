/* Unit tests of qscan: queue files parsed from crafted bytes, entries read
 * from a crafted queue directory, and the directory iterator. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "tap.h"
#include "qpath.h"
#include "qscan.h"

#define SPLIT 23
#define LIT(s) s, sizeof s - 1

static void put(char const *fn, char const *s, size_t n)
{
  int fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || write(fd, s, n) != (ssize_t)n || close(fd) < 0) { printf("Bail out! cannot write %s\n", fn) ; exit(1) ; }
}

static void putq(char const *dir, unsigned long id, char const *s, size_t n)
{
  char fn[QPATH_MAX] ;
  qpath_fmt(fn, dir, id, SPLIT) ;
  put(fn, s, n) ;
}

static void settime(char const *dir, unsigned long id, time_t t)
{
  char fn[QPATH_MAX] ;
  struct timeval tv[2] = { { t, 0 }, { t, 0 } } ;
  qpath_fmt(fn, dir, id, SPLIT) ;
  if (utimes(fn, tv) < 0) { printf("Bail out! cannot utimes %s\n", fn) ; exit(1) ; }
}

static void mkqueue(void)
{
  static char const *const hashed[] = { "mess", "info", "local", "remote" } ;
  static char const *const flat[] = { "todo", "intd", "bounce", "pid" } ;
  char fn[32] ;
  for (unsigned int i = 0 ; i < 4 ; i++)
  {
    if (mkdir(hashed[i], 0700) < 0 || mkdir(flat[i], 0700) < 0) { printf("Bail out! mkdir\n") ; exit(1) ; }
    for (unsigned int b = 0 ; b < SPLIT ; b++)
    {
      snprintf(fn, sizeof fn, "%s/%u", hashed[i], b) ;
      if (mkdir(fn, 0700) < 0) { printf("Bail out! mkdir %s\n", fn) ; exit(1) ; }
    }
  }
}

static char const *addr(struct qscan_entry const *e, size_t i)
{
  return e->text.s + genalloc_s(struct qscan_rcpt, &e->rcpts)[i].addr ;
}

static struct qscan_rcpt rc(struct qscan_entry const *e, size_t i)
{
  return genalloc_s(struct qscan_rcpt, &e->rcpts)[i] ;
}

static size_t nrcpt(struct qscan_entry const *e)
{
  return genalloc_len(struct qscan_rcpt, &e->rcpts) ;
}

static void reset(struct qscan_entry *e)
{
  e->text.len = 0 ; e->rcpts.len = 0 ;
}

static void parsers(void)
{
  struct qscan_entry e = QSCAN_ENTRY_ZERO ;

  ok(qscan_parse_todo(&e, LIT("u1000\0p4242\0Fa@b\0Tc@d\0Te@f\0")), "todo as qmail-queue writes it (no final empty item)") ;
  is_str(e.text.s + e.sender, "a@b", "todo: the sender") ;
  ok(nrcpt(&e) == 2 && !strcmp(addr(&e, 0), "c@d") && !strcmp(addr(&e, 1), "e@f"), "todo: both recipients, in order") ;
  ok(rc(&e, 0).channel == QSCAN_TODO && !rc(&e, 0).done, "todo: recipients are neither local nor remote, not done") ;
  reset(&e) ;
  ok(qscan_parse_todo(&e, LIT("u0\0p1\0Fa@b\0Tc@d\0\0")), "todo with the envelope's final NUL copied along") ;
  ok(nrcpt(&e) == 1, "todo: the final empty item is not a recipient") ;
  reset(&e) ;
  ok(qscan_parse_todo(&e, LIT("F\0T\0")) && e.text.s[e.sender] == 0 && nrcpt(&e) == 1 && !*addr(&e, 0),
     "todo: empty sender (a bounce) and an empty recipient are kept") ;
  reset(&e) ;
  ok(qscan_parse_todo(&e, LIT("u0\0p1\0Fa@b\0")) && nrcpt(&e) == 0, "todo without recipients") ;
  reset(&e) ;
  errno = 0 ;
  ok(!qscan_parse_todo(&e, LIT("u0\0p1\0Tc@d\0")) && errno == EBADMSG, "todo without F: EBADMSG") ;
  reset(&e) ;
  ok(!qscan_parse_todo(&e, LIT("u0\0p1\0Fa@b\0Tc@d")), "todo whose last item has no NUL") ;
  reset(&e) ;
  ok(!qscan_parse_todo(&e, LIT("Fa@b\0\0Tc@d\0")), "todo with an empty item before the end") ;
  reset(&e) ;
  ok(!qscan_parse_todo(&e, LIT("Fa@b\0Xc@d\0")), "todo with an unknown item") ;
  reset(&e) ;
  ok(!qscan_parse_todo(&e, LIT("")), "an empty todo") ;
  reset(&e) ;
  ok(!qscan_parse_todo(&e, LIT("u0\0p1\0")), "todo with only u and p") ;
  reset(&e) ;

  ok(qscan_parse_info(&e, LIT("Fa@b\0")) && !strcmp(e.text.s + e.sender, "a@b"), "info as qmail-send writes it") ;
  reset(&e) ;
  ok(qscan_parse_info(&e, LIT("u7\0p8\0Fx@y\0")) && !strcmp(e.text.s + e.sender, "x@y"), "info with u and p before F") ;
  reset(&e) ;
  ok(qscan_parse_info(&e, LIT("Fx@y\0Zlater\0")), "info: items after F are left for later versions") ;
  reset(&e) ;
  ok(!qscan_parse_info(&e, LIT("Fx@y")), "info whose F has no NUL") ;
  reset(&e) ;
  ok(!qscan_parse_info(&e, LIT("Tx@y\0")), "info without F") ;
  reset(&e) ;
  ok(!qscan_parse_info(&e, LIT("")), "an empty info") ;
  reset(&e) ;

  ok(qscan_parse_channel(&e, QSCAN_REMOTE, LIT("Tc@d\0De@f\0Tg@h\0")), "remote with T and D items") ;
  ok(nrcpt(&e) == 3 && !rc(&e, 0).done && rc(&e, 1).done && !rc(&e, 2).done, "remote: D is done, T is not") ;
  ok(rc(&e, 1).channel == QSCAN_REMOTE && !strcmp(addr(&e, 1), "e@f"), "remote: channel and address of the done one") ;
  reset(&e) ;
  ok(qscan_parse_channel(&e, QSCAN_LOCAL, LIT("")) && nrcpt(&e) == 0, "an empty local file has no recipients") ;
  ok(!qscan_parse_channel(&e, QSCAN_LOCAL, LIT("Tc@d\0Xe@f\0")), "local with an unknown record type") ;
  reset(&e) ;
  ok(!qscan_parse_channel(&e, QSCAN_LOCAL, LIT("Tc@d\0De@")), "local whose last item is cut") ;
  reset(&e) ;
  ok(!qscan_parse_channel(&e, QSCAN_LOCAL, LIT("Tc@d\0\0")), "local with an empty item") ;
  qscan_entry_free(&e) ;
}

static void entries(void)
{
  struct qscan_entry e = QSCAN_ENTRY_ZERO ;
  char fn[QPATH_MAX] ;
  int fd, r ;

  /* 1000: preprocessed, one local, two remote (one done), bouncing */
  putq("mess/", 1000, LIT("Received: x\n\nbody\n")) ;
  putq("info/", 1000, LIT("Fa@b\0")) ;
  putq("local/", 1000, LIT("Tl@here\0")) ;
  putq("remote/", 1000, LIT("Dr1@there\0Tr2@there\0")) ;
  putq("bounce/", 1000, LIT("<r1@there>:\nno\n\n")) ;
  settime("mess/", 1000, 1700000000) ;
  settime("info/", 1000, 1700000005) ;
  r = qscan_read(&e, 1000, SPLIT) ;
  is_int(r, 1, "a preprocessed entry is read") ;
  ok(e.id == 1000 && e.preprocessed && e.bouncing, "id, preprocessed, bouncing") ;
  is_int(e.size, 18, "size is mess/'s size") ;
  is_int(e.qtime, 1700000005, "qtime is info/'s mtime, as qmail-qread shows") ;
  is_int(e.messtime, 1700000000, "messtime is mess/'s mtime") ;
  is_str(e.text.s + e.sender, "a@b", "the sender from info/") ;
  ok(nrcpt(&e) == 3, "three recipients") ;
  ok(rc(&e, 0).channel == QSCAN_LOCAL && !rc(&e, 0).done && !strcmp(addr(&e, 0), "l@here"), "local first, not done") ;
  ok(rc(&e, 1).channel == QSCAN_REMOTE && rc(&e, 1).done && !strcmp(addr(&e, 1), "r1@there"), "then the done remote") ;
  ok(rc(&e, 2).channel == QSCAN_REMOTE && !rc(&e, 2).done && !strcmp(addr(&e, 2), "r2@there"), "then the remote to do") ;

  /* 1001: in todo/ (and intd/), not preprocessed */
  putq("mess/", 1001, LIT("m\n")) ;
  putq("todo/", 1001, LIT("u0\0p9\0Fs@x\0Tt@y\0\0")) ;
  settime("mess/", 1001, 1600000000) ;
  r = qscan_read(&e, 1001, SPLIT) ;
  ok(r == 1 && !e.preprocessed && !e.bouncing, "a todo entry is read, not preprocessed") ;
  ok(e.qtime == 1600000000 && e.size == 2, "its time and size come from mess/") ;
  ok(nrcpt(&e) == 1 && rc(&e, 0).channel == QSCAN_TODO && !strcmp(addr(&e, 0), "t@y"), "its recipient from todo/") ;

  /* 1002: todo/ and a half-made info/ (send crashed while preprocessing) */
  putq("mess/", 1002, LIT("m\n")) ;
  putq("todo/", 1002, LIT("u0\0p9\0Fs@x\0Tt@y\0")) ;
  putq("info/", 1002, LIT("Fs@")) ;
  r = qscan_read(&e, 1002, SPLIT) ;
  ok(r == 1 && !e.preprocessed, "todo/ wins over a half-made info/") ;

  /* 1003: mess/ only (queue still writing, or left for clean) */
  putq("mess/", 1003, LIT("m\n")) ;
  is_int(qscan_read(&e, 1003, SPLIT), 0, "mess/ without todo/ or info/ is not an entry") ;
  is_int(qscan_read(&e, 1004, SPLIT), 0, "no mess/ is no entry") ;

  /* 1005: all local done and removed, remote file gone too */
  putq("mess/", 1005, LIT("m\n")) ;
  putq("info/", 1005, LIT("F\0")) ;
  r = qscan_read(&e, 1005, SPLIT) ;
  ok(r == 1 && e.preprocessed && nrcpt(&e) == 0 && !e.text.s[e.sender], "info/ without local/ or remote/: no recipients left") ;

  /* 1006: a corrupt remote/ */
  putq("mess/", 1006, LIT("m\n")) ;
  putq("info/", 1006, LIT("Fa@b\0")) ;
  putq("remote/", 1006, LIT("Tx@y\0Qz\0")) ;
  errno = 0 ;
  r = qscan_read(&e, 1006, SPLIT) ;
  ok(r == -1 && errno == EBADMSG, "a corrupt remote/ is an error (EBADMSG)") ;
  qpath_fmt(fn, "remote/", 1006, SPLIT) ;
  is_str(e.what, fn, "the error names the file") ;

  /* 1007: an info/ over the bound, as a sparse file */
  putq("mess/", 1007, LIT("m\n")) ;
  qpath_fmt(fn, "info/", 1007, SPLIT) ;
  fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || ftruncate(fd, (off_t)QSCAN_FILE_MAX + 1) < 0) { printf("Bail out! ftruncate\n") ; exit(1) ; }
  close(fd) ;
  errno = 0 ;
  r = qscan_read(&e, 1007, SPLIT) ;
  ok(r == -1 && errno == EFBIG, "an info/ over QSCAN_FILE_MAX is an error (EFBIG)") ;
  is_str(e.what, fn, "the error names it") ;

  /* 1008: a todo/ that is a directory */
  putq("mess/", 1008, LIT("m\n")) ;
  qpath_fmt(fn, "todo/", 1008, SPLIT) ;
  mkdir(fn, 0700) ;
  r = qscan_read(&e, 1008, SPLIT) ;
  ok(r == -1 && !strcmp(e.what, fn), "a todo/ that is not a file is an error") ;

  /* 1009: a long, binary address is kept whole */
  {
    static char big[3000] ;
    size_t n = 0 ;
    big[n++] = 'F' ; big[n++] = 0 ; big[n++] = 'T' ;
    for (unsigned int i = 0 ; i < 2000 ; i++) big[n++] = (char)(1 + i % 255) ;
    big[n++] = 0 ;
    putq("mess/", 1009, LIT("m\n")) ;
    putq("todo/", 1009, big, n) ;
    r = qscan_read(&e, 1009, SPLIT) ;
    ok(r == 1 && nrcpt(&e) == 1 && strlen(addr(&e, 0)) == 2000, "a 2000-byte address with control bytes is read whole") ;
  }
  qscan_entry_free(&e) ;
}

static void iterator(void)
{
  struct qscan_iter it ;
  unsigned long id, sum = 0, n = 0 ;
  int r ;

  ok(qscan_idname("457", &id) && id == 457, "idname: 457") ;
  ok(qscan_idname("0", &id) && id == 0, "idname: 0") ;
  ok(!qscan_idname("0457", &id), "idname: no leading zero") ;
  ok(!qscan_idname("", &id), "idname: not empty") ;
  ok(!qscan_idname("457.tmp", &id), "idname: digits only") ;
  ok(!qscan_idname("18446744073709551616", &id), "idname: no overflow") ;
  ok(qscan_idname("18446744073709551615", &id) && id == 18446744073709551615UL, "idname: the largest") ;

  /* mess/ holds 1000..1009 but 1004 from entries(), plus names to skip */
  put("mess/11/1001x", LIT("")) ;
  put("mess/11/.1001", LIT("")) ;
  put("mess/11/01001", LIT("")) ;
  put("mess/0/24", LIT("")) ;   /* 24 % 23 = 1: in the wrong bucket */
  ok(qscan_start(&it, "mess/", SPLIT), "start over mess/") ;
  while ((r = qscan_next(&it, &id)) > 0) { n++ ; sum += id ; }
  qscan_end(&it) ;
  is_int(r, 0, "mess/ ends without error") ;
  is_int(n, 9, "mess/: nine ids, junk names and the misplaced one skipped") ;
  is_int(sum, 10045 - 1004, "mess/: they are 1000..1009 but 1004") ;

  n = 0 ; sum = 0 ;
  ok(qscan_start(&it, "todo/", SPLIT), "start over todo/ (flat)") ;
  while ((r = qscan_next(&it, &id)) > 0) { n++ ; sum += id ; }
  qscan_end(&it) ;
  ok(r == 0 && n == 4 && sum == 1001 + 1002 + 1008 + 1009, "todo/: its four ids") ;

  {
    struct qscan_idset set = QSCAN_IDSET_ZERO ;
    struct qscan_entry e = QSCAN_ENTRY_ZERO ;
    ok(qscan_idset_load(&set, &it, "todo/", SPLIT), "load todo/ as a set") ;
    ok(qscan_idset_has(&set, 1001) && qscan_idset_has(&set, 1009) && !qscan_idset_has(&set, 1000) && !qscan_idset_has(&set, 0),
       "the set has todo/'s ids and no others") ;
    ok(qscan_readx(&e, 1001, SPLIT, 1, -1) == 1 && !e.preprocessed, "readx told in-todo reads a todo entry") ;
    is_int(qscan_readx(&e, 1001, SPLIT, 0, -1), 0, "readx told not-in-todo skips todo/: no info/, so no entry") ;
    ok(qscan_readx(&e, 1000, SPLIT, 0, -1) == 1 && e.preprocessed && nrcpt(&e) == 3 && e.bouncing, "readx told not-in-todo reads a preprocessed entry, looks at bounce/") ;
    ok(qscan_readx(&e, 1000, SPLIT, 0, 0) == 1 && !e.bouncing, "readx told not bouncing believes it") ;
    ok(qscan_readx(&e, 1005, SPLIT, 0, 1) == 1 && e.bouncing, "readx told bouncing believes it") ;
    ok(qscan_idset_load(&set, &it, "bounce/", SPLIT) && qscan_idset_has(&set, 1000) && !qscan_idset_has(&set, 1001), "load bounce/: one id") ;
    ok(qscan_idset_load(&set, &it, "pid/", SPLIT) && !set.ids.len && !qscan_idset_has(&set, 1000), "an empty directory gives an empty set") ;
    ok(!qscan_idset_load(&set, &it, "nosuch/", SPLIT) && !strcmp(it.path, "nosuch"), "loading a missing directory fails naming it") ;
    qscan_idset_free(&set) ;
    qscan_entry_free(&e) ;
  }

  rmdir("info/7") ;
  n = 0 ;
  ok(qscan_start(&it, "info/", SPLIT), "start over info/") ;
  while ((r = qscan_next(&it, &id)) > 0) n++ ;
  ok(r == -1 && !strcmp(it.path, "info/7"), "a missing split directory is an error naming it") ;
  qscan_end(&it) ;
  ok(!qscan_start(&it, "nosuch/", SPLIT) && !strcmp(it.path, "nosuch"), "a missing flat directory is an error naming it") ;
}

int main(void)
{
  char tmpl[] = "/tmp/qscan-test.XXXXXX" ;
  if (!mkdtemp(tmpl) || chdir(tmpl) < 0) { printf("Bail out! mkdtemp\n") ; return 1 ; }
  mkqueue() ;
  parsers() ;
  entries() ;
  iterator() ;
  {
    char cmd[64] ;
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl) ;
    if (chdir("/") < 0 || system(cmd) != 0) printf("# could not remove %s\n", tmpl) ;
  }
  return tap_done() ;
}
