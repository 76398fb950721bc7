/* burrow-secret-store.c — passwords, passphrases and keys, in the keyring
 * and nowhere else.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each secret is one Secret Service item with two attributes: the
 * connection id and the kind of secret. Labels say in words what the item
 * is, for whoever opens Seahorse. Without a Secret Service the calls fail
 * with a hint: there is no fallback file, on purpose.
 *
 * Nothing here logs, and no error message carries a secret: the messages
 * come from the D-Bus layer, which never sees one in its errors.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "burrow-error.h"
#include "burrow-enum.h"
#include "burrow-secret-store.h"

#define ATTRIBUTE_CONNECTION "connection-id"
#define ATTRIBUTE_KIND "kind"
#define LOCKED_HINT N_("Unlock the login keyring (for example in “Passwords and Keys”) and try again.")

G_DEFINE_QUARK (burrow-secret-error-quark, burrow_secret_error)

static const SecretSchema schema = {
  BURROW_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { ATTRIBUTE_CONNECTION, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { ATTRIBUTE_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

GType
burrow_secret_kind_get_type (void)
{
  static gsize type_id = 0;

  /* The nicks are the "kind" attribute of the keyring items. */
  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { BURROW_SECRET_DB_PASSWORD, "BURROW_SECRET_DB_PASSWORD", "db-password" },
        { BURROW_SECRET_SSH_PASSWORD, "BURROW_SECRET_SSH_PASSWORD", "ssh-password" },
        { BURROW_SECRET_KEY_PASSPHRASE, "BURROW_SECRET_KEY_PASSPHRASE", "key-passphrase" },
        { BURROW_SECRET_PRIVATE_KEY, "BURROW_SECRET_PRIVATE_KEY", "private-key" },
        { BURROW_SECRET_WORKSPACE_KEY, "BURROW_SECRET_WORKSPACE_KEY", "workspace-key" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static ("BurrowSecretKind", values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

const char *
burrow_secret_kind_to_id (BurrowSecretKind kind)
{
  const char *id = burrow_enum_to_id (BURROW_TYPE_SECRET_KIND, kind);

  g_return_val_if_fail (id != NULL, NULL);

  return id;
}

/* Exact: these ids are the keyring attributes Burrow wrote itself. */
static gboolean
kind_from_id (const char       *id,
              BurrowSecretKind *kind)
{
  int value;

  if (!burrow_enum_from_id (BURROW_TYPE_SECRET_KIND, id, FALSE, &value))
    return FALSE;

  *kind = value;
  return TRUE;
}

/* What Seahorse shows for the item. */
char *
burrow_secret_dup_label (BurrowSecretKind  kind,
                         const char       *connection_name)
{
  g_return_val_if_fail (kind <= BURROW_SECRET_KIND_LAST, NULL);

  if (connection_name == NULL)
    connection_name = "";

  switch (kind)
    {
    case BURROW_SECRET_DB_PASSWORD:
      return g_strdup_printf (_("Burrow: database password for ‘%s’"), connection_name);
    case BURROW_SECRET_SSH_PASSWORD:
      return g_strdup_printf (_("Burrow: SSH password for ‘%s’"), connection_name);
    case BURROW_SECRET_KEY_PASSPHRASE:
      return g_strdup_printf (_("Burrow: SSH key passphrase for ‘%s’"), connection_name);
    case BURROW_SECRET_PRIVATE_KEY:
      return g_strdup_printf (_("Burrow: SSH private key for ‘%s’"), connection_name);
    case BURROW_SECRET_WORKSPACE_KEY:
      if (*connection_name != '\0')
        return g_strdup_printf (_("Burrow: workspace key (%s)"), connection_name);
      return g_strdup (_("Burrow: workspace key"));
    default:
      g_assert_not_reached ();
    }
}

/* The table owns its strings: libsecret keeps it, unread, until it has
 * connected to the service, by when the caller's id may be gone. */
static GHashTable *
make_attributes (const char       *connection_id,
                 BurrowSecretKind  kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *)ATTRIBUTE_CONNECTION, g_strdup (connection_id));
  if ((int)kind >= 0)
    g_hash_table_insert (attributes, (char *)ATTRIBUTE_KIND, g_strdup (burrow_secret_kind_to_id (kind)));

  return attributes;
}

