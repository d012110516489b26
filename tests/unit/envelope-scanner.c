/* envelope-scanner: the envelope scanner (envelope.c) in every state and at
 * every limit, its exit codes, the encoder, and qqstore_readenvelope reading
 * an envelope from a descriptor as queue does on fd 1. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "envelope.h"
#include "qqstore.h"
#include "tap.h"

/* Scans len bytes of s in one call; *used and *nrcpt get what the scanner
 * reports. */
static enum envelope_status scan(char const *s, size_t len, size_t *used, size_t *nrcpt)
{
  struct envelope_scan e = ENVELOPE_SCAN_ZERO ;
  size_t u ;
  enum envelope_status st = envelope_scanb(&e, s, len, &u) ;
  if (used) *used = u ;
  if (nrcpt) *nrcpt = e.nrcpt ;
  return st ;
}

/* Feeds s one byte at a time, as a reader that gets one byte per read. */
static enum envelope_status feed_each(char const *s, size_t len)
{
  struct envelope_scan e = ENVELOPE_SCAN_ZERO ;
  enum envelope_status st = ENVELOPE_MORE ;
  for (size_t i = 0 ; i < len && st == ENVELOPE_MORE ; i++) st = envelope_feed(&e, (unsigned char)s[i]) ;
  return st ;
}

#define S(lit) lit, sizeof lit - 1

/* An envelope "F" + sender of n bytes of c + NUL + "Tr" NUL NUL, or with the
 * long address as the recipient when inrcpt. */
static size_t longaddr(char *buf, size_t n, int inrcpt)
{
  size_t len = 0 ;
  buf[len++] = 'F' ;
  if (inrcpt) { buf[len++] = 's' ; buf[len++] = 0 ; buf[len++] = 'T' ; }
  memset(buf + len, 'a', n) ; len += n ;
  buf[len++] = 0 ;
  if (!inrcpt) { buf[len++] = 'T' ; buf[len++] = 'r' ; buf[len++] = 0 ; }
  buf[len++] = 0 ;
  return len ;
}

/* Writes len bytes to a pipe-free temporary file and returns a descriptor
 * open for reading at its start. */
