/* burrow-port-row.c — an entry row that takes a port number.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A spin button would clamp what is typed and hide the mistake; this row
 * keeps what the analyst typed (70000, or letters, stay in sight: the
 * profile's validation reports the first, burrow_port_row_is_number ()
 * tells about the second), and "port" is 0 while it is empty or not a
 * number.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "burrow-port-row.h"

/* Enough to see a mistake, not a paragraph. */
#define MAX_CHARS 12

struct _BurrowPortRow
{
  AdwEntryRow  parent_instance;

  guint        port;
  gboolean     syncing;
};

G_DEFINE_FINAL_TYPE (BurrowPortRow, burrow_port_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
parse_port (const char *text)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return 0;

  /* Digits alone: no sign, no blanks (on_text_insert_text drops those). */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return 0;

  /* Past G_MAXUINT it stays out of range, which validation reports. */
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    value = G_MAXUINT;
  return (guint)value;
}

static void
on_text_insert_text (GtkEditable *editable,
                     const char  *text,
                     int          length,
                     int         *position,
                     gpointer     user_data)
{
  g_autoptr(GString) kept = g_string_new (NULL);

  if (length < 0)
    length = strlen (text);

  for (int i = 0; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      g_string_append_c (kept, text[i]);

  if ((int)kept->len == length)
    return;

  /* Pasted " 5432\n" becomes 5432: blanks go; anything else stays in
   * sight, to be corrected. */
  g_signal_handlers_block_by_func (editable, on_text_insert_text, user_data);
  gtk_editable_insert_text (editable, kept->str, kept->len, position);
  g_signal_handlers_unblock_by_func (editable, on_text_insert_text, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

static void
on_row_changed (BurrowPortRow *self)
{
  guint port;

  if (self->syncing)
    return;

  port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self)));
  if (port == self->port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

static void
burrow_port_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BurrowPortRow *self = BURROW_PORT_ROW (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_port_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BurrowPortRow *self = BURROW_PORT_ROW (object);

  switch (prop_id)
    {
    case PROP_PORT:
      burrow_port_row_set_port (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_port_row_class_init (BurrowPortRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = burrow_port_row_get_property;
  object_class->set_property = burrow_port_row_set_property;

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_port_row_init (BurrowPortRow *self)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self));

  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self), GTK_INPUT_PURPOSE_DIGITS);
  gtk_text_set_max_length (GTK_TEXT (text), MAX_CHARS);
  g_signal_connect (text, "insert-text", G_CALLBACK (on_text_insert_text), self);
  g_signal_connect (self, "changed", G_CALLBACK (on_row_changed), NULL);
}

guint
burrow_port_row_get_port (BurrowPortRow *self)
{
  g_return_val_if_fail (BURROW_IS_PORT_ROW (self), 0);

  return self->port;
}

/* 0 empties the row. */
void
burrow_port_row_set_port (BurrowPortRow *self,
                          guint          port)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BURROW_IS_PORT_ROW (self));

  if (self->port == port)
    return;

  self->port = port;

  text = port != 0 ? g_strdup_printf ("%u", port) : g_strdup ("");
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self), text);
  self->syncing = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/* FALSE when the row holds something that is not a number: "port" is 0
 * then, and the reason is this row's to give, not the profile's. */
gboolean
burrow_port_row_is_number (BurrowPortRow *self)
{
  const char *text;

  g_return_val_if_fail (BURROW_IS_PORT_ROW (self), TRUE);

  text = gtk_editable_get_text (GTK_EDITABLE (self));
  return *text == '\0' || parse_port (text) != 0 || strspn (text, "0") == strlen (text);
}

/* What is wrong with the text itself, %NULL when it is a number (or
 * empty): a range the profile checks. */
const char *
burrow_port_row_get_problem (BurrowPortRow *self)
{
  g_return_val_if_fail (BURROW_IS_PORT_ROW (self), NULL);

  return burrow_port_row_is_number (self) ? NULL : _("The port must be a number from 1 to 65535");
}
