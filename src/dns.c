/* dns.c: remote delivery's DNS lookups (dns.h) through c-ares.
 *
 * One c-ares channel per process, with search domains off (a name is
 * looked up as given, never with a local domain appended), EDNS on and
 * c-ares's own fallback to TCP for truncated answers. Queries are sent
 * together (the A and AAAA of every exchanger at once) and waited for in a
 * poll loop with one deadline, so that dns_ip and dns_txt take at most the
 * timeout, and dns_mx at most twice the timeout (the MX query, then the
 * addresses). c-ares parses every packet; this file only classifies the
 * results: NXDOMAIN is permanent, anything else that is not an answer is
 * temporary. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <ares.h>
#include <skalibs/fmtscan.h>
#include <skalibs/genalloc.h>
#include <skalibs/random.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "dns.h"

#define MAXSERVERS 16  /* lines of control/resolvers */
#define MAXMX 64       /* MX records kept from one answer */
#define MAXIP 64       /* addresses appended by one dns_mx or dns_ip */
#define MAXNAME 255    /* a domain name, without the final dot */

static ares_channel chan ;
static int inited ;
static unsigned int timeout ;

/* One query in flight: the answer packet is copied into ans. */
struct q {
  stralloc ans ;
  int status ;
  int done ;
} ;

static int setwhy(stralloc *why, char const *a, char const *b, char const *c, char const *d)
{
  why->len = 0 ;
  if (!stralloc_cats(why, a) || !stralloc_cats(why, b) || !stralloc_cats(why, c)
   || !stralloc_cats(why, d) || !stralloc_0(why)) return 0 ;
  why->len-- ;
  return 1 ;
}

static int soft(stralloc *why, char const *a, char const *b, char const *c, char const *d)
{
  setwhy(why, a, b, c, d) ;
  return DNS_SOFT ;
}

static int hard(stralloc *why, char const *a, char const *b, char const *c, char const *d)
{
  setwhy(why, a, b, c, d) ;
  return DNS_HARD ;
}

/* control/resolvers: "IP", "IP:port" or "[IPv6]:port"; a bare IPv6
 * address has no port. Returns 1 and fills node, or 0 with what set.
 * inet_pton, not skalibs' ip4_scan, which takes "1.2.3.300". */
static int scanserver(char const *s, size_t len, struct ares_addr_port_node *node, char const **what)
{
  char buf[80] ;
  char ip[16] ;
  uint16_t port = 53 ;
  size_t iplen ;
  char const *portpart = 0 ;
  size_t portlen = 0 ;
  int is6 = 0 ;
  if (len >= sizeof buf) { *what = "too long for an address" ; return 0 ; }
  if (s[0] == '[') {
    char const *e = memchr(s, ']', len) ;
    if (!e) { *what = "missing ]" ; return 0 ; }
    iplen = e - s - 1 ;
    memcpy(buf, s + 1, iplen) ; buf[iplen] = 0 ;
    if (inet_pton(AF_INET6, buf, ip) != 1) { *what = "not an IPv6 address inside [ ]" ; return 0 ; }
    is6 = 1 ;
    if ((size_t)(e + 1 - s) < len) {
      if (e[1] != ':') { *what = "expected :port after ]" ; return 0 ; }
      portpart = e + 2 ; portlen = len - (e + 2 - s) ;
    }
  } else {
    char const *c = memchr(s, ':', len) ;
    if (c && memchr(c + 1, ':', len - (c + 1 - s))) {
      memcpy(buf, s, len) ; buf[len] = 0 ;
      if (inet_pton(AF_INET6, buf, ip) != 1) { *what = "not an IPv6 address (write [IPv6]:port for a port)" ; return 0 ; }
      is6 = 1 ;
    } else {
      iplen = c ? (size_t)(c - s) : len ;
      memcpy(buf, s, iplen) ; buf[iplen] = 0 ;
      if (inet_pton(AF_INET, buf, ip) != 1) { *what = "not an IPv4 address" ; return 0 ; }
      if (c) { portpart = c + 1 ; portlen = len - iplen - 1 ; }
    }
  }
  if (portpart) {
    memcpy(buf, portpart, portlen) ; buf[portlen] = 0 ;
    if (!portlen || uint16_scan(buf, &port) != portlen || !port) { *what = "not a port number (1 to 65535)" ; return 0 ; }
  }
  memset(node, 0, sizeof *node) ;
  node->family = is6 ? AF_INET6 : AF_INET ;
  if (is6) memcpy(&node->addr.addr6, ip, 16) ;
  else memcpy(&node->addr.addr4, ip, 4) ;
  node->udp_port = node->tcp_port = port ;
  return 1 ;
}

