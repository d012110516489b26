/* aliasmake.c: aliases file to cdb (aliasmake.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/cdbmake.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/types.h>
#include "aliasfile.h"
#include "aliasmake.h"

struct rec {
  size_t name, namelen ;   /* in names */
  size_t val, vallen ;     /* in vals */
  unsigned int line ;
} ;

static int sys(stralloc *err, char const *what, char const *fn)
{
  int e = errno ;
  err->len = 0 ;
  if (!stralloc_cats(err, what) || !stralloc_cats(err, fn) || !stralloc_0(err)) err->len = 0 ;
  errno = e ;
  return 111 ;
}

static int nomem(stralloc *err)
{
  errno = ENOMEM ;
  return sys(err, "allocate memory", "") ;
}

/* fn into sa, bounded. 1, or 0 with errno set. */
static int readfile(stralloc *sa, char const *fn)
{
  struct stat st ;
  int fd = open(fn, O_RDONLY | O_CLOEXEC) ;
  int ok ;
  if (fd < 0) return 0 ;
  if (fstat(fd, &st) < 0) { fd_close(fd) ; return 0 ; }
  if ((unsigned long)st.st_size > ALIASMAKE_FILEMAX) { fd_close(fd) ; errno = EFBIG ; return 0 ; }
  sa->len = 0 ;
  ok = slurp(sa, fd) ;
  fd_close(fd) ;
  if (ok && sa->len > ALIASMAKE_FILEMAX) { errno = EFBIG ; return 0 ; }
  return ok ;
}

static int seen(stralloc const *out, size_t from, char const *t, size_t n)
{
  for (size_t i = from ; i < out->len ; i += strlen(out->s + i) + 1)
    if (strlen(out->s + i) == n && !memcmp(out->s + i, t, n)) return 1 ;
  return 0 ;
}

static char const *curname ;

static void warnerror(void (*warn)(char const *), char const *fn, unsigned int line)
{
  stralloc w = STRALLOC_ZERO ;
  char num[UINT_FMT] ;
  if (stralloc_cats(&w, fn) && stralloc_catb(&w, ":", 1) && stralloc_catb(&w, num, uint_fmt(num, line))
   && stralloc_cats(&w, ": error: targets are not supported: alias ") && stralloc_cats(&w, curname)
   && stralloc_cats(&w, " bounces every message with their text") && stralloc_0(&w))
    warn(w.s) ;
  stralloc_free(&w) ;
}

/* The targets in (from..to of in) into out, from outbase on, includes
 * read in. 0, 100 or 111. */
/* The line of an entry (text, len, from line on) where target t is
 * written: an entry may span lines, and a message should name the right
 * one. The first line that holds t's text, else the entry's first. */
static unsigned int lineof(char const *text, size_t len, unsigned int line, char const *t)
{
  size_t n = strlen(t) ;
  char const *p = n ? memmem(text, len, t, n) : 0 ;
  if (!p) return line ;
  for (char const *q = text ; q < p ; q++) if (*q == '\n') line++ ;
  return line ;
}

