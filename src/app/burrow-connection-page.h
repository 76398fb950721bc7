/* burrow-connection-page.h — one connection, top to bottom in the order it is set up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"

G_BEGIN_DECLS

#define BURROW_TYPE_CONNECTION_PAGE (burrow_connection_page_get_type ())

G_DECLARE_FINAL_TYPE (BurrowConnectionPage, burrow_connection_page, BURROW, CONNECTION_PAGE, GtkWidget)

GtkWidget        *burrow_connection_page_new            (BurrowEngine         *engine,
                                                         BurrowConnection     *connection,
                                                         BurrowProfile        *start);
BurrowEngine     *burrow_connection_page_get_engine     (BurrowConnectionPage *self);
BurrowConnection *burrow_connection_page_get_connection (BurrowConnectionPage *self);
BurrowProfile    *burrow_connection_page_get_draft      (BurrowConnectionPage *self);
gboolean          burrow_connection_page_get_dirty      (BurrowConnectionPage *self);
gboolean          burrow_connection_page_get_valid      (BurrowConnectionPage *self);
gboolean          burrow_connection_page_get_busy       (BurrowConnectionPage *self);
const char       *burrow_connection_page_get_title      (BurrowConnectionPage *self);
GPtrArray        *burrow_connection_page_dup_problems   (BurrowConnectionPage *self);
char             *burrow_connection_page_dup_invalid_reason (BurrowConnectionPage *self);

void              burrow_connection_page_save_async     (BurrowConnectionPage *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
BurrowConnection *burrow_connection_page_save_finish    (BurrowConnectionPage *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void              burrow_connection_page_discard        (BurrowConnectionPage *self);
void              burrow_connection_page_toggle_connection (BurrowConnectionPage *self);
void              burrow_connection_page_test           (BurrowConnectionPage *self);

G_END_DECLS
