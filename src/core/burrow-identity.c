/* burrow-identity.c — Burrow's own key pair, and how to put it on a bastion.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "workspace key" of a BI tool, made for one desktop: an Ed25519 pair
 * generated with libssh the first time it is needed. The private half is
 * kept only in the keyring, as OpenSSH text; the public half is derived
 * from it each time, so there is nothing on disk to go stale or leak.
 *
 * Rotation keeps the key the bastions know (under a second keyring item)
 * next to the new one until the user confirms that every bastion has the
 * new key: until then both can sign in.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "burrow-error.h"
#include "burrow-identity.h"
#include "burrow-jump-host.h"
#include "burrow-secret-store.h"

#define PREVIOUS_ID BURROW_SECRET_WORKSPACE_ID "-previous"

struct _BurrowIdentity
{
  GObject  parent_instance;

  ssh_key  key;
  char    *public_key;
  ssh_key  previous_key;
  char    *previous_public_key;
};

G_DEFINE_FINAL_TYPE (BurrowIdentity, burrow_identity, G_TYPE_OBJECT)

G_DEFINE_QUARK (burrow-identity-error-quark, burrow_identity_error)

enum {
  PROP_0,
  PROP_PUBLIC_KEY,
  PROP_PREVIOUS_PUBLIC_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A key made or read in a worker thread, with its OpenSSH text when it
 * was just made (to be stored). */
typedef struct
{
  ssh_key  key;
  char    *text;
} KeyResult;

static void
key_result_free (KeyResult *result)
{
  g_clear_pointer (&result->key, ssh_key_free);
  g_clear_pointer (&result->text, burrow_secret_wipe_free);
  g_free (result);
}

static char *
export_private (ssh_key key)
{
  char *b64 = NULL;
  char *text;

  if (ssh_pki_export_privkey_base64 (key, NULL, NULL, NULL, &b64) != SSH_OK || b64 == NULL)
    return NULL;

  text = g_strdup (b64);
  explicit_bzero (b64, strlen (b64));
  ssh_string_free_char (b64);
  return text;
}

/* "ssh-ed25519 AAAA… burrow@host": an authorized_keys entry that says
 * whose key it is. */
static char *
format_public (ssh_key key)
{
  g_autofree char *comment = NULL;
  char *b64 = NULL;
  char *line;

  if (key == NULL || ssh_pki_export_pubkey_base64 (key, &b64) != SSH_OK)
    return NULL;

  comment = g_strdup_printf ("burrow@%s", g_get_host_name ());
  g_strdelimit (comment, " \t\n", '-');
  line = g_strdup_printf ("%s %s %s", ssh_key_type_to_char (ssh_key_type (key)), b64, comment);
  ssh_string_free_char (b64);

  return line;
}

static void
generate_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  KeyResult *result = g_new0 (KeyResult, 1);

  if (ssh_pki_generate (SSH_KEYTYPE_ED25519, 0, &result->key) != SSH_OK ||
      (result->text = export_private (result->key)) == NULL)
    {
      GError *error = NULL;

      key_result_free (result);
      burrow_set_error (&error, BURROW_IDENTITY_ERROR, BURROW_IDENTITY_ERROR_GENERATE,
                        _("Check that libssh was built with Ed25519 support."),
                        _("Burrow could not make its key pair"));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify)key_result_free);
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *text = task_data;
  KeyResult *result = g_new0 (KeyResult, 1);

  if (ssh_pki_import_privkey_base64 (text, NULL, NULL, NULL, &result->key) != SSH_OK)
    {
      GError *error = NULL;

      key_result_free (result);
      burrow_set_error (&error, BURROW_IDENTITY_ERROR, BURROW_IDENTITY_ERROR_CORRUPT,
                        _("Delete the “Burrow: workspace key” item in “Passwords and Keys”; Burrow then makes a new key, "
                          "which you install on the bastions again."),
                        _("Burrow’s key in the keyring cannot be read"));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify)key_result_free);
}

/* Key work runs in a thread: cheap for Ed25519, but never on the thread
 * whose main loop moves the tunnels' bytes. */
static void
run_key_task (GTaskThreadFunc      func,
              const char          *text,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  if (text != NULL)
    g_task_set_task_data (task, g_strdup (text), (GDestroyNotify)burrow_secret_wipe_free);
  g_task_run_in_thread (task, func);
}

/* Each step of the chains below finishes the call before it; on an error
 * the whole task ends with it. */
