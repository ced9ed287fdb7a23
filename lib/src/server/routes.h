#pragma once

// The groups of the /v1/ API, one file each; server.cpp registers every group.
// A new group: declare it here, define it in routes_<group>.cpp, call it from
// add_api_routes() in server.cpp.

#include "server/http_support.h"

namespace meshctl::server {

// Products, versions, plans, history, dependencies, domains (read): routes_catalog.cpp.
void add_catalog_routes(Router& router);
// Domains (create) and tokens: routes_access.cpp.
void add_access_routes(Router& router);
// Usage, subscriptions, lineage and what needs attention: routes_usage.cpp.
void add_usage_routes(Router& router);
// The platform's standards (read, publish): routes_standards.cpp.
void add_standards_routes(Router& router);
// Quality runs of a product (publish, read): routes_quality.cpp.
void add_quality_routes(Router& router);
// The business glossary (publish a glossary, read terms): routes_glossary.cpp.
void add_glossary_routes(Router& router);

// The web catalog's HTML pages on / and /catalog/..., and its sign-in on
// /login and /logout, outside the API's authentication (`access` says who may
// read them; `tls`: the session cookie is Secure): routes_web.cpp.
void add_web_routes(httplib::Server& http, ServicePool& pool, CatalogAccess access, bool tls);

}  // namespace meshctl::server