static GHashTable *
copy_attributes (GHashTable *attributes)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

/* libsecret's errors name D-Bus objects; an analyst needs to know that the
 * keyring is missing or locked, and what to do. What the service said
 * goes to the debug log only: it names object paths, not causes. */
static GError *
translate_error (GError *error)
{
  GError *translated = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Secret Service: %s", error->message);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    burrow_set_error (&translated, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED,
                      _(LOCKED_HINT), _("The keyring is locked"));
  /* The default keyring's object is missing: its creation or unlocking
   * was cancelled, and the service answers for a path that is not there. */
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    burrow_set_error (&translated, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED,
                      _("Open “Passwords and Keys”, create or unlock the login keyring when it asks, "
                        "then try again."),
                      _("The keyring is locked or has no login collection"));
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR ||
           error->domain == G_SPAWN_ERROR)
    burrow_set_error (&translated, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_NO_SERVICE,
                      _("Burrow keeps passwords and keys only in the system keyring. Start a Secret Service "
                        "(gnome-keyring, or KeePassXC with its Secret Service integration) in your session, "
                        "then try again."),
                      _("No keyring is available"));
  else
    burrow_set_error (&translated, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_FAILED,
                      _("Check that the keyring is unlocked and working, then try again."),
                      _("The keyring refused: %s"), error->message);

  g_error_free (error);
  return translated;
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
burrow_secret_store_store_async (const char          *connection_id,
                                 const char          *connection_name,
                                 BurrowSecretKind     kind,
                                 const char          *secret,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (kind <= BURROW_SECRET_KIND_LAST);
  g_return_if_fail (secret != NULL);

  burrow_secret_protect_process ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_secret_store_store_async);

  attributes = make_attributes (connection_id, kind);
  label = burrow_secret_dup_label (kind, connection_name);
  secret_password_storev (&schema, attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, on_password_stored, task);
}

gboolean
burrow_secret_store_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GError *
new_locked_error (void)
{
  GError *error = NULL;

  burrow_set_error (&error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_LOCKED,
                    _(LOCKED_HINT), _("The keyring is locked"));
  return error;
}

static void
on_locked_items_checked (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;
  gboolean locked = FALSE;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    locked |= secret_item_get_locked (l->data);
  g_list_free_full (items, g_object_unref);

  /* Lookups and clears both end here; each wants its own kind of "no". */
  if (locked)
    g_task_return_error (task, new_locked_error ());
  else if (g_task_get_source_tag (task) == burrow_secret_store_lookup_async)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_password_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  if (secret != NULL)
    {
      g_task_return_pointer (task, secret, (GDestroyNotify)secret_password_free);
      return;
    }

  /* libsecret answers "nothing" when the item is there but the keyring
   * could not be unlocked (no prompt, or the user dismissed it). That must
   * not look like a missing password. No schema in this search:
   * gnome-keyring cannot match the schema name of a locked item. */
  secret_service_search (NULL, NULL, g_task_get_task_data (task), SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), on_locked_items_checked, g_object_ref (task));
}

void
burrow_secret_store_lookup_async (const char          *connection_id,
                                  BurrowSecretKind     kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (kind <= BURROW_SECRET_KIND_LAST);

  burrow_secret_protect_process ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_secret_store_lookup_async);

  attributes = make_attributes (connection_id, kind);
  g_task_set_task_data (task, copy_attributes (attributes), (GDestroyNotify)g_hash_table_unref);
  secret_password_lookupv (&schema, attributes, cancellable, on_password_looked_up, task);
}

/* NULL without an error when there is no such secret. Free the result
 * with burrow_secret_free (), which wipes it. */
char *
burrow_secret_store_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_password_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_clear_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  /* FALSE without an error means either that there was nothing to clear,
   * which is fine, or that the items are in a locked keyring: libsecret
   * deletes only unlocked items and says nothing about the others. A
   * deletion that silently left the secrets behind must fail. */
  secret_service_search (NULL, NULL, g_task_get_task_data (task), SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), on_locked_items_checked, g_object_ref (task));
}

static void
clear_matching (const char          *connection_id,
                int                  kind,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  attributes = make_attributes (connection_id, kind);
  g_task_set_task_data (task, copy_attributes (attributes), (GDestroyNotify)g_hash_table_unref);
  secret_password_clearv (&schema, attributes, cancellable, on_password_cleared, task);
}

