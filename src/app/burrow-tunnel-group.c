/* burrow-tunnel-group.c — the SSH tunnel part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bastion, how to sign in to it, the hops before it and the
 * keepalives, edited in place on the page's draft profile. The rows for
 * each way of signing in show only when it is chosen. Secrets (the SSH
 * password, a key's passphrase, a pasted private key) stay in this group
 * until the page saves them to the keyring; a pasted key is never shown
 * again, only whether one is stored.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "burrow-accessible.h"
#include "burrow-form-binding.h"
#include "burrow-jump-hosts-row.h"
#include "burrow-port-row.h"
#include "burrow-problem-row.h"
#include "burrow-tunnel-group.h"

struct _BurrowTunnelGroup
{
  AdwPreferencesGroup  parent_instance;

  BurrowProfile       *profile;
  GBindingGroup       *bindings;
  GSignalGroup        *profile_signals;
  GPtrArray           *problems;
  char                *private_key;        /* pasted, not saved yet */
  gboolean             private_key_stored;
  gboolean             private_key_edited;
  gboolean             syncing_auth;
  gboolean             loading_secrets;
  gboolean             secrets_edited;
  GtkNativeDialog     *file_chooser;

  /* Template widgets */
  AdwExpanderRow      *tunnel_row;
  AdwEntryRow         *host_row;
  BurrowProblemRow    *host_problem;
  BurrowPortRow       *port_row;
  BurrowProblemRow    *port_problem;
  AdwEntryRow         *user_row;
  BurrowProblemRow    *user_problem;
  AdwComboRow         *auth_row;
  AdwActionRow        *public_key_row;
  GtkButton           *public_key_button;
  AdwActionRow        *private_key_row;
  GtkButton           *private_key_button;
  AdwActionRow        *key_file_row;
  GtkButton           *key_file_button;
  BurrowProblemRow    *key_file_problem;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *password_row;
  BurrowJumpHostsRow  *jump_hosts_row;
  BurrowProblemRow    *jump_hosts_problem;
  AdwActionRow        *keepalive_row;
  GtkSpinButton       *keepalive_spin;
  BurrowProblemRow    *keepalive_problem;
};

G_DEFINE_FINAL_TYPE (BurrowTunnelGroup, burrow_tunnel_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_SECRETS_EDITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of BurrowProfileAuth: the selected index is the method. */
static const char *auth_names[] = {
  N_("Burrow’s own key"),
  N_("A pasted private key"),
  N_("A key file"),
  N_("ssh-agent"),
  N_("A password"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (auth_names) == BURROW_PROFILE_AUTH_LAST + 1);

static void
set_secrets_edited (BurrowTunnelGroup *self,
                    gboolean           edited)
{
  if (self->secrets_edited == edited)
    return;

  self->secrets_edited = edited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS_EDITED]);
}

static void
update_private_key_row (BurrowTunnelGroup *self)
{
  const char *subtitle;

  if (self->private_key_edited)
    subtitle = _("A new key: it goes to the keyring when you save");
  else if (self->private_key_stored)
    subtitle = _("Stored in the keyring");
  else
    subtitle = _("None yet: paste the key, OpenSSH or PEM text");

  adw_action_row_set_subtitle (self->private_key_row, subtitle);
}

static void
update_key_file_row (BurrowTunnelGroup *self)
{
  const char *path = self->profile != NULL ? burrow_profile_get_ssh_key_file (self->profile) : NULL;

  adw_action_row_set_subtitle (self->key_file_row, path != NULL ? path : _("None chosen"));
}

static void
update_summary (BurrowTunnelGroup *self)
{
  g_autofree char *summary = NULL;
  const char *host, *user;

  if (self->profile == NULL)
    return;

  host = burrow_profile_get_ssh_host (self->profile);
  user = burrow_profile_get_ssh_user (self->profile);

  if (!burrow_profile_get_tunnel_enabled (self->profile))
    summary = g_strdup (_("Off: Burrow connects to the database directly"));
  else if (host == NULL)
    summary = g_strdup (_("Reach the database through a bastion host"));
  else
    {
      g_autofree char *address = burrow_format_host_port (host, burrow_profile_get_ssh_port (self->profile));

      summary = user != NULL ? g_strdup_printf ("%s@%s", user, address) : g_steal_pointer (&address);
    }

  adw_expander_row_set_subtitle (self->tunnel_row, summary);
}

