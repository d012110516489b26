/* tests/fuzz/smtpreply.c: libFuzzer target for what remote reads from a
 * server and from its control files, and for what it sends. The first
 * byte picks the parser; the rest is its input:
 *  0: SMTP reply lines (src/smtpreply.h), split at LF: a complete reply
 *     has a code 200-599, at most SMTPREPLY_LINES lines, a kept text of at
 *     most SMTPREPLY_TEXTMAX bytes without NUL; EHLO keywords read from
 *     that text: a SIZE limit only with SIZE;
 *  1: an smtproutes line (src/smtproutes.h): an accepted line has a port
 *     1-65535, a domain inside the line, and either MX, a literal, or a
 *     relay name of host characters only, at most SMTPROUTES_HOSTMAX;
 *  2: a message through dotstuff (src/dotstuff.h), fed in pieces whose
 *     sizes come from the input: the output stays within DOTSTUFF_OUT,
 *     holds no bare CR or LF, ends with its only CR LF "." CR LF (or is
 *     "." CR LF alone), and unstuffed it is the input with every line end
 *     made CR LF and the last line ended.
 * Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c replays
 * the corpus through the same checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "dotstuff.h"
#include "smtpreply.h"
#include "smtproutes.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

static void replies(char const *s, size_t len)
{
  static struct smtpreply r = SMTPREPLY_ZERO ;
  struct smtpext e ;
  size_t pos = 0 ;
  smtpreply_start(&r) ;
  while (pos < len)
  {
    char const *nl = memchr(s + pos, '\n', len - pos) ;
    size_t end = nl ? (size_t)(nl - s) : len ;
    enum smtpreply_status st = smtpreply_line(&r, s + pos, end - pos) ;
    CHECK(r.text.len <= SMTPREPLY_TEXTMAX && r.lines <= SMTPREPLY_LINES) ;
    CHECK(!r.text.len || !memchr(r.text.s, 0, r.text.len)) ;
    if (st == SMTPREPLY_DONE)
    {
      CHECK(r.code >= 200 && r.code <= 599) ;
      smtpreply_ehlo(&e, r.text.s, r.text.len) ;
      CHECK(e.size || !e.sizemax) ;
      smtpreply_start(&r) ;
    }
    else if (st == SMTPREPLY_BAD) smtpreply_start(&r) ;
    else CHECK(st == SMTPREPLY_MORE) ;
    pos = end + 1 ;
  }
}

static void route(char const *s, size_t len)
{
  struct smtproute r ;
  char const *d, *why ;
  size_t dl ;
  if (!smtproutes_parse(s, len, &r, &d, &dl, &why)) { CHECK(why && *why) ; return ; }
  CHECK(r.port >= 1) ;
  CHECK(d == s && dl < len && s[dl] == ':') ;
  CHECK(r.mx + r.literal + !!r.relay[0] == 1) ;
  if (r.relay[0])
  {
    size_t n = strlen(r.relay) ;
    CHECK(n <= SMTPROUTES_HOSTMAX) ;
    for (size_t i = 0 ; i < n ; i++)
    {
      char c = r.relay[i] ;
      CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') ;
    }
  }
}

static void stuff(uint8_t const *data, size_t size)
{
  static stralloc out = STRALLOC_ZERO, want = STRALLOC_ZERO, un = STRALLOC_ZERO ;
  struct dotstuff d ;
  char const *in ;
  size_t len, pos = 0, step ;
  if (!size) return ;
  step = data[0] % 16 + 1 ;
  in = (char const *)data + 1 ;
  len = size - 1 ;
  out.len = 0 ;
  if (!stralloc_ready(&out, DOTSTUFF_OUT(len) + DOTSTUFF_ENDMAX)) abort() ;
  dotstuff_init(&d) ;
  while (pos < len)
  {
    size_t n = len - pos < step ? len - pos : step ;
    size_t w = dotstuff_run(&d, in + pos, n, out.s + out.len) ;
    CHECK(w <= DOTSTUFF_OUT(n)) ;
    out.len += w ;
    pos += n ;
  }
  out.len += dotstuff_end(&d, out.s + out.len) ;
  /* no bare CR or LF */
  for (size_t i = 0 ; i < out.len ; i++)
  {
    if (out.s[i] == '\r') CHECK(i + 1 < out.len && out.s[i + 1] == '\n') ;
    if (out.s[i] == '\n') CHECK(i && out.s[i - 1] == '\r') ;
  }
  /* the end, and only there */
  CHECK(out.len >= 3 && !memcmp(out.s + out.len - 3, ".\r\n", 3)) ;
  CHECK(out.len == 3 || (out.len >= 5 && !memcmp(out.s + out.len - 5, "\r\n.\r\n", 5))) ;
  for (size_t i = 0 ; i + 5 < out.len ; i++) CHECK(memcmp(out.s + i, "\r\n.\r\n", 5)) ;
  CHECK(out.len == 3 || memcmp(out.s, ".\r\n", 3)) ;
  /* unstuffed, it is the input with CR LF line ends */
  want.len = 0 ;
  for (size_t i = 0 ; i < len ; i++)
  {
    if (in[i] == '\r') { if (i + 1 < len && in[i + 1] == '\n') i++ ; if (!stralloc_catb(&want, "\r\n", 2)) abort() ; }
    else if (in[i] == '\n') { if (!stralloc_catb(&want, "\r\n", 2)) abort() ; }
    else if (!stralloc_catb(&want, in + i, 1)) abort() ;
  }
  if (want.len && (want.len < 2 || memcmp(want.s + want.len - 2, "\r\n", 2)) && !stralloc_catb(&want, "\r\n", 2)) abort() ;
  un.len = 0 ;
  for (size_t i = 0, bol = 1 ; i < out.len - 3 ; i++)
  {
    if (bol && out.s[i] == '.') { CHECK(out.s[i + 1] == '.') ; i++ ; }
    if (!stralloc_catb(&un, out.s + i, 1)) abort() ;
    bol = out.s[i] == '\n' ;
  }
  CHECK(un.len == want.len && !memcmp(un.s, want.s, un.len)) ;
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  if (!size) return 0 ;
  switch (data[0] % 3)
  {
    case 0: replies((char const *)data + 1, size - 1) ; break ;
    case 1: route((char const *)data + 1, size - 1) ; break ;
    default: stuff(data + 1, size - 1) ; break ;
  }
  return 0 ;
}
