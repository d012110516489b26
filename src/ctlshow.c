/* ctlshow.c: every control file, its value or default, what it means, and
 * whether the programs can parse it (see ctlshow.h). Each file is read
 * with the function its program uses, with the program's default and
 * bound; then the programs' own loaders (rewrite_load, smtpconf_load,
 * injectconf_read) run once more over the whole directory, so that a
 * problem they would stop on is reported even if a check here missed it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/bytestr.h>
#include <skalibs/buffer.h>
#include <skalibs/cdb.h>
#include <skalibs/cdbmake.h>
#include <skalibs/direntry.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "assign.h"
#include "auto.h"
#include "control.h"
#include "ctlshow.h"
#include "dns.h"
#include "injectconf.h"
#include "rcptcheck.h"
#include "remoteconf.h"
#include "rewrite.h"
#include "sched.h"
#include "smtpconf.h"
#include "smtproutes.h"
#include "tlsdest.h"
#include "tlsfiles.h"
#include "tlspem.h"

enum kind {
  K_LINE,     /* one value; def is the default ("" none, DEF_ME: me) */
  K_NUM,      /* a decimal number, def..max as its program reads it */
  K_LIST,     /* one domain or address per line */
  K_MAP,      /* key:value per line (virtualdomains) */
  K_ROUTES,   /* domain:relay[:port] per line (smtproutes) */
  K_CDB,      /* a cdb the program opens (morercpthosts.cdb) */
  K_RESOLVERS, /* DNS servers, read by dns_init itself */
  K_TLSDEST,  /* domain[:level] per line (tlsdestinations) */
  K_FILE,     /* one line naming a file that must be readable (tlsca) */
} ;

#define DEF_ME "\001"   /* the default is control/me */

struct ctl {
  char const *name ;
  enum kind kind ;
  char const *def ;
  unsigned long ndef, nmin, nmax ;
  char const *who ;
  char const *what ;
} ;