static int setservers(char const *s, size_t len, stralloc *why)
{
  struct ares_addr_port_node nodes[MAXSERVERS] ;
  unsigned int n = 0, line = 0 ;
  size_t i = 0 ;
  char num[UINT_FMT] ;
  while (i < len) {
    size_t start = i, end ;
    char const *what ;
    line++ ;
    while (i < len && s[i] != '\n') i++ ;
    end = i ;
    if (i < len) i++ ;
    {
      char const *h = memchr(s + start, '#', end - start) ;
      if (h) end = h - s ;
    }
    while (start < end && (s[start] == ' ' || s[start] == '\t')) start++ ;
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r')) end-- ;
    if (start == end) continue ;
    num[uint_fmt(num, line)] = 0 ;
    if (n >= MAXSERVERS) return soft(why, "control/resolvers:", num, ": ", "more than 16 servers") ;
    if (!scanserver(s + start, end - start, nodes + n, &what))
      return soft(why, "control/resolvers:", num, ": ", what) ;
    if (n) nodes[n - 1].next = nodes + n ;
    n++ ;
  }
  if (!n) return 0 ;  /* no servers: keep /etc/resolv.conf's */
  if (ares_set_servers_ports(chan, nodes) != ARES_SUCCESS)
    return soft(why, "unable to set the DNS servers of control/resolvers", "", "", "") ;
  return 0 ;
}

int dns_init(char const *resolvers, size_t len, unsigned int timeoutms, stralloc *why)
{
  struct ares_options o ;
  int r ;
  if (inited) dns_done() ;
  if (!timeoutms) timeoutms = 1 ;
  timeout = timeoutms ;
  r = ares_library_init(ARES_LIB_INIT_ALL) ;
  if (r != ARES_SUCCESS) return soft(why, "unable to initialize c-ares: ", ares_strerror(r), "", "") ;
  memset(&o, 0, sizeof o) ;
  o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_EDNS ;
  o.ndots = 1 ;
  /* Three tries with c-ares's doubling: t, 2t, 4t. The first two fit in a
   * quarter and a half of the bound; the deadline of the wait loop cuts
   * the third. */
  o.timeout = timeoutms / 4 ? timeoutms / 4 : 1 ;
  o.tries = 3 ;
  o.ednspsz = 1232 ;
  r = ares_init_options(&chan, &o, ARES_OPT_FLAGS | ARES_OPT_NDOTS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_EDNSPSZ) ;
  if (r != ARES_SUCCESS) {
    ares_library_cleanup() ;
    return soft(why, "unable to initialize the resolver: ", ares_strerror(r), "", "") ;
  }
  inited = 1 ;
  if (resolvers && setservers(resolvers, len, why) < 0) { dns_done() ; return DNS_SOFT ; }
  return DNS_OK ;
}

void dns_done(void)
{
  if (!inited) return ;
  ares_destroy(chan) ;
  ares_library_cleanup() ;
  inited = 0 ;
}

static void callback(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
  struct q *q = arg ;
  (void)timeouts ;
  q->done = 1 ;
  q->status = status ;
  if (status == ARES_SUCCESS && abuf && alen > 0) {
    q->ans.len = 0 ;
    if (!stralloc_catb(&q->ans, (char const *)abuf, alen)) q->status = ARES_ENOMEM ;
  }
}