static gboolean
lookup_or_fail (GTask         *task,
                GAsyncResult  *result,
                char         **secret)
{
  GError *error = NULL;

  *secret = burrow_secret_store_lookup_finish (result, &error);
  if (error == NULL)
    return TRUE;

  g_task_return_error (task, error);
  return FALSE;
}

static gboolean
stored_or_fail (GTask        *task,
                GAsyncResult *result)
{
  GError *error = NULL;

  if (burrow_secret_store_store_finish (result, &error))
    return TRUE;

  g_task_return_error (task, error);
  return FALSE;
}

static KeyResult *
key_or_fail (GTask        *task,
             GAsyncResult *result)
{
  GError *error = NULL;
  KeyResult *key = g_task_propagate_pointer (G_TASK (result), &error);

  if (key == NULL)
    g_task_return_error (task, error);

  return key;
}

static void
set_keys (BurrowIdentity *self,
          ssh_key         key,
          ssh_key         previous_key)
{
  g_autofree char *public_key = format_public (key);
  g_autofree char *previous_public_key = format_public (previous_key);

  if (key != self->key)
    {
      g_clear_pointer (&self->key, ssh_key_free);
      self->key = key;
    }
  if (previous_key != self->previous_key)
    {
      g_clear_pointer (&self->previous_key, ssh_key_free);
      self->previous_key = previous_key;
    }

  if (g_strcmp0 (public_key, self->public_key) != 0)
    {
      g_free (self->public_key);
      self->public_key = g_steal_pointer (&public_key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLIC_KEY]);
    }
  if (g_strcmp0 (previous_public_key, self->previous_public_key) != 0)
    {
      g_free (self->previous_public_key);
      self->previous_public_key = g_steal_pointer (&previous_public_key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIOUS_PUBLIC_KEY]);
    }
}

/* Loading: look the key up; make and store one if there is none, then look
 * it up again (another Burrow process may have stored its own meanwhile:
 * the keyring's copy wins); read it; then the same for a previous key. */

typedef struct
{
  BurrowIdentity *identity;
  ssh_key         key;
  gboolean        generated;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->identity);
  g_clear_pointer (&data->key, ssh_key_free);
  g_free (data);
}

static void on_current_looked_up (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_previous_imported (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  KeyResult *previous = key_or_fail (task, result);

  if (previous == NULL)
    return;

  set_keys (data->identity, g_steal_pointer (&data->key), g_steal_pointer (&previous->key));
  key_result_free (previous);
  g_task_return_pointer (task, g_object_ref (data->identity), g_object_unref);
}

static void
on_previous_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  char *secret;

  if (!lookup_or_fail (task, result, &secret))
    return;

  if (secret == NULL)
    {
      set_keys (data->identity, g_steal_pointer (&data->key), NULL);
      g_task_return_pointer (task, g_object_ref (data->identity), g_object_unref);
      return;
    }

  run_key_task (import_in_thread, secret, g_task_get_cancellable (task),
                on_previous_imported, g_object_ref (task));
  burrow_secret_free (secret);
}

static void
on_current_imported (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  KeyResult *current = key_or_fail (task, result);

  if (current == NULL)
    return;

  data->key = g_steal_pointer (&current->key);
  key_result_free (current);

  burrow_secret_store_lookup_async (PREVIOUS_ID, BURROW_SECRET_WORKSPACE_KEY,
                                    g_task_get_cancellable (task),
                                    on_previous_looked_up, g_object_ref (task));
}

static void
on_generated_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (!stored_or_fail (task, result))
    return;

  burrow_secret_store_lookup_async (BURROW_SECRET_WORKSPACE_ID, BURROW_SECRET_WORKSPACE_KEY,
                                    g_task_get_cancellable (task),
                                    on_current_looked_up, g_object_ref (task));
}

static void
on_generated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyResult *generated = key_or_fail (task, result);

  if (generated == NULL)
    return;

  burrow_secret_store_store_async (BURROW_SECRET_WORKSPACE_ID, NULL, BURROW_SECRET_WORKSPACE_KEY,
                                   generated->text, g_task_get_cancellable (task),
                                   on_generated_stored, g_object_ref (task));
  key_result_free (generated);
}

