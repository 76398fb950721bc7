/* burrow-tunnel-group.c — the SSH tunnel part of a connection's form.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bastion, how to sign in to it, the hops before it and the
 * keepalives. The rows for each way of signing in show only when it is
 * chosen. Secrets (the SSH password, a key's passphrase, a pasted private
 * key) stay in this group until the page saves them to the keyring; a
 * pasted key is never shown again, only whether one is stored.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "burrow-accessible.h"
#include "burrow-host-keys-row.h"
#include "burrow-jump-hosts-row.h"
#include "burrow-port-row.h"
#include "burrow-tunnel-group.h"

struct _BurrowTunnelGroup
{
  BurrowFormGroup      parent_instance;

  char                *private_key;        /* pasted, not saved yet */
  gboolean             private_key_stored;
  gboolean             private_key_edited;
  gboolean             syncing_auth;
  gboolean             loading_secrets;
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
  GtkButton           *guide_button;
  GtkButton           *private_key_button;
  AdwActionRow        *key_file_row;
  GtkButton           *key_file_button;
  BurrowProblemRow    *key_file_problem;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *password_row;
  BurrowJumpHostsRow  *jump_hosts_row;
  AdwActionRow        *keepalive_row;
  GtkSpinButton       *keepalive_spin;
  BurrowProblemRow    *keepalive_problem;
  BurrowHostKeysRow   *host_keys_row;
};

G_DEFINE_FINAL_TYPE (BurrowTunnelGroup, burrow_tunnel_group, BURROW_TYPE_FORM_GROUP)

/* In the order of BurrowProfileAuth: the selected index is the method. */
static const char *auth_names[] = {
  N_("Burrow’s own key"),
  N_("A pasted private key"),
  N_("A key file"),
  N_("ssh-agent"),
  N_("A password"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (auth_names) == BURROW_PROFILE_AUTH_LAST + 1);

static BurrowProfile *
profile_of (BurrowTunnelGroup *self)
{
  return burrow_form_group_get_profile (BURROW_FORM_GROUP (self));
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
  const char *path = profile_of (self) != NULL ? burrow_profile_get_ssh_key_file (profile_of (self)) : NULL;

  adw_action_row_set_subtitle (self->key_file_row, path != NULL ? path : _("None chosen"));
}

static void
update_summary (BurrowTunnelGroup *self)
{
  BurrowProfile *profile = profile_of (self);
  g_autofree char *summary = NULL;
  const char *host, *user;

  if (profile == NULL)
    return;

  host = burrow_profile_get_ssh_host (profile);
  user = burrow_profile_get_ssh_user (profile);

  if (!burrow_profile_get_tunnel_enabled (profile))
    summary = g_strdup (_("Off: Burrow connects to the database directly"));
  else if (host == NULL)
    summary = g_strdup (_("Reach the database through a bastion host"));
  else
    {
      g_autofree char *address = burrow_format_host_port (host, burrow_profile_get_ssh_port (profile));

      summary = user != NULL ? g_strdup_printf ("%s@%s", user, address) : g_steal_pointer (&address);
    }

  adw_expander_row_set_subtitle (self->tunnel_row, summary);
}

static void
update_auth_rows (BurrowTunnelGroup *self)
{
  BurrowProfile *profile = profile_of (self);
  BurrowProfileAuth auth = profile != NULL ? burrow_profile_get_ssh_auth (profile)
                                           : BURROW_PROFILE_AUTH_WORKSPACE_KEY;

  self->syncing_auth = TRUE;
  adw_combo_row_set_selected (self->auth_row, auth);
  self->syncing_auth = FALSE;

  /* The engine's own rules say which secret goes with which method. */
  gtk_widget_set_visible (GTK_WIDGET (self->public_key_row), auth == BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row), auth == BURROW_PROFILE_AUTH_KEY_FILE);
  gtk_widget_set_visible (GTK_WIDGET (self->private_key_row),
                          profile != NULL && burrow_credentials_secret_applies (profile, BURROW_SECRET_PRIVATE_KEY));
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row),
                          profile != NULL && burrow_credentials_secret_applies (profile, BURROW_SECRET_KEY_PASSPHRASE));
  gtk_widget_set_visible (GTK_WIDGET (self->password_row),
                          profile != NULL && burrow_credentials_secret_applies (profile, BURROW_SECRET_SSH_PASSWORD));

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

  if (self->syncing_auth || profile_of (self) == NULL || selected > BURROW_PROFILE_AUTH_LAST)
    return;

  burrow_profile_set_ssh_auth (profile_of (self), selected);
}

