/* dns-lookups: remote's DNS lookups (dns.c) against a real DNS server, a
 * dnsmasq of the test's own on 127.0.0.1 and a free port, with test
 * zones under .test: MX preference order and random order among equals,
 * the implicit MX, CNAMEs followed, NXDOMAIN as permanent, a silent server
 * as temporary within the timeout, null MX, an IPv6-only exchanger, TXT
 * (one over 512 bytes), and errors in control/resolvers. dnsmasq
 * (dnsmasq-base) is a test dependency: without it the test fails. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "dns.h"
#include "tap.h"

static pid_t server, failer ;

static void stopserver(void)
{
  if (server > 0) { kill(server, SIGTERM) ; waitpid(server, 0, 0) ; server = 0 ; }
  if (failer > 0) { kill(failer, SIGTERM) ; waitpid(failer, 0, 0) ; failer = 0 ; }
}

static void bail(char const *s)
{
  printf("Bail out! %s\n", s) ;
  stopserver() ;
  exit(1) ;
}

/* A port of 127.0.0.1 free for UDP and TCP at the time of asking. */
static unsigned int freeport(void)
{
  struct sockaddr_in sa ;
  socklen_t len = sizeof sa ;
  int s = socket(AF_INET, SOCK_DGRAM, 0) ;
  if (s < 0) bail("socket") ;
  memset(&sa, 0, sizeof sa) ;
  sa.sin_family = AF_INET ;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK) ;
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || getsockname(s, (struct sockaddr *)&sa, &len) < 0) bail("bind") ;
  close(s) ;
  return ntohs(sa.sin_port) ;
}

/* A UDP socket on 127.0.0.1 that never answers; its port in *port. */
static int silentserver(unsigned int *port)
{
  struct sockaddr_in sa ;
  socklen_t len = sizeof sa ;
  int s = socket(AF_INET, SOCK_DGRAM, 0) ;
  if (s < 0) bail("socket") ;
  memset(&sa, 0, sizeof sa) ;
  sa.sin_family = AF_INET ;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK) ;
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || getsockname(s, (struct sockaddr *)&sa, &len) < 0) bail("bind") ;
  *port = ntohs(sa.sin_port) ;
  return s ;
}

/* A server that answers every query with the response code rcode
 * (2 SERVFAIL, 5 REFUSED): the query sent back with QR set, the code in
 * the low bits of byte 3, no records. Its port in *port. */
static void startfailer(unsigned int rcode, unsigned int *port)
{
  int s = silentserver(port) ;
  if (failer > 0) { kill(failer, SIGTERM) ; waitpid(failer, 0, 0) ; }
  failer = fork() ;
  if (failer < 0) bail("fork") ;
  if (!failer) {
    prctl(PR_SET_PDEATHSIG, SIGTERM) ;
    for (;;) {
      unsigned char buf[512] ;
      struct sockaddr_storage from ;
      socklen_t flen = sizeof from ;
      ssize_t r = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) ;
      if (r < 12) continue ;
      buf[2] |= 0x80 ;
      buf[3] = (buf[3] & 0xf0) | 0x80 | rcode ;
      sendto(s, buf, r, 0, (struct sockaddr *)&from, flen) ;
    }
  }
  close(s) ;
}

static int tcpready(unsigned int port)
{
  struct sockaddr_in sa ;
  int s = socket(AF_INET, SOCK_STREAM, 0), r ;
  if (s < 0) return 0 ;
  memset(&sa, 0, sizeof sa) ;
  sa.sin_family = AF_INET ;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK) ;
  sa.sin_port = htons(port) ;
  r = connect(s, (struct sockaddr *)&sa, sizeof sa) == 0 ;
  close(s) ;
  return r ;
}

static char big[4][251] ;