static int tmpfd(char const *s, size_t len)
{
  char fn[] = "/tmp/cairn-envelope.XXXXXX" ;
  int fd = mkstemp(fn) ;
  if (fd < 0) { printf("Bail out! mkstemp: %s\n", strerror(errno)) ; exit(1) ; }
  unlink(fn) ;
  if (write(fd, s, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0)
  { printf("Bail out! write tmp: %s\n", strerror(errno)) ; exit(1) ; }
  return fd ;
}

static int readenv(char const *s, size_t len, stralloc *sa)
{
  int fd = tmpfd(s, len) ;
  int r ;
  sa->len = 0 ;
  r = qqstore_readenvelope(fd, sa) ;
  close(fd) ;
  return r ;
}

int main(void)
{
  size_t used, nrcpt ;
  stralloc sa = STRALLOC_ZERO ;
  static char big[ENVELOPE_MAX + 16] ;

  /* S_START */
  is_int(scan(S(""), &used, 0), ENVELOPE_MORE, "empty input: more wanted") ;
  is_int(scan(S("T"), &used, 0), ENVELOPE_EFORMAT, "envelope starting with T (no F): format error") ;
  is_int(scan(S("\0"), &used, 0), ENVELOPE_EFORMAT, "envelope starting with NUL: format error") ;
  is_int(scan(S("f"), &used, 0), ENVELOPE_EFORMAT, "lower-case f is not F") ;
  is_int(scan(S("F"), &used, 0), ENVELOPE_MORE, "F alone: more wanted") ;

  /* S_SENDER */
  is_int(scan(S("Fa@b"), &used, 0), ENVELOPE_MORE, "sender without its NUL: more wanted") ;
  is_int(scan(S("F\0"), &used, 0), ENVELOPE_MORE, "empty sender (bounce) then more wanted") ;
  is_int(scan(S("Fa\tb\0\0"), &used, 0), ENVELOPE_EFORMAT, "TAB in sender: format error") ;

  /* S_ITEM */
  is_int(scan(S("F\0\0"), &used, &nrcpt), ENVELOPE_DONE, "zero recipients accepted") ;
  is_int(nrcpt, 0, "zero recipients counted as 0") ;
  is_int(used, 3, "zero-recipient envelope consumes 3 bytes") ;
  is_int(scan(S("Fa@b\0Xc@d\0\0"), &used, 0), ENVELOPE_EFORMAT, "recipient without T: format error") ;
  is_int(used, 6, "scanner stops at the byte that is wrong") ;
  is_int(scan(S("Fa@b\0c@d\0\0"), &used, 0), ENVELOPE_EFORMAT, "recipient with no kind letter at all: format error") ;
  is_int(scan(S("Fa@b\0F\0\0"), &used, 0), ENVELOPE_EFORMAT, "a second F item: format error") ;

  /* S_RCPT */
  is_int(scan(S("Fa@b\0Tc@d\0Te@f\0\0"), &used, &nrcpt), ENVELOPE_DONE, "two recipients: done") ;
  is_int(nrcpt, 2, "two recipients counted") ;
  is_int(used, 16, "done at the final NUL") ;
  is_int(scan(S("Fa@b\0Tc@d\0"), &used, &nrcpt), ENVELOPE_MORE, "missing final NUL: more wanted") ;
  is_int(nrcpt, 1, "the complete recipient is counted before the final NUL") ;
  is_int(scan(S("Fa@b\0Tc@d"), &used, 0), ENVELOPE_MORE, "recipient cut short: more wanted") ;
  is_int(scan(S("Fa@b\0T\0\0"), &used, &nrcpt), ENVELOPE_DONE, "empty recipient is syntactically an item") ;

  /* S_DONE: what follows the final NUL is not read */
  is_int(scan(S("F\0Tx\0\0garbage"), &used, 0), ENVELOPE_DONE, "bytes after the final NUL: still done") ;
  is_int(used, 6, "bytes after the final NUL are not consumed") ;
  {
    struct envelope_scan e = ENVELOPE_SCAN_ZERO ;
    envelope_scanb(&e, S("F\0\0"), &used) ;
    is_int(envelope_feed(&e, 'X'), ENVELOPE_DONE, "feeding after done: stays done") ;
  }

  /* control characters, in sender and recipient */
  {
    static unsigned char const bad[] = { 1, 9, 10, 13, 27, 31, 127 } ;
    int allbad = 1, allrbad = 1 ;
    for (size_t i = 0 ; i < sizeof bad ; i++)
    {
      char s[] = "Fa?b\0\0" ;
      char r[] = "F\0Ta?b\0\0" ;
      s[2] = (char)bad[i] ; r[4] = (char)bad[i] ;
      if (scan(s, sizeof s - 1, 0, 0) != ENVELOPE_EFORMAT) allbad = 0 ;
      if (scan(r, sizeof r - 1, 0, 0) != ENVELOPE_EFORMAT) allrbad = 0 ;
    }
    ok(allbad, "control characters (1 9 10 13 27 31 127) in the sender: format error") ;
    ok(allrbad, "control characters (1 9 10 13 27 31 127) in a recipient: format error") ;
    is_int(scan(S("F\xc3\xa9@b\0T \x80\xff@d\0\0"), 0, 0), ENVELOPE_DONE, "space and 8-bit bytes are allowed") ;
  }

  /* address length: exactly ENVELOPE_ADDR_MAX is fine, one more is not */
  {
    char buf[ENVELOPE_ADDR_MAX + 16] ;
    size_t len ;
    len = longaddr(buf, ENVELOPE_ADDR_MAX, 0) ;
    is_int(scan(buf, len, 0, 0), ENVELOPE_DONE, "sender of exactly 1000 bytes: accepted") ;
    len = longaddr(buf, ENVELOPE_ADDR_MAX + 1, 0) ;
    is_int(scan(buf, len, &used, 0), ENVELOPE_ETOOLONG, "sender of 1001 bytes: too long") ;
    is_int(used, 1 + ENVELOPE_ADDR_MAX + 1, "too long detected at the 1001st address byte") ;
    len = longaddr(buf, ENVELOPE_ADDR_MAX, 1) ;
    is_int(scan(buf, len, 0, 0), ENVELOPE_DONE, "recipient of exactly 1000 bytes: accepted") ;
    len = longaddr(buf, ENVELOPE_ADDR_MAX + 1, 1) ;
    is_int(scan(buf, len, 0, 0), ENVELOPE_ETOOLONG, "recipient of 1001 bytes: too long") ;
    is_int(feed_each(buf, len), ENVELOPE_ETOOLONG, "recipient of 1001 bytes fed byte by byte: too long") ;
    {
      struct envelope_scan e = ENVELOPE_SCAN_ZERO ;
      envelope_scanb(&e, buf, len, 0) ;
      is_int(envelope_feed(&e, 0), ENVELOPE_ETOOLONG, "after too long, more bytes keep the same status") ;
    }
  }

  /* whole envelope: exactly ENVELOPE_MAX bytes is fine, one more is not */
  {
    /* "F\0", then items "T" + 8 bytes + NUL, then one last item that
     * takes up the rest, then the final NUL: exactly ENVELOPE_MAX bytes. */
    size_t len = 0, k = (ENVELOPE_MAX - 3) / 10 - 1, last ;
    big[len++] = 'F' ; big[len++] = 0 ;
    for (size_t i = 0 ; i < k ; i++)
    { big[len++] = 'T' ; memset(big + len, 'x', 8) ; len += 8 ; big[len++] = 0 ; }
    last = ENVELOPE_MAX - 1 - len - 2 ;
    big[len++] = 'T' ; memset(big + len, 'y', last) ; len += last ; big[len++] = 0 ;
    big[len++] = 0 ;
    is_int(len, ENVELOPE_MAX, "test envelope is exactly ENVELOPE_MAX bytes") ;
    is_int(scan(big, len, &used, 0), ENVELOPE_DONE, "envelope of exactly 4 MiB: accepted") ;
    /* one more byte: lengthen the last address by one */
    memmove(big + len - 1, big + len - 2, 2) ; big[len - 2] = 'x' ; len++ ;
    is_int(scan(big, len, &used, 0), ENVELOPE_ETOOBIG, "envelope of 4 MiB + 1 byte: too big") ;
    is_int(used, ENVELOPE_MAX + 1, "too big detected at byte 4 MiB + 1") ;
    is_int(readenv(big, len, &sa), 31, "reading a 4 MiB + 1 envelope: exit 31") ;
  }

  /* exit codes */
  is_int(envelope_exitcode(ENVELOPE_DONE), 0, "done: exit 0") ;
  is_int(envelope_exitcode(ENVELOPE_MORE), 54, "cut short: exit 54 (unable to read the envelope)") ;
  is_int(envelope_exitcode(ENVELOPE_EFORMAT), 91, "format: exit 91") ;
  is_int(envelope_exitcode(ENVELOPE_ETOOLONG), 11, "address too long: exit 11") ;
  is_int(envelope_exitcode(ENVELOPE_ETOOBIG), 31, "too big: exit 31") ;

  /* reading from a descriptor, as queue does */
  is_int(readenv(S("Fa@b\0Tc@d\0\0"), &sa), 0, "readenvelope: good envelope: 0") ;
  is_mem(sa.s, sa.len, "Fa@b\0Tc@d\0\0", 11, "readenvelope keeps the bytes up to and with the final NUL") ;
  is_int(readenv(S("Fa@b\0Tc@d\0\0trailing"), &sa), 0, "readenvelope: trailing bytes: 0") ;
  is_int(sa.len, 11, "readenvelope drops what follows the final NUL") ;
  is_int(readenv(S("Fa@b\0Tc@d\0"), &sa), 54, "readenvelope: missing final NUL: exit 54") ;
  is_int(readenv(S(""), &sa), 54, "readenvelope: empty input: exit 54") ;
  is_int(readenv(S("Ta@b\0\0"), &sa), 91, "readenvelope: no F: exit 91") ;
  is_int(readenv(S("Fa@b\0Tc\nd\0\0"), &sa), 91, "readenvelope: LF in a recipient: exit 91") ;
  {
    size_t len = longaddr(big, ENVELOPE_ADDR_MAX + 1, 1) ;
    is_int(readenv(big, len, &sa), 11, "readenvelope: 1001-byte recipient: exit 11") ;
  }
  {
    int p[2] ;
    if (pipe(p) < 0) return 1 ;
    close(p[1]) ; close(p[0]) ;
    sa.len = 0 ;
    is_int(qqstore_readenvelope(p[0], &sa), 54, "readenvelope: closed descriptor: exit 54") ;
  }

  /* the encoder writes what the scanner accepts */
  {
    stralloc e = STRALLOC_ZERO ;
    ok(envelope_add(&e, 'F', S("s@x")) && envelope_add(&e, 'T', S("r1@y")) && envelope_add(&e, 'T', S("r2@z")) && envelope_end(&e), "encoder: builds an envelope") ;
    is_mem(e.s, e.len, "Fs@x\0Tr1@y\0Tr2@z\0\0", 18, "encoder: exact bytes") ;
    is_int(scan(e.s, e.len, &used, &nrcpt), ENVELOPE_DONE, "encoder output scans to done") ;
    is_int(nrcpt, 2, "encoder output has 2 recipients") ;
    stralloc_free(&e) ;
  }

  stralloc_free(&sa) ;
  return tap_done() ;
}
