/* spawn-protocol: the send <-> spawner protocol (spawnproto.c): requests and
 * results survive encoding and decoding whole, byte by byte and split at
 * every point; every malformed stream is refused with its own error, and
 * the refusal stays; the encoders refuse what the decoders would refuse and
 * cut explanation text as documented. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "spawnproto.h"
#include "tap.h"

#define S(lit) lit, sizeof lit - 1
#define SLOTMAX 999
/* is_mem against a string literal that may hold NULs */
#define is_lit(got, glen, lit, name) is_mem(got, glen, lit, sizeof lit - 1, name)

/* Feeds s to a fresh request decoder in pieces of step bytes (0: all at
 * once) and returns the status of the first message or error. */
static enum spawnproto_status req1(char const *s, size_t len, size_t step, struct spawnproto_reqdec *d)
{
  size_t i = 0 ;
  spawnproto_reqinit(d, SLOTMAX) ;
  while (i < len)
  {
    size_t n = step && len - i > step ? step : len - i, used ;
    enum spawnproto_status st = spawnproto_reqfeed(d, s + i, n, &used) ;
    i += used ;
    if (st != SPAWNPROTO_MORE) return st ;
  }
  return SPAWNPROTO_MORE ;
}

static enum spawnproto_status res1(char const *s, size_t len, size_t step, struct spawnproto_resdec *d)
{
  size_t i = 0 ;
  spawnproto_resinit(d, SLOTMAX) ;
  while (i < len)
  {
    size_t n = step && len - i > step ? step : len - i, used ;
    enum spawnproto_status st = spawnproto_resfeed(d, s + i, n, &used) ;
    i += used ;
    if (st != SPAWNPROTO_MORE) return st ;
  }
  return SPAWNPROTO_MORE ;
}

static struct spawnproto_reqdec rd ;
static struct spawnproto_resdec sd ;

static void request_round_trips(void)
{
  stralloc sa = STRALLOC_ZERO ;
  ok(spawnproto_putreq(&sa, 17, 123456, S("alice@example.org"), S("bob@example.com")), "request encodes") ;
  is_lit(sa.s, sa.len, "17\000123456\000alice@example.org\000bob@example.com\000", "request bytes are SLOT NUL ID NUL SENDER NUL RECIPIENT NUL") ;
  for (size_t step = 0 ; step <= 2 ; step++)
  {
    char name[80] ;
    snprintf(name, sizeof name, "request decodes in pieces of %zu byte(s)", step) ;
    is_int(req1(sa.s, sa.len, step, &rd), SPAWNPROTO_DONE, name) ;
  }
  is_int(rd.req.slot, 17, "slot decoded") ;
  is_int(rd.req.id, 123456, "id decoded") ;
  is_str(rd.req.sender, "alice@example.org", "sender decoded") ;
  is_int(rd.req.senderlen, 17, "sender length") ;
  is_str(rd.req.recip, "bob@example.com", "recipient decoded") ;
  is_int(rd.req.reciplen, 15, "recipient length") ;
  is_int(spawnproto_reqend(&rd), SPAWNPROTO_DONE, "end of input after a whole request is clean") ;

  sa.len = 0 ;
  ok(spawnproto_putreq(&sa, 0, 1, "", 0, S("postmaster@h")), "request with the null sender encodes") ;
  is_lit(sa.s, sa.len, "0\0001\000\000postmaster@h\000", "null sender is an empty field") ;
  is_int(req1(sa.s, sa.len, 1, &rd), SPAWNPROTO_DONE, "null-sender request decodes") ;
  is_int(rd.req.senderlen, 0, "null sender decodes as empty") ;
  is_str(rd.req.sender, "", "null sender is an empty string") ;

  sa.len = 0 ;
  ok(spawnproto_putreq(&sa, SLOTMAX, ULONG_MAX, S("s"), S("r")), "largest slot and id encode") ;
  is_int(req1(sa.s, sa.len, 0, &rd), SPAWNPROTO_DONE, "largest slot and id decode") ;
  is_int(rd.req.slot, SLOTMAX, "largest slot kept") ;
  ok(rd.req.id == ULONG_MAX, "id ULONG_MAX kept") ;

  {
    char addr[SPAWNPROTO_ADDR_MAX + 1] ;
    memset(addr, 'a', sizeof addr) ;
    sa.len = 0 ;
    ok(spawnproto_putreq(&sa, 1, 2, addr, SPAWNPROTO_ADDR_MAX, addr, SPAWNPROTO_ADDR_MAX), "1000-byte addresses encode") ;
    is_int(req1(sa.s, sa.len, 7, &rd), SPAWNPROTO_DONE, "1000-byte addresses decode") ;
    is_int(rd.req.senderlen, 1000, "1000-byte sender kept whole") ;
    is_int(rd.req.reciplen, 1000, "1000-byte recipient kept whole") ;
    sa.len = 0 ;
    errno = 0 ;
    ok(!spawnproto_putreq(&sa, 1, 2, addr, SPAWNPROTO_ADDR_MAX + 1, S("r")), "1001-byte sender refused by the encoder") ;
    is_int(errno, EINVAL, "refusal is EINVAL") ;
    is_int(sa.len, 0, "refused request leaves the buffer unchanged") ;
    ok(!spawnproto_putreq(&sa, 1, 2, S("s"), addr, SPAWNPROTO_ADDR_MAX + 1), "1001-byte recipient refused by the encoder") ;
  }
  ok(!spawnproto_putreq(&sa, 1, 2, S("s"), "", 0), "empty recipient refused by the encoder") ;
  ok(!spawnproto_putreq(&sa, 1, 2, S("s\0x"), S("r")), "sender holding a NUL refused by the encoder") ;
  ok(!spawnproto_putreq(&sa, 1, 2, S("s"), S("r\0x")), "recipient holding a NUL refused by the encoder") ;
  is_int(sa.len, 0, "refused requests append nothing") ;
  stralloc_free(&sa) ;
}