static void
update_auth_rows (BurrowTunnelGroup *self)
{
  BurrowProfileAuth auth = self->profile != NULL ? burrow_profile_get_ssh_auth (self->profile)
                                                 : BURROW_PROFILE_AUTH_WORKSPACE_KEY;

  self->syncing_auth = TRUE;
  adw_combo_row_set_selected (self->auth_row, auth);
  self->syncing_auth = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->public_key_row), auth == BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->private_key_row), auth == BURROW_PROFILE_AUTH_PRIVATE_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row), auth == BURROW_PROFILE_AUTH_KEY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row),
                          auth == BURROW_PROFILE_AUTH_PRIVATE_KEY || auth == BURROW_PROFILE_AUTH_KEY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), auth == BURROW_PROFILE_AUTH_PASSWORD);

  /* The key-file problem row hides with its field. */
  if (auth != BURROW_PROFILE_AUTH_KEY_FILE)
    burrow_problem_row_set_error (self->key_file_problem, NULL);
}

static void
on_profile_notify (BurrowTunnelGroup *self,
                   GParamSpec        *pspec)
{
  update_summary (self);
  update_auth_rows (self);
  update_key_file_row (self);
}

static void
on_auth_row_notify_selected (BurrowTunnelGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->auth_row);

  if (self->syncing_auth || self->profile == NULL || selected > BURROW_PROFILE_AUTH_LAST)
    return;

  burrow_profile_set_ssh_auth (self->profile, selected);
}

static void
on_secret_row_changed (BurrowTunnelGroup *self)
{
  if (!self->loading_secrets)
    set_secrets_edited (self, TRUE);
}

static gboolean
looks_like_private_key (const char *text)
{
  return text != NULL &&
         g_str_has_prefix (text, "-----BEGIN ") &&
         strstr (text, "PRIVATE KEY-----") != NULL;
}

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return g_strstrip (text);
}

static void
on_key_buffer_changed (GtkTextBuffer    *buffer,
                       AdwMessageDialog *dialog)
{
  char *text = dup_buffer_text (buffer);

  adw_message_dialog_set_response_enabled (dialog, "use", looks_like_private_key (text));
  burrow_secret_wipe_free (text);
}

static void
on_key_dialog_response (AdwMessageDialog  *dialog,
                        const char        *response,
                        BurrowTunnelGroup *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");

  if (g_str_equal (response, "use"))
    {
      char *text = dup_buffer_text (buffer);

      burrow_tunnel_group_set_private_key (self, text);
      burrow_secret_wipe_free (text);
    }

  /* Take the key out of the dialog's buffer before it goes. */
  gtk_text_buffer_set_text (buffer, "", 0);
}

static void
on_private_key_button_clicked (BurrowTunnelGroup *self)
{
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *view;
  GtkTextBuffer *buffer;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Paste the Private Key"),
                                   _("The whole key, from “-----BEGIN” to “-----END … PRIVATE KEY-----”. "
                                     "Burrow keeps it in the keyring and never shows it again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "use", _("_Use Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "use", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "use");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Private key"),
                                  -1);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_signal_connect (buffer, "changed", G_CALLBACK (on_key_buffer_changed), dialog);
  g_object_set_data (G_OBJECT (dialog), "buffer", buffer);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_key_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
on_file_chooser_response (GtkNativeDialog   *chooser,
                          int                response,
                          BurrowTunnelGroup *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->profile != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        burrow_profile_set_ssh_key_file (self->profile, path);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->file_chooser);
}