static struct ctl const table[] = {
  { "me", K_LINE, "", 0, 0, 0, "inject, send, smtpd", "the fully-qualified name of this host; the default of the other names" },
  { "badmailfrom", K_LIST, "", 0, 0, 0, "smtpd", "envelope senders refused at MAIL (address, or @domain)" },
  { "bouncefrom", K_LINE, "MAILER-DAEMON", 0, 0, 0, "send", "the local part of the sender of bounces" },
  { "bouncehost", K_LINE, DEF_ME, 0, 0, 0, "send", "the domain of the sender of bounces" },
  { "concurrencyincoming", K_NUM, 0, 40, 1, 65535, "the smtpd service (tcpserver -c)", "SMTP sessions at once" },
  { "concurrencylocal", K_NUM, 0, 10, 0, SCHED_CONCURRENCY_MAX, "send", "local deliveries at once (0 counts as 1)" },
  { "concurrencyremote", K_NUM, 0, 20, 0, SCHED_CONCURRENCY_MAX, "send", "remote deliveries at once (0 counts as 1)" },
  { "databytes", K_NUM, 0, 0, 0, (unsigned long)-1 >> 1, "smtpd", "the largest message taken, in bytes; 0: no limit ($DATABYTES overrides)" },
  { "defaultdelivery", K_LINE, "./Maildir/", 0, 0, 0, "start", "what a user without a .qmail file gets (dot-qmail(5))" },
  { "defaultdomain", K_LINE, DEF_ME, 0, 0, 0, "inject", "appended to a host name without a dot" },
  { "defaulthost", K_LINE, DEF_ME, 0, 0, 0, "inject", "appended to an address without a host" },
  { "doublebouncehost", K_LINE, DEF_ME, 0, 0, 0, "send", "the domain of doublebounceto" },
  { "doublebounceto", K_LINE, "postmaster", 0, 0, 0, "send", "who gets bounces that cannot be returned (an empty line: nobody)" },
  { "envnoathost", K_LINE, DEF_ME, 0, 0, 0, "send", "the domain of an envelope recipient without @" },
  { "helohost", K_LINE, DEF_ME, 0, 0, 0, "remote", "the name remote gives in HELO and EHLO" },
  { "idhost", K_LINE, DEF_ME, 0, 0, 0, "inject", "the host name in Message-IDs" },
  { "localiphost", K_LINE, DEF_ME, 0, 0, 0, "smtpd", "the name that replaces [ip] of this host in recipients" },
  { "locals", K_LIST, DEF_ME, 0, 0, 0, "send, smtpd", "domains delivered on this host" },
  { "maxerrors", K_NUM, 0, 20, 0, 100000, "smtpd", "bad commands before smtpd ends the session" },
  { "maxrcpt", K_NUM, 0, 100, 0, 100000, "smtpd", "recipients taken per message" },
  { "morercpthosts.cdb", K_CDB, "", 0, 0, 0, "smtpd", "more domains taken from anyone, as rcpthosts" },
  { "percenthack", K_LIST, "", 0, 0, 0, "send", "domains where user%host@domain becomes user@host" },
  { "plusdomain", K_LINE, DEF_ME, 0, 0, 0, "inject", "appended to a host name ending with +" },
  { "queuelifetime", K_NUM, 0, 604800, 0, 100UL * 365 * 86400, "send", "seconds a message may stay in the queue before it bounces" },
  { "resolvers", K_RESOLVERS, "", 0, 0, 0, "remote", "DNS servers (IP, IP:port, [IPv6]:port); none: /etc/resolv.conf's" },
  { "rcptcheck", K_NUM, 0, 1, 0, 1, "smtpd", "1: refuse unknown local recipients at RCPT (users/rcpt.cdb); 0: do not" },
  { "rcpthosts", K_LIST, "", 0, 0, 0, "smtpd", "domains whose mail is taken from anyone (others: relaying, RELAYCLIENT only)" },
  { "smtpgreeting", K_LINE, DEF_ME " ESMTP", 0, 0, 0, "smtpd", "the text of the 220 greeting" },
  { "smtproutes", K_ROUTES, "", 0, 0, 0, "remote", "domain:relay[:port], routes that replace MX lookups" },
  { "timeoutconnect", K_NUM, 0, 60, 1, 86400, "remote", "seconds to wait for a connection" },
  { "timeoutremote", K_NUM, 0, 1200, 1, 86400, "remote", "seconds to wait for the remote server" },
  { "tlsrequired", K_NUM, 0, 0, 0, 1, "smtpd", "1: refuse MAIL before STARTTLS ($TLSREQUIRED overrides); 0: do not" },
  { "timeoutsmtpd", K_NUM, 0, 1200, 0, 86400, "smtpd", "seconds to wait for the client" },
  { "tlsca", K_FILE, "/etc/ssl/certs/ca-certificates.crt", 0, 0, 0, "remote", "certificate authorities (PEM) for tlsdestinations' verify" },
  { "tlsdestinations", K_TLSDEST, "", 0, 0, 0, "remote", "domain[:none|may|encrypt|verify], TLS required or not per destination (none: may)" },
  { "virtualdomains", K_MAP, "", 0, 0, 0, "send", "[user@]domain:prefix, domains delivered to local users" },
} ;
#define NCTL (sizeof table / sizeof *table)

/* Files in control/ that are known but not control files of a program. */
static char const *const others[] = {
  "tcp.smtp", "tcp.smtp.cdb", "tcp.smtp.tmp", "morercpthosts", "morercpthosts.tmp", "tlscert", "tlskey", 0
} ;

#define LISTMAX 20   /* values of a list shown; the rest are counted */

static struct ctlshow *cs ;
static int werr ;
static stralloc me = STRALLOC_ZERO ;   /* control/me, NUL-terminated; "" when none */
static stralloc reported = STRALLOC_ZERO ;   /* problems so far, NUL-separated */

