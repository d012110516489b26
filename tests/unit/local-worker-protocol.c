/* local-worker-protocol: the lspawn <-> local worker protocol (localjob.c):
 * jobs and reports survive encoding and decoding whole; every malformed
 * packet (cut, extra bytes, bad lengths, NUL in an argument, oversized
 * fields, bad codes) is refused; the hello is the packet lspawn expects;
 * over a real SOCK_SEQPACKET pair a job carries exactly one descriptor, a
 * packet with two descriptors, or with one where none is wanted, is
 * refused and its descriptors closed, and a packet larger than the
 * reader's buffer is refused rather than cut. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "localjob.h"
#include "tap.h"

#define S(lit) lit, sizeof lit - 1
#define is_lit(got, glen, lit, name) is_mem(got, glen, lit, sizeof lit - 1, name)

static int job(char const *s, size_t len)
{
  stralloc st = STRALLOC_ZERO ;
  char const *a[LOCALJOB_ARGS] ;
  int r = localjob_getjob(s, len, &st, a) ;
  stralloc_free(&st) ;
  return r ;
}

static int report(char const *s, size_t len, int *code, stralloc *t)
{
  return localjob_getreport(s, len, code, t) ;
}

/* Is fd open? */
static int isopen(int fd) { return fcntl(fd, F_GETFD) >= 0 ; }

/* Sends a packet with n descriptors attached (raw sendmsg). */
static int sendfds(int sock, char const *s, size_t len, int const *fds, unsigned int n)
{
  struct iovec v = { .iov_base = (void *)s, .iov_len = len } ;
  union { struct cmsghdr h ; char buf[CMSG_SPACE(8 * sizeof(int))] ; } u ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) } ;
  struct cmsghdr *c = CMSG_FIRSTHDR(&m) ;
  memset(&u, 0, sizeof u) ;
  c->cmsg_level = SOL_SOCKET ; c->cmsg_type = SCM_RIGHTS ; c->cmsg_len = CMSG_LEN(n * sizeof(int)) ;
  memcpy(CMSG_DATA(c), fds, n * sizeof(int)) ;
  return sendmsg(sock, &m, 0) == (ssize_t)len ;
}

