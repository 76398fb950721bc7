/* burrow-host-keys-row.c — the servers of a tunnel whose recorded host keys can be forgotten.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Recorded Host Keys", with a Forget… menu that lists the bastion and
 * each jump host of the profile, in the order they are reached. Choosing
 * one runs page.forget-host-key with its host and port; the page asks
 * before anything is forgotten. This is the deliberate step a changed
 * host key calls for, once the server's administrator has confirmed the
 * new key.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-host-key-dialog.h"
#include "burrow-host-keys-row.h"

struct _BurrowHostKeysRow
{
  AdwActionRow   parent_instance;

  BurrowProfile *profile;
  GMenu         *menu;
  GtkWidget     *button;
};

G_DEFINE_FINAL_TYPE (BurrowHostKeysRow, burrow_host_keys_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
append_server (BurrowHostKeysRow *self,
               gboolean           jump_host,
               const char        *host,
               guint16            port)
{
  g_autoptr(GMenuItem) item = NULL;
  g_autofree char *server = burrow_host_key_dialog_dup_server_name (host, port);
  g_autofree char *label = NULL;
  g_autofree char *escaped = NULL;
  g_auto(GStrv) parts = NULL;

  /* A host name's "_" is no mnemonic. */
  parts = g_strsplit (server, "_", -1);
  escaped = g_strjoinv ("__", parts);
  if (jump_host)
    /* Translators: %s is a server, "jump.example.com (port 2222)" */
    label = g_strdup_printf (_("Jump host %s…"), escaped);
  else
    /* Translators: %s is a server, "bastion.example.com" */
    label = g_strdup_printf (_("Bastion %s…"), escaped);

  item = g_menu_item_new (label, NULL);
  g_menu_item_set_action_and_target (item, "page.forget-host-key", "(sq)", host, port);
  g_menu_append_item (self->menu, item);
}

static void
rebuild (BurrowHostKeysRow *self)
{
  const char * const *jumps;
  const char *host;

  g_menu_remove_all (self->menu);

  host = self->profile != NULL ? burrow_profile_get_ssh_host (self->profile) : NULL;
  if (host == NULL || !burrow_profile_get_tunnel_enabled (self->profile))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  jumps = burrow_profile_get_jump_hosts (self->profile);
  for (guint i = 0; jumps != NULL && jumps[i] != NULL; i++)
    {
      g_autoptr(BurrowJumpHost) jump = burrow_jump_host_parse (jumps[i], NULL);

      /* One that does not parse is shown as a problem in the form. */
      if (jump != NULL)
        append_server (self, TRUE, jump->host, jump->port);
    }
  append_server (self, FALSE, host, burrow_profile_get_ssh_port (self->profile));

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
burrow_host_keys_row_dispose (GObject *object)
{
  BurrowHostKeysRow *self = BURROW_HOST_KEYS_ROW (object);

  burrow_host_keys_row_set_profile (self, NULL);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (burrow_host_keys_row_parent_class)->dispose (object);
}

static void
burrow_host_keys_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BurrowHostKeysRow *self = BURROW_HOST_KEYS_ROW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_host_keys_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BurrowHostKeysRow *self = BURROW_HOST_KEYS_ROW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      burrow_host_keys_row_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_host_keys_row_class_init (BurrowHostKeysRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_host_keys_row_dispose;
  object_class->get_property = burrow_host_keys_row_get_property;
  object_class->set_property = burrow_host_keys_row_set_property;

  /* The profile whose servers are listed; its changes are followed. */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_host_keys_row_init (BurrowHostKeysRow *self)
{
  self->menu = g_menu_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Recorded Host Keys"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                               _("When a server’s key was replaced on purpose, forget the recorded one: "
                                 "the next test shows the new key to trust"));

  self->button = g_object_new (GTK_TYPE_MENU_BUTTON,
                               "label", _("_Forget…"),
                               "use-underline", TRUE,
                               "valign", GTK_ALIGN_CENTER,
                               "menu-model", self->menu,
                               NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Forget a recorded host key"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->button);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
burrow_host_keys_row_new (void)
{
  return g_object_new (BURROW_TYPE_HOST_KEYS_ROW, NULL);
}

BurrowProfile *
burrow_host_keys_row_get_profile (BurrowHostKeysRow *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEYS_ROW (self), NULL);

  return self->profile;
}

void
burrow_host_keys_row_set_profile (BurrowHostKeysRow *self,
                                  BurrowProfile     *profile)
{
  g_return_if_fail (BURROW_IS_HOST_KEYS_ROW (self));
  g_return_if_fail (profile == NULL || BURROW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_set_object (&self->profile, profile);
  if (profile != NULL)
    {
      g_signal_connect_swapped (profile, "notify::ssh-host", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (profile, "notify::ssh-port", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (profile, "notify::jump-hosts", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (profile, "notify::tunnel-enabled", G_CALLBACK (rebuild), self);
    }

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/* Returns: (transfer none): the Forget… menu, one item per server */
GMenuModel *
burrow_host_keys_row_get_menu (BurrowHostKeysRow *self)
{
  g_return_val_if_fail (BURROW_IS_HOST_KEYS_ROW (self), NULL);

  return G_MENU_MODEL (self->menu);
}
