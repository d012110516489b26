/* Unit tests of qlist: qread's lines for entries built by hand. */
#include <stdlib.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include "tap.h"
#include "qlist.h"

#define LIT(s) s, sizeof s - 1
#define is_lit(got, n, lit, name) is_mem(got, n, lit, sizeof lit - 1, name)

/* The bytes qlist_put writes for e. */
static size_t render(struct qscan_entry const *e, char *out, size_t max)
{
  char buf[1024] ;
  FILE *f = tmpfile() ;
  int fd = f ? fileno(f) : -1 ;
  buffer b = BUFFER_INIT(&buffer_write, fd, buf, sizeof buf) ;
  ssize_t n ;
  if (fd < 0 || !qlist_put(&b, e) || !buffer_flush(&b) || lseek(fd, 0, SEEK_SET) < 0) { printf("Bail out! render\n") ; exit(1) ; }
  n = read(fd, out, max) ;
  fclose(f) ;
  return n < 0 ? 0 : (size_t)n ;
}

int main(void)
{
  struct qscan_entry e = QSCAN_ENTRY_ZERO ;
  char out[4096] ;
  size_t n ;

  e.id = 12345 ; e.size = 777 ; e.qtime = 1709622489 ;  /* 5 Mar 2024 07:08:09 */
  e.preprocessed = 1 ;
  qscan_parse_info(&e, LIT("Falice@example.com\0")) ;
  qscan_parse_channel(&e, QSCAN_LOCAL, LIT("Tjoe@example.com\0")) ;
  qscan_parse_channel(&e, QSCAN_REMOTE, LIT("Dbob@example.net\0Tcarol@example.org\0")) ;
  n = render(&e, out, sizeof out) ;
  is_lit(out, n, ("5 Mar 2024 07:08:09 GMT  #12345  777  <alice@example.com> \n"
    "\tlocal\tjoe@example.com\n"
    "  done\tremote\tbob@example.net\n"
    "\tremote\tcarol@example.org\n"), "qmail-qread's lines: date without leading zero, GMT, two spaces, done") ;

  e.bouncing = 1 ;
  n = render(&e, out, sizeof out) ;
  ok(n > 68 && !memcmp(out, "5 Mar 2024 07:08:09 GMT  #12345  777  <alice@example.com>  bouncing\n", 68), "bouncing: two spaces after > as qmail-qread") ;

  e.text.len = 0 ; e.rcpts.len = 0 ; e.bouncing = 0 ; e.preprocessed = 0 ;
  e.qtime = 1767225599 ;  /* 31 Dec 2025 23:59:59 */
  qscan_parse_todo(&e, LIT("u0\0p1\0F\0Tpostmaster@localhost\0\0")) ;
  n = render(&e, out, sizeof out) ;
  is_lit(out, n, ("31 Dec 2025 23:59:59 GMT  #12345  777  <>  not yet preprocessed\n"
    "\ttodo\tpostmaster@localhost\n"), "not yet preprocessed: marked, empty sender as <>, channel todo") ;

  e.text.len = 0 ; e.rcpts.len = 0 ; e.preprocessed = 1 ;
  qscan_parse_info(&e, LIT("Fev\nil\x1b[2J\0")) ;
  qscan_parse_channel(&e, QSCAN_REMOTE, LIT("Tx\ty\r\x7f\xff@z\0")) ;
  n = render(&e, out, sizeof out) ;
  is_lit(out, n, ("31 Dec 2025 23:59:59 GMT  #12345  777  <ev_il_[2J> \n"
    "\tremote\tx_y___@z\n"), "control and high bytes in sender and address are shown as _") ;
  qscan_entry_free(&e) ;
  return tap_done() ;
}