static long long nowms(void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 ;
}

/* Sends the n queries and waits until all are answered or the deadline
 * passes; those still open then end with ARES_ETIMEOUT. */
static void run(struct q *qs, char const *const *names, int const *types, unsigned int n)
{
  long long deadline = nowms() + timeout ;
  unsigned int i ;
  for (i = 0 ; i < n ; i++) {
    qs[i].done = 0 ; qs[i].status = ARES_ETIMEOUT ; qs[i].ans.len = 0 ;
    ares_query(chan, names[i], ns_c_in, types[i], &callback, qs + i) ;
  }
  for (;;) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM] ;
    struct pollfd p[ARES_GETSOCK_MAXNUM] ;
    struct timeval max, tv, *t ;
    unsigned int np = 0, k ;
    long long left ;
    int bits, ms, r ;
    for (k = 0 ; k < n && qs[k].done ; k++) ;
    if (k == n) return ;
    left = deadline - nowms() ;
    if (left <= 0) {
      ares_cancel(chan) ;  /* calls back with ARES_ECANCELLED */
      for (k = 0 ; k < n ; k++)
        if (qs[k].status == ARES_ECANCELLED || !qs[k].done) { qs[k].status = ARES_ETIMEOUT ; qs[k].done = 1 ; }
      return ;
    }
    bits = ares_getsock(chan, socks, ARES_GETSOCK_MAXNUM) ;
    for (k = 0 ; k < ARES_GETSOCK_MAXNUM ; k++) {
      short ev = 0 ;
      /* c-ares's ARES_GETSOCK_WRITABLE shifts an int by 31 for k = 15 */
      if ((unsigned int)bits & (1u << k)) ev |= POLLIN ;
      if ((unsigned int)bits & (1u << (k + ARES_GETSOCK_MAXNUM))) ev |= POLLOUT ;
      if (!ev) continue ;
      p[np].fd = socks[k] ; p[np].events = ev ; p[np].revents = 0 ; np++ ;
    }
    max.tv_sec = left / 1000 ; max.tv_usec = (left % 1000) * 1000 ;
    t = ares_timeout(chan, &max, &tv) ;
    ms = (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000) ;
    r = poll(p, np, ms) ;
    if (r < 0 && errno != EINTR) r = 0 ;
    if (r <= 0) { ares_process_fd(chan, ARES_SOCKET_BAD, ARES_SOCKET_BAD) ; continue ; }
    for (k = 0 ; k < np ; k++) {
      if (!p[k].revents) continue ;
      ares_process_fd(chan,
        p[k].revents & (POLLIN | POLLERR | POLLHUP) ? p[k].fd : ARES_SOCKET_BAD,
        p[k].revents & (POLLOUT | POLLERR) ? p[k].fd : ARES_SOCKET_BAD) ;
    }
  }
}

/* 1: an answer; 0: no records of that type (NOERROR, NODATA); -2: the
 * name does not exist; -1: temporary. */
static int classify(int status)
{
  switch (status) {
    case ARES_SUCCESS: return 1 ;
    case ARES_ENODATA: return 0 ;
    case ARES_ENOTFOUND: return -2 ;
    case ARES_EBADNAME: return -2 ;  /* c-ares cannot encode it: never will */
    default: return -1 ;
  }
}

/* c-ares's texts, made to say what happened for a log line: c-ares
 * reports servers that all failed or refused as ECONNREFUSED. */
static char const *errtext(int status)
{
  switch (status) {
    case ARES_ETIMEOUT: return "no answer from the DNS servers in time" ;
    case ARES_ECONNREFUSED: return "no DNS server answered (unreachable, refused, or server failure)" ;
    case ARES_ESERVFAIL: return "DNS server failure (SERVFAIL)" ;
    case ARES_EREFUSED: return "refused by the DNS server" ;
    default: return ares_strerror(status) ;
  }
}