static void out(char const *s)
{
  if (cs->out && buffer_puts(cs->out, s) < 0) werr = 1 ;
}

static void outb(char const *s, size_t n)
{
  if (cs->out && buffer_put(cs->out, s, n) < 0) werr = 1 ;
}

static void outu(unsigned long u)
{
  char num[ULONG_FMT] ;
  outb(num, ulong_fmt(num, u)) ;
}

static void problem(char const *text)
{
  stralloc_cats(&reported, text) ; stralloc_0(&reported) ;
  strerr_warnw(text) ;
  out("  problem: ") ; out(text) ; out("\n") ;
  cs->problems++ ;
}

/* control_error as a problem. */
static void cproblem(void)
{
  if (!stralloc_0(&control_error)) return ;
  control_error.len-- ;
  problem(control_error.s) ;
}

static void lproblem(char const *fn, unsigned int line, char const *what)
{
  control_seterror(fn, line, what) ;
  cproblem() ;
}

static void readproblem(char const *fn)
{
  char const *e = strerror(errno) ;
  control_error.len = 0 ;
  stralloc_cats(&control_error, fn) ; stralloc_cats(&control_error, ": unable to read: ") ; stralloc_cats(&control_error, e) ;
  cproblem() ;
  cs->readerrors++ ;
}

static void head(char const *fn, char const *who, char const *what)
{
  out(fn) ; out(" (") ; out(who) ; out("): ") ; out(what) ; out("\n") ;
}

static void defaultline(char const *def)
{
  if (!strncmp(def, DEF_ME, 1))
  {
    out(me.len > 1 ? me.s : "(none: control/me is missing)") ;
    out(def + 1) ; out(" (default: me") ; out(def + 1) ; out(")\n") ;
  }
  else if (*def) { out(def) ; out(" (default)\n") ; }
  else out("(none)\n") ;
}

/* 1 if s (n bytes) holds a space or a tab: two values on one line. */
static int hasblank(char const *s, size_t n)
{
  return byte_chr(s, n, ' ') < n || byte_chr(s, n, '\t') < n ;
}

static void showline(struct ctl const *c, char const *fn)
{
  stralloc sa = STRALLOC_ZERO ;
  int r = control_readline(&sa, fn) ;
  out("  value: ") ;
  if (r < 0) { out("?\n") ; readproblem(fn) ; }
  else if (!r || (!sa.len && strcmp(c->name, "doublebounceto"))) defaultline(c->def) ;
  else if (!sa.len) out("(empty: double bounces are discarded)\n") ;
  else { outb(sa.s, sa.len) ; out("\n") ; }
  stralloc_free(&sa) ;
}

static void shownum(struct ctl const *c, char const *fn)
{
  unsigned long u ;
  int r = control_readulong(&u, fn, c->ndef, c->nmax) ;
  out("  value: ") ;
  if (r < 0)
  {
    out("?\n") ;
    /* a file that cannot be read is a temporary problem (111), as in
     * the programs, which defer on it */
    if (access(fn, R_OK) < 0 && errno != ENOENT) { readproblem(fn) ; return ; }
    cproblem() ;
    return ;
  }
  outu(u) ;
  out(r ? "\n" : " (default)\n") ;
  if (r && u < c->nmin)
  {
    char num[ULONG_FMT] ;
    stralloc why = STRALLOC_ZERO ;
    num[ulong_fmt(num, c->nmin)] = 0 ;
    if (stralloc_cats(&why, "less than ") && stralloc_cats(&why, num) && stralloc_0(&why)) lproblem(fn, 1, why.s) ;
    stralloc_free(&why) ;
  }
}