static void
on_key_file_button_clicked (BurrowTunnelGroup *self)
{
  GtkFileChooserNative *chooser;
  const char *current = self->profile != NULL ? burrow_profile_get_ssh_key_file (self->profile) : NULL;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Choose the Private Key File"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  /* Keys live in ~/.ssh, which a file chooser hides by default. */
  if (current != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  else
    {
      g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
      g_autoptr(GFile) folder = g_file_new_for_path (ssh_dir);

      if (g_file_test (ssh_dir, G_FILE_TEST_IS_DIR))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
label_widget (gpointer    widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
burrow_tunnel_group_dispose (GObject *object)
{
  BurrowTunnelGroup *self = (BurrowTunnelGroup *)object;

  g_clear_object (&self->bindings);
  g_clear_object (&self->profile_signals);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->private_key, burrow_secret_wipe_free);

  if (self->file_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->file_chooser, self);
      gtk_native_dialog_destroy (self->file_chooser);
      g_clear_object (&self->file_chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_TUNNEL_GROUP);

  G_OBJECT_CLASS (burrow_tunnel_group_parent_class)->dispose (object);
}

static void
burrow_tunnel_group_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_SECRETS_EDITED:
      g_value_set_boolean (value, self->secrets_edited);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tunnel_group_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      burrow_tunnel_group_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tunnel_group_class_init (BurrowTunnelGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_tunnel_group_dispose;
  object_class->get_property = burrow_tunnel_group_get_property;
  object_class->set_property = burrow_tunnel_group_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS_EDITED] =
    g_param_spec_boolean ("secrets-edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_JUMP_HOSTS_ROW);
  g_type_ensure (BURROW_TYPE_PORT_ROW);
  g_type_ensure (BURROW_TYPE_PROBLEM_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-tunnel-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, tunnel_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, host_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, host_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, port_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, user_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, user_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, auth_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, public_key_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, public_key_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, private_key_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, private_key_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, jump_hosts_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, jump_hosts_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_problem);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_row_notify_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_private_key_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_key_file_button_clicked);
}

static void
burrow_tunnel_group_init (BurrowTunnelGroup *self)
{
  g_autoptr(GtkStringList) methods = gtk_string_list_new (NULL);

  self->problems = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    gtk_string_list_append (methods, _(auth_names[i]));

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Set up once; set_profile() only changes their source. */
  self->bindings = g_binding_group_new ();
  burrow_form_bind (self->bindings, "tunnel-enabled", self->tunnel_row, "enable-expansion");
  burrow_form_bind (self->bindings, "ssh-host", self->host_row, "text");
  burrow_form_bind (self->bindings, "ssh-port", self->port_row, "port");
  burrow_form_bind (self->bindings, "ssh-user", self->user_row, "text");
  burrow_form_bind (self->bindings, "jump-hosts", self->jump_hosts_row, "hosts");
  burrow_form_bind (self->bindings, "keepalive-interval", self->keepalive_spin, "value");
  self->profile_signals = g_signal_group_new (BURROW_TYPE_PROFILE);
  g_signal_group_connect_swapped (self->profile_signals, "notify", G_CALLBACK (on_profile_notify), self);

  self->syncing_auth = TRUE;
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (methods));
  self->syncing_auth = FALSE;

  burrow_problem_row_add_code (self->host_problem, BURROW_PROFILE_ERROR_SSH_HOST);
  burrow_problem_row_add_code (self->port_problem, BURROW_PROFILE_ERROR_SSH_PORT);
  burrow_problem_row_add_code (self->user_problem, BURROW_PROFILE_ERROR_SSH_USER);
  burrow_problem_row_add_code (self->key_file_problem, BURROW_PROFILE_ERROR_SSH_KEY_FILE);
  burrow_problem_row_add_code (self->jump_hosts_problem, BURROW_PROFILE_ERROR_JUMP_HOST);
  burrow_problem_row_add_code (self->keepalive_problem, BURROW_PROFILE_ERROR_KEEPALIVE);
  g_ptr_array_add (self->problems, self->host_problem);
  g_ptr_array_add (self->problems, self->port_problem);
  g_ptr_array_add (self->problems, self->user_problem);
  g_ptr_array_add (self->problems, self->key_file_problem);
  g_ptr_array_add (self->problems, self->jump_hosts_problem);
  g_ptr_array_add (self->problems, self->keepalive_problem);

  label_widget (self->public_key_button, _("Copy Burrow’s public key"));
  label_widget (self->private_key_button, _("Paste the private key"));
  label_widget (self->key_file_button, _("Choose the key file"));
  label_widget (self->keepalive_spin, _("Keepalive, in seconds"));
  burrow_accessible_name_inner (GTK_WIDGET (self->tunnel_row), GTK_TYPE_SWITCH, _("Use an SSH tunnel"));
  burrow_accessible_name_inner (GTK_WIDGET (self->passphrase_row), GTK_TYPE_BUTTON, _("Show the passphrase"));
  burrow_accessible_name_inner (GTK_WIDGET (self->password_row), GTK_TYPE_BUTTON, _("Show the password"));

  update_private_key_row (self);
  update_key_file_row (self);
  update_auth_rows (self);
}

BurrowProfile *
burrow_tunnel_group_get_profile (BurrowTunnelGroup *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL_GROUP (self), NULL);

  return self->profile;
}