static char const *gone(int status)
{
  return status == ARES_EBADNAME ? " is not a valid domain name" : " does not exist (NXDOMAIN)" ;
}

static int checkname(char const *name, stralloc *why)
{
  size_t len = strlen(name) ;
  if (!len || len > MAXNAME + 1 || (len == MAXNAME + 1 && name[len - 1] != '.'))
    return hard(why, "not a valid domain name: ", len > MAXNAME + 1 ? "(too long)" : name, "", "") ;
  return DNS_OK ;
}

/* Appends the addresses of the A answer a and the AAAA answer aaaa for
 * name, at most max of them, the name once in names if any. Returns the
 * number appended, or -1 on lack of memory with nothing appended. */
static int addaddrs(genalloc *ips, stralloc *names, char const *name, unsigned int pref, struct q *a, struct q *aaaa, unsigned int max)
{
  struct ares_addrttl a4[MAXIP] ;
  struct ares_addr6ttl a6[MAXIP] ;
  int n4 = 0, n6 = 0, i ;
  size_t off = names->len ;
  size_t ipslen = genalloc_len(struct dns_ip, ips) ;
  unsigned int added = 0 ;
  /* A parse failure leaves its mark in status for the caller's verdict:
   * no records of the type (a CNAME alone), or an answer that cannot be
   * used (temporary). */
  if (a->status == ARES_SUCCESS) {
    int r ;
    n4 = MAXIP ;
    r = ares_parse_a_reply((unsigned char *)a->ans.s, (int)a->ans.len, 0, a4, &n4) ;
    if (r != ARES_SUCCESS) { n4 = 0 ; a->status = r == ARES_ENODATA ? r : ARES_EBADRESP ; }
  }
  if (aaaa->status == ARES_SUCCESS) {
    int r ;
    n6 = MAXIP ;
    r = ares_parse_aaaa_reply((unsigned char *)aaaa->ans.s, (int)aaaa->ans.len, 0, a6, &n6) ;
    if (r != ARES_SUCCESS) { n6 = 0 ; aaaa->status = r == ARES_ENODATA ? r : ARES_EBADRESP ; }
  }
  if (!n4 && !n6) return 0 ;
  if (!stralloc_catb(names, name, strlen(name) + 1)) return -1 ;
  for (i = 0 ; i < n4 + n6 && added < max ; i++) {
    struct dns_ip d ;
    memset(&d, 0, sizeof d) ;
    if (i < n4) memcpy(d.ip, &a4[i].ipaddr, 4) ;
    else { memcpy(d.ip, &a6[i - n4].ip6addr, 16) ; d.is6 = 1 ; }
    d.pref = pref ;
    d.name = off ;
    if (!genalloc_append(struct dns_ip, ips, &d)) {
      genalloc_setlen(struct dns_ip, ips, ipslen) ;
      names->len = off ;
      return -1 ;
    }
    added++ ;
  }
  return (int)added ;
}

/* An address lookup that gave nothing failed temporarily if either of
 * its two queries did. */
static int addrfail(struct q *a, struct q *aaaa)
{
  return classify(a->status) == -1 || classify(aaaa->status) == -1 ? -1 : -2 ;
}