static int expand(stralloc const *in, size_t from, size_t to, stralloc *out, size_t outbase,
  unsigned int depth, char const *fn, unsigned int eline, char const *etext, size_t elen,
  stralloc *err, void (*warn)(char const *))
{
  for (size_t i = from ; i < to ; i += strlen(in->s + i) + 1)
  {
    char const *t = in->s + i ;
    size_t n = strlen(t) ;
    unsigned int line = etext ? lineof(etext, elen, eline, t + 1) : eline ;
    if (t[0] == ALIAS_INCLUDE)
    {
      stralloc text = STRALLOC_ZERO, list = STRALLOC_ZERO ;
      size_t pos = 0 ;
      unsigned int l = 0 ;
      int r = 0 ;
      if (depth >= ALIASMAKE_DEPTH)
      {
        err->len = 0 ;
        stralloc_cats(err, fn) ; stralloc_cats(err, ": :include: nested too deep at ") ;
        stralloc_cats(err, t + 1) ;
        return stralloc_0(err) ? 100 : nomem(err) ;
      }
      if (!readfile(&text, t + 1))
      {
        int e = errno ;
        char num[UINT_FMT] ;
        stralloc_free(&text) ;
        if (e != ENOENT && e != EACCES && e != EFBIG && e != EISDIR) return sys(err, "read ", t + 1) ;
        err->len = 0 ;
        if (!stralloc_cats(err, fn) || !stralloc_catb(err, ":", 1) || !stralloc_catb(err, num, uint_fmt(num, line))
         || !stralloc_cats(err, ": unable to read :include: file ") || !stralloc_cats(err, t + 1)
         || !stralloc_cats(err, ": ") || !stralloc_cats(err, strerror(e)) || !stralloc_0(err)) return nomem(err) ;
        return 100 ;
      }
      /* One or more targets a line; # lines are comments. */
      while (pos < text.len && !r)
      {
        size_t eol = pos + strcspn(text.s + pos, "\n") ;
        if (eol > text.len) eol = text.len ;
        l++ ;
        if (text.s[pos] != '#')
        {
          int k ;
          list.len = 0 ;
          k = aliasfile_targets(text.s + pos, eol - pos, t + 1, l, &list, err) ;
          if (k < 0) r = nomem(err) ;
          else if (!k) r = 100 ;
          else r = expand(&list, 0, list.len, out, outbase, depth + 1, t + 1, l, 0, 0, err, warn) ;
        }
        pos = eol + 1 ;
      }
      stralloc_free(&text) ; stralloc_free(&list) ;
      if (r) return r ;
      continue ;
    }
    if (t[0] == ALIAS_ERROR) warnerror(warn, fn, line) ;
    if (seen(out, outbase, t, n)) continue ;
    if (!stralloc_catb(out, t, n + 1)) return nomem(err) ;
    if (out->len - outbase > ALIASMAKE_VALUEMAX)
    {
      err->len = 0 ;
      stralloc_cats(err, fn) ; stralloc_cats(err, ": alias too large: ") ; stralloc_cats(err, curname) ;
      return stralloc_0(err) ? 100 : nomem(err) ;
    }
  }
  return 0 ;
}

static char const *sortnames ;
static int cmp(void const *a, void const *b)
{
  struct rec const *x = a, *y = b ;
  size_t n = x->namelen < y->namelen ? x->namelen : y->namelen ;
  int c = memcmp(sortnames + x->name, sortnames + y->name, n) ;
  if (c) return c ;
  if (x->namelen != y->namelen) return x->namelen < y->namelen ? -1 : 1 ;
  return x->line < y->line ? -1 : x->line > y->line ;
}

static int write_cdb(char const *cdbfn, stralloc const *names, stralloc const *vals, struct rec const *r, size_t n, stralloc *err)
{
  stralloc tmp = STRALLOC_ZERO, dir = STRALLOC_ZERO ;
  cdbmaker c = CDBMAKER_ZERO ;
  char const *slash = strrchr(cdbfn, '/') ;
  int fd ;
  if (!stralloc_cats(&tmp, cdbfn) || !stralloc_cats(&tmp, ".tmp") || !stralloc_0(&tmp)) return nomem(err) ;
  if (slash ? !stralloc_catb(&dir, cdbfn, slash == cdbfn ? 1 : (size_t)(slash - cdbfn)) : !stralloc_catb(&dir, ".", 1)) return nomem(err) ;
  if (!stralloc_0(&dir)) return nomem(err) ;
  fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) ;
  if (fd < 0) return sys(err, "create ", tmp.s) ;
  if (!cdbmake_start(&c, fd)) goto fail ;
  for (size_t i = 0 ; i < n ; i++)
    if (!cdbmake_add(&c, names->s + r[i].name, (unsigned int)r[i].namelen, vals->s + r[i].val, (unsigned int)r[i].vallen)) goto fail ;
  if (!cdbmake_finish(&c) || fd_sync(fd) < 0) goto fail ;
  if (close(fd) < 0) { fd = -1 ; goto fail ; }
  if (rename(tmp.s, cdbfn) < 0) { sys(err, "rename to ", cdbfn) ; unlink(tmp.s) ; return 111 ; }
  fd = open(dir.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (fd < 0 || fd_sync(fd) < 0) return sys(err, "fsync ", dir.s) ;
  fd_close(fd) ;
  stralloc_free(&tmp) ; stralloc_free(&dir) ;
  return 0 ;
 fail:
  sys(err, "write ", tmp.s) ;
  {
    int e = errno ;
    if (fd >= 0) fd_close(fd) ;
    unlink(tmp.s) ;
    errno = e ;
  }
  return 111 ;
}

