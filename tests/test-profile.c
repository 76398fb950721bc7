/* test-profile.c — a connection profile keeps every field, notifies only
 * real changes, and names the field that is wrong.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-test-env.h"
#include "burrow-test-profile.h"

static BurrowProfile *
make_full_profile (void)
{
  const char *hops[] = { "hop@jump1.example.com:2222", "[fd00::7]:22", NULL };

  return g_object_new (BURROW_TYPE_PROFILE,
                       "name", "Sales warehouse",
                       "db-kind", BURROW_DB_KIND_REDSHIFT,
                       "db-host", "warehouse.internal",
                       "db-port", 5439,
                       "db-name", "sales",
                       "db-user", "ana",
                       "tunnel-enabled", TRUE,
                       "ssh-host", "bastion.example.com",
                       "ssh-port", 2022,
                       "ssh-user", "burrow",
                       "ssh-auth", BURROW_PROFILE_AUTH_KEY_FILE,
                       "ssh-key-file", "/home/ana/.ssh/id_bastion",
                       "jump-hosts", hops,
                       "keepalive-interval", 7,
                       "local-port-auto", FALSE,
                       "local-port", 25439,
                       "connect-at-start", TRUE,
                       NULL);
}

static void
test_new_and_defaults (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  g_autoptr(BurrowProfile) other = burrow_profile_new ();

  g_assert_nonnull (burrow_profile_get_id (profile));
  g_assert_cmpstr (burrow_profile_get_id (profile), !=, burrow_profile_get_id (other));
  g_assert_cmpuint (burrow_profile_get_db_port (profile), ==, 5432);
  g_assert_cmpuint (burrow_profile_get_ssh_port (profile), ==, 22);
  g_assert_cmpint (burrow_profile_get_ssh_auth (profile), ==, BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  g_assert_true (burrow_profile_get_local_port_auto (profile));
  g_assert_cmpuint (burrow_profile_get_local_port (profile), ==, 0);
  g_assert_cmpuint (g_strv_length ((GStrv)burrow_profile_get_jump_hosts (profile)), ==, 0);
  g_assert_false (burrow_profile_get_connect_at_start (profile));

  g_assert_finalize_object (g_steal_pointer (&profile));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(BurrowProfile) profile = make_full_profile ();
  g_autoptr(BurrowProfile) copy = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *same_hops[] = { "hop@jump1.example.com:2222", " [fd00::7]:22 ", NULL };

  g_signal_connect (profile, "notify", G_CALLBACK (on_notify), names);

  burrow_profile_set_name (profile, "Sales warehouse");
  burrow_profile_set_name (profile, "  Sales warehouse ");
  burrow_profile_set_db_port (profile, 5439);
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_jump_hosts (profile, same_hops);
  g_object_set (profile, "db-host", "warehouse.internal", "tunnel-enabled", TRUE, NULL);
  g_assert_cmpuint (names->len, ==, 0);

  copy = burrow_profile_copy (profile, FALSE);
  g_assert_cmpstr (burrow_profile_get_id (copy), ==, burrow_profile_get_id (profile));
  burrow_profile_assign (profile, copy);
  g_assert_cmpuint (names->len, ==, 0);

  burrow_profile_set_db_port (profile, 5440);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "db-port");

  burrow_profile_set_db_user (profile, "");
  burrow_profile_set_db_user (profile, NULL);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "db-user");

  burrow_profile_set_jump_hosts (profile, NULL);
  g_assert_cmpuint (names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "jump-hosts");

  /* A copy with a new id is a connection of its own. */
  {
    g_autoptr(BurrowProfile) duplicate = burrow_profile_copy (profile, TRUE);
    g_assert_cmpstr (burrow_profile_get_id (duplicate), !=, burrow_profile_get_id (profile));
    burrow_test_assert_same_fields (duplicate, profile);
  }
}