int dns_ip(genalloc *ips, stralloc *names, char const *host, unsigned int pref, stralloc *why)
{
  struct q qs[2] = { { .ans = STRALLOC_ZERO }, { .ans = STRALLOC_ZERO } } ;
  char const *nm[2] = { host, host } ;
  int types[2] = { ns_t_a, ns_t_aaaa } ;
  int r ;
  if (!inited) return soft(why, "DNS not initialized", "", "", "") ;
  if (checkname(host, why)) return DNS_HARD ;
  run(qs, nm, types, 2) ;
  r = addaddrs(ips, names, host, pref, qs, qs + 1, MAXIP) ;
  if (r < 0) r = soft(why, "out of memory", "", "", "") ;
  else if (r > 0) r = DNS_OK ;
  else if (classify(qs[0].status) == -1)
    r = soft(why, "temporary DNS failure looking up the address of ", host, ": ", errtext(qs[0].status)) ;
  else if (classify(qs[1].status) == -1)
    r = soft(why, "temporary DNS failure looking up the IPv6 address of ", host, ": ", errtext(qs[1].status)) ;
  else if (classify(qs[0].status) == -2)
    r = hard(why, "host ", host, gone(qs[0].status), "") ;
  else if (classify(qs[1].status) == -2)
    r = hard(why, "host ", host, gone(qs[1].status), "") ;
  else r = hard(why, "host ", host, " has no address (no A or AAAA record)", "") ;
  stralloc_free(&qs[0].ans) ;
  stralloc_free(&qs[1].ans) ;
  return r ;
}

struct mx {
  char *host ;
  unsigned int pref ;
} ;

int dns_mx(genalloc *ips, stralloc *names, char const *domain, stralloc *why)
{
  struct q mq = { .ans = STRALLOC_ZERO } ;
  struct q *qs = 0 ;
  char const *nm[2 * MAXMX] ;
  int types[2 * MAXMX] ;
  struct mx mx[MAXMX] ;
  struct ares_mx_reply *reply = 0, *m ;
  unsigned int n = 0, i, j, total = 0 ;
  int tmp = 0, nomem = 0, r, c ;
  int type = ns_t_mx ;
  if (!inited) return soft(why, "DNS not initialized", "", "", "") ;
  if (checkname(domain, why)) return DNS_HARD ;

  run(&mq, &domain, &type, 1) ;
  c = classify(mq.status) ;
  if (c == 1) {
    r = ares_parse_mx_reply((unsigned char *)mq.ans.s, (int)mq.ans.len, &reply) ;
    /* only a CNAME in the answer: the name it points to has no MX */
    if (r == ARES_ENODATA) c = 0 ;
    else if (r != ARES_SUCCESS) {
      stralloc_free(&mq.ans) ;
      return soft(why, "unusable DNS answer for the MX of ", domain, ": ", ares_strerror(r)) ;
    }
  }
  stralloc_free(&mq.ans) ;
  if (c == -2) return hard(why, "domain ", domain, gone(mq.status), "") ;
  if (c == -1) return soft(why, "temporary DNS failure looking up the MX of ", domain, ": ", errtext(mq.status)) ;
  if (c == 0) {
    /* RFC 5321 5.1: no MX, the domain is its own exchanger */
    r = dns_ip(ips, names, domain, 0, why) ;
    if (r == DNS_HARD) return hard(why, "domain ", domain, " has no MX and no address", "") ;
    return r ;
  }

  /* RFC 7505: "MX 0 ." alone says the domain takes no mail; among other
   * records (which it must not be) it is only skipped. */
  for (m = reply ; m ; m = m->next) {
    if (!m->host[0] || !strcmp(m->host, ".")) continue ;
    for (j = 0 ; j < n && strcasecmp(mx[j].host, m->host) ; j++) ;
    if (j < n) { if (m->priority < mx[j].pref) mx[j].pref = m->priority ; continue ; }
    if (n >= MAXMX) continue ;
    mx[n].host = m->host ;
    mx[n].pref = m->priority ;
    n++ ;
  }
  if (!n) {
    ares_free_data(reply) ;
    return hard(why, "domain ", domain, " accepts no mail (null MX)", "") ;
  }

  /* random order, then a stable sort by preference: equals stay shuffled */
  for (i = n ; i > 1 ; i--) {
    struct mx t ;
    j = random_uint32(i) ;
    t = mx[i - 1] ; mx[i - 1] = mx[j] ; mx[j] = t ;
  }
  for (i = 1 ; i < n ; i++) {
    struct mx t = mx[i] ;
    for (j = i ; j && mx[j - 1].pref > t.pref ; j--) mx[j] = mx[j - 1] ;
    mx[j] = t ;
  }

  qs = calloc(2 * n, sizeof *qs) ;
  if (!qs) { ares_free_data(reply) ; return soft(why, "out of memory", "", "", "") ; }
  for (i = 0 ; i < n ; i++) {
    nm[2 * i] = nm[2 * i + 1] = mx[i].host ;
    types[2 * i] = ns_t_a ; types[2 * i + 1] = ns_t_aaaa ;
  }
  run(qs, nm, types, 2 * n) ;
  for (i = 0 ; i < n ; i++) {
    if (total < MAXIP && !nomem) {
      r = addaddrs(ips, names, mx[i].host, mx[i].pref, qs + 2 * i, qs + 2 * i + 1, MAXIP - total) ;
      if (r < 0) nomem = 1 ;
      else if (r > 0) total += r ;
      else if (addrfail(qs + 2 * i, qs + 2 * i + 1) == -1 && !tmp) {
        tmp = 1 ;
        setwhy(why, "temporary DNS failure looking up the address of exchanger ", mx[i].host, ": ",
          errtext(classify(qs[2 * i].status) == -1 ? qs[2 * i].status : qs[2 * i + 1].status)) ;
      }
    }
    stralloc_free(&qs[2 * i].ans) ;
    stralloc_free(&qs[2 * i + 1].ans) ;
  }
  free(qs) ;
  ares_free_data(reply) ;
  if (nomem && !total) return soft(why, "out of memory", "", "", "") ;
  if (total) return DNS_OK ;
  if (tmp) return DNS_SOFT ;
  return hard(why, "no exchanger of domain ", domain, " has an address", "") ;
}