int aliasmake(char const *fn, char const *cdbfn, stralloc *err, void (*warn)(char const *))
{
  stralloc text = STRALLOC_ZERO, name = STRALLOC_ZERO, targets = STRALLOC_ZERO ;
  stralloc names = STRALLOC_ZERO, vals = STRALLOC_ZERO ;
  genalloc recs = GENALLOC_ZERO ;
  size_t pos = 0, start, elen ;
  unsigned int line = 0, eline ;
  int r ;

  if (!readfile(&text, fn)) return sys(err, "read ", fn) ;
  for (;;)
  {
    struct rec rec ;
    r = aliasfile_next(text.s, text.len, &pos, &line, &start, &elen, &eline, fn, err) ;
    if (r < 0) { r = 100 ; goto end ; }
    if (!r) break ;
    targets.len = 0 ;
    r = aliasfile_entry(text.s + start, elen, fn, eline, &name, &targets, err) ;
    if (r < 0) { r = nomem(err) ; goto end ; }
    if (!r) { r = 100 ; goto end ; }
    curname = name.s ;
    rec.name = names.len ; rec.namelen = name.len ; rec.line = eline ; rec.val = vals.len ;
    if (name.len > ALIASFILE_ADDRMAX) { r = 100 ; err->len = 0 ; stralloc_cats(err, fn) ; stralloc_cats(err, ": alias name too long") ; stralloc_0(err) ; goto end ; }
    if (!stralloc_catb(&names, name.s, name.len)) { r = nomem(err) ; goto end ; }
    r = expand(&targets, 0, targets.len, &vals, vals.len, 0, fn, eline, text.s + start, elen, err, warn) ;
    if (r) goto end ;
    rec.vallen = vals.len - rec.val ;
    if (!genalloc_append(struct rec, &recs, &rec)) { r = nomem(err) ; goto end ; }
  }
  {
    struct rec *a = genalloc_s(struct rec, &recs) ;
    size_t n = genalloc_len(struct rec, &recs) ;
    sortnames = names.s ;
    if (n) qsort(a, n, sizeof *a, &cmp) ;
    for (size_t i = 1 ; i < n ; i++)
      if (a[i].namelen == a[i - 1].namelen && !memcmp(names.s + a[i].name, names.s + a[i - 1].name, a[i].namelen))
      {
        char num[UINT_FMT] ;
        err->len = 0 ;
        if (!stralloc_cats(err, fn) || !stralloc_catb(err, ":", 1) || !stralloc_catb(err, num, uint_fmt(num, a[i].line))
         || !stralloc_cats(err, ": alias ") || !stralloc_catb(err, names.s + a[i].name, a[i].namelen)
         || !stralloc_cats(err, " defined again (first at line ") || !stralloc_catb(err, num, uint_fmt(num, a[i - 1].line))
         || !stralloc_cats(err, ")") || !stralloc_0(err)) { r = nomem(err) ; goto end ; }
        r = 100 ;
        goto end ;
      }
    r = write_cdb(cdbfn, &names, &vals, a, n, err) ;
  }
 end:
  stralloc_free(&text) ; stralloc_free(&name) ; stralloc_free(&targets) ;
  stralloc_free(&names) ; stralloc_free(&vals) ; genalloc_free(struct rec, &recs) ;
  return r ;
}