static void
test_key_file_round_trip (void)
{
  g_autoptr(BurrowProfile) profile = make_full_profile ();
  g_autoptr(BurrowProfile) read = burrow_profile_new_with_id (burrow_profile_get_id (profile));
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) reparsed = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  g_key_file_set_string (key_file, "connection x", "colour", "blue");
  burrow_profile_save_to_key_file (profile, key_file, "connection x");
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_assert_true (g_key_file_load_from_data (reparsed, data, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);

  g_assert_true (burrow_profile_load_from_key_file (read, reparsed, "connection x", &error));
  g_assert_no_error (error);
  burrow_test_assert_same_fields (read, profile);
  /* A key Burrow does not know stays. */
  {
    g_autofree char *colour = g_key_file_get_string (reparsed, "connection x", "colour", NULL);
    g_assert_cmpstr (colour, ==, "blue");
  }

  /* connect-at-start is written where it is on, and its absence reads
   * as off. */
  g_assert_true (g_key_file_get_boolean (reparsed, "connection x", "connect-at-start", NULL));
  burrow_profile_set_connect_at_start (profile, FALSE);
  burrow_profile_save_to_key_file (profile, key_file, "connection x");
  g_assert_false (g_key_file_has_key (key_file, "connection x", "connect-at-start", NULL));
  burrow_profile_set_connect_at_start (read, TRUE);
  g_assert_true (burrow_profile_load_from_key_file (read, key_file, "connection x", &error));
  g_assert_false (burrow_profile_get_connect_at_start (read));

  /* The automatic port, before and after it was chosen. */
  burrow_profile_set_local_port_auto (profile, TRUE);
  burrow_profile_set_local_port (profile, 0);
  burrow_profile_save_to_key_file (profile, key_file, "connection x");
  {
    g_autofree char *port = g_key_file_get_string (key_file, "connection x", "local-port", NULL);
    g_assert_cmpstr (port, ==, "auto");
  }
  g_assert_true (burrow_profile_load_from_key_file (read, key_file, "connection x", &error));
  burrow_test_assert_same_fields (read, profile);

  burrow_profile_set_local_port (profile, 15439);
  burrow_profile_save_to_key_file (profile, key_file, "connection x");
  {
    g_autofree char *port = g_key_file_get_string (key_file, "connection x", "local-port", NULL);
    g_assert_cmpstr (port, ==, "auto:15439");
  }
  g_assert_true (burrow_profile_load_from_key_file (read, key_file, "connection x", &error));
  burrow_test_assert_same_fields (read, profile);

  /* Every auth method and every database kind survives. */
  for (guint auth = 0; auth <= BURROW_PROFILE_AUTH_LAST; auth++)
    for (guint kind = 0; kind <= BURROW_DB_KIND_LAST; kind++)
      {
        burrow_profile_set_ssh_auth (profile, auth);
        burrow_profile_set_db_kind (profile, kind);
        burrow_profile_save_to_key_file (profile, key_file, "connection x");
        g_assert_true (burrow_profile_load_from_key_file (read, key_file, "connection x", &error));
        g_assert_no_error (error);
        burrow_test_assert_same_fields (read, profile);
      }
}

static void
test_key_file_bad_values (void)
{
  static const struct { const char *key; const char *value; } cases[] = {
    { "db-kind", "db2" },
    { "db-port", "five" },
    { "ssh-auth", "kerberos" },
    { "ssh-tunnel", "maybe" },
    { "connect-at-start", "at login" },
    { "local-port", "auto:x" },
    { "keepalive-interval", "-3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BurrowProfile) profile = make_full_profile ();
      g_autoptr(BurrowProfile) read = make_full_profile ();
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autoptr(GError) error = NULL;

      burrow_profile_save_to_key_file (profile, key_file, "g");
      g_key_file_set_string (key_file, "g", cases[i].key, cases[i].value);
      burrow_profile_set_name (read, "Untouched");

      g_assert_false (burrow_profile_load_from_key_file (read, key_file, "g", &error));
      g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_INVALID_ENTRY);
      g_assert_nonnull (strstr (error->message, cases[i].key));
      /* Nothing half-applied. */
      g_assert_cmpstr (burrow_profile_get_name (read), ==, "Untouched");
    }
}

static void
assert_invalid (BurrowProfile *profile,
                int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = burrow_profile_collect_errors (profile);

  g_assert_false (burrow_profile_validate (profile, &error));
  g_assert_error (error, BURROW_PROFILE_ERROR, code);
  g_assert_cmpuint (errors->len, ==, 1);
  /* A cause and a hint. */
  g_assert_nonnull (burrow_error_get_hint (error));
}