int dns_txt(stralloc *txt, char const *name, stralloc *why)
{
  struct q q = { .ans = STRALLOC_ZERO } ;
  struct ares_txt_ext *reply = 0, *t ;
  int type = ns_t_txt, c, r ;
  size_t start = txt->len ;
  unsigned int records = 0 ;
  if (!inited) return soft(why, "DNS not initialized", "", "", "") ;
  if (checkname(name, why)) return DNS_HARD ;
  run(&q, &name, &type, 1) ;
  c = classify(q.status) ;
  if (c == 1) {
    r = ares_parse_txt_reply_ext((unsigned char *)q.ans.s, (int)q.ans.len, &reply) ;
    if (r == ARES_ENODATA) c = 0 ;
    else if (r != ARES_SUCCESS) {
      stralloc_free(&q.ans) ;
      return soft(why, "unusable DNS answer for the TXT of ", name, ": ", ares_strerror(r)) ;
    }
  }
  stralloc_free(&q.ans) ;
  if (c == -2) return hard(why, "name ", name, gone(q.status), "") ;
  if (c == -1) return soft(why, "temporary DNS failure looking up the TXT of ", name, ": ", errtext(q.status)) ;
  if (c == 0) return hard(why, "name ", name, " has no TXT record", "") ;
  for (t = reply ; t ; t = t->next) {
    if ((t->record_start || !records) && records++ && !stralloc_0(txt)) goto nomem ;
    if (!stralloc_catb(txt, (char const *)t->txt, t->length)) goto nomem ;
  }
  if (records && !stralloc_0(txt)) goto nomem ;
  ares_free_data(reply) ;
  if (!records) return hard(why, "name ", name, " has no TXT record", "") ;
  return DNS_OK ;
 nomem:
  ares_free_data(reply) ;
  txt->len = start ;
  return soft(why, "out of memory", "", "", "") ;
}

size_t dns_fmtip(char *s, struct dns_ip const *ip)
{
  return ip->is6 ? ip6_fmt(s, (char const *)ip->ip) : ip4_fmt(s, (char const *)ip->ip) ;
}