static void
on_secret_row_changed (BurrowTunnelGroup *self)
{
  if (!self->loading_secrets)
    burrow_form_group_set_secrets_edited (BURROW_FORM_GROUP (self), TRUE);
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
  if (response == GTK_RESPONSE_ACCEPT && profile_of (self) != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        burrow_profile_set_ssh_key_file (profile_of (self), path);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->file_chooser);
}

static void
on_key_file_button_clicked (BurrowTunnelGroup *self)
{
  GtkFileChooserNative *chooser;
  const char *current = profile_of (self) != NULL ? burrow_profile_get_ssh_key_file (profile_of (self)) : NULL;

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
burrow_tunnel_group_profile_changed (BurrowFormGroup *group)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (group);
  BurrowProfile *profile = profile_of (self);

  /* The rows open where there is something to fill in; a bastion set up
   * already reads from the summary. */
  adw_expander_row_set_expanded (self->tunnel_row,
                                 profile != NULL && burrow_profile_get_tunnel_enabled (profile) &&
                                 burrow_profile_get_ssh_host (profile) == NULL);

  burrow_host_keys_row_set_profile (self->host_keys_row, profile);
  update_summary (self);
  update_auth_rows (self);
  update_key_file_row (self);
}

static void
burrow_tunnel_group_problems_shown (BurrowFormGroup *group,
                                    gboolean         arm)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (group);
  BurrowProblemRow *rows[] = { self->host_problem, self->port_problem, self->user_problem,
                               self->key_file_problem, self->keepalive_problem };
  BurrowProfile *profile = profile_of (self);

  /* The key file is chosen, not typed: its problem shows at once. */
  burrow_problem_row_set_armed (self->key_file_problem, TRUE);
  if (profile == NULL || burrow_profile_get_ssh_auth (profile) != BURROW_PROFILE_AUTH_KEY_FILE)
    burrow_problem_row_set_error (self->key_file_problem, NULL);

  /* A problem inside the closed rows would not be seen. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (rows[i])))
      adw_expander_row_set_expanded (self->tunnel_row, TRUE);
  if (burrow_jump_hosts_row_show_problems (self->jump_hosts_row, arm))
    adw_expander_row_set_expanded (self->tunnel_row, TRUE);
}

static void
burrow_tunnel_group_load_secrets (BurrowFormGroup   *group,
                                  BurrowCredentials *credentials)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (group);
  const char *password = burrow_credentials_get_secret (credentials, BURROW_SECRET_SSH_PASSWORD);
  const char *passphrase = burrow_credentials_get_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE);

  self->loading_secrets = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase != NULL ? passphrase : "");
  self->loading_secrets = FALSE;

  self->private_key_stored = burrow_credentials_get_secret (credentials, BURROW_SECRET_PRIVATE_KEY) != NULL;
  update_private_key_row (self);
}

/* Only the secrets the chosen way of signing in uses: the engine forgets
 * the others when the profile is saved. */
static void
burrow_tunnel_group_collect_secrets (BurrowFormGroup   *group,
                                     BurrowCredentials *credentials)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (group);
  BurrowProfile *profile = profile_of (self);

  if (burrow_credentials_secret_applies (profile, BURROW_SECRET_SSH_PASSWORD))
    burrow_credentials_set_secret (credentials, BURROW_SECRET_SSH_PASSWORD,
                                   gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  if (burrow_credentials_secret_applies (profile, BURROW_SECRET_KEY_PASSPHRASE))
    burrow_credentials_set_secret (credentials, BURROW_SECRET_KEY_PASSPHRASE,
                                   gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));

  if (burrow_credentials_secret_applies (profile, BURROW_SECRET_PRIVATE_KEY) && self->private_key_edited)
    burrow_credentials_set_secret (credentials, BURROW_SECRET_PRIVATE_KEY, self->private_key);
}

/* A pasted key shows as stored from now on. */
static void
burrow_tunnel_group_mark_secrets_saved (BurrowFormGroup *group)
{
  BurrowTunnelGroup *self = BURROW_TUNNEL_GROUP (group);
  BurrowProfile *profile = profile_of (self);

  if (self->private_key_edited && profile != NULL &&
      burrow_credentials_secret_applies (profile, BURROW_SECRET_PRIVATE_KEY))
    self->private_key_stored = TRUE;

  g_clear_pointer (&self->private_key, burrow_secret_wipe_free);
  self->private_key_edited = FALSE;
  update_private_key_row (self);
}