/* A list or a table: each value with its line, checked by kind. */
static void showlist(struct ctl const *c, char const *fn)
{
  stralloc sa = STRALLOC_ZERO ;
  genalloc lines = GENALLOC_ZERO ;
  unsigned int n = 0 ;
  int r = control_readlist(&sa, &lines, fn) ;
  if (r < 0) { out("  value: ?\n") ; readproblem(fn) ; goto end ; }
  if (!r)
  {
    out("  value: ") ; defaultline(c->def) ;
    if (!strcmp(c->name, "rcpthosts")) lproblem(fn, 0, "missing: smtpd refuses every session rather than run as an open relay") ;
    goto end ;
  }
  for (size_t k = 0 ; k < sa.len ; n++)
  {
    char const *s = sa.s + k ;
    size_t len = strlen(s) ;
    unsigned int line = genalloc_s(unsigned int, &lines)[n] ;
    size_t colon = byte_chr(s, len, ':') ;
    k += len + 1 ;
    if (n < LISTMAX) { out("  ") ; outb(s, len) ; out("\n") ; }
    if (c->kind == K_MAP)
    {
      if (colon == len) lproblem(fn, line, "line without ':'") ;
      else if (hasblank(s, colon)) lproblem(fn, line, "white space in the domain") ;
    }
    else if (c->kind == K_ROUTES)
    {
      /* remote's own parser, so that both say the same about a line */
      struct smtproute r ;
      char const *d, *why ;
      size_t dl ;
      if (!smtproutes_parse(s, len, &r, &d, &dl, &why)) lproblem(fn, line, why) ;
    }
    else if (c->kind == K_TLSDEST)
    {
      enum tlsdest_level l ;
      char const *d, *why ;
      size_t dl ;
      if (!tlsdest_parse(s, len, &l, &d, &dl, &why)) lproblem(fn, line, why) ;
    }
    else if (hasblank(s, len)) lproblem(fn, line, "white space in a value: one value per line") ;
  }
  if (n > LISTMAX) { out("  ... and ") ; outu(n - LISTMAX) ; out(" more\n") ; }
  if (!n) { out("  value: (empty) ") ; out(!strcmp(c->name, "locals") ? "no domain is local\n" : "\n") ; }
 end:
  stralloc_free(&sa) ;
  genalloc_free(unsigned int, &lines) ;
}

static int newer(char const *a, char const *b)
{
  struct stat sa, sb ;
  if (stat(a, &sa) < 0) return 0 ;
  if (stat(b, &sb) < 0) return 1 ;
  return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec
      || (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec) ;
}

static void stale(char const *src, char const *cdbfn, char const *how)
{
  if (!newer(src, cdbfn)) return ;
  out("  warning: ") ; out(src) ; out(" is newer than ") ; out(cdbfn) ; out(": run ") ; out(how) ; out("\n") ;
  strerr_warnw(src, " is newer than ", cdbfn, ": run ", how) ;
}

static void showcdb(char const *fn)
{
  cdb d = CDB_ZERO ;
  out("  value: ") ;
  if (!cdb_init(&d, fn))
  {
    if (errno == ENOENT) out("(none)\n") ;
    else { out("?\n") ; lproblem(fn, 0, "unable to read as a cdb") ; }
    return ;
  }
  out("present\n") ;
  cdb_free(&d) ;
}

/* resolvers: the lines as remote's dns_init reads them, and its verdict */
static void showresolvers(char const *fn)
{
  stralloc text = STRALLOC_ZERO, why = STRALLOC_ZERO ;
  if (!openslurpclose(&text, fn))
  {
    if (errno == ENOENT) out("  value: (none: the servers of /etc/resolv.conf)\n") ;
    else { out("  value: ?\n") ; readproblem(fn) ; }
    stralloc_free(&text) ;
    return ;
  }
  for (size_t i = 0 ; i < text.len ;)
  {
    size_t n = byte_chr(text.s + i, text.len - i, '\n') ;
    out("  ") ; outb(text.s + i, n) ; out("\n") ;
    i += n + 1 ;
  }
  if (dns_init(text.s, text.len, 1000, &why) != DNS_OK && stralloc_0(&why)) problem(why.s) ;
  stralloc_free(&text) ; stralloc_free(&why) ;
}

