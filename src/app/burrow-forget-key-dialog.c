/* burrow-forget-key-dialog.c — asks before Burrow forgets the host key it recorded for a server.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forgetting a recorded key is how a key its administrator replaced gets
 * trusted anew, and also what an attacker in the middle would want: the
 * question names the server, and when Burrow met a different key there
 * (the last test or connect), shows both fingerprints, to compare with
 * what the administrator reads on the server. Cancel is the default.
 * The dialog only answers; the page forgets, through the engine.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-forget-key-dialog.h"
#include "burrow-host-key-dialog.h"

struct _BurrowForgetKeyDialog
{
  AdwMessageDialog  parent_instance;

  char             *host;
  guint16           port;
};

G_DEFINE_FINAL_TYPE (BurrowForgetKeyDialog, burrow_forget_key_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
burrow_forget_key_dialog_finalize (GObject *object)
{
  BurrowForgetKeyDialog *self = BURROW_FORGET_KEY_DIALOG (object);

  g_free (self->host);

  G_OBJECT_CLASS (burrow_forget_key_dialog_parent_class)->finalize (object);
}

static void
burrow_forget_key_dialog_class_init (BurrowForgetKeyDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = burrow_forget_key_dialog_finalize;
}

static void
burrow_forget_key_dialog_init (BurrowForgetKeyDialog *self)
{
}

/**
 * burrow_forget_key_dialog_new:
 * @parent: (nullable): the window it is about
 * @host: the server whose recorded key would go
 * @port: its SSH port
 * @seen: (nullable): a key met at that server that differs from the
 *   recorded one, whose fingerprints are then shown
 *
 * Answers BURROW_FORGET_KEY_RESPONSE_FORGET or _CANCEL, through
 * AdwMessageDialog::response.
 */
BurrowForgetKeyDialog *
burrow_forget_key_dialog_new (GtkWindow     *parent,
                              const char    *host,
                              guint16        port,
                              BurrowHostKey *seen)
{
  BurrowForgetKeyDialog *self;
  AdwMessageDialog *dialog;
  g_autofree char *server = NULL;
  gboolean changed;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (seen == NULL || BURROW_IS_HOST_KEY (seen), NULL);

  self = g_object_new (BURROW_TYPE_FORGET_KEY_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->host = g_strdup (host);
  self->port = port;
  dialog = ADW_MESSAGE_DIALOG (self);
  server = burrow_host_key_dialog_dup_server_name (host, port);

  changed = seen != NULL && burrow_host_key_get_status (seen) == BURROW_HOST_KEY_CHANGED &&
            g_strcmp0 (burrow_host_key_get_host (seen), host) == 0 && burrow_host_key_get_port (seen) == port;

  /* Translators: %s is a server, "bastion.example.com (port 2222)" */
  adw_message_dialog_format_heading (dialog, _("Forget the Host Key of %s?"), server);
  if (changed)
    adw_message_dialog_format_body (dialog,
                                    _("Burrow met a different key at %s than the one it recorded. Forget the "
                                      "recorded key only if the server’s administrator confirms that the key "
                                      "was replaced, and that the new fingerprint below is the one the "
                                      "command prints on the server. The next test then asks you to trust "
                                      "the new key."),
                                    server);
  else
    adw_message_dialog_format_body (dialog,
                                    _("Burrow then knows no key for %s. The next test or connect shows the "
                                      "key the server presents and asks whether to trust it: compare its "
                                      "fingerprint with the one the server’s administrator reads on the "
                                      "server."),
                                    server);

  adw_message_dialog_add_responses (dialog,
                                    BURROW_FORGET_KEY_RESPONSE_CANCEL, _("_Cancel"),
                                    BURROW_FORGET_KEY_RESPONSE_FORGET, _("_Forget Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, BURROW_FORGET_KEY_RESPONSE_FORGET,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, BURROW_FORGET_KEY_RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, BURROW_FORGET_KEY_RESPONSE_CANCEL);

  if (changed)
    adw_message_dialog_set_extra_child (dialog, burrow_host_key_dialog_make_fingerprint_list (seen, TRUE));

  return self;
}

const char *
burrow_forget_key_dialog_get_host (BurrowForgetKeyDialog *self)
{
  g_return_val_if_fail (BURROW_IS_FORGET_KEY_DIALOG (self), NULL);

  return self->host;
}

guint16
burrow_forget_key_dialog_get_port (BurrowForgetKeyDialog *self)
{
  g_return_val_if_fail (BURROW_IS_FORGET_KEY_DIALOG (self), 0);

  return self->port;
}