static void
on_current_looked_up (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  if (!lookup_or_fail (task, result, &secret))
    return;

  if (secret == NULL && !data->generated)
    {
      data->generated = TRUE;
      run_key_task (generate_in_thread, NULL, g_task_get_cancellable (task),
                    on_generated, g_object_ref (task));
      return;
    }

  if (secret == NULL)
    {
      burrow_set_error (&error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_FAILED,
                        _("Check that the keyring accepts new items, then try again."),
                        _("The keyring did not keep Burrow’s new key"));
      g_task_return_error (task, error);
      return;
    }

  run_key_task (import_in_thread, secret, g_task_get_cancellable (task),
                on_current_imported, g_object_ref (task));
  burrow_secret_free (secret);
}

/* Rotation: keep the key the bastions know as the previous one (unless an
 * unconfirmed rotation already did: that one is still what they know),
 * then store the new key as the current one. */

static void
on_rotated_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowIdentity *self = g_task_get_source_object (task);
  KeyResult *generated = g_task_get_task_data (task);

  if (!stored_or_fail (task, result))
    return;

  if (self->previous_key == NULL)
    set_keys (self, g_steal_pointer (&generated->key), g_steal_pointer (&self->key));
  else
    set_keys (self, g_steal_pointer (&generated->key), self->previous_key);

  g_task_return_boolean (task, TRUE);
}

static void
store_rotated (GTask *task)
{
  KeyResult *generated = g_task_get_task_data (task);

  burrow_secret_store_store_async (BURROW_SECRET_WORKSPACE_ID, NULL, BURROW_SECRET_WORKSPACE_KEY,
                                   generated->text, g_task_get_cancellable (task),
                                   on_rotated_stored, g_object_ref (task));
}

static void
on_previous_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (!stored_or_fail (task, result))
    return;

  store_rotated (task);
}

static void
on_rotation_generated (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowIdentity *self = g_task_get_source_object (task);
  g_autofree char *label = NULL;
  KeyResult *generated = key_or_fail (task, result);
  GError *error = NULL;
  char *old_text;

  if (generated == NULL)
    return;
  g_task_set_task_data (task, generated, (GDestroyNotify)key_result_free);

  if (self->previous_key != NULL)
    {
      store_rotated (task);
      return;
    }

  old_text = export_private (self->key);
  if (old_text == NULL)
    {
      burrow_set_error (&error, BURROW_IDENTITY_ERROR, BURROW_IDENTITY_ERROR_GENERATE,
                        NULL, _("Burrow could not save its current key before rotating"));
      g_task_return_error (task, error);
      return;
    }

  burrow_secret_store_store_async (PREVIOUS_ID, _("previous"), BURROW_SECRET_WORKSPACE_KEY,
                                   old_text, g_task_get_cancellable (task),
                                   on_previous_stored, g_object_ref (task));
  burrow_secret_wipe_free (old_text);
}