static void startdnsmasq(unsigned int port, unsigned int slowport)
{
  char portarg[32], bigarg[1100], slowarg[64] ;
  int i ;
  for (i = 0 ; i < 4 ; i++) { memset(big[i], 'a' + i, 250) ; big[i][250] = 0 ; }
  snprintf(portarg, sizeof portarg, "--port=%u", port) ;
  snprintf(slowarg, sizeof slowarg, "--server=/slow.test/127.0.0.1#%u", slowport) ;
  snprintf(bigarg, sizeof bigarg, "--txt-record=big.test,%s,%s,%s,%s", big[0], big[1], big[2], big[3]) ;
  server = fork() ;
  if (server < 0) bail("fork") ;
  if (!server) {
    char const *argv[] = {
      "dnsmasq", "--conf-file=/dev/null", "--keep-in-foreground", portarg,
      "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--pid-file=", "--log-facility=/dev/null", "--local=/test/", "--user=root", "--group=root",
      /* preference order, two equal */
      "--mx-host=pref.test,mx20.pref.test,20",
      "--mx-host=pref.test,mx10a.pref.test,10",
      "--mx-host=pref.test,mx10b.pref.test,10",
      "--host-record=mx10a.pref.test,192.0.2.1",
      "--host-record=mx10b.pref.test,192.0.2.2,2001:db8::2",
      "--host-record=mx20.pref.test,198.51.100.20",
      /* no MX: the domain itself */
      "--host-record=implicit.test,203.0.113.5,2001:db8::5",
      /* an MX naming a CNAME; a domain that is a CNAME to one with MX */
      "--mx-host=cnamemx.test,alias.cnamemx.test,10",
      "--host-record=real.cnamemx.test,192.0.2.30",
      "--cname=alias.cnamemx.test,real.cnamemx.test",
      "--mx-host=target.test,mx.target.test,10",
      "--host-record=mx.target.test,192.0.2.40",
      "--cname=cnamedom.test,target.test",
      /* IPv6 only */
      "--mx-host=v6only.test,mx.v6only.test,10",
      "--host-record=mx.v6only.test,2001:db8::6",
      /* null MX; an exchanger without address beside a good one; none good */
      "--mx-host=nullmx.test,.,0",
      "--mx-host=partial.test,gone.partial.test,5",
      "--mx-host=partial.test,ok.partial.test,50",
      "--host-record=ok.partial.test,203.0.113.50",
      "--mx-host=noaddr.test,gone.noaddr.test,10",
      "--txt-record=txt.test,v=spf1 -all",
      "--txt-record=multi.test,part one,part two",
      "--txt-record=two.test,one",
      "--txt-record=two.test,two",
      bigarg,
      /* exchangers whose lookups time out: names forwarded to a silent server */
      slowarg,
      "--mx-host=tempfail.test,mx.slow.test,10",
      "--mx-host=tempmix.test,mx.slow.test,10",
      "--mx-host=tempmix.test,ok.partial.test,20",
      0 } ;
    prctl(PR_SET_PDEATHSIG, SIGTERM) ;
    execvp("dnsmasq", (char *const *)argv) ;
    execv("/usr/sbin/dnsmasq", (char *const *)argv) ;
    printf("Bail out! cannot run dnsmasq (Debian package dnsmasq-base): %s\n", strerror(errno)) ;
    fflush(stdout) ;
    _exit(1) ;
  }
  for (i = 0 ; i < 100 ; i++) {
    struct timespec ts = { 0, 50000000 } ;
    int st ;
    if (tcpready(port)) return ;
    if (waitpid(server, &st, WNOHANG) == server) { server = 0 ; bail("dnsmasq exited at start") ; }
    nanosleep(&ts, 0) ;
  }
  bail("dnsmasq did not start listening in 5 s") ;
}

static genalloc ips = GENALLOC_ZERO ;
static stralloc names = STRALLOC_ZERO ;
static stralloc why = STRALLOC_ZERO ;

static int mx(char const *domain)
{
  genalloc_setlen(struct dns_ip, &ips, 0) ;
  names.len = 0 ;
  why.len = 0 ;
  return dns_mx(&ips, &names, domain, &why) ;
}

static size_t nips(void) { return genalloc_len(struct dns_ip, &ips) ; }

/* "name pref ip" of address i, for is_str */
static char const *entry(size_t i)
{
  static char s[400] ;
  char ip[64] ;
  struct dns_ip const *d = genalloc_s(struct dns_ip, &ips) + i ;
  if (i >= nips()) return "(none)" ;
  ip[dns_fmtip(ip, d)] = 0 ;
  snprintf(s, sizeof s, "%s %u %s", names.s + d->name, d->pref, ip) ;
  return s ;
}

