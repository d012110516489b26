/* smtpdata-machine: smtpd's DATA state machine (smtpdata.h): only CRLF
 * "." CRLF ends the data (the CRLF of the DATA command counts); each SMTP
 * smuggling end (<LF>.<LF>, <CR>.<CR>, <LF>.<CR><LF>, <CR><LF>.<LF>) is
 * not an end and marks the message to be refused; dot-unstuffing; CRLF
 * to LF; the 998-octet line limit exactly (the stuffing dot not counted);
 * NUL; the hop count; the size limit; and the same result for any split
 * of the input. */
#include <stdlib.h>
#include <string.h>
#include "smtpdata.h"
#include "tap.h"

#define LIT(s) s, sizeof s - 1

struct result {
  char out[70000] ;
  size_t outlen ;
  size_t used ;
  int done ;
  unsigned int flags ;
} ;

/* Feeds in pieces of at most piece bytes (0: all at once). */
static void run(struct result *r, char const *in, size_t len, size_t max, size_t piece)
{
  struct smtpdata d ;
  size_t pos = 0 ;
  smtpdata_init(&d, max) ;
  r->outlen = 0 ; r->done = 0 ;
  while (pos < len && !r->done)
  {
    size_t n = piece && piece < len - pos ? piece : len - pos, o ;
    pos += smtpdata_feed(&d, in + pos, n, r->out + r->outlen, &o, &r->done) ;
    r->outlen += o ;
  }
  r->used = pos ;
  r->flags = d.flags ;
}

static struct result r ;

static void check(char const *in, size_t len, char const *want, size_t wantlen, size_t used, unsigned int flags, char const *name)
{
  static size_t const pieces[] = { 0, 1, 2, 3, 7 } ;
  for (unsigned int i = 0 ; i < sizeof pieces / sizeof *pieces ; i++)
  {
    run(&r, in, len, 0, pieces[i]) ;
    if (!pieces[i])
    {
      is_int(r.done, used > 0, name) ;
      is_int(r.used, used ? used : len, name) ;
      is_int(r.flags, flags, name) ;
      if (want) is_mem(r.out, r.outlen, want, wantlen, name) ;
    }
    else
    {
      struct result a ;
      memcpy(&a, &r, sizeof a) ;
      run(&r, in, len, 0, 0) ;
      ok(a.done == r.done && a.used == r.used && a.flags == r.flags && a.outlen == r.outlen
         && !memcmp(a.out, r.out, r.outlen), "the same when fed in small pieces") ;
    }
  }
}

int main(void)
{
  static char big[4000] ;

  check(LIT("Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n"), LIT("Subject: x\n\nhello\n"), 24, 0, "simple message, ends before the next command") ;
  check(LIT(".\r\n"), LIT(""), 3, 0, "empty message: the DATA command's CRLF counts") ;
  check(LIT("a\r\n..\r\n..b\r\n.c\r\n.\r\n"), LIT("a\n.\n.b\nc\n"), 19, 0, "dot-unstuffing") ;
  check(LIT("a\r\n. \r\n.\r\n"), LIT("a\n \n"), 10, 0, "dot-space is a stuffed dot, not the end") ;

  /* SMTP smuggling: none of these ends the message; each is refused */
  check(LIT("a\r\n\n.\nMAIL FROM:<x@y>\r\n"), 0, 0, 0, SMTPDATA_BARE, "<LF>.<LF> does not end the data") ;
  check(LIT("a\r\n\n.\nMAIL FROM:<x@y>\r\n.\r\n"), 0, 0, 26, SMTPDATA_BARE, "<LF>.<LF>: the real end comes later, refused as bare LF") ;
  check(LIT("a\r.\rMAIL FROM:<x@y>\r\n.\r\n"), 0, 0, 24, SMTPDATA_BARE, "<CR>.<CR>: not an end, bare CR") ;
  check(LIT("a\n.\r\nMAIL FROM:<x@y>\r\n.\r\n"), 0, 0, 25, SMTPDATA_BARE, "<LF>.<CR><LF>: not an end, bare LF") ;
  check(LIT("a\r\n.\nMAIL FROM:<x@y>\r\n.\r\n"), 0, 0, 25, SMTPDATA_BARE, "<CR><LF>.<LF>: not an end, bare LF") ;
  check(LIT("a\r\n.\r\r\n.\r\n"), 0, 0, 10, SMTPDATA_BARE, "<CR><LF>.<CR><CR><LF>: not an end") ;

  check(LIT("a\0b\r\n.\r\n"), 0, 0, 8, SMTPDATA_NUL, "NUL marks the message") ;

  /* 998 octets of text is the longest line; with its CRLF, 1000 */
  memset(big, 'x', 998) ; memcpy(big + 998, "\r\n.\r\n", 5) ;
  check(big, 1003, 0, 0, 1003, 0, "998-octet line accepted") ;
  memset(big, 'x', 999) ; memcpy(big + 999, "\r\n.\r\n", 5) ;
  check(big, 1004, 0, 0, 1004, SMTPDATA_LONGLINE, "999-octet line refused") ;
  /* RFC 5321 4.5.3.1.6: the dot duplicated for transparency does not
   * count, so a line of 998 octets that starts with a dot is 999 octets
   * and CRLF on the wire, and taken */
  big[0] = '.' ; big[1] = '.' ;
  memset(big + 2, 'x', 997) ; memcpy(big + 999, "\r\n.\r\n", 5) ;
  check(big, 1004, 0, 0, 1004, 0, "the stuffing dot does not count: 999 octets on the wire, 998 of text") ;
  big[0] = '.' ; big[1] = '.' ;
  memset(big + 2, 'x', 998) ; memcpy(big + 1000, "\r\n.\r\n", 5) ;
  check(big, 1005, 0, 0, 1005, SMTPDATA_LONGLINE, "a stuffed line of 999 octets of text refused") ;

  /* hops: 100 Received/Delivered-To lines pass, 101 do not */
  {
    static char h[4000] ;
    size_t n = 0 ;
    for (int i = 0 ; i < 50 ; i++) { memcpy(h + n, "Received: x\r\n", 13) ; n += 13 ; memcpy(h + n, "delivered-to: y\r\n", 17) ; n += 17 ; }
    memcpy(h + n, "\r\nReceived: in the body\r\n.\r\n", 28) ;
    check(h, n + 28, 0, 0, n + 28, 0, "100 hops in the header; a Received in the body does not count") ;
    memmove(h + 13, h, n + 28) ;
    memcpy(h, "RECEIVED: z\r\n", 13) ;
    check(h, n + 41, 0, 0, n + 41, SMTPDATA_HOPS, "101 hops: too many") ;
  }

  /* size: the limit counts what is kept, CRLF as one byte */
  run(&r, LIT("12345\r\n.\r\n"), 6, 0) ;
  ok(r.done && !r.flags && r.outlen == 6, "6 bytes kept within a limit of 6") ;
  run(&r, LIT("123456\r\n.\r\n"), 6, 0) ;
  ok(r.done && r.flags == SMTPDATA_TOOBIG && r.outlen == 6, "7 bytes over a limit of 6: TOOBIG, read to the end, 6 kept") ;
  run(&r, LIT("123456\r\n.\r\n"), 6, 1) ;
  ok(r.done && r.flags == SMTPDATA_TOOBIG && r.outlen == 6 && r.used == 11, "the same byte by byte") ;
  return tap_done() ;
}
