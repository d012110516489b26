/* control.c: qmail-style control files. */
#include <errno.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "control.h"

stralloc control_error = STRALLOC_ZERO ;
static struct ctlcache *cache ;

void control_usecache(struct ctlcache *cc)
{
  cache = cc ;
}

int control_cdb(cdb *c, char const *fn)
{
  return cache ? ctlcache_cdb(cache, c, fn) : cdb_init(c, fn) ;
}

void control_cdbfree(cdb *c)
{
  if (!cache) cdb_free(c) ;
  *c = cdb_zero ;
}

static int readall(stralloc *sa, char const *fn)
{
  sa->len = 0 ;
  if (cache) return ctlcache_read(cache, sa, fn) ;
  if (openslurpclose(sa, fn)) return 1 ;
  return errno == ENOENT ? 0 : -1 ;
}

static int isspace_(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' ;
}

void control_seterror(char const *fn, unsigned int line, char const *what)
{
  char num[UINT_FMT] ;
  control_error.len = 0 ;
  /* line 0: the file as a whole */
  if (stralloc_cats(&control_error, fn)
   && (!line || (stralloc_catb(&control_error, ":", 1) && stralloc_catb(&control_error, num, uint_fmt(num, line))))
   && stralloc_cats(&control_error, ": ")
   && stralloc_cats(&control_error, what) && stralloc_0(&control_error))
    control_error.len-- ;
}

int control_readline(stralloc *sa, char const *fn)
{
  stralloc file = STRALLOC_ZERO ;
  size_t i = 0 ;
  int r = readall(&file, fn) ;
  if (r <= 0) { stralloc_free(&file) ; return r ; }
  while (i < file.len && file.s[i] != '\n') i++ ;
  while (i && isspace_(file.s[i - 1])) i-- ;
  sa->len = 0 ;
  r = stralloc_catb(sa, file.s, i) ? 1 : -1 ;
  stralloc_free(&file) ;
  return r ;
}

int control_rldef(stralloc *sa, char const *fn, char const *def)
{
  int r = control_readline(sa, fn) ;
  if (r < 0) return -1 ;
  if (r && sa->len) return 1 ;
  sa->len = 0 ;
  return stralloc_cats(sa, def) ? 1 : -1 ;
}

int control_readfile(stralloc *sa, char const *fn)
{
  return control_readlist(sa, 0, fn) ;
}

int control_readlist(stralloc *sa, genalloc *lines, char const *fn)
{
  stralloc file = STRALLOC_ZERO ;
  size_t start = 0 ;
  unsigned int line = 0 ;
  int r = readall(&file, fn) ;
  sa->len = 0 ;
  if (lines) lines->len = 0 ;
  if (r <= 0) { stralloc_free(&file) ; return r ; }
  while (start < file.len)
  {
    size_t end = start, stop ;
    while (end < file.len && file.s[end] != '\n') end++ ;
    stop = end ;
    line++ ;
    while (stop > start && isspace_(file.s[stop - 1])) stop-- ;
    if (stop > start && file.s[start] != '#')
      if (!stralloc_catb(sa, file.s + start, stop - start) || !stralloc_0(sa)
       || (lines && !genalloc_append(unsigned int, lines, &line))) { r = -1 ; break ; }
    start = end + 1 ;
  }
  stralloc_free(&file) ;
  return r ;
}

int control_readulong(unsigned long *u, char const *fn, unsigned long def, unsigned long max)
{
  stralloc line = STRALLOC_ZERO ;
  size_t n ;
  int r = control_readline(&line, fn) ;
  if (r < 0) { control_seterror(fn, 1, "unable to read") ; return -1 ; }
  if (!r) { *u = def ; return 0 ; }
  if (!stralloc_0(&line)) { stralloc_free(&line) ; return -1 ; }
  n = ulong_scan(line.s, u) ;
  if (!n || line.s[n] || *u > max)
  {
    /* ulong_scan stops before a digit that would overflow: all digits
     * means the number is only too large. */
    size_t d = 0 ;
    while (line.s[d] >= '0' && line.s[d] <= '9') d++ ;
    control_seterror(fn, 1, d && !line.s[d] ? "number too large" : "not a number") ;
    stralloc_free(&line) ;
    return -1 ;
  }
  stralloc_free(&line) ;
  return 1 ;
}
