/* burrow-jump-host.c — host names and USER@HOST[:PORT] hops, checked.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "burrow-error.h"
#include "burrow-jump-host.h"
#include "burrow-profile.h"

G_DEFINE_BOXED_TYPE (BurrowJumpHost, burrow_jump_host, burrow_jump_host_copy, burrow_jump_host_free)

static gboolean
label_is_valid (const char *label,
                gsize       len)
{
  if (len == 0 || len > 63)
    return FALSE;
  if (label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      /* Underscores are not in RFC 1123, but internal DNS zones and
       * ~/.ssh/config aliases use them, and resolvers pass them through. */
      if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/* A DNS name, an IPv4 address or an IPv6 address (without brackets). */
gboolean
burrow_host_name_is_valid (const char *host)
{
  const char *label;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  len = strlen (host);
  if (len > 253)
    return FALSE;

  /* A trailing dot is the fully qualified form. */
  if (host[len - 1] == '.')
    len--;

  label = host;
  while (label < host + len)
    {
      const char *dot = memchr (label, '.', host + len - label);
      gsize label_len = (dot != NULL ? (gsize)(dot - label) : (gsize)(host + len - label));

      if (!label_is_valid (label, label_len))
        return FALSE;
      if (dot == NULL)
        break;
      label = dot + 1;
      if (label == host + len)
        return FALSE;
    }

  /* All digits and dots is a broken IPv4 address, not a name. */
  return strspn (host, "0123456789.") != strlen (host);
}

BurrowJumpHost *
burrow_jump_host_new (const char *user,
                      const char *host,
                      guint16     port)
{
  BurrowJumpHost *self = g_new0 (BurrowJumpHost, 1);

  self->user = (user != NULL && *user != '\0') ? g_strdup (user) : NULL;
  self->host = g_strdup (host);
  self->port = port != 0 ? port : 22;

  return self;
}

/* A login name: [A-Za-z_][A-Za-z0-9_.-]*, an optional trailing "$", at most
 * 32 bytes. Capitals are allowed: bastions that are not Linux (or that
 * were set up with --badname) have users like "Admin". The bastion guide
 * hands the name to commands run as root, so anything a shell could read
 * as more than a word is refused here rather than trusted to quoting
 * alone. */
gboolean
burrow_user_name_is_valid (const char *user)
{
  gsize len;

  if (user == NULL || *user == '\0')
    return FALSE;

  len = strlen (user);
  if (len > 32)
    return FALSE;
  if (user[len - 1] == '$')
    len--;
  if (len == 0)
    return FALSE;

  if (!(g_ascii_isalpha (user[0]) || user[0] == '_'))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      char c = user[i];

      if (!g_ascii_isalnum (c) && c != '_' && c != '.' && c != '-')
        return FALSE;
    }

  return TRUE;
}

/* HOST:PORT, with an IPv6 address in brackets so that the port stays
 * apart from it. */
char *
burrow_format_host_port (const char *host,
                         guint       port)
{
  gboolean bracket;

  g_return_val_if_fail (host != NULL, NULL);

  bracket = strchr (host, ':') != NULL;
  return g_strdup_printf ("%s%s%s:%u", bracket ? "[" : "", host, bracket ? "]" : "", port);
}

static void
set_parse_error (GError     **error,
                 const char  *text,
                 const char  *why)
{
  burrow_set_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_JUMP_HOST,
                    _("Write a jump host as USER@HOST or USER@HOST:PORT, for example burrow@jump.example.com:22."),
                    _("The jump host “%s” is not valid: %s"), text, why);
}

/* [USER@]HOST[:PORT], with HOST in brackets when it is an IPv6 address.
 * @port_given, if not NULL, says whether the text wrote the port out, for
 * callers whose own default should fill it in otherwise. */
BurrowJumpHost *
burrow_jump_host_parse_full (const char  *text,
                             gboolean    *port_given,
                             GError     **error)
{
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  const char *rest;
  const char *at;
  const char *port_text = NULL;
  guint64 port = 22;

  if (text == NULL || *text == '\0')
    {
      set_parse_error (error, "", _("it is empty"));
      return NULL;
    }

  at = strrchr (text, '@');
  if (at != NULL)
    {
      user = g_strndup (text, at - text);
      if (!burrow_user_name_is_valid (user))
        {
          set_parse_error (error, text, _("the user name is not a valid login name"));
          return NULL;
        }
      rest = at + 1;
    }
  else
    rest = text;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL)
        {
          set_parse_error (error, text, _("a “]” is missing"));
          return NULL;
        }
      host = g_strndup (rest + 1, close - rest - 1);
      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        {
          set_parse_error (error, text, _("only a port may follow the address"));
          return NULL;
        }
    }
  else
    {
      const char *colon = strchr (rest, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          /* A bare IPv6 address: no port can follow it. */
          host = g_strdup (rest);
        }
      else if (colon != NULL)
        {
          host = g_strndup (rest, colon - rest);
          port_text = colon + 1;
        }
      else
        host = g_strdup (rest);
    }

  if (!burrow_host_name_is_valid (host))
    {
      set_parse_error (error, text, _("the host name is empty or malformed"));
      return NULL;
    }

  if (port_text != NULL &&
      (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)))
    {
      set_parse_error (error, text, _("the port must be a number from 1 to 65535"));
      return NULL;
    }

  if (port_given != NULL)
    *port_given = port_text != NULL;
  return burrow_jump_host_new (user, host, (guint16)port);
}

BurrowJumpHost *
burrow_jump_host_parse (const char  *text,
                        GError     **error)
{
  return burrow_jump_host_parse_full (text, NULL, error);
}

BurrowJumpHost *
burrow_jump_host_copy (const BurrowJumpHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return burrow_jump_host_new (self->user, self->host, self->port);
}

void
burrow_jump_host_free (BurrowJumpHost *self)
{
  if (self == NULL)
    return;

  g_free (self->user);
  g_free (self->host);
  g_free (self);
}

/* The canonical text: the port always written, IPv6 in brackets. */
char *
burrow_jump_host_to_string (const BurrowJumpHost *self)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  address = burrow_format_host_port (self->host, self->port);
  if (self->user == NULL)
    return g_steal_pointer (&address);
  return g_strdup_printf ("%s@%s", self->user, address);
}
