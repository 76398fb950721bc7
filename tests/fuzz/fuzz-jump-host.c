/* fuzz-jump-host.c — jump hosts as a form, burrowctl --jump and
 * connections.ini hand them over: USER@HOST[:PORT] text, one hop or a list.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides not crashing, a hop that parses must be one the rest of Burrow
 * can rely on (a valid host, a login name, a port), and its canonical text
 * must read back as the same hop: that text is what connections.ini keeps.
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-fuzz.h"

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == BURROW_PROFILE_ERROR);
  g_assert_cmpint (error->code, ==, BURROW_PROFILE_ERROR_JUMP_HOST);
  g_assert_nonnull (burrow_error_get_hint (error));
}

static void
check_one (const char *text)
{
  g_autoptr(BurrowJumpHost) hop = NULL;
  g_autoptr(BurrowJumpHost) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *address = NULL;
  gboolean port_given = FALSE;

  hop = burrow_jump_host_parse_full (text, &port_given, &error);
  if (hop == NULL)
    {
      check_error (error);
      return;
    }
  g_assert_no_error (error);

  g_assert_true (burrow_host_name_is_valid (hop->host));
  g_assert_true (hop->user == NULL || burrow_user_name_is_valid (hop->user));
  g_assert_cmpuint (hop->port, >=, 1);
  g_assert_true (port_given || hop->port == 22);

  canonical = burrow_jump_host_to_string (hop);
  again = burrow_jump_host_parse (canonical, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->user, ==, hop->user);
  g_assert_cmpstr (again->host, ==, hop->host);
  g_assert_cmpuint (again->port, ==, hop->port);

  address = burrow_format_host_port (hop->host, hop->port);
  g_assert_true (g_str_has_suffix (canonical, address));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_auto(GStrv) hops = g_strsplit (text, ";", -1);
  g_autoptr(BurrowProfile) profile = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  gboolean jump_error = FALSE;

  burrow_fuzz_init ();

  check_one (text);
  for (guint i = 0; hops[i] != NULL; i++)
    check_one (hops[i]);

  /* The list as a profile holds it: the checks a form runs agree with the
   * parse the tunnel runs later. */
  profile = burrow_profile_new ();
  burrow_profile_set_jump_hosts (profile, (const char * const *)hops);
  parsed = burrow_profile_dup_parsed_jump_hosts (profile, &error);
  errors = burrow_profile_collect_errors (profile);
  for (guint i = 0; i < errors->len; i++)
    {
      const GError *e = g_ptr_array_index (errors, i);

      jump_error |= e->domain == BURROW_PROFILE_ERROR && e->code == BURROW_PROFILE_ERROR_JUMP_HOST;
    }

  if (parsed == NULL)
    check_error (error);
  else
    g_assert_cmpuint (parsed->len, ==, g_strv_length ((GStrv)burrow_profile_get_jump_hosts (profile)));
  g_assert_true (jump_error == (parsed == NULL));

  return 0;
}
