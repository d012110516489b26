/* dotstuff-crlf: a message becomes SMTP DATA: LF, CR LF and a lone CR
 * end lines as CR LF, a leading '.' is doubled, a partial last line is
 * ended, the data ends with ".\r\n"; the result is the same whatever the
 * pieces the input comes in; 8-bit bytes are noticed. */
#include <string.h>
#include "dotstuff.h"
#include "tap.h"

static char out[4096] ;

/* converts s in pieces of step bytes (0: whole) */
static size_t conv(char const *s, size_t len, size_t step, struct dotstuff *d)
{
  size_t w = 0 ;
  dotstuff_init(d) ;
  for (size_t i = 0 ; i < len ; )
  {
    size_t n = step && len - i > step ? step : len - i ;
    w += dotstuff_run(d, s + i, n, out + w) ;
    i += n ;
  }
  return w + dotstuff_end(d, out + w) ;
}

#define CASE(in, want, name) do { \
  for (size_t st = 0 ; st < 4 ; st++) { \
    size_t n = conv(in, sizeof in - 1, st, &d) ; \
    if (!is_mem(out, n, want, sizeof want - 1, name)) break ; \
  } } while (0)

int main(void)
{
  struct dotstuff d ;
  CASE("a\nb\n", "a\r\nb\r\n.\r\n", "LF becomes CR LF") ;
  CASE("a\r\nb\r\n", "a\r\nb\r\n.\r\n", "CR LF stays") ;
  CASE("a\rb\n", "a\r\nb\r\n.\r\n", "a lone CR ends a line") ;
  CASE(".a\n..b\nc.d\n.\n", "..a\r\n...b\r\nc.d\r\n..\r\n.\r\n", "leading dots doubled, others not") ;
  CASE("a\r\n.b\n", "a\r\n..b\r\n.\r\n", "a dot after CR LF doubled") ;
  CASE("a\r.b\n", "a\r\n..b\r\n.\r\n", "a dot after a lone CR doubled") ;
  CASE("last", "last\r\n.\r\n", "a partial last line is ended") ;
  CASE("last\r", "last\r\n.\r\n", "a last lone CR ends the line once") ;
  CASE("", ".\r\n", "empty message: the dot alone") ;
  CASE("\n\n", "\r\n\r\n.\r\n", "empty lines") ;
  CASE("a\r\r\nb\n", "a\r\n\r\nb\r\n.\r\n", "CR CR LF: two line ends") ;
  conv("plain\n", 6, 0, &d) ;
  ok(!d.high, "7-bit message: high not set") ;
  conv("caf\xc3\xa9\n", 6, 0, &d) ;
  ok(d.high, "8-bit byte: high set") ;
  {
    static char in[1000] ;
    memset(in, '.', sizeof in) ;
    for (size_t i = 0 ; i < sizeof in ; i += 2) in[i] = '\r' ;
    dotstuff_init(&d) ;
    ok(dotstuff_run(&d, in, sizeof in, out) <= DOTSTUFF_OUT(sizeof in), "worst case within DOTSTUFF_OUT") ;
  }
  return tap_done() ;
}
