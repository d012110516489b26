/* assign-lines: users/assign lines (assign_parse), the users/cdb records
 * newu makes of them, byte for byte as qmail-newu makes them
 * (assign_compile), and reading a record back (assign_unpack). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/cdb.h>
#include <skalibs/cdbmake.h>
#include "assign.h"
#include "tap.h"

#define LIT(s) s, sizeof s - 1
#define IS(got, glen, lit, name) is_mem(got, glen, lit, sizeof lit - 1, name)

static int parse(struct assign *a, char const *s, char const **why)
{
  *why = "" ;
  return assign_parse(a, s, strlen(s), why) ;
}

static void bad(char const *line, char const *want, char const *name)
{
  struct assign a ;
  char const *why ;
  is_int(parse(&a, line, &why), 0, name) ;
  is_str(why, want, name) ;
}

/* Compiles text into path; returns what assign_compile returned. */
static int compile(char const *path, char const *s, size_t len, size_t *lineno, char const **why)
{
  cdbmaker c = CDBMAKER_ZERO ;
  int r, fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) ;
  if (fd < 0 || !cdbmake_start(&c, fd)) { printf("Bail out! cannot write %s\n", path) ; exit(1) ; }
  r = assign_compile(&c, s, len, lineno, why) ;
  if (r == 1 && !cdbmake_finish(&c)) { printf("Bail out! cdbmake_finish\n") ; exit(1) ; }
  close(fd) ;
  return r ;
}

static void record(cdb const *c, char const *key, size_t klen, char const *want, size_t wlen, char const *name)
{
  cdb_data d = { .s = "", .len = 0 } ;
  int r = cdb_find(c, &d, key, (uint32_t)klen) ;
  is_int(r, 1, name) ;
  is_mem(d.s, d.len, want, wlen, name) ;
}

static void bad_text(char const *s, size_t len, size_t wantline, char const *wantwhy, char const *name)
{
  size_t lineno = 0 ;
  char const *why = "" ;
  is_int(compile("bad.cdb", s, len, &lineno, &why), 0, name) ;
  is_int(lineno, wantline, name) ;
  is_str(why, wantwhy, name) ;
}