int main(void)
{
  stralloc sa = STRALLOC_ZERO, st = STRALLOC_ZERO, t = STRALLOC_ZERO ;
  char const *args[LOCALJOB_ARGS] = { "alice", "/home/alice", "alice-ext", "-", "ext", "example.org", "", "./Maildir/" } ;
  char const *got[LOCALJOB_ARGS] ;
  int code ;

  /* jobs */
  ok(localjob_putjob(&sa, args), "a job encodes") ;
  is_lit(sa.s, sa.len, "5:alice,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,", "as eight netstrings") ;
  ok(localjob_getjob(sa.s, sa.len, &st, got), "and decodes") ;
  {
    int same = 1 ;
    for (unsigned int i = 0 ; i < LOCALJOB_ARGS ; i++) same &= !strcmp(got[i], args[i]) ;
    ok(same, "to the same eight arguments, NUL-terminated (the sender empty)") ;
  }
  for (size_t cut = 0 ; cut < sa.len ; cut++)
    if (job(sa.s, cut)) { ok(0, "a cut job is refused") ; goto cutdone ; }
  ok(1, "every cut of a job is refused") ;
 cutdone:
  ok(!job(S("5:alice,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,x")), "a byte after the job: refused") ;
  ok(!job(S("5:alice,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,0:,")), "a ninth argument: refused") ;
  ok(!job(S("5:alice,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,")), "seven arguments: refused") ;
  ok(!job(S("5:al\0ce,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,")), "a NUL inside an argument: refused") ;
  ok(!job(S("05:alice,11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,")), "a length with a leading zero: refused") ;
  ok(!job(S("5:alice;11:/home/alice,9:alice-ext,1:-,3:ext,11:example.org,0:,10:./Maildir/,")), "a wrong terminator: refused") ;
  ok(!job(S(":alice,")), "no length: refused") ;
  ok(!job(S("99999999999999999999:alice,")), "a huge length: refused") ;
  ok(!job(S("-1:,")), "a negative length: refused") ;
  ok(!job(S("")), "an empty packet: refused") ;
  {
    /* an argument of LOCALJOB_ARG_MAX bytes passes, one byte more does not */
    static char big[LOCALJOB_ARG_MAX + 2] ;
    char const *a2[LOCALJOB_ARGS] ;
    memset(big, 'a', LOCALJOB_ARG_MAX + 1) ;
    memcpy(a2, args, sizeof a2) ;
    a2[6] = big ;
    sa.len = 0 ;
    ok(!localjob_putjob(&sa, a2) && errno == EINVAL && !sa.len, "the encoder refuses an argument over LOCALJOB_ARG_MAX") ;
    big[LOCALJOB_ARG_MAX] = 0 ;
    ok(localjob_putjob(&sa, a2) && localjob_getjob(sa.s, sa.len, &st, got) && strlen(got[6]) == LOCALJOB_ARG_MAX, "an argument of LOCALJOB_ARG_MAX bytes goes through") ;
    sa.len = 0 ;
    stralloc_cats(&sa, "4097:") ; stralloc_catb(&sa, big, LOCALJOB_ARG_MAX) ; stralloc_cats(&sa, "a,") ;
    for (unsigned int i = 1 ; i < LOCALJOB_ARGS ; i++) stralloc_cats(&sa, "0:,") ;
    ok(!job(sa.s, sa.len), "the decoder refuses an argument over LOCALJOB_ARG_MAX") ;
  }

  /* reports */
  sa.len = 0 ;
  ok(localjob_putreport(&sa, 111, S("Unable to deliver.\n")), "a report encodes") ;
  is_lit(sa.s, sa.len, "3:111,19:Unable to deliver.\n,", "as code and text") ;
  ok(report(sa.s, sa.len, &code, &t) && code == 111, "and decodes: code") ;
  is_lit(t.s, t.len, "Unable to deliver.\n", "and text") ;
  sa.len = 0 ;
  ok(localjob_putreport(&sa, 0, S("")) && report(sa.s, sa.len, &code, &t) && !code && !t.len, "code 0 with an empty text") ;
  ok(!localjob_putreport(&sa, 256, S("x")) && !localjob_putreport(&sa, -1, S("x")), "the encoder refuses codes outside 0..255") ;
  ok(!report(S("3:256,0:,"), &code, &t), "code 256: refused") ;
  ok(!report(S("4:1000,0:,"), &code, &t), "a four-digit code: refused") ;
  ok(!report(S("2:01,0:,"), &code, &t), "a code with a leading zero: refused") ;
  ok(!report(S("1:x,0:,"), &code, &t), "a code that is no number: refused") ;
  ok(!report(S("0:,0:,"), &code, &t), "an empty code: refused") ;
  ok(!report(S("1:0,0:,x"), &code, &t), "a byte after the report: refused") ;
  ok(!report(S("1:0,"), &code, &t), "no text: refused") ;
  ok(!report(S("1:0,5:abc,"), &code, &t), "a text shorter than its length: refused") ;
  ok(report(S("1:0,3:a\0b,"), &code, &t) && t.len == 3, "the text may hold any byte (it is cleaned by send's side)") ;
  {
    static char big[LOCALJOB_TEXT_MAX + 100] ;
    memset(big, 'x', sizeof big) ;
    sa.len = 0 ;
    ok(localjob_putreport(&sa, 0, big, sizeof big) && report(sa.s, sa.len, &code, &t) && t.len == LOCALJOB_TEXT_MAX, "a long text is cut at LOCALJOB_TEXT_MAX by the encoder") ;
    sa.len = 0 ;
    stralloc_cats(&sa, "1:0,4001:") ; stralloc_catb(&sa, big, LOCALJOB_TEXT_MAX + 1) ; stralloc_cats(&sa, ",") ;
    ok(!report(sa.s, sa.len, &code, &t), "and refused over it by the decoder") ;
  }

  /* hello */
  sa.len = 0 ;
  {
    size_t hlen ;
    char const *h = localjob_hello(&hlen) ;
    ok(localjob_puthello(&sa), "the hello encodes") ;
    is_mem(sa.s, sa.len, h, hlen, "  as the packet lspawn looks for, in bin/local and on the socket") ;
    is_lit(h, hlen, "20:cairn-local-worker 1,", "  a netstring of the protocol's name and version") ;
  }

  /* transfer */
  {
    int sv[2], fd, fds[2], got1 ;
    char buf[64] ;
    ssize_t r ;
    ok(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "a SOCK_SEQPACKET pair") ;
    fd = open("/dev/null", O_RDONLY) ;
    ok(localjob_send(sv[0], S("hello"), fd, 0), "a packet with a descriptor is sent") ;
    r = localjob_recv(sv[1], buf, sizeof buf, &got1, 0) ;
    ok(r == 5 && !memcmp(buf, "hello", 5) && got1 >= 0 && got1 != fd && isopen(got1), "and received with a new descriptor") ;
    ok(fcntl(got1, F_GETFD) & FD_CLOEXEC, "close-on-exec") ;
    close(got1) ;
    ok(localjob_send(sv[0], S("plain"), -1, 0), "a packet without one") ;
    r = localjob_recv(sv[1], buf, sizeof buf, &got1, 0) ;
    ok(r == 5 && got1 == -1, "is received with *fd -1") ;
    fds[0] = fd ; fds[1] = fd ;
    ok(sendfds(sv[0], S("two"), fds, 2), "a packet with two descriptors") ;
    {
      int before = dup(0), after ;   /* the lowest free number, to see leaks */
      close(before) ;
      r = localjob_recv(sv[1], buf, sizeof buf, &got1, 0) ;
      ok(r < 0 && errno == EPROTO && got1 == -1, "is refused (EPROTO)") ;
      after = dup(0) ; close(after) ;
      is_int(after, before, "and its descriptors are closed") ;
    }
    ok(localjob_send(sv[0], S("fd"), fd, 0), "a packet with a descriptor to a reader that wants none") ;
    r = localjob_recv(sv[1], buf, sizeof buf, 0, 0) ;
    ok(r < 0 && errno == EPROTO, "is refused (EPROTO)") ;
    {
      static char large[100] ;
      ok(localjob_send(sv[0], large, sizeof large, -1, 0), "a packet larger than the reader's buffer") ;
      r = localjob_recv(sv[1], buf, sizeof buf, &got1, 0) ;
      ok(r < 0 && errno == EPROTO, "is refused, not cut") ;
    }
    r = localjob_recv(sv[1], buf, sizeof buf, &got1, 1) ;
    ok(r < 0 && errno == EAGAIN, "nothing waiting: EAGAIN without blocking") ;
    close(sv[0]) ;
    r = localjob_recv(sv[1], buf, sizeof buf, &got1, 0) ;
    ok(r == 0, "the other end closed: 0") ;
    ok(!localjob_send(sv[1], S("x"), -1, 1) && errno == EPIPE, "sending to a closed end: EPIPE, no SIGPIPE") ;
    close(sv[1]) ; close(fd) ;
  }
  {
    /* a job of another length: remote -W's three arguments */
    char const *r3[3] = { "remote.test", "", "bob@remote.test" } ;
    char const *got3[LOCALJOB_ARGS] ;
    sa.len = 0 ;
    ok(localjob_putargs(&sa, r3, 3), "three arguments encode") ;
    is_lit(sa.s, sa.len, "11:remote.test,0:,15:bob@remote.test,", "  as three netstrings") ;
    ok(localjob_getargs(sa.s, sa.len, 3, &st, got3) && !strcmp(got3[0], "remote.test") && !got3[1][0] && !strcmp(got3[2], "bob@remote.test"),
      "  and decode, the empty sender kept") ;
    ok(!localjob_getargs(sa.s, sa.len, 2, &st, got3) && errno == EPROTO, "  read as two: the third is extra bytes") ;
    ok(!localjob_getargs(sa.s, sa.len, 4, &st, got3) && errno == EPROTO, "  read as four: one is missing") ;
    ok(!localjob_getargs(sa.s, sa.len, LOCALJOB_ARGS + 1, &st, got3) && errno == EINVAL, "more than LOCALJOB_ARGS: EINVAL") ;
  }
  stralloc_free(&sa) ; stralloc_free(&st) ; stralloc_free(&t) ;
  return tap_done() ;
}