static void
on_previous_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowIdentity *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!burrow_secret_store_clear_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_keys (self, self->key, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
burrow_identity_finalize (GObject *object)
{
  BurrowIdentity *self = (BurrowIdentity *)object;

  g_clear_pointer (&self->key, ssh_key_free);
  g_clear_pointer (&self->previous_key, ssh_key_free);
  g_clear_pointer (&self->public_key, g_free);
  g_clear_pointer (&self->previous_public_key, g_free);

  G_OBJECT_CLASS (burrow_identity_parent_class)->finalize (object);
}

static void
burrow_identity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BurrowIdentity *self = BURROW_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_PUBLIC_KEY:
      g_value_set_string (value, self->public_key);
      break;
    case PROP_PREVIOUS_PUBLIC_KEY:
      g_value_set_string (value, self->previous_public_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_identity_class_init (BurrowIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = burrow_identity_finalize;
  object_class->get_property = burrow_identity_get_property;

  properties[PROP_PUBLIC_KEY] =
    g_param_spec_string ("public-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Set while a rotation waits for the user's confirmation. */
  properties[PROP_PREVIOUS_PUBLIC_KEY] =
    g_param_spec_string ("previous-public-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_identity_init (BurrowIdentity *self)
{
}

/* Reads the workspace key from the keyring, making it on first use. */
void
burrow_identity_load_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  g_task_set_source_tag (task, burrow_identity_load_async);
  data->identity = g_object_new (BURROW_TYPE_IDENTITY, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);

  burrow_secret_store_lookup_async (BURROW_SECRET_WORKSPACE_ID, BURROW_SECRET_WORKSPACE_KEY,
                                    cancellable, on_current_looked_up, g_steal_pointer (&task));
}

BurrowIdentity *
burrow_identity_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The line for authorized_keys: "ssh-ed25519 AAAA… burrow@host". */
const char *
burrow_identity_get_public_key (BurrowIdentity *self)
{
  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  return self->public_key;
}

/* The key the bastions knew before a rotation; NULL once confirmed. */
const char *
burrow_identity_get_previous_public_key (BurrowIdentity *self)
{
  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  return self->previous_public_key;
}

/* "SHA256:…", as ssh-keygen -l and sshd's log show it. */
char *
burrow_identity_dup_fingerprint (BurrowIdentity *self)
{
  unsigned char *hash = NULL;
  size_t length = 0;
  char *text;
  char *result;

  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  if (ssh_get_publickey_hash (self->key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
    return NULL;

  text = ssh_get_fingerprint_hash (SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash (&hash);
  result = g_strdup (text);
  ssh_string_free_char (text);

  return result;
}

/* For signing in; owned by @self. */
ssh_key
burrow_identity_get_private_key (BurrowIdentity *self)
{
  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  return self->key;
}

/* To try after the current key while a rotation is not confirmed. */
ssh_key
burrow_identity_get_previous_private_key (BurrowIdentity *self)
{
  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  return self->previous_key;
}

/* The authorized_keys line that lets the key do one thing: forward to
 * @host:@port. "restrict" turns off the shell, the agent, X11 and every
 * other forwarding; "port-forwarding" gives back forwarding, and
 * "permitopen" narrows it to the one database. */
char *
burrow_identity_dup_restricted_line (BurrowIdentity *self,
                                     const char     *host,
                                     guint           port)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  target = burrow_format_host_port (host, port);
  return g_strdup_printf ("restrict,port-forwarding,permitopen=\"%s\" %s", target, self->public_key);
}

/* Who and where the guide speaks of, when the profile does not say yet. */
static void
guide_names (BurrowProfile  *profile,
             const char    **user,
             const char    **bastion)
{
  *user = burrow_profile_get_ssh_user (profile);
  if (*user == NULL)
    *user = "burrow";
  *bastion = burrow_profile_get_ssh_host (profile);
  if (*bastion == NULL)
    *bastion = _("the bastion");
}

static BurrowGuideStep *
guide_step_new (BurrowGuideStepKind  kind,
                char                *title,
                char                *explanation,
                char                *command)
{
  BurrowGuideStep *step = g_new0 (BurrowGuideStep, 1);

  step->kind = kind;
  step->title = title;
  step->explanation = explanation;
  step->command = command;

  return step;
}

void
burrow_guide_step_free (BurrowGuideStep *step)
{
  if (step == NULL)
    return;

  g_free (step->title);
  g_free (step->explanation);
  g_free (step->command);
  g_free (step);
}

/**
 * burrow_identity_dup_guide_steps:
 *
 * The bastion set-up for @profile, one step at a time, with its commands
 * filled in: a dedicated user, ~/.ssh and authorized_keys with the right
 * modes, the key (the restricted line first, the plain one as the
 * alternative), and what else has to be true. The window shows each step
 * with its own copy button; dup_guide() and dup_guide_script() print the
 * same steps.
 *
 * Returns: (transfer full) (element-type BurrowGuideStep): the steps, in
 *   order
 */
GPtrArray *
burrow_identity_dup_guide_steps (BurrowIdentity *self,
                                 BurrowProfile  *profile)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) burrow_guide_step_free);
  g_autofree char *restricted = NULL;
  g_autofree char *restricted_quoted = NULL;
  g_autofree char *plain_quoted = NULL;
  g_autofree char *user_quoted = NULL;
  g_autofree char *target = NULL;
  const char *user;
  const char *bastion;
  const char *db_host;
  const char * const *hops;

  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  guide_names (profile, &user, &bastion);
  db_host = burrow_profile_get_db_host (profile);
  if (db_host == NULL)
    db_host = "DATABASE-HOST";
  hops = burrow_profile_get_jump_hosts (profile);

  /* Validation allows only login names, but these lines run as root:
   * quoting costs nothing and holds even for a profile never validated. */
  user_quoted = g_shell_quote (user);
  target = burrow_format_host_port (db_host, burrow_profile_get_db_port (profile));
  restricted = burrow_identity_dup_restricted_line (self, db_host, burrow_profile_get_db_port (profile));
  restricted_quoted = g_shell_quote (restricted);
  plain_quoted = g_shell_quote (self->public_key);

  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_ADMIN,
                                          g_strdup (_("Create a user for Burrow")),
                                          g_strdup_printf (_("As an administrator, create a group and a user “%s” with a home folder."), user),
                                          g_strdup_printf ("sudo groupadd %s\n"
                                                           "sudo useradd -m -g %s %s",
                                                           user_quoted, user_quoted, user_quoted)));
  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_BECOME_USER,
                                          g_strdup (_("Become that user")),
                                          g_strdup_printf (_("The next commands run as “%s”."), user),
                                          g_strdup_printf ("sudo su - %s", user_quoted)));
  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_AS_USER,
                                          g_strdup (_("Create the key file")),
                                          g_strdup_printf (_("A key folder and file that only “%s” can read and write."), user),
                                          g_strdup ("mkdir -p ~/.ssh\n"
                                                    "chmod 700 ~/.ssh\n"
                                                    "touch ~/.ssh/authorized_keys\n"
                                                    "chmod 600 ~/.ssh/authorized_keys")));
  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_AS_USER,
                                          g_strdup (_("Add Burrow’s key, for this database only")),
                                          g_strdup_printf (_("Recommended: the key may only forward to %s — no shell, no other forwarding."), target),
                                          g_strdup_printf ("echo %s >> ~/.ssh/authorized_keys", restricted_quoted)));
  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_ALTERNATIVE,
                                          g_strdup (_("Or add it without that restriction")),
                                          g_strdup_printf (_("The key may then do whatever “%s” may do on %s."), user, bastion),
                                          g_strdup_printf ("echo %s >> ~/.ssh/authorized_keys", plain_quoted)));
  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_NOTE,
                                          g_strdup (_("Let sshd forward")),
                                          g_strdup (_("/etc/ssh/sshd_config needs “AllowTcpForwarding yes” (the default). "
                                                      "If it says “no”, change it and reload sshd (sudo systemctl reload ssh).")),
                                          NULL));

  if (hops[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **)hops);

      g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_NOTE,
                                              g_strdup (_("Add the key on the jump hosts")),
                                              g_strdup_printf (_("Burrow reaches %s through %s: add the key without the restriction "
                                                                 "on each jump host as well, for the user named there."), bastion, list),
                                              NULL));
    }

  g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_NOTE,
                                          g_strdup (_("Open the way")),
                                          g_strdup_printf (_("Let %s accept SSH from your network, and the database accept "
                                                             "connections from %s (firewall or security group)."), bastion, bastion),
                                          NULL));

  if (self->previous_public_key != NULL)
    g_ptr_array_add (steps, guide_step_new (BURROW_GUIDE_STEP_NOTE,
                                            g_strdup (_("Replace the old key")),
                                            g_strdup_printf (_("Burrow’s key was rotated: replace the old key on %s with the one above, "
                                                               "then confirm the rotation in Burrow."), bastion),
                                            NULL));

  return steps;
}

