/* dotqmail.c: finding a .qmail file and reading its lines, as qmail-local
 * does, but refusing a line it does not understand instead of forwarding
 * mail to it. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "dotqmail.h"

static int isalnum_(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ;
}

static int hascontrol(char const *s, size_t len)
{
  for (size_t i = 0 ; i < len ; i++)
    if ((unsigned char)s[i] < 32 || s[i] == 127) return 1 ;
  return 0 ;
}

enum dotqmail_kind dotqmail_classify(char const *s, size_t len, size_t *arg)
{
  *arg = 0 ;
  if (!len || s[0] == '#') return DOTQMAIL_IGNORE ;
  switch (s[0])
  {
    case '|':
      *arg = 1 ;
      /* The shell gets the command as a C string: a NUL would cut it. */
      return len > 1 && byte_chr(s, len, 0) == len ? DOTQMAIL_PROGRAM : DOTQMAIL_BAD ;
    case '.':
    case '/':
      /* Opened as written, relative to the home; a NUL would cut it. */
      if (byte_chr(s, len, 0) < len) return DOTQMAIL_BAD ;
      return s[len - 1] == '/' ? DOTQMAIL_MAILDIR : DOTQMAIL_MBOX ;
    case '+':
      return len == 5 && !memcmp(s, "+list", 5) ? DOTQMAIL_LIST : DOTQMAIL_BAD ;
    case '&':
      *arg = 1 ;
      break ;
    default:
      if (!isalnum_(s[0])) return DOTQMAIL_BAD ;
  }
  if (len - *arg == 0 || len - *arg > DOTQMAIL_ADDR_MAX || hascontrol(s + *arg, len - *arg)) return DOTQMAIL_BAD ;
  return DOTQMAIL_FORWARD ;
}

static int linerror(stralloc *why, char const *fn, unsigned int lineno, char const *what, char const *code)
{
  char num[UINT_FMT] ;
  why->len = 0 ;
  if (!stralloc_cats(why, "Uh-oh: ") || !stralloc_cats(why, fn) || !stralloc_cats(why, " line ")
   || !stralloc_catb(why, num, uint_fmt(num, lineno)) || !stralloc_cats(why, what)
   || !stralloc_cats(why, code)) why->len = 0 ;
  return 111 ;
}

static int nomem(stralloc *why)
{
  why->len = 0 ;
  stralloc_cats(why, "Out of memory. (#4.3.0)") ;
  return 111 ;
}

int dotqmail_parse(stralloc *text, genalloc *lines, char const *fn, int forwardonly, stralloc *why)
{
  size_t start = 0 ;
  unsigned int lineno = 0 ;
  genalloc_setlen(struct dotqmail_line, lines, 0) ;
  if (!text->len || text->s[text->len - 1] != '\n')
    if (!stralloc_catb(text, "\n", 1)) return nomem(why) ;
  while (start < text->len)
  {
    struct dotqmail_line l ;
    size_t end = start + byte_chr(text->s + start, text->len - start, '\n') ;
    size_t stop = end ;
    if (++lineno > DOTQMAIL_LINES) return linerror(why, fn, lineno, ": too many lines.", " (#4.2.1)") ;
    while (stop > start && (text->s[stop - 1] == ' ' || text->s[stop - 1] == '\t')) stop-- ;
    text->s[stop] = 0 ;
    l.kind = dotqmail_classify(text->s + start, stop - start, &l.arg) ;
    l.arg += start ;
    l.arglen = stop - l.arg ;
    l.lineno = lineno ;
    if (stop == start && lineno == 1)
      return linerror(why, fn, 1, " is blank: the file may be being written.", " (#4.2.1)") ;
    switch (l.kind)
    {
      case DOTQMAIL_BAD:
        return linerror(why, fn, lineno, " is not a delivery instruction.", " (#4.2.1)") ;
      case DOTQMAIL_LIST:
        forwardonly = 1 ;
        break ;
      case DOTQMAIL_MBOX:
      case DOTQMAIL_MAILDIR:
        if (forwardonly) return linerror(why, fn, lineno, " is a file delivery but this .qmail may only forward (x bit or +list).", " (#4.7.0)") ;
        break ;
      case DOTQMAIL_PROGRAM:
        if (forwardonly) return linerror(why, fn, lineno, " is a program delivery but this .qmail may only forward (x bit or +list).", " (#4.7.0)") ;
        break ;
      default: break ;
    }
    if (l.kind != DOTQMAIL_IGNORE && l.kind != DOTQMAIL_LIST)
      if (!genalloc_append(struct dotqmail_line, lines, &l)) return nomem(why) ;
    start = end + 1 ;
  }
  return 0 ;
}

int dotqmail_safeext(stralloc *sa, char const *ext)
{
  size_t base = sa->len ;
  if (!stralloc_cats(sa, ext)) return 0 ;
  case_lowerb(sa->s + base, sa->len - base) ;
  for (size_t i = base ; i < sa->len ; i++) if (sa->s[i] == '.') sa->s[i] = ':' ;
  return 1 ;
}

/* fn = ".qmail" dash safeext[0..n) suffix */
static int name(stralloc *fn, char const *dash, char const *safe, size_t n, char const *suffix)
{
  fn->len = 0 ;
  return stralloc_cats(fn, ".qmail") && stralloc_cats(fn, dash) && stralloc_catb(fn, safe, n)
      && stralloc_cats(fn, suffix) && stralloc_0(fn) ;
}