/* a line naming a file: the file must be readable when it is named */
static void showfile(struct ctl const *c, char const *fn)
{
  stralloc sa = STRALLOC_ZERO ;
  int r = control_readline(&sa, fn) ;
  showline(c, fn) ;
  if (r > 0 && sa.len && stralloc_0(&sa))
  {
    int fd = open_read(sa.s) ;
    if (fd < 0)
    {
      stralloc why = STRALLOC_ZERO ;
      if (stralloc_cats(&why, "unable to read ") && stralloc_cats(&why, sa.s) && stralloc_cats(&why, ": ")
       && stralloc_cats(&why, strerror(errno)) && stralloc_0(&why)) lproblem(fn, 1, why.s) ;
      stralloc_free(&why) ;
    }
    else fd_close(fd) ;
  }
  stralloc_free(&sa) ;
}

static void showone(struct ctl const *c)
{
  char fn[64] = "control/" ;
  strcat(fn, c->name) ;
  head(fn, c->who, c->what) ;
  switch (c->kind)
  {
    case K_LINE: showline(c, fn) ; break ;
    case K_NUM: shownum(c, fn) ; break ;
    case K_LIST: case K_MAP: case K_ROUTES: case K_TLSDEST: showlist(c, fn) ; break ;
    case K_FILE: showfile(c, fn) ; break ;
    case K_RESOLVERS: showresolvers(fn) ; break ;
    case K_CDB:
      showcdb(fn) ;
      stale("control/morercpthosts", fn, "qmail-newmrh or cdbmake") ;
      break ;
  }
}

/* 1 if a tcprules line (len bytes) has its instruction: ":allow" or
 * ":deny", then the end or a ','. tcprules fails on other words after the
 * colon, but loops for ever on a line without one ("garbage",
 * "1.2.3.4:bogus"), so that cairnctl cdb would never finish. */
static int ruleok(char const *s, size_t len)
{
  static char const *const ins[] = { ":allow", ":deny" } ;
  for (unsigned int k = 0 ; k < 2 ; k++)
  {
    size_t n = strlen(ins[k]) ;
    for (size_t i = 0 ; i + n <= len ; i++)
      if (!memcmp(s + i, ins[k], n) && (i + n == len || s[i + n] == ',')) return 1 ;
  }
  return 0 ;
}

/* tcp.smtp: the smtpd service's rules, compiled by tcprules. */
static void showrules(void)
{
  stralloc sa = STRALLOC_ZERO ;
  genalloc lines = GENALLOC_ZERO ;
  struct stat st ;
  int r ;
  head("control/tcp.smtp.cdb", "the smtpd service (tcpserver -x)", "per-client rules: allow, deny, RELAYCLIENT, DATABYTES ...") ;
  out("  value: ") ;
  if (stat("control/tcp.smtp.cdb", &st) == 0) out("present\n") ;
  else if (stat("control/tcp.smtp", &st) == 0)
  {
    out("(missing)\n") ;
    lproblem("control/tcp.smtp.cdb", 0, "missing, but control/tcp.smtp exists: run cairnctl cdb") ;
  }
  else out("(none: tcpserver refuses every session)\n") ;
  head("control/tcp.smtp", "cairnctl cdb (tcprules)", "the source of tcp.smtp.cdb") ;
  r = control_readlist(&sa, &lines, "control/tcp.smtp") ;
  if (r < 0) { out("  value: ?\n") ; readproblem("control/tcp.smtp") ; }
  else if (!r) out("  value: (none)\n") ;
  else
  {
    unsigned int n = 0 ;
    for (size_t k = 0 ; k < sa.len ; n++)
    {
      char const *x = sa.s + k ;
      size_t len = strlen(x) ;
      k += len + 1 ;
      if (n < LISTMAX) { out("  ") ; outb(x, len) ; out("\n") ; }
      if (!ruleok(x, len))
        lproblem("control/tcp.smtp", genalloc_s(unsigned int, &lines)[n], "no :allow or :deny instruction (tcprules cannot compile it)") ;
    }
    if (n > LISTMAX) { out("  ... and ") ; outu(n - LISTMAX) ; out(" more\n") ; }
  }
  stale("control/tcp.smtp", "control/tcp.smtp.cdb", "cairnctl cdb") ;
  stralloc_free(&sa) ;
  genalloc_free(unsigned int, &lines) ;
}