void
burrow_secret_store_clear_async (const char          *connection_id,
                                 BurrowSecretKind     kind,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (kind <= BURROW_SECRET_KIND_LAST);

  clear_matching (connection_id, kind, burrow_secret_store_clear_async,
                  cancellable, callback, user_data);
}

gboolean
burrow_secret_store_clear_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Every secret of one connection: what deleting the connection calls. */
void
burrow_secret_store_clear_all_async (const char          *connection_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (connection_id != NULL);

  clear_matching (connection_id, -1, burrow_secret_store_clear_all_async,
                  cancellable, callback, user_data);
}

gboolean
burrow_secret_store_clear_all_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Relabelling: every item of the connection, one after the other. */

typedef struct
{
  char  *name;
  GList *items;   /* SecretItem, those still to do */
} RelabelData;

static void
relabel_data_free (RelabelData *data)
{
  g_free (data->name);
  g_list_free_full (data->items, g_object_unref);
  g_free (data);
}

static void relabel_next (GTask *task);

static void
on_label_set (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_item_set_label_finish (SECRET_ITEM (source), result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  relabel_next (task);
}

static void
relabel_next (GTask *task)
{
  RelabelData *data = g_task_get_task_data (task);
  g_autoptr(SecretItem) item = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  g_autofree char *current = NULL;
  BurrowSecretKind kind;

  if (data->items == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  item = data->items->data;
  data->items = g_list_delete_link (data->items, data->items);

  attributes = secret_item_get_attributes (item);
  if (kind_from_id (g_hash_table_lookup (attributes, ATTRIBUTE_KIND), &kind))
    label = burrow_secret_dup_label (kind, data->name);

  current = secret_item_get_label (item);
  if (label == NULL || g_strcmp0 (label, current) == 0)
    {
      relabel_next (task);
      return;
    }

  secret_item_set_label (item, label, g_task_get_cancellable (task), on_label_set, g_object_ref (task));
}

static void
on_items_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelabelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  relabel_next (task);
}

/* After a rename: the labels Seahorse shows name the connection as it is
 * called now. The secrets themselves are not read. */
void
burrow_secret_store_relabel_async (const char          *connection_id,
                                   const char          *connection_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  RelabelData *data;
  GTask *task;

  g_return_if_fail (connection_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_secret_store_relabel_async);
  data = g_new0 (RelabelData, 1);
  data->name = g_strdup (connection_name);
  g_task_set_task_data (task, data, (GDestroyNotify)relabel_data_free);

  attributes = make_attributes (connection_id, -1);
  secret_service_search (NULL, &schema, attributes, SECRET_SEARCH_ALL, cancellable, on_items_found, task);
}

gboolean
burrow_secret_store_relabel_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A secret's bytes as they come in. It grows into a new block each time,
 * and the old block is wiped before it is freed: realloc() would leave
 * the bytes read so far in the freed block, for the next allocation or a
 * core dump to find. */
typedef struct
{
  char  *data;
  gsize  length;
  gsize  size;
} SecretBuffer;

static gboolean
secret_buffer_reserve (SecretBuffer  *buffer,
                       gsize          more,
                       GError       **error)
{
  char *bigger;
  gsize size;

  if (buffer->length + more + 1 <= buffer->size)
    return TRUE;

  if (buffer->length + more + 1 > BURROW_SECRET_MAX_SIZE)
    {
      burrow_set_error (error, BURROW_SECRET_ERROR, BURROW_SECRET_ERROR_FAILED,
                        _("Name a file that holds only the secret."),
                        _("The secret is longer than %u KiB"), BURROW_SECRET_MAX_SIZE / 1024);
      return FALSE;
    }

  size = MAX (buffer->size, 256);
  while (size < buffer->length + more + 1)
    size *= 2;
  size = MIN (size, (gsize)BURROW_SECRET_MAX_SIZE);

  bigger = g_malloc (size);
  if (buffer->data != NULL)
    {
      memcpy (bigger, buffer->data, buffer->length);
      explicit_bzero (buffer->data, buffer->size);
      g_free (buffer->data);
    }
  buffer->data = bigger;
  buffer->size = size;

  return TRUE;
}

static void
secret_buffer_clear (SecretBuffer *buffer)
{
  if (buffer->data != NULL)
    explicit_bzero (buffer->data, buffer->size);
  g_clear_pointer (&buffer->data, g_free);
  buffer->length = buffer->size = 0;
}

/**
 * burrow_secret_read_fd:
 * @fd: a terminal (with echo off), a pipe or a file
 * @one_line: read up to the end of the line (dropped), leaving the rest
 *   of @fd unread; otherwise to the end of @fd
 *
 * Reads a secret straight from @fd, without stdio (whose buffer would
 * keep a copy) and without leaving a copy in memory that was freed. One
 * line ending is dropped from a line; the whole of @fd is returned as it
 * is.
 *
 * Returns: (transfer full): the secret; free it with
 *   burrow_secret_wipe_free()
 */
char *
burrow_secret_read_fd (int        fd,
                       gboolean   one_line,
                       GError   **error)
{
  SecretBuffer buffer = { NULL, 0, 0 };

  burrow_secret_protect_process ();
  if (!secret_buffer_reserve (&buffer, 0, error))
    return NULL;

  for (;;)
    {
      /* A line is read a byte at a time: what follows it belongs to the
       * next reader of @fd. */
      gsize want = one_line ? 1 : buffer.size - buffer.length - 1;
      gssize n;

      if (want == 0)
        {
          if (!secret_buffer_reserve (&buffer, buffer.size, error))
            {
              secret_buffer_clear (&buffer);
              return NULL;
            }
          continue;
        }

      n = read (fd, buffer.data + buffer.length, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          secret_buffer_clear (&buffer);
          burrow_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                            _("Name a file that holds only the secret, or “-” for standard input."),
                            _("Could not read the secret: %s"), g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;

      if (one_line && buffer.data[buffer.length] == '\n')
        {
          buffer.data[buffer.length] = '\0';
          break;
        }
      buffer.length += n;

      if (!secret_buffer_reserve (&buffer, one_line ? 1 : 0, error))
        {
          secret_buffer_clear (&buffer);
          return NULL;
        }
    }

  if (one_line && buffer.length > 0 && buffer.data[buffer.length - 1] == '\r')
    buffer.length--;

  /* Text ends at a NUL byte: the secret would be stored cut short. */
  if (memchr (buffer.data, '\0', buffer.length) != NULL)
    {
      secret_buffer_clear (&buffer);
      burrow_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        _("Name a file that holds only the secret, or “-” for standard input."),
                        _("The secret holds a NUL byte, which no password or key has"));
      return NULL;
    }
  buffer.data[buffer.length] = '\0';

  return buffer.data;
}

/**
 * burrow_secret_read_file:
 *
 * Reads all of @path (a file, or a pipe as `<(pass show db)` gives) as
 * burrow_secret_read_fd() does.
 *
 * Returns: (transfer full): the secret; free it with
 *   burrow_secret_wipe_free()
 */
char *
burrow_secret_read_file (const char  *path,
                         GError     **error)
{
  char *secret;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      burrow_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                        _("Name a file that holds only the secret, or “-” for standard input."),
                        _("Cannot read %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  secret = burrow_secret_read_fd (fd, FALSE, error);
  close (fd);

  return secret;
}

/**
 * burrow_secret_protect_process:
 *
 * Keeps this process out of core dumps, and out of the reach of other
 * processes of the same user that would read its memory (ptrace,
 * /proc/PID/mem), from now on: whatever is wiped, libssh, libsecret and
 * the C library keep copies of a secret that Burrow cannot reach. Called
 * wherever a secret comes into the process, before it does; a process
 * that never holds one (`burrowctl list`) still leaves a core when it
 * crashes.
 */
void
burrow_secret_protect_process (void)
{
  static gsize protected;

  if (g_once_init_enter (&protected))
    {
      if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        g_debug ("Could not keep this process out of core dumps: %s", g_strerror (errno));
      g_once_init_leave (&protected, 1);
    }
}

void
burrow_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

/* For a secret copied out of libsecret's memory (a prompt, a file, a
 * key in PEM text): overwritten before it is freed. */
void
burrow_secret_wipe_free (char *secret)
{
  if (secret == NULL)
    return;

  /* explicit_bzero: a memset right before free() may be optimised away. */
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
