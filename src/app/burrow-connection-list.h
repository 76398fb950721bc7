/* burrow-connection-list.h — the sidebar: the connections, searchable.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CONNECTION_LIST (burrow_connection_list_get_type ())

G_DECLARE_FINAL_TYPE (BurrowConnectionList, burrow_connection_list, BURROW, CONNECTION_LIST, GtkWidget)

GListModel       *burrow_connection_list_get_model               (BurrowConnectionList *self);
void              burrow_connection_list_set_model               (BurrowConnectionList *self,
                                                                  GListModel           *model);
BurrowConnection *burrow_connection_list_get_selected_connection (BurrowConnectionList *self);
void              burrow_connection_list_select                  (BurrowConnectionList *self,
                                                                  BurrowConnection     *connection);
gboolean          burrow_connection_list_get_search_mode         (BurrowConnectionList *self);
void              burrow_connection_list_set_search_mode         (BurrowConnectionList *self,
                                                                  gboolean              search_mode);
void              burrow_connection_list_set_search_text         (BurrowConnectionList *self,
                                                                  const char           *text);
GtkWidget        *burrow_connection_list_get_row                 (BurrowConnectionList *self,
                                                                  BurrowConnection     *connection);
guint             burrow_connection_list_get_n_shown             (BurrowConnectionList *self);

G_END_DECLS