int main(void)
{
  struct assign a ;
  char const *why ;
  char dir[] = "/tmp/cairn-assign.XXXXXX" ;
  char longline[ASSIGN_LINEMAX + 100] ;

  /* simple and wildcard lines */
  is_int(parse(&a, "=Joe.Shmoe:joe:503:78:/home/joe:::", &why), 1, "simple line parses") ;
  is_int(a.kind, '=', "simple: kind =") ;
  IS(a.local, a.locallen, "Joe.Shmoe", "simple: local as written") ;
  IS(a.user, a.userlen, "joe", "simple: user") ;
  is_int(a.uid, 503, "simple: uid") ;
  is_int(a.gid, 78, "simple: gid") ;
  IS(a.home, a.homelen, "/home/joe", "simple: home") ;
  is_int(a.dashlen, 0, "simple: empty dash") ;
  is_int(a.extlen, 0, "simple: empty ext") ;
  is_int(parse(&a, "+joe-:joe:507:100:/home/joe:-:pre:", &why), 1, "wildcard line parses") ;
  is_int(a.kind, '+', "wildcard: kind +") ;
  IS(a.dash, a.dashlen, "-", "wildcard: dash -") ;
  IS(a.ext, a.extlen, "pre", "wildcard: pre") ;
  is_int(parse(&a, "+:alias:7790:2108:/var/qmail/alias:-::", &why), 1, "empty wildcard prefix (catch-all) parses") ;
  is_int(a.locallen, 0, "catch-all: empty prefix") ;
  is_int(parse(&a, "=:alias:1:1:/h:::", &why), 1, "empty exact local parses (qmail-newu accepts it)") ;
  is_int(parse(&a, "=x:u:4294967294:0:/h:::", &why), 1, "largest uid parses") ;
  is_int(a.uid, 4294967294u, "largest uid value") ;

  /* malformed lines, each with its reason */
  bad("", "empty line", "empty line refused") ;
  bad("joe:joe:1:1:/h:::", "line starts with neither = nor +", "line without = or + refused") ;
  bad("#=joe:joe:1:1:/h:::", "line starts with neither = nor +", "comment line refused") ;
  bad("=joe:joe:1:1:/h::", "fewer than seven fields each ended by a colon", "six fields refused") ;
  bad("=joe", "fewer than seven fields each ended by a colon", "no colon refused") ;
  bad("=joe:joe:1:1:/h::: ", "text after the colon that ends the seventh field", "trailing space refused") ;
  bad("=joe:joe:1:1:/h:::\r", "text after the colon that ends the seventh field", "CR at the end refused") ;
  bad("=joe:joe:1:1:/h::x:y", "text after the colon that ends the seventh field", "eighth field refused") ;
  bad("=joe::1:1:/h:::", "empty user name", "empty user refused") ;
  bad("=joe:joe::1:/h:::", "uid is not a number below 4294967295", "empty uid refused") ;
  bad("=joe:joe:12a:1:/h:::", "uid is not a number below 4294967295", "uid with a letter refused") ;
  bad("=joe:joe:-1:1:/h:::", "uid is not a number below 4294967295", "negative uid refused") ;
  bad("=joe:joe:4294967295:1:/h:::", "uid is not a number below 4294967295", "uid (uid_t)-1 refused") ;
  bad("=joe:joe:99999999999:1:/h:::", "uid is not a number below 4294967295", "uid past 32 bits refused") ;
  bad("=joe:joe:1: 1:/h:::", "gid is not a number below 4294967295", "gid with a space refused") ;
  bad("=joe:joe:1:1::::", "empty home directory", "empty home refused") ;
  bad("=joe:joe:1:1:/h:--::", "dash is neither empty nor -", "dash -- refused") ;
  bad("=joe:joe:1:1:/h:/::", "dash is neither empty nor -", "dash / refused") ;
  {
    struct assign b ;
    char const *w = "" ;
    is_int(assign_parse(&b, "=jo\0e:joe:1:1:/h:::", 18, &w), 0, "NUL byte refused") ;
    is_str(w, "line contains a NUL byte", "NUL byte: reason") ;
  }
  memset(longline, 'a', sizeof longline) ;
  longline[0] = '=' ;
  memcpy(longline + 1001, ":u:1:1:/h:::", 12) ;
  is_int(assign_parse(&a, longline, 1013, &why), 1, "1000-byte local part accepted") ;
  is_int(a.locallen, 1000, "1000-byte local part: length") ;
  memset(longline, 'a', sizeof longline) ;
  longline[0] = '=' ;
  memcpy(longline + 1002, ":u:1:1:/h:::", 12) ;
  {
    char const *w = "" ;
    is_int(assign_parse(&a, longline, 1014, &w), 0, "1001-byte local part refused") ;
    is_str(w, "address longer than 1000 bytes", "1001-byte local part: reason") ;
    is_int(assign_parse(&a, longline, ASSIGN_LINEMAX + 1, &w), 0, "line of 8193 bytes refused") ;
    is_str(w, "line longer than 8192 bytes", "long line: reason") ;
  }

  /* records: unpack reads what compile wrote, and refuses other shapes */
  is_int(assign_unpack(&a, LIT("joe\0" "503\0" "78\0" "/home/joe\0" "-\0" "ext")), 1, "record unpacks") ;
  IS(a.user, a.userlen, "joe", "record: user") ;
  is_int(a.uid, 503, "record: uid") ;
  is_int(a.gid, 78, "record: gid") ;
  IS(a.home, a.homelen, "/home/joe", "record: home") ;
  IS(a.dash, a.dashlen, "-", "record: dash") ;
  IS(a.ext, a.extlen, "ext", "record: ext") ;
  is_int(assign_unpack(&a, LIT("joe\0" "503\0" "78\0" "/h\0" "\0")), 1, "record with empty dash and ext unpacks") ;
  is_int(a.extlen, 0, "record: empty ext") ;
  is_int(assign_unpack(&a, LIT("joe\0" "503\0" "78\0" "/h\0" "")), 0, "record with five fields refused") ;
  is_int(assign_unpack(&a, LIT("joe\0" "503\0" "78\0" "/h\0" "\0" "x\0")), 0, "record with a NUL after ext refused") ;
  is_int(assign_unpack(&a, LIT("joe\0" "5x3\0" "78\0" "/h\0" "\0")), 0, "record with a bad uid refused") ;
  is_int(assign_unpack(&a, LIT("")), 0, "empty record refused") ;

  if (!mkdtemp(dir) || chdir(dir) < 0) { printf("Bail out! temp dir\n") ; return 1 ; }

  /* compile: qmail-newu's keys and data, first record kept for a key */
  {
    static char const text[] =
      "+:alias:7790:2108:/var/qmail/alias:-::\n"
      "+Joe-:joe:507:100:/home/joe:-:x:\n"
      "=JOE:joe:0507:100:/home/joe:::\n"
      "=joe:other:1:1:/other:::\n"
      "+sales@:sales:600:600:/home/sales:-:v-:\n"
      "+list-:list:601:601:/home/list:-::\n"
      ".\n"
      "this text after the dot is ignored\n" ;
    size_t lineno = 0 ;
    cdb c = CDB_ZERO ;
    cdb_data d ;
    why = "" ;
    is_int(compile("users.cdb", text, sizeof text - 1, &lineno, &why), 1, "compile: valid text") ;
    if (!cdb_init(&c, "users.cdb")) { printf("Bail out! cdb_init\n") ; return 1 ; }
    record(&c, LIT("!joe\0"), LIT("joe\0" "507\0" "100\0" "/home/joe\0" "\0"), "compile: exact key is ! + lower case + NUL, uid as a plain number") ;
    record(&c, LIT("!joe-"), LIT("joe\0" "507\0" "100\0" "/home/joe\0" "-\0" "x"), "compile: wildcard key is ! + lower case, no NUL") ;
    record(&c, LIT("!"), LIT("alias\0" "7790\0" "2108\0" "/var/qmail/alias\0" "-\0"), "compile: catch-all key is !") ;
    record(&c, LIT(""), LIT("-@"), "compile: \"\" record holds each last character of the prefixes once") ;
    is_int(cdb_find(&c, &d, LIT("!sales@\0")), 0, "compile: a wildcard has no exact key") ;
    is_int(cdb_find(&c, &d, LIT("!JOE\0")), 0, "compile: no upper-case key") ;
    cdb_free(&c) ;
  }
  {
    static char const text[] = ".\n" ;
    size_t lineno = 0 ;
    cdb c = CDB_ZERO ;
    is_int(compile("empty.cdb", text, sizeof text - 1, &lineno, &why), 1, "compile: only the dot line") ;
    if (!cdb_init(&c, "empty.cdb")) { printf("Bail out! cdb_init\n") ; return 1 ; }
    record(&c, LIT(""), "", 0, "compile: empty table still has the \"\" record") ;
    cdb_free(&c) ;
  }
  {
    static char const text[] = "=a:u:1:1:/h:::\n." ;
    size_t lineno = 0 ;
    is_int(compile("nonl.cdb", text, sizeof text - 1, &lineno, &why), 1, "compile: dot line without a newline accepted") ;
  }
  bad_text(LIT(""), 1, "missing the last line, a single dot", "compile: empty file refused") ;
  bad_text(LIT("=a:u:1:1:/h:::\n"), 2, "missing the last line, a single dot", "compile: no dot line refused") ;
  bad_text(LIT("=a:u:1:1:/h:::"), 1, "last line does not end with a newline", "compile: unfinished line refused") ;
  bad_text(LIT("=a:u:1:1:/h:::\n=b:u:x:1:/h:::\n.\n"), 2, "uid is not a number below 4294967295", "compile: error names line 2") ;
  bad_text(LIT("=a:u:1:1:/h:::\n\n.\n"), 2, "empty line", "compile: empty line refused") ;
  bad_text(LIT("=a:u:1:1:/h:::\n.x\n"), 2, "line starts with neither = nor +", "compile: .x is not the dot line") ;
  bad_text(LIT("=a:u:1:1:/h:::\n. \n"), 2, "line starts with neither = nor +", "compile: dot and space is not the dot line") ;

  unlink("users.cdb") ; unlink("empty.cdb") ; unlink("nonl.cdb") ; unlink("bad.cdb") ;
  chdir("/") ; rmdir(dir) ;
  return tap_done() ;
}