static void
test_validation (void)
{
  g_autoptr(BurrowProfile) profile = make_full_profile ();
  g_autoptr(GError) error = NULL;

  g_assert_true (burrow_profile_validate (profile, &error));
  g_assert_no_error (error);

#define CHECK(setter, bad, good, code)          \
  G_STMT_START {                                \
    setter (profile, bad);                      \
    assert_invalid (profile, code);             \
    setter (profile, good);                     \
    g_assert_true (burrow_profile_validate (profile, NULL)); \
  } G_STMT_END

  CHECK (burrow_profile_set_name, NULL, "Sales", BURROW_PROFILE_ERROR_NAME);
  CHECK (burrow_profile_set_name, "   ", "Sales", BURROW_PROFILE_ERROR_NAME);
  CHECK (burrow_profile_set_db_host, NULL, "db.internal", BURROW_PROFILE_ERROR_DB_HOST);
  CHECK (burrow_profile_set_db_host, "db internal", "db.internal", BURROW_PROFILE_ERROR_DB_HOST);
  CHECK (burrow_profile_set_db_host, "-db.internal", "10.1.2.3", BURROW_PROFILE_ERROR_DB_HOST);
  CHECK (burrow_profile_set_db_host, "db..internal", "fd00::1", BURROW_PROFILE_ERROR_DB_HOST);
  CHECK (burrow_profile_set_db_host, "300.1.2.3", "db.internal", BURROW_PROFILE_ERROR_DB_HOST);
  CHECK (burrow_profile_set_db_port, 0, 1, BURROW_PROFILE_ERROR_DB_PORT);
  CHECK (burrow_profile_set_db_port, 65536, 65535, BURROW_PROFILE_ERROR_DB_PORT);
  CHECK (burrow_profile_set_ssh_host, NULL, "bastion.example.com", BURROW_PROFILE_ERROR_SSH_HOST);
  CHECK (burrow_profile_set_ssh_host, "bastion/example", "bastion.example.com", BURROW_PROFILE_ERROR_SSH_HOST);
  CHECK (burrow_profile_set_ssh_port, 0, 22, BURROW_PROFILE_ERROR_SSH_PORT);
  CHECK (burrow_profile_set_ssh_port, 70000, 22, BURROW_PROFILE_ERROR_SSH_PORT);
  CHECK (burrow_profile_set_ssh_user, "two words", "burrow", BURROW_PROFILE_ERROR_SSH_USER);
  /* The bastion guide runs the name through sudo: nothing a shell reads
   * as more than one word gets in. */
  CHECK (burrow_profile_set_ssh_user, "x;reboot", "b_u.r-row9", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "$(id)", "_svc", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "a`b`", "host$", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "x'y", "burrow", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "-oProxyCommand", "burrow", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "9admin", "Admin", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "$", "burrow", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_user, "a23456789012345678901234567890123",
         "a2345678901234567890123456789012", BURROW_PROFILE_ERROR_SSH_USER);
  CHECK (burrow_profile_set_ssh_key_file, NULL, "/k", BURROW_PROFILE_ERROR_SSH_KEY_FILE);
  CHECK (burrow_profile_set_keepalive_interval, 3601, 3600, BURROW_PROFILE_ERROR_KEEPALIVE);
  /* Kept as given, not cut down to what passes. */
  burrow_profile_set_keepalive_interval (profile, 100000);
  g_assert_cmpuint (burrow_profile_get_keepalive_interval (profile), ==, 100000);
  assert_invalid (profile, BURROW_PROFILE_ERROR_KEEPALIVE);
  burrow_profile_set_keepalive_interval (profile, 0);
  g_assert_true (burrow_profile_validate (profile, NULL));
  CHECK (burrow_profile_set_local_port, 0, 15432, BURROW_PROFILE_ERROR_LOCAL_PORT);
  CHECK (burrow_profile_set_local_port, 65536, 15432, BURROW_PROFILE_ERROR_LOCAL_PORT);

  {
    const char *bad[] = { "user@", NULL };
    const char *good[] = { "user@jump.example.com", NULL };
    CHECK (burrow_profile_set_jump_hosts, bad, good, BURROW_PROFILE_ERROR_JUMP_HOST);
  }
#undef CHECK

  /* Without the tunnel, its fields are not asked for. */
  burrow_profile_set_tunnel_enabled (profile, FALSE);
  burrow_profile_set_ssh_host (profile, NULL);
  g_assert_true (burrow_profile_validate (profile, NULL));

  /* Several problems at once: one error each, in form order. */
  {
    g_autoptr(GPtrArray) errors = NULL;

    burrow_profile_set_name (profile, NULL);
    burrow_profile_set_db_port (profile, 0);
    errors = burrow_profile_collect_errors (profile);
    g_assert_cmpuint (errors->len, ==, 2);
    g_assert_error ((GError *)g_ptr_array_index (errors, 0), BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_NAME);
    g_assert_error ((GError *)g_ptr_array_index (errors, 1), BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_DB_PORT);
  }
}

