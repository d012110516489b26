/* control-files: reading qmail-style control files (control.c): first line
 * with trailing white space dropped, missing files, lists without comments
 * and blank lines, and numbers with "file:line: reason" errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "tap.h"

static void put(char const *fn, char const *s, size_t len)
{
  if (!openwritenclose_unsafe(fn, s, len)) { printf("Bail out! cannot write %s\n", fn) ; exit(1) ; }
}
#define PUT(fn, lit) put(fn, lit, sizeof lit - 1)

static char const *errtext(void)
{
  static char s[200] ;
  size_t n = control_error.len < sizeof s - 1 ? control_error.len : sizeof s - 1 ;
  memcpy(s, control_error.s ? control_error.s : "", n) ; s[n] = 0 ;
  return s ;
}

int main(void)
{
  char dir[] = "/tmp/cairn-control.XXXXXX" ;
  stralloc sa = STRALLOC_ZERO ;
  unsigned long u ;

  if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("control", 0755) < 0) { printf("Bail out! temp dir\n") ; return 1 ; }

  /* control_readline */
  PUT("control/me", "mail.example.org \t\r\nsecond line\n") ;
  is_int(control_readline(&sa, "control/me"), 1, "readline: existing file: 1") ;
  is_mem(sa.s, sa.len, "mail.example.org", 16, "readline: first line, trailing space TAB CR dropped") ;
  PUT("control/nolf", "  lead") ;
  is_int(control_readline(&sa, "control/nolf"), 1, "readline: file without final LF: 1") ;
  is_mem(sa.s, sa.len, "  lead", 6, "readline: leading white space kept, no LF needed") ;
  PUT("control/empty", "") ;
  is_int(control_readline(&sa, "control/empty"), 1, "readline: empty file exists: 1") ;
  is_int(sa.len, 0, "readline: empty file gives an empty line") ;
  sa.len = 0 ;
  stralloc_cats(&sa, "untouched") ;
  is_int(control_readline(&sa, "control/missing"), 0, "readline: missing file: 0") ;
  is_mem(sa.s, sa.len, "untouched", 9, "readline: missing file leaves sa untouched") ;
  is_int(control_readline(&sa, "control"), -1, "readline: a directory cannot be read: -1") ;

  /* control_rldef */
  is_int(control_rldef(&sa, "control/missing", "localhost"), 1, "rldef: missing file: 1") ;
  is_mem(sa.s, sa.len, "localhost", 9, "rldef: missing file gives the default") ;
  is_int(control_rldef(&sa, "control/empty", "localhost"), 1, "rldef: empty file: 1") ;
  is_mem(sa.s, sa.len, "localhost", 9, "rldef: empty line gives the default") ;
  is_int(control_rldef(&sa, "control/me", "localhost"), 1, "rldef: existing file: 1") ;
  is_mem(sa.s, sa.len, "mail.example.org", 16, "rldef: the file's value wins") ;

  /* control_readfile */
  PUT("control/locals", "# comment\nexample.org\n\n   \n  # indented, not a comment\nexample.net  \r\n#last\nlast.example") ;
  is_int(control_readfile(&sa, "control/locals"), 1, "readfile: existing file: 1") ;
  is_mem(sa.s, sa.len, "example.org\0  # indented, not a comment\0example.net\0last.example\0", 65,
    "readfile: values NUL-terminated, # lines and blank lines skipped, trailing space dropped") ;
  sa.len = 0 ;
  stralloc_cats(&sa, "junk") ;
  is_int(control_readfile(&sa, "control/missing"), 0, "readfile: missing file: 0") ;
  is_int(sa.len, 0, "readfile: missing file leaves sa empty") ;
  PUT("control/onlycomments", "# a\n\n#b\n") ;
  is_int(control_readfile(&sa, "control/onlycomments"), 1, "readfile: only comments: 1") ;
  is_int(sa.len, 0, "readfile: only comments: no values") ;

  /* control_readulong */
  PUT("control/databytes", "1048576  \n") ;
  is_int(control_readulong(&u, "control/databytes", 0, 1UL << 40), 1, "readulong: a number: 1") ;
  is_int(u, 1048576, "readulong: the number, trailing space ignored") ;
  u = 1 ;
  is_int(control_readulong(&u, "control/missing", 4242, 10000), 0, "readulong: missing file: 0") ;
  is_int(u, 4242, "readulong: missing file gives the default") ;
  PUT("control/bad", "12abc\n") ;
  is_int(control_readulong(&u, "control/bad", 0, 1000), -1, "readulong: 12abc: -1") ;
  is_str(errtext(), "control/bad:1: not a number", "readulong: 12abc: error names file and line") ;
  PUT("control/neg", "-5\n") ;
  is_int(control_readulong(&u, "control/neg", 0, 1000), -1, "readulong: -5: -1") ;
  is_str(errtext(), "control/neg:1: not a number", "readulong: negative is not a number") ;
  is_int(control_readulong(&u, "control/empty", 7, 1000), -1, "readulong: empty file: -1") ;
  is_str(errtext(), "control/empty:1: not a number", "readulong: empty line is not a number") ;
  PUT("control/big", "1001\n") ;
  is_int(control_readulong(&u, "control/big", 0, 1000), -1, "readulong: over max: -1") ;
  is_str(errtext(), "control/big:1: number too large", "readulong: over max says too large") ;
  PUT("control/max", "1000\n") ;
  is_int(control_readulong(&u, "control/max", 0, 1000), 1, "readulong: exactly max: 1") ;
  is_int(u, 1000, "readulong: exactly max is the value") ;
  PUT("control/huge", "99999999999999999999999999\n") ;
  is_int(control_readulong(&u, "control/huge", 0, 1000), -1, "readulong: past 2^64: -1") ;
  is_str(errtext(), "control/huge:1: number too large", "readulong: past 2^64 says too large") ;
  is_int(control_readulong(&u, "control", 0, 1000), -1, "readulong: unreadable: -1") ;
  is_str(errtext(), "control:1: unable to read", "readulong: unreadable says so") ;

  stralloc_free(&sa) ;
  if (chdir("/") == 0) rm_rf(dir) ;
  return tap_done() ;
}
