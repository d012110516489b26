/* lookup-users-cdb: rule 1 of lookup.h (users/cdb, as qmail-lspawn reads
 * it): exact entries before wildcards, the longest wildcard prefix, case,
 * the ext of a wildcard, a cdb in qmail-newu's own bytes, broken cdbs as
 * temporary errors, the bounds on the local part; and the candidate names
 * of rule 2 (qmail-getpw's dash splitting). The password database and the
 * alias user are tested end to end (lookup-*.t), with real users. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/cdbmake.h>
#include <skalibs/djbunix.h>
#include "assign.h"
#include "lookup.h"
#include "tap.h"

#define LIT(s) s, sizeof s - 1

static void bail(char const *what) { printf("Bail out! %s\n", what) ; exit(1) ; }

static void newu(char const *text)
{
  cdbmaker c = CDBMAKER_ZERO ;
  size_t lineno ;
  char const *why ;
  int fd = open("users/cdb", O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || !cdbmake_start(&c, fd)) bail("cannot write users/cdb") ;
  if (assign_compile(&c, text, strlen(text), &lineno, &why) != 1) bail(why) ;
  if (!cdbmake_finish(&c)) bail("cdbmake_finish") ;
  close(fd) ;
}

/* A cdb with the given records: key, data, key, data... as raw bytes. */
struct kv { char const *s ; size_t len ; } ;
#define KV(lit) { lit, sizeof lit - 1 }
#define RAWCDB(...) rawcdb((struct kv const[]){ __VA_ARGS__ }, sizeof((struct kv const[]){ __VA_ARGS__ }) / sizeof(struct kv))
static void rawcdb(struct kv const *kv, unsigned int n)
{
  cdbmaker c = CDBMAKER_ZERO ;
  int fd = open("users/cdb", O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || !cdbmake_start(&c, fd)) bail("cannot write users/cdb") ;
  for (unsigned int i = 0 ; i < n ; i += 2)
    if (!cdbmake_add(&c, kv[i].s, kv[i].len, kv[i + 1].s, kv[i + 1].len)) bail("cdbmake_add") ;
  if (!cdbmake_finish(&c)) bail("cdbmake_finish") ;
  close(fd) ;
}

static struct lookup r = LOOKUP_ZERO ;

/* Looks local up and compares "user:uid:gid:home:dash:ext". */
static void found(char const *local, char const *want, char const *name)
{
  char got[3000] ;
  int k = lookup_local(local, strlen(local), &r) ;
  if (k == 1)
    snprintf(got, sizeof got, "%s:%u:%u:%s:%s:%s", r.user, (unsigned)r.uid, (unsigned)r.gid, r.home, r.dash, r.ext) ;
  else
    snprintf(got, sizeof got, "lookup returned %d: %s", k, lookup_error.s ? lookup_error.s : "") ;
  is_str(got, want, name) ;
}

static void fails(char const *local, size_t len, int want, char const *wanterr, char const *name)
{
  int k = lookup_local(local, len, &r) ;
  is_int(k, want, name) ;
  is_str(k == 1 ? "(found)" : lookup_error.s, wanterr, name) ;
}

static void names(char const *local, char const *want, char const *name)
{
  char got[400] = "" ;
  size_t n = strlen(local) + 1, len = strlen(local) ;
  while (lookup_nextname(local, len, &n))
  {
    size_t g = strlen(got) ;
    snprintf(got + g, sizeof got - g, "%s%.*s", g ? " " : "", (int)n, local) ;
  }
  is_str(got, want, name) ;
}

/* The mappings of users/cdb this process holds: how many (the one of a
 * file since replaced shows too, as "(deleted)"), and the first's start. */
static unsigned int mapped(unsigned long *start)
{
  char line[600] ;
  unsigned int n = 0 ;
  FILE *f = fopen("/proc/self/maps", "r") ;
  if (!f) bail("cannot read /proc/self/maps") ;
  *start = 0 ;
  while (fgets(line, sizeof line, f))
    if (strstr(line, "/users/cdb"))
    {
      if (!n++) *start = strtoul(line, 0, 16) ;
    }
  fclose(f) ;
  return n ;
}