static void
test_jump_host_parse (void)
{
  static const struct {
    const char *text;
    const char *user;
    const char *host;
    guint16 port;
    const char *canonical;
  } good[] = {
    { "burrow@jump.example.com", "burrow", "jump.example.com", 22, "burrow@jump.example.com:22" },
    { "burrow@jump.example.com:2222", "burrow", "jump.example.com", 2222, "burrow@jump.example.com:2222" },
    { "jump.example.com:2200", NULL, "jump.example.com", 2200, "jump.example.com:2200" },
    { "ops@10.0.0.1:22", "ops", "10.0.0.1", 22, "ops@10.0.0.1:22" },
    { "ops@[fd00::1]:2022", "ops", "fd00::1", 2022, "ops@[fd00::1]:2022" },
    { "fd00::1", NULL, "fd00::1", 22, "[fd00::1]:22" },
    { "first.last@jump_1.corp", "first.last", "jump_1.corp", 22, "first.last@jump_1.corp:22" },
  };
  static const char *bad[] = {
    "", "@jump", "user@", "user@:22", "user@jump:0", "user@jump:65536", "user@jump:x",
    "user@[fd00::1", "user@[fd00::1]x", "us er@jump", "user@ju mp", "user@jump..example",
    "a;b@jump", "$(id)@jump",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BurrowJumpHost) hop = burrow_jump_host_parse (good[i].text, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (hop->user, ==, good[i].user);
      g_assert_cmpstr (hop->host, ==, good[i].host);
      g_assert_cmpuint (hop->port, ==, good[i].port);
      text = burrow_jump_host_to_string (hop);
      g_assert_cmpstr (text, ==, good[i].canonical);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BurrowJumpHost) hop = burrow_jump_host_parse (bad[i], &error);

      g_test_message ("%s: %s", bad[i], error != NULL ? error->message : "(parsed)");
      g_assert_null (hop);
      g_assert_error (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_JUMP_HOST);
    }

  /* The profile hands the engine parsed hops, outermost first. */
  {
    g_autoptr(BurrowProfile) profile = make_full_profile ();
    g_autoptr(GPtrArray) hops = burrow_profile_dup_parsed_jump_hosts (profile, NULL);
    BurrowJumpHost *first;

    g_assert_cmpuint (hops->len, ==, 2);
    first = g_ptr_array_index (hops, 0);
    g_assert_cmpstr (first->host, ==, "jump1.example.com");
    g_assert_cmpuint (first->port, ==, 2222);
  }
}

static void
test_auth_ids (void)
{
  static const char *ids[] = { "workspace-key", "private-key", "key-file", "agent", "password" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      BurrowProfileAuth auth;

      g_assert_true (burrow_profile_auth_from_id (ids[i], &auth));
      g_assert_cmpstr (burrow_profile_auth_to_id (auth), ==, ids[i]);
    }
  {
    BurrowProfileAuth auth;
    g_assert_false (burrow_profile_auth_from_id ("kerberos", &auth));
    g_assert_false (burrow_profile_auth_from_id (NULL, &auth));
    /* A hand-edited file may not match the case. */
    g_assert_true (burrow_profile_auth_from_id ("Key-File", &auth));
    g_assert_cmpint (auth, ==, BURROW_PROFILE_AUTH_KEY_FILE);
  }
}

/* The route and the one-line summary a list shows, in one place for the
 * window, the tray and burrowctl. */
static void
test_route_and_summary (void)
{
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();
  const char *jumps[] = { "ops@jump.example.com:2222", "edge.example.com", NULL };
  g_autofree char *route = NULL;
  g_autofree char *summary = NULL;

  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_POSTGRESQL);
  burrow_profile_set_db_host (profile, "db.internal");
  burrow_profile_set_ssh_host (profile, "bastion.example.com");
  burrow_profile_set_ssh_user (profile, "burrow");

  route = burrow_profile_dup_route (profile);
  g_assert_cmpstr (route, ==, "burrow@bastion.example.com:22");
  summary = burrow_profile_dup_summary (profile);
  g_assert_cmpstr (summary, ==, "PostgreSQL · via bastion.example.com");
  g_clear_pointer (&route, g_free);
  g_clear_pointer (&summary, g_free);

  burrow_profile_set_jump_hosts (profile, jumps);
  route = burrow_profile_dup_route (profile);
  g_assert_cmpstr (route, ==, "ops@jump.example.com:2222 → edge.example.com:22 → burrow@bastion.example.com:22");
  summary = burrow_profile_dup_summary (profile);
  g_assert_cmpstr (summary, ==, "PostgreSQL · via bastion.example.com and 2 jump hosts");
  g_clear_pointer (&route, g_free);
  g_clear_pointer (&summary, g_free);

  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_MYSQL);
  burrow_profile_set_tunnel_enabled (profile, FALSE);
  route = burrow_profile_dup_route (profile);
  g_assert_cmpstr (route, ==, "direct");
  summary = burrow_profile_dup_summary (profile);
  g_assert_cmpstr (summary, ==, "MySQL · direct");
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/profile/new-and-defaults", test_new_and_defaults);
  g_test_add_func ("/burrow/profile/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/burrow/profile/key-file-round-trip", test_key_file_round_trip);
  g_test_add_func ("/burrow/profile/key-file-bad-values", test_key_file_bad_values);
  g_test_add_func ("/burrow/profile/validation", test_validation);
  g_test_add_func ("/burrow/profile/jump-host-parse", test_jump_host_parse);
  g_test_add_func ("/burrow/profile/auth-ids", test_auth_ids);
  g_test_add_func ("/burrow/profile/route-and-summary", test_route_and_summary);

  return g_test_run ();
}