/* Two requests in one stream, split in two reads at every possible point:
 * both come out, in order, whole. */
static void request_stream_every_split(void)
{
  stralloc sa = STRALLOC_ZERO ;
  unsigned int bad = 0 ;
  if (!spawnproto_putreq(&sa, 3, 30, S("a@x"), S("b@y")) || !spawnproto_putreq(&sa, 4, 40, "", 0, S("c@z")))
  { printf("Bail out! encode\n") ; return ; }
  for (size_t cut = 0 ; cut <= sa.len ; cut++)
  {
    size_t parts[2][2] = { { 0, cut }, { cut, sa.len - cut } } ;
    unsigned int got = 0 ;
    spawnproto_reqinit(&rd, SLOTMAX) ;
    for (unsigned int p = 0 ; p < 2 ; p++)
    {
      char const *s = sa.s + parts[p][0] ;
      size_t len = parts[p][1] ;
      while (len)
      {
        size_t used ;
        enum spawnproto_status st = spawnproto_reqfeed(&rd, s, len, &used) ;
        s += used ; len -= used ;
        if (st == SPAWNPROTO_DONE)
        {
          if (got == 0 && !(rd.req.slot == 3 && rd.req.id == 30 && !strcmp(rd.req.sender, "a@x") && !strcmp(rd.req.recip, "b@y"))) bad++ ;
          if (got == 1 && !(rd.req.slot == 4 && rd.req.id == 40 && !rd.req.senderlen && !strcmp(rd.req.recip, "c@z"))) bad++ ;
          got++ ;
        }
        else if (st != SPAWNPROTO_MORE) { bad++ ; break ; }
      }
    }
    if (got != 2 || spawnproto_reqend(&rd) != SPAWNPROTO_DONE) bad++ ;
  }
  is_int(bad, 0, "two requests split at every point decode to the same two requests") ;
  stralloc_free(&sa) ;
}

struct badcase { char const *what ; char const *s ; size_t len ; enum spawnproto_status want ; } ;