/* tlscert and tlskey: read and checked as tlsd reads them (a key that
 * others can read is refused), the key matched to the certificate. */
static int tlsread(char const *fn, stralloc *sa, int secret)
{
  char const *why = 0 ;
  if (tlsfiles_read(fn, sa, secret, &why)) return 1 ;
  if (why) lproblem(fn, 0, why) ;
  else readproblem(fn) ;
  return 0 ;
}

static void showtls(void)
{
  static br_skey_decoder_context key ;
  static struct tlspem_chain chain ;
  stralloc text = STRALLOC_ZERO ;
  char const *why = 0 ;
  int havecert = access("control/tlscert", F_OK) == 0, havekey = access("control/tlskey", F_OK) == 0 ;
  head("control/tlscert, control/tlskey", "tlsd: smtpd's STARTTLS, the smtps service", "the certificate chain and its private key, PEM") ;
  if (!havecert && !havekey) { out("  value: (none: no STARTTLS, no smtps)\n") ; return ; }
  if (!havecert || !havekey)
  {
    out("  value: ?\n") ;
    lproblem(havecert ? "control/tlskey" : "control/tlscert", 0, "missing, but the other of tlscert and tlskey exists") ;
    return ;
  }
  if (!tlsread("control/tlscert", &text, 0)) goto end ;
  if (tlspem_chain(&chain, text.s, text.len, &why) <= 0) { lproblem("control/tlscert", 0, why ? why : "out of memory") ; goto end ; }
  out("  value: a chain of ") ; outu(chain.n) ; out(chain.n == 1 ? " certificate" : " certificates") ;
  text.len = 0 ;
  if (!tlsread("control/tlskey", &text, 1)) { out("\n") ; goto end ; }
  if (tlspem_key(&key, text.s, text.len, &why) <= 0) { out("\n") ; lproblem("control/tlskey", 0, why ? why : "out of memory") ; goto end ; }
  out(br_skey_decoder_key_type(&key) == BR_KEYTYPE_RSA ? ", an RSA key\n" : ", an EC key\n") ;
  if (!tlspem_match(&chain, &key, &why)) lproblem("control/tlskey", 0, why) ;
 end:
  if (text.s) memset(text.s, 0, text.a) ;
  stralloc_free(&text) ;
}

/* users/assign: parsed as newu parses it, into a cdb that goes nowhere. */
static void showassign(void)
{
  stralloc text = STRALLOC_ZERO ;
  head("users/assign", "newu, then lspawn", "addresses assigned to users, before the password database") ;
  out("  value: ") ;
  if (!openslurpclose(&text, "users/assign"))
  {
    if (errno == ENOENT) out("(none: the password database alone)\n") ;
    else { out("?\n") ; readproblem("users/assign") ; }
  }
  else
  {
    cdbmaker c ;
    size_t lineno = 0 ;
    char const *why = "" ;
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC) ;
    unsigned int n = 0 ;
    for (size_t i = 0 ; i < text.len ; i++) if (text.s[i] == '\n') n++ ;
    outu(n) ; out(" lines\n") ;
    if (fd < 0 || !cdbmake_start(&c, fd)) readproblem("/dev/null") ;
    else switch (assign_compile(&c, text.s, text.len, &lineno, &why))
    {
      case 0:
        if (lineno > (unsigned int)-1) lineno = 0 ;
        lproblem("users/assign", (unsigned int)lineno, why) ;
        break ;
      case -1: readproblem("users/assign") ; break ;
      default: cdbmake_finish(&c) ;
    }
    if (fd >= 0) close(fd) ;
    stale("users/assign", "users/cdb", "newu (cairnctl cdb)") ;
  }
  stralloc_free(&text) ;
}

