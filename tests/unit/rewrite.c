/* rewrite: how send classifies and rewrites envelope recipients (rewrite.c)
 * with control files written into a temporary directory: envnoathost,
 * percenthack, locals, virtualdomains in qmail-send's order (user@domain,
 * domain, longest .suffix, catch-all, empty prefix = not virtual), case,
 * the later of two equal lines, file:line errors, limits, and a table of
 * 100,000 virtual domains. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "control.h"
#include "rewrite.h"
#include "tap.h"

static void put(char const *fn, char const *s)
{
  if (!openwritenclose_unsafe(fn, s, strlen(s))) { printf("Bail out! cannot write %s\n", fn) ; exit(1) ; }
}

static void rm(char const *fn) { unlink(fn) ; }

static void clear(void)
{
  rm("control/me") ; rm("control/locals") ; rm("control/virtualdomains") ;
  rm("control/percenthack") ; rm("control/envnoathost") ;
}

static char const *errtext(void)
{
  static char s[300] ;
  size_t n = control_error.len < sizeof s - 1 ? control_error.len : sizeof s - 1 ;
  memcpy(s, control_error.s ? control_error.s : "", n) ; s[n] = 0 ;
  return s ;
}

/* "L addr" or "R addr" for the rewrite of a, "E errno" on failure. */
static char const *rw_(struct rewrite const *rw, char const *a)
{
  static stralloc out = STRALLOC_ZERO ;
  int r ;
  out.len = 0 ;
  if (!stralloc_cats(&out, "? ")) return "nomem" ;
  r = rewrite_addr(rw, a, strlen(a), &out) ;
  if (r < 0)
  {
    char num[UINT_FMT] ;
    out.len = 0 ;
    stralloc_cats(&out, "E ") ;
    stralloc_catb(&out, num, uint_fmt(num, (unsigned int)errno)) ;
  }
  else out.s[0] = r == REWRITE_LOCAL ? 'L' : r == REWRITE_REMOTE ? 'R' : '?' ;
  stralloc_0(&out) ;
  return out.s ;
}

