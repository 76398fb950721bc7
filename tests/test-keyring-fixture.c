/* test-keyring-fixture.c — the keyring fixture is a real Secret Service that
 * libsecret stores to and reads from, and that can be taken away.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "burrow-test-env.h"
#include "burrow-test-keyring.h"

static const SecretSchema test_schema = {
  "io.github.burrowapp.Burrow.Test", SECRET_SCHEMA_NONE,
  {
    { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
test_store_and_lookup (void)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);

  secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT,
                              "Burrow test secret", "s3cret-value", NULL, &error,
                              "name", "fixture", NULL);
  g_assert_no_error (error);

  secret = secret_password_lookup_sync (&test_schema, NULL, &error, "name", "fixture", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-value");

  /* The keyring lives in this test's own data dir, nowhere else. */
  {
    g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
    g_assert_true (g_file_test (keyrings, G_FILE_TEST_IS_DIR));
  }
}

static void
test_no_secret_service (void)
{
  g_autoptr(BurrowTestKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  keyring = burrow_test_keyring_new (&error);
  g_assert_no_error (error);
  burrow_test_keyring_stop (keyring);

  secret = secret_password_lookup_sync (&test_schema, NULL, &error, "name", "fixture", NULL);
  g_assert_null (secret);
  g_assert_nonnull (error);
  g_test_message ("Without a Secret Service: %s", error->message);
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/keyring-fixture/store-and-lookup", test_store_and_lookup);
  g_test_add_func ("/burrow/keyring-fixture/no-secret-service", test_no_secret_service);

  return g_test_run ();
}
