/* msgsrc.c: the message on remote's fd 0 (msgsrc.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include "dotstuff.h"
#include "msgsrc.h"

int msgsrc_open(struct msgsrc *m, int fd)
{
  struct dotstuff d ;
  char in[8192], out[DOTSTUFF_OUT(8192)] ;
  m->fd = fd ;
  m->pos = 0 ;
  m->size = 0 ;
  m->start = lseek(fd, 0, SEEK_CUR) ;
  m->seekable = m->start >= 0 ;
  m->mem.len = 0 ;
  dotstuff_init(&d) ;
  for (;;)
  {
    ssize_t r = fd_read(fd, in, sizeof in) ;
    if (r < 0) return 0 ;
    if (!r) break ;
    if (!m->seekable && !stralloc_catb(&m->mem, in, (size_t)r)) return 0 ;
    m->size += dotstuff_run(&d, in, (size_t)r, out) ;
  }
  m->size += dotstuff_end(&d, out) - 3 ;
  m->high = d.high ;
  return msgsrc_rewind(m) ;
}

int msgsrc_rewind(struct msgsrc *m)
{
  m->pos = 0 ;
  return !m->seekable || lseek(m->fd, m->start, SEEK_SET) == m->start ;
}

ssize_t msgsrc_read(struct msgsrc *m, char *buf, size_t len)
{
  size_t n ;
  if (m->seekable) return fd_read(m->fd, buf, len) ;
  n = m->mem.len - m->pos ;
  if (n > len) n = len ;
  memcpy(buf, m->mem.s + m->pos, n) ;
  m->pos += n ;
  return (ssize_t)n ;
}