static void request_malformed(void)
{
  static char longaddr[2 + 2 + SPAWNPROTO_ADDR_MAX + 1 + 3] ;
  static struct badcase const cases[] = {
    { "slot with a letter", S("1a\0002\000s\000r\000"), SPAWNPROTO_ESLOT },
    { "empty slot", S("\0002\000s\000r\000"), SPAWNPROTO_ESLOT },
    { "negative slot", S("-1\0002\000s\000r\000"), SPAWNPROTO_ESLOT },
    { "slot with a space", S(" 1\0002\000s\000r\000"), SPAWNPROTO_ESLOT },
    { "slot over the maximum", S("1000\0002\000s\000r\000"), SPAWNPROTO_ESLOTMAX },
    { "slot far over the maximum", S("99999999999\0002\000s\000r\000"), SPAWNPROTO_ESLOTMAX },
    { "slot of 21 zeros", S("000000000000000000000\0002\000s\000r\000"), SPAWNPROTO_ESLOT },
    { "id with a letter", S("1\0002x\000s\000r\000"), SPAWNPROTO_EID },
    { "empty id", S("1\000\000s\000r\000"), SPAWNPROTO_EID },
    { "id over ULONG_MAX", S("1\00018446744073709551616\000s\000r\000"), SPAWNPROTO_EID },
    { "id of 21 digits", S("1\000000000000000000000001\000s\000r\000"), SPAWNPROTO_EID },
    { "empty recipient", S("1\0002\000s\000\000"), SPAWNPROTO_ERCPT },
    { "recipient missing (next request starts)", S("1\0002\000s\000\0003\000"), SPAWNPROTO_ERCPT },
  } ;
  for (size_t i = 0 ; i < sizeof cases / sizeof *cases ; i++)
    for (size_t step = 0 ; step <= 1 ; step++)
    {
      char name[120] ;
      snprintf(name, sizeof name, "request refused: %s (%s)", cases[i].what, step ? "byte by byte" : "one read") ;
      is_int(req1(cases[i].s, cases[i].len, step, &rd), cases[i].want, name) ;
    }
  is_int(req1(S("999\0002\000s\000r\000"), 0, &rd), SPAWNPROTO_DONE, "slot equal to the maximum accepted") ;
  is_int(req1(S("18446744073709551615\0002\000s\000r\000"), 0, &rd), SPAWNPROTO_ESLOTMAX, "slot of 20 digits refused as over the maximum, not wrapped") ;

  {
    size_t n = 0, used ;
    memcpy(longaddr, "1\0002\000", 4) ; n = 4 ;
    memset(longaddr + n, 'a', SPAWNPROTO_ADDR_MAX + 1) ; n += SPAWNPROTO_ADDR_MAX + 1 ;
    is_int(req1(longaddr, n, 0, &rd), SPAWNPROTO_EADDR, "1001-byte sender refused") ;
    spawnproto_reqinit(&rd, SLOTMAX) ;
    spawnproto_reqfeed(&rd, longaddr, n, &used) ;
    is_int(used, n, "the refused byte is the 1001st of the sender") ;
    longaddr[4] = 0 ; longaddr[n++] = 'a' ;   /* empty sender, 1001-byte recipient */
    is_int(req1(longaddr, n, 0, &rd), SPAWNPROTO_EADDR, "1001-byte recipient refused") ;
  }

  /* an error stays, whatever comes next */
  {
    size_t used ;
    is_int(req1(S("x"), 0, &rd), SPAWNPROTO_ESLOT, "bad first byte refused") ;
    is_int(spawnproto_reqfeed(&rd, S("1\0002\000s\000r\000"), &used), SPAWNPROTO_ESLOT, "a refused stream stays refused") ;
    is_int(used, 0, "a refused stream consumes nothing more") ;
    is_int(spawnproto_reqend(&rd), SPAWNPROTO_ESLOT, "end of a refused stream reports its error") ;
  }

  /* end of input inside a request, at every field */
  {
    static char const whole[] = "12\00034\000s@x\000r@y\000" ;
    unsigned int bad = 0 ;
    for (size_t cut = 1 ; cut < sizeof whole - 1 ; cut++)
      if (req1(whole, cut, 0, &rd) != SPAWNPROTO_MORE || spawnproto_reqend(&rd) != SPAWNPROTO_ETRUNC) bad++ ;
    is_int(bad, 0, "input ending anywhere inside a request is ETRUNC") ;
    spawnproto_reqinit(&rd, SLOTMAX) ;
    is_int(spawnproto_reqend(&rd), SPAWNPROTO_DONE, "empty input ends cleanly") ;
  }
}

static void result_round_trips(void)
{
  static char const texts[3][60] = { "did 0+0+1/", "Sorry, no mailbox here by that name. (#5.1.1)", "line one\nline two\n" } ;
  static char const status[3] = { 'K', 'D', 'Z' } ;
  stralloc sa = STRALLOC_ZERO ;
  for (unsigned int i = 0 ; i < 3 ; i++)
  {
    char name[80] ;
    sa.len = 0 ;
    snprintf(name, sizeof name, "result %c encodes", status[i]) ;
    ok(spawnproto_putres(&sa, 5 + i, status[i], texts[i], strlen(texts[i])), name) ;
    for (size_t step = 0 ; step <= 1 ; step++)
    {
      snprintf(name, sizeof name, "result %c decodes (%s)", status[i], step ? "byte by byte" : "one read") ;
      is_int(res1(sa.s, sa.len, step, &sd), SPAWNPROTO_DONE, name) ;
      is_int(sd.res.slot, 5 + i, "result slot") ;
      is_int(sd.res.status, status[i], "result status") ;
      is_mem(sd.res.text, sd.res.len, texts[i], strlen(texts[i]), "result text, LF and all") ;
    }
  }
  sa.len = 0 ;
  ok(spawnproto_putres(&sa, 12, 'K', "", 0), "empty text encodes") ;
  is_lit(sa.s, sa.len, "12\000K\000", "result bytes are SLOT NUL STATUS TEXT NUL") ;
  is_int(res1(sa.s, sa.len, 0, &sd), SPAWNPROTO_DONE, "empty text decodes") ;
  is_int(sd.res.len, 0, "empty text stays empty") ;

  sa.len = 0 ;
  ok(spawnproto_putres(&sa, 1, 'Z', S("before\0after")), "text holding a NUL encodes") ;
  is_lit(sa.s, sa.len, "1\000Zbefore\000", "text is cut at its first NUL") ;

  {
    static char big[SPAWNPROTO_TEXT_MAX + 1000] ;
    memset(big, 'x', sizeof big) ;
    sa.len = 0 ;
    ok(spawnproto_putres(&sa, 1, 'D', big, sizeof big), "5000-byte text encodes") ;
    is_int(sa.len, 2 + 1 + SPAWNPROTO_TEXT_MAX + 1, "text is cut to 4000 bytes") ;
    is_int(res1(sa.s, sa.len, 0, &sd), SPAWNPROTO_DONE, "cut text decodes") ;
    is_int(sd.res.len, SPAWNPROTO_TEXT_MAX, "4000 bytes arrive") ;
    sa.s[sa.len - 1] = 'x' ;
    stralloc_0(&sa) ;
    is_int(res1(sa.s, sa.len, 0, &sd), SPAWNPROTO_ETEXT, "4001-byte text refused by the decoder") ;
  }

  sa.len = 0 ;
  errno = 0 ;
  ok(!spawnproto_putres(&sa, 1, 'X', S("t")), "unknown status refused by the encoder") ;
  is_int(errno, EINVAL, "refusal is EINVAL") ;
  is_int(sa.len, 0, "refused result appends nothing") ;
  stralloc_free(&sa) ;
}