/* @profile: (nullable): the profile the rows edit, in place */
void
burrow_tunnel_group_set_profile (BurrowTunnelGroup *self,
                                 BurrowProfile     *profile)
{
  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  g_set_object (&self->profile, profile);
  g_binding_group_set_source (self->bindings, profile);
  g_signal_group_set_target (self->profile_signals, profile);

  /* The rows open where there is something to fill in; a bastion set up
   * already reads from the summary. */
  adw_expander_row_set_expanded (self->tunnel_row,
                                 profile != NULL && burrow_profile_get_tunnel_enabled (profile) &&
                                 burrow_profile_get_ssh_host (profile) == NULL);

  update_summary (self);
  update_auth_rows (self);
  update_key_file_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/**
 * burrow_tunnel_group_show_problems:
 * @errors: (element-type GError) (nullable): what the validation found
 * @arm: show them even for fields not edited yet
 */
void
burrow_tunnel_group_show_problems (BurrowTunnelGroup *self,
                                   GPtrArray         *errors,
                                   gboolean           arm)
{
  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));

  if (arm)
    burrow_problem_rows_set_armed (self->problems, TRUE);
  burrow_problem_rows_pick (self->problems, errors);

  /* A problem inside the closed rows would not be seen. */
  for (guint i = 0; i < self->problems->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (self->problems, i)))
      adw_expander_row_set_expanded (self->tunnel_row, TRUE);

  /* The key file is chosen, not typed: its problem shows at once. */
  burrow_problem_row_set_armed (self->key_file_problem, TRUE);
  if (self->profile == NULL || burrow_profile_get_ssh_auth (self->profile) != BURROW_PROFILE_AUTH_KEY_FILE)
    burrow_problem_row_set_error (self->key_file_problem, NULL);
}

/* Fills the secret rows from the keyring, unless the analyst has typed
 * into them meanwhile. */
void
burrow_tunnel_group_load_secrets (BurrowTunnelGroup *self,
                                  BurrowCredentials *credentials)
{
  const char *password, *passphrase;

  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (self->secrets_edited)
    return;

  password = burrow_credentials_get_secret (credentials, BURROW_SECRET_SSH_PASSWORD);
  passphrase = burrow_credentials_get_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE);

  self->loading_secrets = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase != NULL ? passphrase : "");
  self->loading_secrets = FALSE;

  self->private_key_stored = burrow_credentials_get_secret (credentials, BURROW_SECRET_PRIVATE_KEY) != NULL;
  update_private_key_row (self);
}

gboolean
burrow_tunnel_group_get_secrets_edited (BurrowTunnelGroup *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL_GROUP (self), FALSE);

  return self->secrets_edited;
}

/* Gives @credentials the secrets that were typed or pasted and that the
 * chosen way of signing in uses; the others stay as the keyring has them
 * (the engine forgets the ones no longer used). */
void
burrow_tunnel_group_collect_secrets (BurrowTunnelGroup *self,
                                     BurrowCredentials *credentials)
{
  BurrowProfileAuth auth;

  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));
  g_return_if_fail (BURROW_IS_CREDENTIALS (credentials));

  if (!self->secrets_edited || self->profile == NULL)
    return;

  auth = burrow_profile_get_ssh_auth (self->profile);

  if (auth == BURROW_PROFILE_AUTH_PASSWORD)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_SSH_PASSWORD,
                                   gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  if (auth == BURROW_PROFILE_AUTH_PRIVATE_KEY || auth == BURROW_PROFILE_AUTH_KEY_FILE)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE,
                                   gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));

  if (auth == BURROW_PROFILE_AUTH_PRIVATE_KEY && self->private_key_edited)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_PRIVATE_KEY, self->private_key);
}

/* A key pasted into the form; kept here until the page saves it. */
void
burrow_tunnel_group_set_private_key (BurrowTunnelGroup *self,
                                     const char        *private_key)
{
  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));

  g_clear_pointer (&self->private_key, burrow_secret_wipe_free);
  self->private_key = g_strdup (private_key);
  self->private_key_edited = TRUE;

  update_private_key_row (self);
  set_secrets_edited (self, TRUE);
}

/* What was typed or pasted is in the keyring now: further typing is a new
 * edit, and a pasted key shows as stored. */
void
burrow_tunnel_group_mark_secrets_saved (BurrowTunnelGroup *self)
{
  g_return_if_fail (BURROW_IS_TUNNEL_GROUP (self));

  if (self->private_key_edited && self->profile != NULL &&
      burrow_profile_get_ssh_auth (self->profile) == BURROW_PROFILE_AUTH_PRIVATE_KEY)
    self->private_key_stored = TRUE;

  g_clear_pointer (&self->private_key, burrow_secret_wipe_free);
  self->private_key_edited = FALSE;
  update_private_key_row (self);
  set_secrets_edited (self, FALSE);
}
