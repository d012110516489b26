/* rcptcheck-matching: the decision smtpd takes from users/rcpt.cdb
 * (rcptcheck.h): an exact key first, then the longest prefix key, case
 * ignored, no key at all meaning deliverable, a ':' never refused, the
 * 1000-octet bound; a broken record is a temporary failure; and
 * rcptcheck_load / rcptcheck_addr in a home: validation off without the
 * table or with control/rcptcheck 0, a foreign table refused, local and
 * virtual domains checked after rewriting as send does, remote ones not. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/cdb.h>
#include <skalibs/cdbmake.h>
#include <skalibs/djbunix.h>
#include "control.h"
#include "rcptcheck.h"
#include "tap.h"

static void bail(char const *what) { printf("Bail out! %s\n", what) ; exit(1) ; }

/* A cdb from "key=value" strings; "" for the magic record. */
static void mkcdb(char const *fn, char const *const *kv)
{
  cdbmaker c = CDBMAKER_ZERO ;
  int fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || !cdbmake_start(&c, fd)) bail("cannot write the cdb") ;
  for (; *kv ; kv++)
  {
    char const *eq = strrchr(*kv, '=') ;
    if (!**kv) { if (!cdbmake_add(&c, "", 0, RCPTCHECK_MAGIC, strlen(RCPTCHECK_MAGIC))) bail("cdbmake_add") ; continue ; }
    if (!eq || eq == *kv) bail("bad test record") ;
    if (!cdbmake_add(&c, *kv, (unsigned int)(eq - *kv), eq + 1, (unsigned int)strlen(eq + 1))) bail("cdbmake_add") ;
  }
  if (!cdbmake_finish(&c)) bail("cdbmake_finish") ;
  close(fd) ;
}

static void put(char const *fn, char const *text)
{
  if (!openwritenclose_unsafe(fn, text, strlen(text))) bail(fn) ;
}

static char const *const table[] = {
  "",
  "+=0",                      /* the alias user, no .qmail-default */
  "=postmaster=1", "=root=1", "=mailer-daemon=1",
  "=bob=1", "+bob-=0", "=bob-list=1", "+bob-list-=1",
  "=first.last=1",            /* from a .qmail-first:last */
  "+carol-=1",                /* carol's .qmail-default */
  "=dave=0",                  /* users/assign =dave with a dash and no file */
  0
} ;

static int local(cdb const *c, char const *s)
{
  return rcptcheck_local(c, s, strlen(s)) ;
}