/* Files in control/ that no program reads: often a misspelled name. */
static void showunknown(void)
{
  DIR *dir = opendir("control") ;
  if (!dir) { if (errno != ENOENT) readproblem("control") ; return ; }
  for (;;)
  {
    direntry *d ;
    int known = 0 ;
    errno = 0 ;
    d = readdir(dir) ;
    if (!d) break ;
    if (d->d_name[0] == '.') continue ;
    for (unsigned int i = 0 ; i < NCTL && !known ; i++) known = !strcmp(d->d_name, table[i].name) ;
    for (unsigned int i = 0 ; others[i] && !known ; i++) known = !strcmp(d->d_name, others[i]) ;
    if (known) continue ;
    out("control/") ; out(d->d_name) ; out(": not a control file cairn reads (a misspelling?)\n") ;
  }
  if (errno) readproblem("control") ;
  dir_close(dir) ;
}

/* The programs' loaders over the same files: what they stop on and the
 * checks above did not report is reported now. */
static void again(char const *what)
{
  for (size_t i = 0 ; i < reported.len ; i += strlen(reported.s + i) + 1)
    if (!strcmp(reported.s + i, what)) return ;
  problem(what) ;
}

/* Runs once; what the loaders allocate stays reachable from these statics
 * until the exit (none of the three has a free function). */
static void loaders(void)
{
  struct rewrite rw = REWRITE_ZERO ;
  static struct injectconf ic = INJECTCONF_ZERO ;
  char const *fn ;
  control_error.len = 0 ;
  if (rewrite_load(&rw) < 0 && stralloc_0(&control_error)) again(control_error.s) ;
  rewrite_free(&rw) ;
  control_error.len = 0 ;
  if (!injectconf_read(&ic, &fn))
  {
    control_error.len = 0 ;
    stralloc_cats(&control_error, fn) ; stralloc_cats(&control_error, ": unable to read") ; stralloc_0(&control_error) ;
    again(control_error.s) ;
  }
  {
    static struct remoteconf rc = REMOTECONF_ZERO ;
    control_error.len = 0 ;
    if (!remoteconf_read(&rc) && stralloc_0(&control_error)) again(control_error.s) ;
  }
  /* smtpd's: only when rcpthosts exists, whose absence is reported above */
  if (access("control/rcpthosts", F_OK) == 0)
  {
    static struct smtpconf sc ;
    control_error.len = 0 ;
    if (!smtpconf_load(&sc) && stralloc_0(&control_error)) again(control_error.s) ;
  }
}

int ctlshow_run(struct ctlshow *c)
{
  char num[UINT_FMT] ;
  cs = c ; werr = 0 ;
  if (control_rldef(&me, "control/me", "") < 0) me.len = 0 ;
  if (!stralloc_0(&me)) return 0 ;
  out("cairn home: ") ; out(auto_home) ; out("\n") ;
  out("queue split: ") ; outb(num, uint_fmt(num, auto_split)) ; out("\n") ;
  out("users:") ;
  for (unsigned int i = 0 ; i < AUTO_NUSERS ; i++) { out(" ") ; out(auto_user[i]) ; }
  out("; groups: ") ; out(auto_group[0]) ; out(" ") ; out(auto_group[1]) ;
  out(auto_singleuser ? " (single-user build)\n\n" : "\n\n") ;
  for (unsigned int i = 0 ; i < NCTL ; i++) showone(&table[i]) ;
  showtls() ;
  showrules() ;
  showassign() ;
  out("\n") ;
  showunknown() ;
  loaders() ;
  return !werr ;
}
