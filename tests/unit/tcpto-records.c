/* tcpto-records: the memory of connection timeouts: one timeout skips
 * nothing, a second at least 2 minutes later skips the address for 10
 * minutes, later ones longer up to an hour; a working connection forgets
 * it; IPv4 and IPv6 addresses are apart; a full file gives way; a missing,
 * short or foreign (qmail) file is harmless. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tcpto.h"
#include "tap.h"

static char fn[] = "/tmp/tcpto-test.XXXXXX" ;

static struct dns_ip ip4(unsigned char last)
{
  struct dns_ip x ;
  memset(&x, 0, sizeof x) ;
  x.ip[0] = 192 ; x.ip[1] = 0 ; x.ip[2] = 2 ; x.ip[3] = last ;
  return x ;
}

int main(void)
{
  struct dns_ip a = ip4(1), b = ip4(2), six ;
  uint64_t t = 1800000000 ;
  int fd = mkstemp(fn) ;
  if (fd < 0) { printf("Bail out! mkstemp\n") ; return 1 ; }
  close(fd) ;
  memset(&six, 0, sizeof six) ;
  six.is6 = 1 ; six.ip[0] = 192 ; six.ip[1] = 0 ; six.ip[2] = 2 ; six.ip[3] = 1 ;

  ok(!tcpto_skip(fn, &a, t), "empty file: nothing skipped") ;
  tcpto_note(fn, &a, 1, t) ;
  ok(!tcpto_skip(fn, &a, t + 1), "one timeout: not skipped yet") ;
  tcpto_note(fn, &a, 1, t + 60) ;
  tcpto_note(fn, &a, 1, t + 121) ;
  ok(tcpto_skip(fn, &a, t + 122), "second timeout 2 minutes later: skipped") ;
  ok(!tcpto_skip(fn, &b, t + 122), "another address is not") ;
  ok(!tcpto_skip(fn, &six, t + 122), "an IPv6 address with the same first bytes is not") ;
  ok(tcpto_skip(fn, &a, t + 121 + 599), "still skipped after 599 s") ;
  ok(!tcpto_skip(fn, &a, t + 121 + 600), "tried again after 10 minutes") ;
  tcpto_note(fn, &a, 1, t + 800) ;
  ok(tcpto_skip(fn, &a, t + 800 + 1199), "third timeout: 20 minutes") ;
  ok(!tcpto_skip(fn, &a, t + 800 + 1200), "and no more") ;
  for (int i = 0 ; i < 8 ; i++) tcpto_note(fn, &a, 1, t + 10000 + 200 * (uint64_t)i) ;
  ok(tcpto_skip(fn, &a, t + 11400 + 3599), "many timeouts: an hour") ;
  ok(!tcpto_skip(fn, &a, t + 11400 + 3600), "never more than an hour") ;
  tcpto_note(fn, &a, 0, t + 20000) ;
  ok(!tcpto_skip(fn, &a, t + 20001), "a working connection forgets it") ;
  tcpto_note(fn, &a, 1, t + 20002) ;
  ok(!tcpto_skip(fn, &a, t + 20003), "and counting starts again") ;

  for (unsigned int i = 0 ; i < TCPTO_RECORDS + 5 ; i++)
  {
    struct dns_ip x = ip4((unsigned char)(10 + i)) ;
    tcpto_note(fn, &x, 1, t + 30000) ;
    tcpto_note(fn, &x, 1, t + 30200) ;
  }
  {
    FILE *f = fopen(fn, "r") ;
    long len ;
    fseek(f, 0, SEEK_END) ;
    len = ftell(f) ;
    fclose(f) ;
    is_int(len, TCPTO_RECORDS * TCPTO_RECLEN, "the file never grows past its records") ;
  }
  {
    struct dns_ip x = ip4(10 + TCPTO_RECORDS + 4) ;
    ok(tcpto_skip(fn, &x, t + 30201), "the newest address is remembered in a full file") ;
  }

  /* qmail's 16-byte records, and garbage: nothing is skipped */
  {
    unsigned char q[1024] ;
    memset(q, 0, sizeof q) ;
    for (int i = 0 ; i < 64 ; i++) { q[i * 16] = 192 ; q[i * 16 + 2] = 2 ; q[i * 16 + 3] = 1 ; q[i * 16 + 4] = 10 ; q[i * 16 + 8] = 0xff ; }
    fd = open(fn, O_WRONLY | O_TRUNC) ;
    if (write(fd, q, sizeof q) != sizeof q) return 1 ;
    close(fd) ;
    ok(!tcpto_skip(fn, &a, t), "a qmail tcpto file: nothing skipped") ;
    tcpto_note(fn, &a, 1, t) ;
    tcpto_note(fn, &a, 1, t + 200) ;
    ok(tcpto_skip(fn, &a, t + 201), "and it is taken over record by record") ;
  }
  fd = open(fn, O_WRONLY | O_TRUNC) ;
  if (write(fd, "short", 5) != 5) return 1 ;
  close(fd) ;
  ok(!tcpto_skip(fn, &a, t), "a short file: nothing skipped") ;
  unlink(fn) ;
  ok(!tcpto_skip(fn, &a, t), "no file: nothing skipped") ;
  tcpto_note(fn, &a, 1, t) ;
  ok(access(fn, F_OK) < 0, "and none created") ;
  return tap_done() ;
}