static void
burrow_tunnel_group_dispose (GObject *object)
{
  BurrowTunnelGroup *self = (BurrowTunnelGroup *)object;

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
burrow_tunnel_group_class_init (BurrowTunnelGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BurrowFormGroupClass *group_class = BURROW_FORM_GROUP_CLASS (klass);

  object_class->dispose = burrow_tunnel_group_dispose;

  group_class->profile_changed = burrow_tunnel_group_profile_changed;
  group_class->problems_shown = burrow_tunnel_group_problems_shown;
  group_class->load_secrets = burrow_tunnel_group_load_secrets;
  group_class->collect_secrets = burrow_tunnel_group_collect_secrets;
  group_class->mark_secrets_saved = burrow_tunnel_group_mark_secrets_saved;

  g_type_ensure (BURROW_TYPE_HOST_KEYS_ROW);
  g_type_ensure (BURROW_TYPE_JUMP_HOSTS_ROW);
  g_type_ensure (BURROW_TYPE_PORT_ROW);

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
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, guide_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, private_key_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, private_key_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, key_file_problem);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, jump_hosts_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, host_keys_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, BurrowTunnelGroup, keepalive_problem);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_row_notify_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_private_key_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_key_file_button_clicked);
}

static void
name_widget (gpointer    widget,
             const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
burrow_tunnel_group_init (BurrowTunnelGroup *self)
{
  BurrowFormGroup *group = BURROW_FORM_GROUP (self);
  g_autoptr(GtkStringList) methods = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    gtk_string_list_append (methods, _(auth_names[i]));

  gtk_widget_init_template (GTK_WIDGET (self));

  self->syncing_auth = TRUE;
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (methods));
  self->syncing_auth = FALSE;

  burrow_form_group_bind (group, "tunnel-enabled", self->tunnel_row, "enable-expansion");
  burrow_form_group_bind (group, "ssh-host", self->host_row, "text");
  burrow_form_group_bind (group, "ssh-port", self->port_row, "port");
  burrow_form_group_bind (group, "ssh-user", self->user_row, "text");
  burrow_form_group_bind (group, "jump-hosts", self->jump_hosts_row, "hosts");
  burrow_form_group_bind (group, "keepalive-interval", self->keepalive_spin, "value");
  burrow_form_group_connect_profile (group, "notify", G_CALLBACK (on_profile_notify));

  burrow_form_group_add_problem (group, self->host_problem, BURROW_PROFILE_ERROR_SSH_HOST);
  burrow_form_group_add_problem (group, self->port_problem, BURROW_PROFILE_ERROR_SSH_PORT);
  burrow_form_group_add_problem (group, self->user_problem, BURROW_PROFILE_ERROR_SSH_USER);
  burrow_form_group_add_problem (group, self->key_file_problem, BURROW_PROFILE_ERROR_SSH_KEY_FILE);
  burrow_form_group_add_problem (group, self->keepalive_problem, BURROW_PROFILE_ERROR_KEEPALIVE);

  burrow_accessible_name_button (GTK_WIDGET (self->public_key_button), _("Copy Burrow’s public key"));
  burrow_accessible_name_button (GTK_WIDGET (self->private_key_button), _("Paste the private key"));
  burrow_accessible_name_button (GTK_WIDGET (self->key_file_button), _("Choose the key file"));
  burrow_accessible_keep_label (GTK_WIDGET (self->guide_button));
  name_widget (self->keepalive_spin, _("Keepalive, in seconds"));
  burrow_accessible_name_inner (GTK_WIDGET (self->tunnel_row), GTK_TYPE_SWITCH, _("Use an SSH tunnel"));
  burrow_accessible_track_expanded (self->tunnel_row);
  burrow_accessible_name_inner (GTK_WIDGET (self->passphrase_row), GTK_TYPE_BUTTON, _("Show the passphrase"));
  burrow_accessible_name_inner (GTK_WIDGET (self->password_row), GTK_TYPE_BUTTON, _("Show the password"));

  update_private_key_row (self);
  update_key_file_row (self);
  update_auth_rows (self);
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
  burrow_form_group_set_secrets_edited (BURROW_FORM_GROUP (self), TRUE);
}
