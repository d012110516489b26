/* smtpreply-parsing: SMTP replies are read line by line: single and
 * multi-line replies complete at the line without '-', codes must be
 * three digits 2xx-5xx and the same on every line, the line count is
 * bounded, the kept text is bounded and holds no NUL; EHLO keywords
 * (PIPELINING, SIZE with and without a limit, 8BITMIME, STARTTLS) are
 * found without regard to case and never on the first line. */
#include <string.h>
#include "smtpreply.h"
#include "tap.h"

#define L(r, s) smtpreply_line(r, s, sizeof s - 1)

int main(void)
{
  struct smtpreply r = SMTPREPLY_ZERO ;
  struct smtpext e ;
  unsigned int i ;

  smtpreply_start(&r) ;
  is_int(L(&r, "220 mx.example ESMTP"), SMTPREPLY_DONE, "one-line reply complete") ;
  is_int(r.code, 220, "its code") ;
  is_mem(r.text.s, r.text.len, "220 mx.example ESMTP\n", 21, "its text with a newline") ;

  smtpreply_start(&r) ;
  is_int(L(&r, "250-mx.example"), SMTPREPLY_MORE, "continuation line") ;
  is_int(L(&r, "250-PIPELINING"), SMTPREPLY_MORE, "another") ;
  is_int(L(&r, "250 SIZE 1000"), SMTPREPLY_DONE, "last line completes") ;
  is_int(r.lines, 3, "three lines") ;
  is_mem(r.text.s, r.text.len, "250-mx.example\n250-PIPELINING\n250 SIZE 1000\n", 44, "text of all lines") ;

  smtpreply_start(&r) ;
  is_int(L(&r, "250"), SMTPREPLY_DONE, "bare code is a complete reply") ;
  smtpreply_start(&r) ;
  is_int(L(&r, "25"), SMTPREPLY_BAD, "two digits refused") ;
  smtpreply_start(&r) ;
  is_int(L(&r, "abc hello"), SMTPREPLY_BAD, "no code refused") ;
  smtpreply_start(&r) ;
  is_int(L(&r, "250x"), SMTPREPLY_BAD, "code followed by a letter refused") ;
  smtpreply_start(&r) ;
  is_int(L(&r, "650 what"), SMTPREPLY_BAD, "code 6xx refused") ;
  smtpreply_start(&r) ;
  is_int(L(&r, "150 what"), SMTPREPLY_BAD, "code 1xx refused") ;
  smtpreply_start(&r) ;
  L(&r, "250-a") ;
  is_int(L(&r, "251 b"), SMTPREPLY_BAD, "another code on a continuation refused") ;

  smtpreply_start(&r) ;
  for (i = 0 ; i < SMTPREPLY_LINES ; i++) if (L(&r, "250-x") != SMTPREPLY_MORE) break ;
  is_int(i, SMTPREPLY_LINES, "SMTPREPLY_LINES lines taken") ;
  is_int(L(&r, "250 x"), SMTPREPLY_BAD, "one more refused: the line count is bounded") ;

  smtpreply_start(&r) ;
  {
    static char big[SMTPREPLY_LINEMAX] ;
    memset(big, 'x', sizeof big) ;
    memcpy(big, "250-", 4) ;
    for (i = 0 ; i < 10 ; i++) smtpreply_line(&r, big, sizeof big) ;
    ok(r.text.len <= SMTPREPLY_TEXTMAX, "kept text bounded") ;
  }

  smtpreply_start(&r) ;
  is_int(smtpreply_line(&r, "550 a\0b", 7), SMTPREPLY_DONE, "a NUL in the text") ;
  is_mem(r.text.s, r.text.len, "550 a?b\n", 8, "is kept as '?'") ;

  smtpreply_ehlo(&e, "250-mx.example PIPELINING\n250-pipelining\n250-8bitmime\n250-Size 52428800\n250 STARTTLS\n", 84) ;
  ok(e.pipelining && e.eightbitmime && e.starttls, "PIPELINING, 8BITMIME, STARTTLS found, any case") ;
  ok(e.size && e.sizemax == 52428800, "SIZE with its limit") ;
  smtpreply_ehlo(&e, "250-mx.example\n250 SIZE\n", 24) ;
  ok(e.size && !e.sizemax && !e.pipelining, "SIZE without a limit; nothing else") ;
  smtpreply_ehlo(&e, "250 mx.example PIPELINING\n", 26) ;
  ok(!e.pipelining, "a keyword on the first line (the greeting) does not count") ;
  smtpreply_ehlo(&e, "250-mx\n250-PIPELININGX\n250 SIZE abc\n", 36) ;
  ok(!e.pipelining && e.size && !e.sizemax, "a longer word is not PIPELINING; a bad SIZE limit is none") ;
  smtpreply_ehlo(&e, "250-mx\n250 AUTH=PLAIN", 21) ;
  ok(!e.pipelining && !e.size, "unknown keywords and a last line without newline are harmless") ;
  stralloc_free(&r.text) ;
  return tap_done() ;
}