static void
append_indented (GString    *text,
                 const char *indent,
                 const char *lines)
{
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);

  for (guint i = 0; split[i] != NULL; i++)
    g_string_append_printf (text, "%s%s\n", indent, split[i]);
}

/* The bastion set-up for @profile, as text to show or print. */
char *
burrow_identity_dup_guide (BurrowIdentity *self,
                           BurrowProfile  *profile)
{
  g_autoptr(GString) guide = g_string_new (NULL);
  g_autoptr(GPtrArray) steps = NULL;
  const char *user;
  const char *bastion;
  guint number = 0;

  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  guide_names (profile, &user, &bastion);

  g_string_append_printf (guide, _("Set up %s for “%s”\n\n"), bastion,
                          burrow_profile_get_name (profile) != NULL ? burrow_profile_get_name (profile) : "");
  g_string_append_printf (guide, _("Burrow signs in to %s as the user “%s” with its own key. "
                                   "Run these commands on %s.\n\n"), bastion, user, bastion);

  steps = burrow_identity_dup_guide_steps (self, profile);
  for (guint i = 0; i < steps->len; i++)
    {
      BurrowGuideStep *step = g_ptr_array_index (steps, i);

      if (step->kind == BURROW_GUIDE_STEP_ALTERNATIVE)
        g_string_append_printf (guide, "   %s\n", step->title);
      else
        g_string_append_printf (guide, "%u. %s\n", ++number, step->title);
      append_indented (guide, "   ", step->explanation);
      g_string_append_c (guide, '\n');

      if (step->command != NULL)
        {
          append_indented (guide, "    ", step->command);
          g_string_append_c (guide, '\n');
        }
    }

  return g_string_free (g_steal_pointer (&guide), FALSE);
}