int main(void)
{
  char dir[] = "/tmp/rcptcheck-test.XXXXXX" ;
  cdb c = CDB_ZERO ;
  char big[1200] ;
  struct rcptcheck r = RCPTCHECK_ZERO ;

  if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("control", 0755) < 0 || mkdir("users", 0755) < 0) bail("cannot make a home") ;
  mkcdb("t.cdb", table) ;
  if (!cdb_init(&c, "t.cdb")) bail("cdb_init") ;

  is_int(local(&c, "postmaster"), 1, "an alias file: exact key") ;
  is_int(local(&c, "PostMaster"), 1, "case ignored") ;
  is_int(local(&c, "nobody"), 0, "no key but the alias user's \"+\" 0: bounced") ;
  is_int(local(&c, "bob"), 1, "a user's own name") ;
  is_int(local(&c, "BOB"), 1, "a user's own name in upper case") ;
  is_int(local(&c, "bob-x"), 0, "user-ext with no .qmail-ext: the user's prefix key 0") ;
  is_int(local(&c, "bob-"), 0, "user- alone: 0") ;
  is_int(local(&c, "bob-list"), 1, ".qmail-list: exact") ;
  is_int(local(&c, "bob-list-subscribe"), 1, ".qmail-list-default: the longer prefix wins") ;
  is_int(local(&c, "bob-lis"), 0, "a shorter name is not the file's") ;
  is_int(local(&c, "bobby"), 0, "another name sharing the start: the alias user decides") ;
  is_int(local(&c, "first.last"), 1, "a dot in the key") ;
  is_int(local(&c, "carol-anything.at-all"), 1, ".qmail-default catches every ext") ;
  is_int(local(&c, "carol"), 0, "carol's prefix key is for carol- only") ;
  is_int(local(&c, "dave"), 0, "an exact 0 is bounced") ;
  is_int(local(&c, "dave-x"), 0, "dave-x: the alias user's 0") ;
  is_int(local(&c, "a:b"), 1, "a ':' is never refused") ;
  is_int(local(&c, ""), 0, "the empty local part: the alias user's 0") ;
  memset(big, 'b', sizeof big) ;
  memcpy(big, "bob-list-", 9) ;
  is_int(rcptcheck_local(&c, big, 1000), 1, "1000 octets are checked") ;
  is_int(rcptcheck_local(&c, big, 1001), 0, "1001 octets are bounced, as lookup_local does") ;
  is_int(rcptcheck_local(&c, "bob\0x", 5), 0, "a NUL is bounced") ;
  cdb_free(&c) ;

  mkcdb("t.cdb", (char const *const[]){ "", "=bob=1", "+bob-=0", 0 }) ;
  if (!cdb_init(&c, "t.cdb")) bail("cdb_init") ;
  is_int(local(&c, "zed"), 1, "no key at all: deliverable") ;
  is_int(local(&c, "bob-z"), 0, "the prefix key still decides") ;
  cdb_free(&c) ;

  mkcdb("t.cdb", (char const *const[]){ "", "=bob=yes", "+bob-=", 0 }) ;
  if (!cdb_init(&c, "t.cdb")) bail("cdb_init") ;
  is_int(local(&c, "bob"), -1, "a record that is not 0 or 1: temporary failure") ;
  is_int(local(&c, "bob-z"), -1, "an empty record: temporary failure") ;
  cdb_free(&c) ;

  /* rcptcheck_load and rcptcheck_addr in the home */
  put("control/me", "mx.example.org\n") ;
  put("control/locals", "example.org\nmx.example.org\n") ;
  put("control/virtualdomains", "virt.example:bob\nremote.example:\n") ;
  rcptcheck_free(&r) ;
  ok(rcptcheck_load(&r) && !r.on, "no users/rcpt.cdb: validation off") ;
  is_int(rcptcheck_addr(&r, "nobody@example.org", 18), 1, "off: everything passes") ;
  mkcdb("users/rcpt.cdb", (char const *const[]){ "=bob=1", 0 }) ;
  rcptcheck_free(&r) ;
  ok(!rcptcheck_load(&r), "a table without the magic record is refused") ;
  ok(strstr(control_error.s, "users/rcpt.cdb") && strstr(control_error.s, "mkrcpt"), "the error names the table and mkrcpt") ;
  mkcdb("users/rcpt.cdb", table) ;
  rcptcheck_free(&r) ;
  ok(rcptcheck_load(&r) && r.on, "a table from mkrcpt: validation on") ;
  is_int(rcptcheck_addr(&r, "nobody@example.org", 18), 0, "unknown user of a local domain: 0") ;
  is_int(rcptcheck_addr(&r, "Bob@Example.ORG", 15), 1, "known user, any case") ;
  is_int(rcptcheck_addr(&r, "nobody@elsewhere.example", 24), 1, "a remote domain is not checked") ;
  is_int(rcptcheck_addr(&r, "nobody@remote.example", 21), 1, "a virtualdomains line with an empty prefix is remote") ;
  is_int(rcptcheck_addr(&r, "list@virt.example", 17), 1, "virtual domain: list@virt.example is bob-list") ;
  is_int(rcptcheck_addr(&r, "other@virt.example", 18), 0, "virtual domain: other@virt.example is bob-other, no such file") ;
  put("control/rcptcheck", "0\n") ;
  rcptcheck_free(&r) ;
  ok(rcptcheck_load(&r) && !r.on, "control/rcptcheck 0: validation off") ;
  put("control/rcptcheck", "2\n") ;
  rcptcheck_free(&r) ;
  ok(!rcptcheck_load(&r), "control/rcptcheck 2: malformed") ;
  put("control/rcptcheck", "1\n") ;
  rcptcheck_free(&r) ;
  ok(rcptcheck_load(&r) && r.on, "control/rcptcheck 1: on") ;
  put("control/virtualdomains", "no colon here\n") ;
  rcptcheck_free(&r) ;
  ok(!rcptcheck_load(&r), "a malformed virtualdomains stops the load") ;

  rcptcheck_free(&r) ;
  if (chdir("/") < 0) bail("chdir") ;
  {
    char cmd[200] ;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir) ;
    if (system(cmd)) bail("cleanup") ;
  }
  return tap_done() ;
}
