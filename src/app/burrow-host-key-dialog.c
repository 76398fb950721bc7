/* burrow-host-key-dialog.c — a bastion's host key to decide on: trust a
 * new one, or stop at a changed one.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A key Burrow has not recorded yet is shown with what a person needs to
 * decide: the server, the key's type, its SHA256 fingerprint and the
 * command that prints the same fingerprint on the server itself. Trust and
 * Cancel are the answers; the dialog only answers, whoever opened it
 * records the key (the engine does, in a thread).
 *
 * A key that differs from the recorded one, or one marked as revoked, is a
 * warning with both fingerprints and what the difference can mean, and no
 * way to accept it here: replacing a recorded key is a separate,
 * deliberate act.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "burrow-copy-row.h"
#include "burrow-host-key-dialog.h"

struct _BurrowHostKeyDialog
{
  AdwMessageDialog  parent_instance;

  BurrowHostKey    *host_key;
};

G_DEFINE_FINAL_TYPE (BurrowHostKeyDialog, burrow_host_key_dialog, ADW_TYPE_MESSAGE_DIALOG)

typedef enum
{
  ROLE_BASTION,
  ROLE_JUMP_HOST,
  ROLE_SERVER,
} Role;

/* Helpers */

/* Whether the key is the bastion's or a jump host's, for the words. */
static Role
role_of (BurrowHostKey *host_key,
         BurrowProfile *profile)
{
  const char * const *jumps;

  if (profile == NULL)
    return ROLE_SERVER;

  if (g_strcmp0 (burrow_profile_get_ssh_host (profile), burrow_host_key_get_host (host_key)) == 0 &&
      burrow_profile_get_ssh_port (profile) == burrow_host_key_get_port (host_key))
    return ROLE_BASTION;

  jumps = burrow_profile_get_jump_hosts (profile);
  if (jumps != NULL && jumps[0] != NULL)
    return ROLE_JUMP_HOST;

  return ROLE_SERVER;
}

/* A row with a fingerprint to compare. The "SHA256:" that starts every
 * fingerprint goes in the title, so that the part a person compares fits
 * on one line of the dialog. */
static GtkWidget *
fingerprint_row (const char *title,
                 const char *key_type,   /* nullable */
                 const char *fingerprint)
{
  g_autofree char *full_title = NULL;
  const char *value = fingerprint;

  if (g_str_has_prefix (fingerprint, "SHA256:"))
    value = fingerprint + strlen ("SHA256:");

  if (key_type != NULL)
    /* Translators: "Fingerprint (SHA256, ssh-ed25519)" */
    full_title = g_strdup_printf (_("%s (SHA256, %s)"), title, key_type);
  else
    /* Translators: "Recorded fingerprint (SHA256)" */
    full_title = g_strdup_printf (_("%s (SHA256)"), title);

  return GTK_WIDGET (burrow_copy_row_new (full_title, value));
}

static GtkWidget *
make_details (BurrowHostKeyDialog *self,
              gboolean             refused)
{
  BurrowHostKey *key = self->host_key;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  g_autofree char *check = burrow_host_key_dup_check_command (key);

  if (refused)
    {
      GtkWidget *warning = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      GtkWidget *label = gtk_label_new (_("Do not use this server until its administrator has confirmed the new key."));

      gtk_widget_add_css_class (icon, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"),
                                      -1);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (warning), icon);
      gtk_box_append (GTK_BOX (warning), label);
      gtk_box_append (GTK_BOX (box), warning);
    }

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  if (burrow_host_key_get_status (key) == BURROW_HOST_KEY_CHANGED)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         fingerprint_row (_("Recorded fingerprint"), NULL,
                                          burrow_host_key_get_known_fingerprint (key)));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       fingerprint_row (refused ? _("Fingerprint shown now") : _("Fingerprint"),
                                        burrow_host_key_get_key_type (key),
                                        burrow_host_key_get_fingerprint (key)));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       GTK_WIDGET (burrow_copy_row_new (_("Command that shows it on the server"), check)));

  gtk_box_append (GTK_BOX (box), list);

  return box;
}

/* "bastion.example.com", or "bastion.example.com (port 2222)". */
static char *
dup_server_name (BurrowHostKey *key)
{
  if (burrow_host_key_get_port (key) == 22)
    return g_strdup (burrow_host_key_get_host (key));

  /* Translators: a server and its SSH port */
  return g_strdup_printf (_("%s (port %u)"), burrow_host_key_get_host (key), burrow_host_key_get_port (key));
}

