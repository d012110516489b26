/* loopcheck-header: a message is looping when its header holds this
 * delivery's Delivered-To line (any case) or more than 100 Received and
 * Delivered-To fields; the body, near misses and continuation lines do not
 * count; the answer is the same however the bytes are cut into reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "loopcheck.h"
#include "tap.h"

#define DT "Delivered-To: joe@example.org\n"

static int check(char const *msg, size_t step)
{
  struct loopcheck lc ;
  size_t len = strlen(msg) ;
  int r = LOOPCHECK_MORE ;
  loopcheck_init(&lc, DT, sizeof DT - 1) ;
  for (size_t i = 0 ; i < len && r == LOOPCHECK_MORE ; i += step)
    r = loopcheck_feed(&lc, msg + i, len - i < step ? len - i : step) ;
  if (r == LOOPCHECK_MORE) r = loopcheck_end(&lc) ;
  loopcheck_free(&lc) ;
  return r ;
}

static void all(char const *msg, int want, char const *name)
{
  is_int(check(msg, 1 << 20), want, name) ;
  is_int(check(msg, 1), want, "  same one byte at a time") ;
  is_int(check(msg, 7), want, "  and seven bytes at a time") ;
}

static char *hops(unsigned int n, char const *body)
{
  stralloc sa = STRALLOC_ZERO ;
  for (unsigned int i = 0 ; i < n ; i++)
    stralloc_cats(&sa, i % 2 ? "Received: from x by y\n" : "delivered-to: someone@else\n") ;
  stralloc_cats(&sa, "Subject: s\n\n") ;
  stralloc_cats(&sa, body) ;
  stralloc_0(&sa) ;
  return sa.s ;
}

int main(void)
{
  char *m ;
  all("Received: x\nSubject: s\n\nbody\n", LOOPCHECK_OK, "an ordinary message is not looping") ;
  all("Received: x\n" DT "Subject: s\n\nbody\n", LOOPCHECK_DTLINE, "my Delivered-To line in the header: looping") ;
  all("delivered-to: JOE@Example.ORG\n\n", LOOPCHECK_DTLINE, "compared without regard to case") ;
  all(DT, LOOPCHECK_DTLINE, "as the last line of a header-only message") ;
  all("Delivered-To: joe@example.org", LOOPCHECK_DTLINE, "even without its newline at the end") ;
  all("Subject: s\n\n" DT, LOOPCHECK_OK, "in the body it does not count") ;
  all("Delivered-To: joe@example.orgx\n\n", LOOPCHECK_OK, "a longer address is another line") ;
  all("Delivered-To: joe@example.or\n\n", LOOPCHECK_OK, "a shorter one too") ;
  all("Delivered-To: ann-joe@example.org\n\n", LOOPCHECK_OK, "so is one with a prefix") ;
  all("X-Original-Delivered-To: joe@example.org\n\n", LOOPCHECK_OK, "another field with the same value is not it") ;
  all("Subject: s\n Delivered-To: joe@example.org\n\n", LOOPCHECK_OK, "a continuation line is not it") ;
  all("", LOOPCHECK_OK, "an empty message is not looping") ;

  m = hops(100, "") ; all(m, LOOPCHECK_OK, "100 Received and Delivered-To fields are fine") ; free(m) ;
  m = hops(101, "") ; all(m, LOOPCHECK_HOPS, "101 are too many hops") ; free(m) ;
  {
    stralloc sa = STRALLOC_ZERO ;
    for (unsigned int i = 0 ; i < 150 ; i++) stralloc_cats(&sa, "X-Received: x\n RECEIVED: y\n") ;
    stralloc_cats(&sa, "\n") ;
    for (unsigned int i = 0 ; i < 150 ; i++) stralloc_cats(&sa, "Received: in the body\n") ;
    stralloc_0(&sa) ;
    all(sa.s, LOOPCHECK_OK, "X-Received, continuation lines and body lines are not hops") ;
    stralloc_free(&sa) ;
  }
  {
    /* A huge header line is read in constant memory and still compared. */
    size_t n = 1 << 20 ;
    char *big = malloc(n + sizeof DT + 20) ;
    memcpy(big, "Subject: ", 9) ; memset(big + 9, 'x', n) ;
    strcpy(big + 9 + n, "\n" DT "\n") ;
    is_int(check(big, 4096), LOOPCHECK_DTLINE, "after a 1 MB header line, the Delivered-To line is still found") ;
    free(big) ;
  }
  {
    /* The whole check on a file, with the messages local prints. */
    char fn[] = "/tmp/cairn-loopcheck.XXXXXX" ;
    int fd = mkstemp(fn) ;
    stralloc why = STRALLOC_ZERO ;
    unlink(fn) ;
    if (fd < 0) { printf("Bail out! mkstemp\n") ; return 1 ; }
    if (write(fd, "Received: x\n" DT "\nbody\n", 12 + sizeof DT) < 0) return 1 ;
    is_int(loopcheck_fd(fd, DT, sizeof DT - 1, &why), 100, "loopcheck_fd: looping is permanent (100)") ;
    stralloc_0(&why) ;
    is_str(why.s, "This message is looping: it already has my Delivered-To line. (#5.4.6)", "  with qmail's text") ;
    close(fd) ;
    strcpy(fn, "/tmp/cairn-loopcheck.XXXXXX") ;
    fd = mkstemp(fn) ; unlink(fn) ;
    m = hops(101, "") ;
    if (write(fd, m, strlen(m)) < 0) return 1 ;
    free(m) ;
    why.len = 0 ;
    is_int(loopcheck_fd(fd, DT, sizeof DT - 1, &why), 100, "loopcheck_fd: too many hops is permanent (100)") ;
    stralloc_0(&why) ;
    ok(strstr(why.s, "too many hops") && strstr(why.s, "(#5.4.6)"), "  saying too many hops, #5.4.6") ;
    close(fd) ;
    why.len = 0 ;
    is_int(loopcheck_fd(fd, DT, sizeof DT - 1, &why), 111, "loopcheck_fd: an unreadable message is temporary (111)") ;
    stralloc_free(&why) ;
  }
  return tap_done() ;
}