static char const *whys(void)
{
  static char s[400] ;
  snprintf(s, sizeof s, "%.*s", (int)why.len, why.s ? why.s : "") ;
  return s ;
}

static long long ms(void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 ;
}

static int initat(char const *resolvers, unsigned int timeout)
{
  why.len = 0 ;
  return dns_init(resolvers, strlen(resolvers), timeout, &why) ;
}

int main(void)
{
  unsigned int port = freeport(), silentport, order10a = 0, order10b = 0, i ;
  char conf[200] ;
  stralloc txt = STRALLOC_ZERO ;
  int silent, r, slow ;
  long long t ;

  setvbuf(stdout, 0, _IOLBF, 0) ;
  signal(SIGPIPE, SIG_IGN) ;
  atexit(&stopserver) ;
  slow = silentserver(&silentport) ;
  startdnsmasq(port, silentport) ;

  snprintf(conf, sizeof conf, "# the test's dnsmasq\n\n  127.0.0.1:%u   # comment\n", port) ;
  is_int(initat(conf, 2000), DNS_OK, "init with control/resolvers: comments, blank lines, IP:port") ;

  /* preference order, addresses of one exchanger together, IPv4 first */
  is_int(mx("pref.test"), DNS_OK, "pref.test: OK") ;
  is_int(nips(), 4, "pref.test: 4 addresses") ;
  ok(!strncmp(entry(0), "mx10", 4), "pref.test: a preference-10 exchanger first") ;
  is_str(entry(3), "mx20.pref.test 20 198.51.100.20", "pref.test: preference 20 last") ;
  for (i = 0 ; i < 200 ; i++) {
    if (mx("pref.test") != DNS_OK || nips() != 4) break ;
    if (!strcmp(entry(0), "mx10a.pref.test 10 192.0.2.1")
     && !strcmp(entry(1), "mx10b.pref.test 10 192.0.2.2")
     && !strcmp(entry(2), "mx10b.pref.test 10 2001:db8::2")) order10a++ ;
    else if (!strcmp(entry(0), "mx10b.pref.test 10 192.0.2.2")
     && !strcmp(entry(1), "mx10b.pref.test 10 2001:db8::2")
     && !strcmp(entry(2), "mx10a.pref.test 10 192.0.2.1")) order10b++ ;
  }
  is_int(order10a + order10b, 200, "pref.test: 200 lookups, each in one of the two orders of the equal exchangers") ;
  ok(order10a > 0 && order10b > 0, "pref.test: both orders of the equal preferences appear") ;
  printf("# mx10a first %u times, mx10b first %u times\n", order10a, order10b) ;

  is_int(mx("implicit.test"), DNS_OK, "implicit.test (no MX): OK") ;
  is_int(nips(), 2, "implicit.test: 2 addresses") ;
  is_str(entry(0), "implicit.test 0 203.0.113.5", "implicit MX: the domain, pref 0, IPv4") ;
  is_str(entry(1), "implicit.test 0 2001:db8::5", "implicit MX: the domain, pref 0, IPv6") ;

  is_int(mx("cnamemx.test"), DNS_OK, "MX naming a CNAME: OK") ;
  is_int(nips(), 1, "MX naming a CNAME: 1 address") ;
  is_str(entry(0), "alias.cnamemx.test 10 192.0.2.30", "MX naming a CNAME: the CNAME's target's address") ;
  is_int(mx("cnamedom.test"), DNS_OK, "domain that is a CNAME: OK") ;
  is_str(entry(0), "mx.target.test 10 192.0.2.40", "domain that is a CNAME: the target's MX") ;
  is_int(mx("v6only.test"), DNS_OK, "IPv6-only exchanger: OK") ;
  is_int(nips(), 1, "IPv6-only exchanger: 1 address") ;
  is_str(entry(0), "mx.v6only.test 10 2001:db8::6", "IPv6-only exchanger: its AAAA") ;
  is_int(mx("partial.test"), DNS_OK, "exchanger without address skipped: OK") ;
  is_int(nips(), 1, "exchanger without address skipped: 1 address") ;
  is_str(entry(0), "ok.partial.test 50 203.0.113.50", "exchanger without address skipped: the other one") ;

  is_int(mx("nothere.test"), DNS_HARD, "NXDOMAIN: HARD") ;
  ok(strstr(whys(), "nothere.test") && strstr(whys(), "does not exist"), "NXDOMAIN: why names the domain") ;
  printf("# why: %s\n", whys()) ;
  is_int(mx("nullmx.test"), DNS_HARD, "null MX: HARD") ;
  ok(strstr(whys(), "accepts no mail (null MX)") != 0, "null MX: why says so") ;
  printf("# why: %s\n", whys()) ;
  is_int(mx("bad..name.test"), DNS_HARD, "empty label: HARD") ;
  ok(strstr(whys(), "not a valid domain name") != 0, "empty label: why says so") ;
  is_int(mx("noaddr.test"), DNS_HARD, "only exchanger does not exist: HARD") ;
  is_int(nips(), 0, "only exchanger does not exist: no address") ;

  /* dns_ip */
  genalloc_setlen(struct dns_ip, &ips, 0) ; names.len = 0 ;
  is_int(dns_ip(&ips, &names, "alias.cnamemx.test", 7, &why), DNS_OK, "dns_ip through a CNAME: OK") ;
  is_str(entry(0), "alias.cnamemx.test 7 192.0.2.30", "dns_ip: address and given pref") ;
  is_int(dns_ip(&ips, &names, "mx10b.pref.test", 0, &why), DNS_OK, "dns_ip appends: OK") ;
  is_int(nips(), 3, "dns_ip appends A and AAAA to what is there") ;
  is_str(entry(2), "mx10b.pref.test 0 2001:db8::2", "dns_ip: the AAAA") ;
  is_int(dns_ip(&ips, &names, "nothere.test", 0, &why), DNS_HARD, "dns_ip NXDOMAIN: HARD") ;

  /* dns_txt */
  is_int(dns_txt(&txt, "txt.test", &why), DNS_OK, "TXT: OK") ;
  is_mem(txt.s, txt.len, "v=spf1 -all\0", 12, "TXT: the record with a NUL") ;
  txt.len = 0 ;
  is_int(dns_txt(&txt, "multi.test", &why), DNS_OK, "TXT of two strings: OK") ;
  is_mem(txt.s, txt.len, "part onepart two\0", 17, "TXT of two strings: joined") ;
  txt.len = 0 ;
  is_int(dns_txt(&txt, "big.test", &why), DNS_OK, "TXT over 512 bytes: OK") ;
  {
    char want[1001] ;
    for (i = 0 ; i < 4 ; i++) memcpy(want + 250 * i, big[i], 250) ;
    want[1000] = 0 ;
    is_mem(txt.s, txt.len, want, 1001, "TXT over 512 bytes: all 1000 bytes") ;
  }
  txt.len = 0 ;
  is_int(dns_txt(&txt, "two.test", &why), DNS_OK, "two TXT records: OK") ;
  ok((txt.len == 8 && (!memcmp(txt.s, "one\0two\0", 8) || !memcmp(txt.s, "two\0one\0", 8))),
    "two TXT records: each with its NUL") ;
  txt.len = 0 ;
  is_int(dns_txt(&txt, "pref.test", &why), DNS_HARD, "no TXT record: HARD") ;
  is_int(dns_txt(&txt, "nothere.test", &why), DNS_HARD, "TXT NXDOMAIN: HARD") ;
  is_int(txt.len, 0, "failed TXT lookups append nothing") ;
  dns_done() ;

  /* exchangers whose address lookups time out */
  snprintf(conf, sizeof conf, "127.0.0.1:%u\n", port) ;
  is_int(initat(conf, 700), DNS_OK, "init again with a shorter timeout") ;
  is_int(mx("tempfail.test"), DNS_SOFT, "only exchanger's address lookup times out: SOFT") ;
  ok(strstr(whys(), "mx.slow.test") != 0, "exchanger timing out: why names the exchanger") ;
  printf("# why: %s\n", whys()) ;
  is_int(mx("tempmix.test"), DNS_OK, "one exchanger times out, the other has an address: OK") ;
  is_int(nips(), 1, "one exchanger times out: 1 address") ;
  is_str(entry(0), "ok.partial.test 20 203.0.113.50", "one exchanger times out: the other one") ;
  close(slow) ;
  dns_done() ;

  /* a server that never answers: SOFT, and not much after the timeout */
  silent = silentserver(&silentport) ;
  snprintf(conf, sizeof conf, "127.0.0.1:%u\n", silentport) ;
  is_int(initat(conf, 600), DNS_OK, "init with a silent server") ;
  t = ms() ;
  r = mx("pref.test") ;
  t = ms() - t ;
  is_int(r, DNS_SOFT, "silent server: SOFT") ;
  ok(t < 3000, "silent server: the lookup ends with the timeout (600 ms)") ;
  printf("# %lld ms; why: %s\n", t, whys()) ;
  genalloc_setlen(struct dns_ip, &ips, 0) ;
  is_int(dns_ip(&ips, &names, "x.test", 0, &why), DNS_SOFT, "silent server: dns_ip SOFT") ;
  close(silent) ;
  dns_done() ;

  /* a server that fails every query: SOFT */
  startfailer(2, &silentport) ;
  snprintf(conf, sizeof conf, "127.0.0.1:%u\n", silentport) ;
  is_int(initat(conf, 2000), DNS_OK, "init with a SERVFAIL server") ;
  is_int(mx("pref.test"), DNS_SOFT, "SERVFAIL: SOFT") ;
  ok(strstr(whys(), "pref.test") != 0, "SERVFAIL: why names the domain") ;
  printf("# why: %s\n", whys()) ;
  genalloc_setlen(struct dns_ip, &ips, 0) ;
  is_int(dns_ip(&ips, &names, "x.test", 0, &why), DNS_SOFT, "SERVFAIL: dns_ip SOFT") ;
  is_int(dns_txt(&txt, "x.test", &why), DNS_SOFT, "SERVFAIL: dns_txt SOFT") ;
  dns_done() ;
  startfailer(5, &silentport) ;
  snprintf(conf, sizeof conf, "127.0.0.1:%u\n", silentport) ;
  is_int(initat(conf, 2000), DNS_OK, "init with a REFUSED server") ;
  is_int(mx("pref.test"), DNS_SOFT, "REFUSED: SOFT") ;
  printf("# why: %s\n", whys()) ;
  dns_done() ;

  /* nothing listening on the port: refused, SOFT */
  snprintf(conf, sizeof conf, "127.0.0.1:%u\n", freeport()) ;
  is_int(initat(conf, 600), DNS_OK, "init with a closed port") ;
  is_int(mx("pref.test"), DNS_SOFT, "closed port: SOFT") ;
  printf("# why: %s\n", whys()) ;
  dns_done() ;

  /* IPv6 forms accepted; malformed lines name their number */
  is_int(initat("[::1]:53\n::1\n127.0.0.1\n", 500), DNS_OK, "[IPv6]:port, bare IPv6, bare IPv4 accepted") ;
  dns_done() ;
  is_int(initat("127.0.0.1\n# c\n\n127.0.0.300\n", 500), DNS_SOFT, "bad IPv4 address: SOFT") ;
  ok(strstr(whys(), "control/resolvers:4: ") != 0, "bad IPv4 address: why names line 4") ;
  printf("# why: %s\n", whys()) ;
  is_int(initat("127.0.0.1:99999\n", 500), DNS_SOFT, "bad port: SOFT") ;
  ok(strstr(whys(), "control/resolvers:1: ") != 0, "bad port: why names line 1") ;
  is_int(initat("127.0.0.1:\n", 500), DNS_SOFT, "empty port: SOFT") ;
  is_int(initat("[::1\n", 500), DNS_SOFT, "unclosed [: SOFT") ;
  is_int(initat("\n[::1]x\n", 500), DNS_SOFT, "junk after ]: SOFT") ;
  ok(strstr(whys(), "control/resolvers:2: ") != 0, "junk after ]: why names line 2") ;
  is_int(initat("resolver.example\n", 500), DNS_SOFT, "a name, not an address: SOFT") ;

  /* defaults: /etc/resolv.conf */
  why.len = 0 ;
  is_int(dns_init(0, 0, 500, &why), DNS_OK, "init from /etc/resolv.conf") ;
  dns_done() ;

  genalloc_free(struct dns_ip, &ips) ;
  stralloc_free(&names) ;
  stralloc_free(&why) ;
  stralloc_free(&txt) ;
  stopserver() ;
  return tap_done() ;
}