static void
set_up_unknown (BurrowHostKeyDialog *self,
                Role                 role)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  g_autofree char *address = dup_server_name (self->host_key);

  switch (role)
    {
    case ROLE_BASTION:
      adw_message_dialog_set_heading (dialog, _("Trust the Bastion’s Key?"));
      break;
    case ROLE_JUMP_HOST:
      adw_message_dialog_set_heading (dialog, _("Trust the Jump Host’s Key?"));
      break;
    case ROLE_SERVER:
    default:
      adw_message_dialog_set_heading (dialog, _("Trust the Server’s Key?"));
      break;
    }

  adw_message_dialog_format_body (dialog,
                                  _("Burrow has not connected to %s before. Ask its administrator to run the "
                                    "command below on it: trust the key only if the fingerprint it prints is "
                                    "the same as this one."),
                                  address);

  adw_message_dialog_add_responses (dialog,
                                    BURROW_HOST_KEY_RESPONSE_CANCEL, _("_Cancel"),
                                    BURROW_HOST_KEY_RESPONSE_TRUST, _("_Trust"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, BURROW_HOST_KEY_RESPONSE_TRUST,
                                              ADW_RESPONSE_SUGGESTED);
  /* Trusting a key is what a glance must not do: Enter cancels. */
  adw_message_dialog_set_default_response (dialog, BURROW_HOST_KEY_RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, BURROW_HOST_KEY_RESPONSE_CANCEL);

  adw_message_dialog_set_extra_child (dialog, make_details (self, FALSE));
}

static void
set_up_refused (BurrowHostKeyDialog *self,
                Role                 role)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  g_autofree char *address = dup_server_name (self->host_key);
  gboolean revoked = burrow_host_key_get_status (self->host_key) == BURROW_HOST_KEY_REVOKED;

  gtk_widget_add_css_class (GTK_WIDGET (self), "host-key-refused");

  if (revoked)
    adw_message_dialog_set_heading (dialog, _("This Host Key Is Revoked"));
  else if (role == ROLE_BASTION)
    adw_message_dialog_set_heading (dialog, _("The Bastion’s Key Has Changed"));
  else if (role == ROLE_JUMP_HOST)
    adw_message_dialog_set_heading (dialog, _("The Jump Host’s Key Has Changed"));
  else
    adw_message_dialog_set_heading (dialog, _("The Server’s Key Has Changed"));

  if (revoked)
    adw_message_dialog_format_body (dialog,
                                    _("The key %s shows is marked as revoked: it must not be used again. "
                                      "Burrow stopped before signing in and sent nothing to it. Ask the "
                                      "server’s administrator for its current key."),
                                    address);
  else
    {
      g_autofree char *entry = burrow_host_key_dup_address (self->host_key);
      const char *file = burrow_host_key_get_known_hosts_file (self->host_key);

      /* Replacing the recorded key is meant to take a deliberate step:
       * here, editing the file by hand. */
      adw_message_dialog_format_body (dialog,
                                      _("%s shows a different key than the one Burrow recorded. Either its "
                                        "administrator replaced the key (a reinstalled or new server at the "
                                        "same address), or another machine is answering in its place and "
                                        "could read what you send. Burrow stopped before signing in and sent "
                                        "nothing to it.\n\nIf the administrator confirms the new fingerprint, "
                                        "remove the line that starts with “%s” from %s, then test again."),
                                      address, entry, file != NULL ? file : "known_hosts");
    }

  adw_message_dialog_add_response (dialog, BURROW_HOST_KEY_RESPONSE_CANCEL, _("_Close"));
  adw_message_dialog_set_default_response (dialog, BURROW_HOST_KEY_RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, BURROW_HOST_KEY_RESPONSE_CANCEL);

  adw_message_dialog_set_extra_child (dialog, make_details (self, TRUE));
}

/* Overrides */

static void
burrow_host_key_dialog_dispose (GObject *object)
{
  BurrowHostKeyDialog *self = (BurrowHostKeyDialog *)object;

  g_clear_object (&self->host_key);

  G_OBJECT_CLASS (burrow_host_key_dialog_parent_class)->dispose (object);
}

static void
burrow_host_key_dialog_class_init (BurrowHostKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_host_key_dialog_dispose;
}

static void
burrow_host_key_dialog_init (BurrowHostKeyDialog *self)
{
}

/* Public API */

/**
 * burrow_host_key_dialog_new:
 * @parent: (nullable): the window it is about
 * @host_key: an unknown, changed or revoked key
 * @profile: (nullable): the connection it was met on, so that the dialog
 *   can say "bastion" or "jump host"
 *
 * Answers with BURROW_HOST_KEY_RESPONSE_TRUST (an unknown key only) or
 * BURROW_HOST_KEY_RESPONSE_CANCEL, through AdwMessageDialog::response.
 */
BurrowHostKeyDialog *
burrow_host_key_dialog_new (GtkWindow     *parent,
                            BurrowHostKey *host_key,
                            BurrowProfile *profile)
{
  BurrowHostKeyDialog *self;
  Role role;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BURROW_IS_HOST_KEY (host_key), NULL);
  g_return_val_if_fail (profile == NULL || BURROW_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (burrow_host_key_get_status (host_key) != BURROW_HOST_KEY_TRUSTED, NULL);

  self = g_object_new (BURROW_TYPE_HOST_KEY_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->host_key = g_object_ref (host_key);
  role = role_of (host_key, profile);

  if (burrow_host_key_get_status (host_key) == BURROW_HOST_KEY_UNKNOWN)
    set_up_unknown (self, role);
  else
    set_up_refused (self, role);

  return self;
}

BurrowHostKey *
burrow_host_key_dialog_get_host_key (BurrowHostKeyDialog *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEY_DIALOG (self), NULL);

  return self->host_key;
}