int main(void)
{
  char dir[] = "/tmp/cairn-rewrite.XXXXXX" ;
  struct rewrite rw = REWRITE_ZERO ;
  stralloc big = STRALLOC_ZERO ;

  if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("control", 0755) < 0) { printf("Bail out! temp dir\n") ; return 1 ; }

  /* errors */
  is_int(rewrite_load(&rw), -1, "load: no control/me and no locals: -1") ;
  ok(strstr(errtext(), "control/me") != 0, "load: ... and control_error names control/me") ;
  put("control/me", "mx.example.org\n") ;
  put("control/virtualdomains", "# virtual domains\n\nvirtual.example:sergey\nbroken.example\n") ;
  is_int(rewrite_load(&rw), -1, "load: a virtualdomains line without ':': -1") ;
  is_str(errtext(), "control/virtualdomains:4: line without ':'", "load: ... error names file and line (comments and blank lines counted)") ;

  /* the main configuration */
  put("control/me", "mx.example.org\n") ;
  put("control/locals", "example.org\nMixed.Example\nmx.example.org\n") ;
  put("control/percenthack", "relay.example\nrelay2.example\n") ;
  put("control/virtualdomains",
    "# qmail-send(8) rules\n"
    "virtual.example:sergey\n"
    "Joe@Virtual.Example:joeuser\n"
    ".wild.example:wild\n"
    ".deep.wild.example:deeper\n"
    "sub.wild.example:\n"
    "notvirtual.example:\n"
    "Upper.Example:upper\n"
    "example.org:shadowed\n"
    "dup.example:first\n"
    "dup.example:second\n"
    "hyphen.example:joe-foo\n") ;
  is_int(rewrite_load(&rw), 1, "load: the main configuration: 1") ;

  is_str(rw_(&rw, "postmaster"), "L postmaster@mx.example.org", "envnoathost: no @ gets @me, then locals") ;
  is_str(rw_(&rw, "Bob@EXAMPLE.ORG"), "L Bob@example.org", "locals: case-insensitive domain, written lower case, local part kept") ;
  is_str(rw_(&rw, "bob@mixed.example"), "L bob@mixed.example", "locals: a mixed-case line matches") ;
  is_str(rw_(&rw, "a@elsewhere.example"), "R a@elsewhere.example", "remote: a domain in no file") ;
  is_str(rw_(&rw, "bob@example.org"), "L bob@example.org", "precedence: locals before virtualdomains") ;
  is_str(rw_(&rw, "sergey@virtual.example"), "L sergey-sergey@virtual.example", "virtual: domain:prefix gives prefix-user@domain") ;
  is_str(rw_(&rw, "Sergey@VIRTUAL.example"), "L sergey-Sergey@virtual.example", "virtual: domain compared without case") ;
  is_str(rw_(&rw, "joe@virtual.example"), "L joeuser-joe@virtual.example", "virtual: user@domain wins over domain") ;
  is_str(rw_(&rw, "JOE@virtual.example"), "L joeuser-JOE@virtual.example", "virtual: user@domain matched without case") ;
  is_str(rw_(&rw, "jim@virtual.example"), "L sergey-jim@virtual.example", "virtual: another user falls to the domain line") ;
  is_str(rw_(&rw, "x@a.wild.example"), "L wild-x@a.wild.example", "virtual: .suffix wildcard for a subdomain") ;
  is_str(rw_(&rw, "x@wild.example"), "R x@wild.example", "virtual: .suffix does not match the domain itself") ;
  is_str(rw_(&rw, "x@b.deep.wild.example"), "L deeper-x@b.deep.wild.example", "virtual: the longest suffix first") ;
  is_str(rw_(&rw, "x@deep.wild.example"), "L wild-x@deep.wild.example", "virtual: a shorter suffix when the longer does not apply") ;
  is_str(rw_(&rw, "x@sub.wild.example"), "R x@sub.wild.example", "virtual: domain with an empty prefix wins over a wildcard: not virtual") ;
  is_str(rw_(&rw, "x@notvirtual.example"), "R x@notvirtual.example", "virtual: an empty prefix means remote") ;
  is_str(rw_(&rw, "x@upper.example"), "L upper-x@upper.example", "virtual: a mixed-case key in the file") ;
  is_str(rw_(&rw, "x@dup.example"), "L second-x@dup.example", "virtual: of two equal keys the later line wins") ;
  is_str(rw_(&rw, "info@hyphen.example"), "L joe-foo-info@hyphen.example", "virtual: a prefix with a hyphen") ;

  is_str(rw_(&rw, "user%elsewhere.example@relay.example"), "R user@elsewhere.example", "percenthack: user%host@domain becomes user@host") ;
  is_str(rw_(&rw, "user%Example.ORG@RELAY.example"), "L user@example.org", "percenthack: case-insensitive, the new domain in lower case, then locals") ;
  is_str(rw_(&rw, "a%b.example%relay2.example@relay.example"), "R a@b.example", "percenthack: applied repeatedly") ;
  is_str(rw_(&rw, "a%b.example%elsewhere.example@relay.example"), "R a%b.example@elsewhere.example", "percenthack: stops at a domain not listed") ;
  is_str(rw_(&rw, "nopercent@relay.example"), "R nopercent@relay.example", "percenthack: no % leaves the address") ;
  is_str(rw_(&rw, "u%x.example@elsewhere.example"), "R u%x.example@elsewhere.example", "percenthack: only for listed domains") ;
  is_str(rw_(&rw, "u%sergey@relay.example"), "R u@sergey", "percenthack: a host without a dot is taken as it is") ;
  is_str(rw_(&rw, "a@b@virtual.example"), "L sergey-a@b@virtual.example", "the last @ separates the domain") ;

  /* out is appended to; limits */
  {
    stralloc out = STRALLOC_ZERO ;
    char a[REWRITE_ADDRMAX + 2] ;
    stralloc_cats(&out, "T") ;
    is_int(rewrite_addr(&rw, "x@virtual.example", 17, &out), REWRITE_LOCAL, "append: LOCAL") ;
    is_mem(out.s, out.len, "Tsergey-x@virtual.example", 25, "append: after what out held, without a NUL") ;
    memset(a, 'a', sizeof a) ;
    memcpy(a + REWRITE_ADDRMAX - 12, "@example.org", 12) ;
    out.len = 0 ;
    is_int(rewrite_addr(&rw, a, REWRITE_ADDRMAX, &out), REWRITE_LOCAL, "limit: a 1000-byte address is taken") ;
    is_int(out.len, REWRITE_ADDRMAX, "limit: ... whole") ;
    out.len = 0 ;
    memcpy(a + REWRITE_ADDRMAX + 1 - 12, "@example.org", 12) ;
    errno = 0 ;
    is_int(rewrite_addr(&rw, a, REWRITE_ADDRMAX + 1, &out), -1, "limit: 1001 bytes: -1") ;
    is_int(errno, ENAMETOOLONG, "limit: ... ENAMETOOLONG") ;
    is_int(out.len, 0, "limit: ... out unchanged") ;
    is_int(rewrite_addr(&rw, "x@y\0z", 5, &out) >= 0, 1, "an address is taken by length, not up to a NUL") ;
    stralloc_free(&out) ;
  }

  /* rewrite_unvirtual: undoing the prefix for a bounce */
  {
    static char const *const in[] = {
      "sergey-Sergey@virtual.example", "joeuser-joe@virtual.example", "wild-x@a.wild.example",
      "joe-foo-info@hyphen.example", "bob@example.org", "plain-x@elsewhere.example",
      "other-x@virtual.example", "sergey-x@sub.wild.example", "nodash@virtual.example" } ;
    static size_t const want[] = { 7, 8, 5, 8, 0, 0, 0, 0, 0 } ;
    static char const *const why[] = {
      "unvirtual: domain prefix", "unvirtual: user@domain prefix", "unvirtual: wildcard prefix",
      "unvirtual: a prefix with a hyphen", "unvirtual: a local domain: 0", "unvirtual: not virtual: 0",
      "unvirtual: a prefix that is not the domain's: 0", "unvirtual: an excepted domain: 0", "unvirtual: no prefix at all: 0" } ;
    for (unsigned int i = 0 ; i < sizeof in / sizeof *in ; i++)
      is_int(rewrite_unvirtual(&rw, in[i], strlen(in[i])), want[i], why[i]) ;
  }

  /* a failed reload keeps the rules that were loaded */
  put("control/virtualdomains", "good.example:x\nbad\n") ;
  is_int(rewrite_load(&rw), -1, "reload: a bad file: -1") ;
  is_str(errtext(), "control/virtualdomains:2: line without ':'", "reload: ... with file and line") ;
  is_str(rw_(&rw, "sergey@virtual.example"), "L sergey-sergey@virtual.example", "reload: the old rules still apply") ;

  /* envnoathost; the catch-all */
  clear() ;
  put("control/me", "mx.example.org\n") ;
  put("control/locals", "example.org\n") ;
  put("control/envnoathost", "Example.ORG\n") ;
  put("control/virtualdomains", "virtual.example:sergey\n:catchall\nexempt.example:\n") ;
  is_int(rewrite_load(&rw), 1, "catch-all config: 1") ;
  is_str(rw_(&rw, "user"), "L user@example.org", "envnoathost: its domain (lower case) is appended") ;
  is_str(rw_(&rw, "a@virtual.example"), "L sergey-a@virtual.example", "catch-all: a domain line wins") ;
  is_str(rw_(&rw, "a@any.example"), "L catchall-a@any.example", "catch-all: :prefix takes every other domain") ;
  is_str(rw_(&rw, "a@exempt.example"), "R a@exempt.example", "catch-all: an empty prefix is an exception") ;
  is_str(rw_(&rw, "a@example.org"), "L a@example.org", "catch-all: locals still first") ;
  is_int(rewrite_unvirtual(&rw, "catchall-a@any.example", 22), 9, "unvirtual: catch-all prefix") ;

  /* defaults: locals = me, envnoathost = me */
  clear() ;
  put("control/me", "MX.example.org\n") ;
  is_int(rewrite_load(&rw), 1, "defaults: only control/me: 1") ;
  is_str(rw_(&rw, "u"), "L u@mx.example.org", "defaults: envnoathost is me, locals is me") ;
  is_str(rw_(&rw, "u@example.org"), "R u@example.org", "defaults: nothing else is local") ;
  put("control/locals", "") ;
  is_int(rewrite_load(&rw), 1, "defaults: an empty locals file: 1") ;
  is_str(rw_(&rw, "u"), "R u@mx.example.org", "defaults: an existing empty locals makes nothing local") ;
  clear() ;
  put("control/locals", "example.org\n") ;
  put("control/envnoathost", "example.org\n") ;
  is_int(rewrite_load(&rw), 1, "defaults: no control/me is fine when nothing needs it") ;

  /* 100,000 virtual domains */
  {
    struct timespec t0, t1 ;
    unsigned int const n = 100000 ;
    unsigned int good = 0 ;
    clear() ;
    put("control/me", "mx.example.org\n") ;
    for (unsigned int i = 0 ; i < n ; i++)
    {
      char num[UINT_FMT] ;
      size_t l = uint_fmt(num, i) ;
      stralloc_cats(&big, "d") ; stralloc_catb(&big, num, l) ; stralloc_cats(&big, ".example:p") ;
      stralloc_catb(&big, num, l) ; stralloc_cats(&big, "\n") ;
    }
    if (!openwritenclose_unsafe("control/virtualdomains", big.s, big.len)) { printf("Bail out! write\n") ; return 1 ; }
    clock_gettime(CLOCK_MONOTONIC, &t0) ;
    is_int(rewrite_load(&rw), 1, "100,000 virtualdomains lines: load 1") ;
    for (unsigned int i = 0 ; i < n ; i++)
    {
      char a[64], want[64], num[UINT_FMT] ;
      size_t l = uint_fmt(num, i) ;
      num[l] = 0 ;
      snprintf(a, sizeof a, "u@D%s.EXAMPLE", num) ;
      snprintf(want, sizeof want, "L p%s-u@d%s.example", num, num) ;
      if (!strcmp(rw_(&rw, a), want)) good++ ;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1) ;
    is_int(good, n, "100,000 virtualdomains lines: every domain found with its prefix") ;
    is_str(rw_(&rw, "u@d100000.example"), "R u@d100000.example", "100,000 virtualdomains lines: one more is not there") ;
    printf("# load and 100,000 lookups: %.3f s\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9) ;
  }

  rewrite_free(&rw) ;
  stralloc_free(&big) ;
  clear() ;
  rmdir("control") ;
  if (chdir("/") == 0) rmdir(dir) ;
  return tap_done() ;
}