int dotqmail_search(char const *dash, char const *ext, dotqmail_try_func *try, void *ctx, stralloc *fn, size_t *defaultoff)
{
  stralloc safe = STRALLOC_ZERO ;
  size_t i ;
  int r ;
  if (!dotqmail_safeext(&safe, ext)) return -1 ;
  if (!name(fn, dash, safe.s, safe.len, "")) goto nomem ;
  r = try(fn->s, ctx) ;
  if (r)
  {
    /* An exact name that happens to end in "default" still sets DEFAULT,
     * as qmail-local does. */
    *defaultoff = safe.len >= 7 && !memcmp(safe.s + safe.len - 7, "default", 7) ? safe.len - 7 : DOTQMAIL_NODEFAULT ;
    stralloc_free(&safe) ;
    return r ;
  }
  for (i = safe.len + 1 ; i-- > 0 ;)
  {
    if (i && safe.s[i - 1] != '-') continue ;
    if (!name(fn, dash, safe.s, i, "default")) goto nomem ;
    r = try(fn->s, ctx) ;
    if (r)
    {
      *defaultoff = i ;
      stralloc_free(&safe) ;
      return r ;
    }
  }
  stralloc_free(&safe) ;
  return 0 ;
 nomem:
  stralloc_free(&safe) ;
  return -1 ;
}

/* why = a b c d e: one sentence of qmail-local's kind. */
static int say5(stralloc *why, char const *a, char const *b, char const *c, char const *d, char const *e)
{
  why->len = 0 ;
  if (!stralloc_cats(why, a) || !stralloc_cats(why, b) || !stralloc_cats(why, c)
   || !stralloc_cats(why, d) || !stralloc_cats(why, e)) why->len = 0 ;
  return -1 ;
}

static int absent(int e)
{
  return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG ;
}

int dotqmail_tryopen(char const *fn, void *ctx)
{
  struct dotqmail_open *o = ctx ;
  struct stat st ;
  int fd = openc_read(fn) ;
  if (fd < 0)
  {
    /* Only a name that is not there is "no such file": a .qmail that is
     * there but unreadable must not silently fall through to -default. */
    if (absent(errno)) return 0 ;
    return say5(o->why, "Unable to open ", fn, ": ", strerror(errno), ". (#4.2.1)") ;
  }
  if (fstat(fd, &st) < 0)
  {
    say5(o->why, "Unable to stat ", fn, ": ", strerror(errno), ". (#4.3.0)") ;
    fd_close(fd) ;
    return -1 ;
  }
  if (S_ISREG(st.st_mode))
  {
    /* Anyone who can write the file could run programs as its owner. */
    if (st.st_mode & 022)
    {
      fd_close(fd) ;
      return say5(o->why, "Uh-oh: ", fn, " is group- or world-writable", "", ". (#4.7.0)") ;
    }
    o->forwardonly = !!(st.st_mode & 0100) ;
  }
  else o->forwardonly = 0 ;
  o->fd = fd ;
  return 1 ;
}

int dotqmail_read(int fd, char const *fn, stralloc *text, stralloc *why)
{
  char buf[8192] ;
  text->len = 0 ;
  for (;;)
  {
    ssize_t r = fd_read(fd, buf, sizeof buf) ;
    if (r < 0)
    {
      say5(why, "Unable to read ", fn, ": ", strerror(errno), ". (#4.3.0)") ;
      fd_close(fd) ;
      return 111 ;
    }
    if (!r) break ;
    if ((size_t)r > DOTQMAIL_MAX - text->len)
    {
      fd_close(fd) ;
      char num[ULONG_FMT] ;
      num[ulong_fmt(num, DOTQMAIL_MAX)] = 0 ;
      say5(why, "Uh-oh: ", fn, " is larger than ", num, " bytes. (#4.2.1)") ;
      return 111 ;
    }
    if (!stralloc_catb(text, buf, (size_t)r)) { fd_close(fd) ; return nomem(why) ; }
  }
  fd_close(fd) ;
  return 0 ;
}

int dotqmail_exists(char const *fn, stralloc *why)
{
  struct stat st ;
  if (stat(fn, &st) == 0) return 1 ;
  if (absent(errno)) return 0 ;
  return say5(why, "Unable to stat ", fn, ": ", strerror(errno), ". (#4.3.0)") ;
}

int dotqmail_newsender(stralloc *sa, char const *dash, char const *ext, char const *local,
  char const *host, char const *sender, stralloc *why)
{
  stralloc fn = STRALLOC_ZERO ;
  int r = 0, owner = 0, verp = 0 ;
  sa->len = 0 ;
  if (*sender && strcmp(sender, "#@[]"))
  {
    if (!stralloc_cats(&fn, ".qmail") || !stralloc_cats(&fn, dash) || !dotqmail_safeext(&fn, ext)
     || !stralloc_cats(&fn, "-owner") || !stralloc_0(&fn)) goto nomem ;
    owner = dotqmail_exists(fn.s, why) ;
    if (owner < 0) { r = 111 ; goto end ; }
    if (owner)
    {
      fn.len-- ;
      if (!stralloc_cats(&fn, "-default") || !stralloc_0(&fn)) goto nomem ;
      verp = dotqmail_exists(fn.s, why) ;
      if (verp < 0) { r = 111 ; goto end ; }
    }
  }
  if (!owner) { if (!stralloc_cats(sa, sender)) goto nomem ; }
  else if (!stralloc_cats(sa, local) || !stralloc_cats(sa, verp ? "-owner-@" : "-owner@")
   || !stralloc_cats(sa, host) || (verp && !stralloc_cats(sa, "-@[]"))) goto nomem ;
  if (!stralloc_0(sa)) goto nomem ;
  goto end ;
 nomem:
  r = nomem(why) ;
 end:
  stralloc_free(&fn) ;
  return r ;
}