static void result_malformed(void)
{
  static struct badcase const cases[] = {
    { "unknown status", S("1\000Xtext\000"), SPAWNPROTO_ESTATUS },
    { "lowercase status", S("1\000ktext\000"), SPAWNPROTO_ESTATUS },
    { "status missing", S("1\000\000"), SPAWNPROTO_ESTATUS },
    { "slot missing", S("\000Ktext\000"), SPAWNPROTO_ESLOT },
    { "slot with a letter", S("x\000Ktext\000"), SPAWNPROTO_ESLOT },
    { "slot over the maximum", S("1000\000Ktext\000"), SPAWNPROTO_ESLOTMAX },
  } ;
  for (size_t i = 0 ; i < sizeof cases / sizeof *cases ; i++)
    for (size_t step = 0 ; step <= 1 ; step++)
    {
      char name[120] ;
      snprintf(name, sizeof name, "result refused: %s (%s)", cases[i].what, step ? "byte by byte" : "one read") ;
      is_int(res1(cases[i].s, cases[i].len, step, &sd), cases[i].want, name) ;
    }
  is_int(res1(S("1\000Kpartial"), 0, &sd), SPAWNPROTO_MORE, "unterminated result waits for more") ;
  is_int(spawnproto_resend(&sd), SPAWNPROTO_ETRUNC, "input ending inside a result is ETRUNC") ;

  {
    stralloc sa = STRALLOC_ZERO ;
    unsigned int bad = 0 ;
    if (!spawnproto_putres(&sa, 2, 'K', S("ok")) || !spawnproto_putres(&sa, 3, 'D', S("no")))
    { printf("Bail out! encode\n") ; return ; }
    for (size_t cut = 0 ; cut <= sa.len ; cut++)
    {
      unsigned int got = 0 ;
      size_t off = 0, used ;
      spawnproto_resinit(&sd, SLOTMAX) ;
      while (off < sa.len)
      {
        size_t end = off < cut ? cut : sa.len ;
        enum spawnproto_status st = spawnproto_resfeed(&sd, sa.s + off, end - off, &used) ;
        off += used ;
        if (st == SPAWNPROTO_DONE)
        {
          if (got == 0 && !(sd.res.slot == 2 && sd.res.status == 'K' && !strcmp(sd.res.text, "ok"))) bad++ ;
          if (got == 1 && !(sd.res.slot == 3 && sd.res.status == 'D' && !strcmp(sd.res.text, "no"))) bad++ ;
          got++ ;
        }
        else if (st != SPAWNPROTO_MORE) { bad++ ; break ; }
      }
      if (got != 2) bad++ ;
    }
    is_int(bad, 0, "two results split at every point decode to the same two results") ;
    stralloc_free(&sa) ;
  }
}

static void error_texts(void)
{
  for (int st = SPAWNPROTO_ESLOT ; st <= SPAWNPROTO_ETRUNC ; st++)
  {
    char const *s = spawnproto_errstr((enum spawnproto_status)st) ;
    if (!s || !*s || !strcmp(s, "unknown error")) { ok(0, "every error has its own text") ; return ; }
  }
  ok(1, "every error has its own text") ;
  is_str(spawnproto_errstr(SPAWNPROTO_ESLOTMAX), "slot number over the maximum", "ESLOTMAX text") ;
}

int main(void)
{
  request_round_trips() ;
  request_stream_every_split() ;
  request_malformed() ;
  result_round_trips() ;
  result_malformed() ;
  error_texts() ;
  return tap_done() ;
}