/**
 * burrow_identity_dup_guide_script:
 *
 * The same steps as one shell script for an administrator to paste or run
 * on the bastion. The steps meant for the bastion user run in one
 * "sudo -u USER -i sh" with the commands on its standard input, so that
 * nothing waits for a shell to be typed into; the alternative key line
 * and the notes are comments.
 */
char *
burrow_identity_dup_guide_script (BurrowIdentity *self,
                                  BurrowProfile  *profile)
{
  g_autoptr(GString) script = g_string_new ("#!/bin/sh\n");
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *user_quoted = NULL;
  const char *user;
  const char *bastion;
  gboolean as_user = FALSE;

  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  guide_names (profile, &user, &bastion);
  user_quoted = g_shell_quote (user);

  g_string_append_printf (script, _("# Authorize Burrow on %s for “%s”: run this on %s as an administrator.\n"),
                          bastion,
                          burrow_profile_get_name (profile) != NULL ? burrow_profile_get_name (profile) : "",
                          bastion);

  steps = burrow_identity_dup_guide_steps (self, profile);
  for (guint i = 0; i < steps->len; i++)
    {
      BurrowGuideStep *step = g_ptr_array_index (steps, i);
      gboolean wants_user = step->kind == BURROW_GUIDE_STEP_BECOME_USER ||
                            step->kind == BURROW_GUIDE_STEP_AS_USER ||
                            step->kind == BURROW_GUIDE_STEP_ALTERNATIVE;

      if (as_user && !wants_user)
        {
          g_string_append (script, "BURROW\n");
          as_user = FALSE;
        }

      g_string_append_printf (script, "\n# %s. ", step->title);
      g_string_append (script, step->explanation);
      g_string_append_c (script, '\n');

      switch (step->kind)
        {
        case BURROW_GUIDE_STEP_BECOME_USER:
          /* The delimiter is quoted: the shell expands nothing up to it,
           * and ~ is the user's own home once sh runs as that user. */
          g_string_append_printf (script, "sudo -u %s -i sh <<'BURROW'\n", user_quoted);
          as_user = TRUE;
          break;

        case BURROW_GUIDE_STEP_ALTERNATIVE:
          append_indented (script, "# ", step->command);
          break;

        case BURROW_GUIDE_STEP_ADMIN:
        case BURROW_GUIDE_STEP_AS_USER:
        case BURROW_GUIDE_STEP_NOTE:
        default:
          if (step->command != NULL)
            append_indented (script, "", step->command);
          break;
        }
    }

  if (as_user)
    g_string_append (script, "BURROW\n");

  return g_string_free (g_steal_pointer (&script), FALSE);
}

/* Makes a new pair; the old one keeps working until
 * burrow_identity_confirm_rotation_async (). */
void
burrow_identity_rotate_async (BurrowIdentity      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_IDENTITY (self));
  g_return_if_fail (self->key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_identity_rotate_async);

  run_key_task (generate_in_thread, NULL, cancellable, on_rotation_generated, g_steal_pointer (&task));
}

gboolean
burrow_identity_rotate_finish (BurrowIdentity  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The user says every bastion has the new key: forget the old one. */
void
burrow_identity_confirm_rotation_async (BurrowIdentity      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BURROW_IS_IDENTITY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_identity_confirm_rotation_async);

  if (self->previous_key == NULL)
    {
      g_task_return_new_error (task, BURROW_IDENTITY_ERROR, BURROW_IDENTITY_ERROR_NO_ROTATION,
                               "%s", _("No key rotation is waiting for confirmation"));
      return;
    }

  burrow_secret_store_clear_async (PREVIOUS_ID, BURROW_SECRET_WORKSPACE_KEY, cancellable,
                                   on_previous_cleared, g_steal_pointer (&task));
}

gboolean
burrow_identity_confirm_rotation_finish (BurrowIdentity  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The private key as OpenSSH text, for signing in with it; wipe it with
 * burrow_secret_wipe_free() when done. NULL when it cannot be exported. */
char *
burrow_identity_dup_private_key_text (BurrowIdentity *self)
{
  g_return_val_if_fail (BURROW_IS_IDENTITY (self), NULL);

  return export_private (burrow_identity_get_private_key (self));
}