int main(void)
{
  char dir[] = "/tmp/cairn-lookup.XXXXXX" ;
  char big[LOOKUP_LOCALMAX + 2] ;

  if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("users", 0755) < 0) bail("temp dir") ;

  newu(
    "+:alias:70:71:/q/alias:-::\n"
    "+joe-:joe:507:100:/home/joe:-:x:\n"
    "+joe-list-:list:600:601:/home/list:-:L-:\n"
    "=joe:joe:507:100:/home/joe:::\n"
    "+joe:other:9:9:/other:-:never-:\n"
    "=Sales:sales:610:611:/home/sales:-:in:\n"
    "+Vhost.example-:vh:620:621:/var/vh:-:v-:\n"
    ".\n") ;
  found("joe", "joe:507:100:/home/joe::", "exact entry") ;
  found("JoE", "joe:507:100:/home/joe::", "exact entry matches without regard to case") ;
  found("joe-direct", "joe:507:100:/home/joe:-:xdirect", "wildcard: pre followed by the rest") ;
  found("joe-", "joe:507:100:/home/joe:-:x", "wildcard applies to its own prefix") ;
  found("joe-list-Announce", "list:600:601:/home/list:-:L-Announce", "longest wildcard prefix wins; the rest keeps its case") ;
  found("JOE-LIST-x", "list:600:601:/home/list:-:L-x", "wildcard prefix matches without regard to case") ;
  found("joe-lis", "joe:507:100:/home/joe:-:xlis", "a shorter prefix than a wildcard's does not match it") ;
  found("joex", "other:9:9:/other:-:never-x", "wildcard +joe catches joex") ;
  found("sales", "sales:610:611:/home/sales:-:in", "exact entry written in upper case") ;
  found("SALES", "sales:610:611:/home/sales:-:in", "exact entry: case of the address does not matter") ;
  found("sales-x", "alias:70:71:/q/alias:-:sales-x", "exact entry does not cover extensions") ;
  found("vhost.example-Bob", "vh:620:621:/var/vh:-:v-Bob", "virtual-domain style wildcard") ;
  found("bill", "alias:70:71:/q/alias:-:bill", "catch-all +: gives the whole local part as ext") ;
  found("", "alias:70:71:/q/alias:-:", "empty local part reaches the catch-all") ;
  is_int(r.source, LOOKUP_ASSIGN, "source is users/cdb") ;

  memset(big, 'b', sizeof big) ;
  memcpy(big, "joe-", 4) ;
  {
    int k = lookup_local(big, LOOKUP_LOCALMAX, &r) ;
    is_int(k, 1, "1000-byte local part is looked up") ;
    is_int(k == 1 ? strlen(r.ext) : 0, 1 + LOOKUP_LOCALMAX - 4, "1000-byte local part: whole rest in ext") ;
  }
  fails(big, LOOKUP_LOCALMAX + 1, 0, "address local part longer than 1000 bytes", "1001-byte local part: no user (0)") ;
  fails("jo\0e", 4, 0, "address local part contains a NUL byte", "NUL in the local part: no user (0)") ;

  /* the bytes qmail-newu writes for +JOE:joe:0507:100:/home/joe:-::
   * (the last character of a wildcard kept in upper case, uid as written) */
  {
    RAWCDB(KV("!joe"), KV("joe\0" "0507\0" "100\0" "/home/joe\0" "-\0"), KV(""), KV("E")) ;
    found("joe-x", "joe:507:100:/home/joe:-:-x", "qmail-newu's cdb: upper-case wildcard character, uid 0507") ;
    found("joe", "joe:507:100:/home/joe:-:", "qmail-newu's cdb: wildcard covers its own prefix") ;
  }
  {
    RAWCDB(KV("!pat\0"), KV("pat\0" "10\0" "10\0" "/home/pat\0" "\0"), KV(""), KV("")) ;
    found("PAT", "pat:10:10:/home/pat::", "qmail-newu's cdb: exact key with NUL, empty wildcard record") ;
  }

  /* broken tables are temporary errors, never another user */
  {
    RAWCDB(KV("!joe\0"), KV("joe\0" "507\0" "100\0" "/home/joe\0" "\0")) ;
    fails(LIT("joe"), -1, "users/cdb has no record of wildcard characters: run newu", "cdb without the \"\" record: temporary error") ;
  }
  {
    RAWCDB(KV("!joe\0"), KV("joe\0" "5o7\0" "100\0" "/home/joe\0" "\0"), KV(""), KV("")) ;
    fails(LIT("joe"), -1, "users/cdb: malformed record for joe: run newu", "record with a bad uid: temporary error") ;
  }
  {
    RAWCDB(KV("!"), KV("alias\0" "1\0" "1\0" "/a\0" "-"), KV(""), KV("")) ;
    fails(LIT("x"), -1, "users/cdb: malformed record for : run newu", "record with five fields: temporary error") ;
  }
  {
    /* a record whose data length points past the end of the file */
    stralloc sa = STRALLOC_ZERO ;
    RAWCDB(KV("!joe\0"), KV("joe\0" "507\0" "100\0" "/home/joe\0" "\0"), KV(""), KV("")) ;
    if (!openslurpclose(&sa, "users/cdb") || sa.len < 2056) bail("read users/cdb") ;
    memcpy(sa.s + 2052, "\xff\xff\xff\x7f", 4) ;   /* first record's data length */
    if (!openwritenclose_unsafe("users/cdb", sa.s, sa.len)) bail("write users/cdb") ;
    stralloc_free(&sa) ;
    fails(LIT("joe"), -1, "users/cdb is not a valid cdb: run newu", "record past the end of the file: temporary error") ;
  }
  if (!openwritenclose_unsafe("users/cdb", "not a cdb\n", 10)) bail("write users/cdb") ;
  fails(LIT("joe"), -1, "users/cdb is not a valid cdb: run newu", "garbage users/cdb: temporary error") ;
  if (unlink("users/cdb") < 0 || mkdir("users/cdb", 0755) < 0) bail("mkdir users/cdb") ;
  {
    int k = lookup_local("joe", 3, &r) ;
    is_int(k, -1, "unreadable users/cdb (a directory): temporary error") ;
    ok(k == -1 && !strncmp(lookup_error.s, "unable to read users/cdb: ", 26), "unreadable users/cdb: message names the file and the reason") ;
    if (k == -1) printf("# %s\n", lookup_error.s) ;
  }
  rmdir("users/cdb") ;

  /* users/cdb stays mapped from one lookup to the next while it does not
   * change, and the file newu renames into place is read at once */
  {
    unsigned long a, b ;
    struct timespec settle = { .tv_sec = 1, .tv_nsec = 200000000 } ;
    newu("=joe:joe:507:100:/home/joe:::\n.\n") ;
    /* a file changed less than a second before it is read is read again
     * each time (ctlcache.h); only an older one is kept */
    nanosleep(&settle, 0) ;
    found("joe", "joe:507:100:/home/joe::", "cache: first lookup") ;
    is_int(mapped(&a), 1, "cache: users/cdb mapped once after a lookup") ;
    found("joe", "joe:507:100:/home/joe::", "cache: second lookup") ;
    ok(mapped(&b) == 1 && a && a == b, "cache: the second lookup used the same mapping") ;
    if (rename("users/cdb", "users/cdb.old") < 0) bail("rename users/cdb") ;
    newu("=joe:joe:508:100:/home/joe2:::\n.\n") ;
    if (unlink("users/cdb.old") < 0) bail("unlink users/cdb.old") ;
    found("joe", "joe:508:100:/home/joe2::", "cache: a users/cdb put in place by rename is read at the next lookup") ;
    is_int(mapped(&a), 1, "cache: the replaced file is no longer mapped") ;
    if (unlink("users/cdb") < 0) bail("unlink users/cdb") ;
    {
      int k = lookup_local("joe", 3, &r) ;
      ok(k != 1 || r.source != LOOKUP_ASSIGN, "cache: a removed users/cdb is no longer used") ;
    }
    is_int(mapped(&a), 0, "cache: and no longer mapped") ;
  }

  /* rule 2's candidates, longest first, as qmail-getpw tries them */
  names("alice", "alice", "candidates: whole local part") ;
  names("alice-foo", "alice-foo alice", "candidates: then the part before the dash") ;
  names("a-b-c", "a-b-c a-b a", "candidates: every dash, longest first") ;
  names("x-", "x- x", "candidates: trailing dash") ;
  names("-x", "-x", "candidates: no empty name") ;
  names("", "", "candidates: none for the empty local part") ;
  names("abcdefghijklmnopqrstuvwxyz012345-ext", "abcdefghijklmnopqrstuvwxyz012345", "candidates: 32-byte name tried") ;
  names("abcdefghijklmnopqrstuvwxyz0123456-ext", "", "candidates: 33-byte name not tried") ;

  lookup_free(&r) ;
  rmdir("users") ;
  if (chdir("/") < 0 || rmdir(dir) < 0) bail("cannot remove the temp dir") ;
  return tap_done() ;
}
